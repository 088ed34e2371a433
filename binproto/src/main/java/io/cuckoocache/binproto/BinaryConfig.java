package io.cuckoocache.binproto;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.BiPredicate;

/** Settings shared by every {@link BinarySession} of a server. Immutable. */
public final class BinaryConfig {
    private final byte[] version;
    private final BiPredicate<String, String> authenticator;
    private final boolean flushEnabled;
    private final int outputPerCall;

    private BinaryConfig(Builder b) {
        this.version = b.version.getBytes(StandardCharsets.US_ASCII);
        this.authenticator = b.authenticator;
        this.flushEnabled = b.flushEnabled;
        this.outputPerCall = b.outputPerCall;
    }

    /** A builder: version "1.6.18", authentication off, flush allowed, 256 KB of replies per call. */
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

    /** Reply bytes after which {@link BinarySession#process} returns with the requests after it left unread. */
    int outputPerCall() {
        return outputPerCall;
    }

    /** Settings for a new config. */
    public static final class Builder {
        private String version = "1.6.18";
        private BiPredicate<String, String> authenticator;
        private boolean flushEnabled = true;
        private int outputPerCall = 256 * 1024;

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

        /**
         * Reply bytes one {@link BinarySession#process} call may produce before it returns with requests left, so
         * a pipeline of gets of large values is answered a bounded piece at a time (a piece may exceed this by the
         * one response that passes it). Default 256 KB.
         */
        public Builder outputPerCall(int bytes) {
            if (bytes < 1) throw new IllegalArgumentException("output per call must be positive: " + bytes);
            this.outputPerCall = bytes;
            return this;
        }

        /** The config. */
        public BinaryConfig build() {
            return new BinaryConfig(this);
        }
    }
}
