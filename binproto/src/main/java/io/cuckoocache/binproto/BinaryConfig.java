package io.cuckoocache.binproto;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.BiPredicate;

/** Settings shared by every {@link BinarySession} of a server. Immutable. */
public final class BinaryConfig {
    private final byte[] version;
    private final BiPredicate<String, String> authenticator;
    private final boolean flushEnabled;

    private BinaryConfig(Builder b) {
        this.version = b.version.getBytes(StandardCharsets.US_ASCII);
        this.authenticator = b.authenticator;
        this.flushEnabled = b.flushEnabled;
    }

    /** A builder: version "1.6.18", authentication off, flush allowed. */
    public static Builder builder() {
        return new Builder();
    }

    /** The version opcode's answer. */
    byte[] version() {
        return version;
    }

    /** Checks a SASL PLAIN (username, password); {@code null} when authentication is off. */
    BiPredicate<String, String> authenticator() {
        return authenticator;
    }

    /** Whether flush and flushq may run (false: memcached -F). */
    boolean flushEnabled() {
        return flushEnabled;
    }

    /** Settings for a new config. */
    public static final class Builder {
        private String version = "1.6.18";
        private BiPredicate<String, String> authenticator;
        private boolean flushEnabled = true;

        private Builder() {
        }

        /** What the version opcode answers. Default "1.6.18", the memcached release this protocol follows. */
        public Builder version(String version) {
            this.version = Objects.requireNonNull(version);
            return this;
        }

        /**
         * Turns SASL authentication on (memcached -S): every command but version and the SASL ones needs a successful
         * PLAIN authentication first. The predicate gets (username, password), both UTF-8, and must be thread-safe:
         * every connection calls it. {@code null} (the default) turns authentication off.
         */
        public Builder authenticator(BiPredicate<String, String> authenticator) {
            this.authenticator = authenticator;
            return this;
        }

        /**
         * false: flush and flushq are refused (memcached -F), answered, as memcached 1.6.18 answers them, with the
         * status "auth error" (0x20) and "Auth failure." even when quiet. Default true.
         */
        public Builder flushEnabled(boolean on) {
            this.flushEnabled = on;
            return this;
        }

        /** The config. */
        public BinaryConfig build() {
            return new BinaryConfig(this);
        }
    }
}
