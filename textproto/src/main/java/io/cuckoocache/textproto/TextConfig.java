package io.cuckoocache.textproto;

import io.cuckoocache.store.ItemStore;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.BiPredicate;
import java.util.function.IntConsumer;

/** Settings of the text protocol, shared by all sessions of a server. Immutable; defaults are memcached 1.6.18's. */
public final class TextConfig {
    private final String version;
    private final byte[] versionLine;
    private final boolean shutdownEnabled;
    private final boolean flushEnabled;
    private final int maxKeyLength;
    private final int lineLimit;
    private final int outputPerCall;
    private final IntConsumer verbosity;
    private final BiPredicate<String, String> authenticator;

    private TextConfig(Builder b) {
        version = b.version;
        versionLine = ("VERSION " + version + "\r\n").getBytes(StandardCharsets.US_ASCII);
        shutdownEnabled = b.shutdownEnabled;
        flushEnabled = b.flushEnabled;
        maxKeyLength = b.maxKeyLength;
        lineLimit = b.lineLimit;
        outputPerCall = b.outputPerCall;
        verbosity = b.verbosity;
        authenticator = b.authenticator;
    }

    /** A builder with memcached's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** memcached's defaults. */
    public static TextConfig defaults() {
        return builder().build();
    }

    /** The version reported by {@code version}. Default "1.6.18". */
    public String version() {
        return version;
    }

    /** Whether {@code shutdown} is allowed (memcached -A). Default false. */
    public boolean shutdownEnabled() {
        return shutdownEnabled;
    }

    /** Whether {@code flush_all} is allowed (false: memcached -F). Default true. */
    public boolean flushEnabled() {
        return flushEnabled;
    }

    /** The longest key in bytes. Default 250. */
    public int maxKeyLength() {
        return maxKeyLength;
    }

    /** How many bytes of a request line may arrive without its newline before the line is refused. Default 2048. */
    public int lineLimit() {
        return lineLimit;
    }

    /**
     * Reply bytes after which {@link TextSession#process} returns: the request that passes it is finished (a multi-get
     * at the key that passes it), the rest waits for the next call. Default 256 KB.
     */
    public int outputPerCall() {
        return outputPerCall;
    }

    /** The check of memcached -Y's authentication tokens, or null when authentication is off. */
    BiPredicate<String, String> authenticator() {
        return authenticator;
    }

    byte[] versionLine() {
        return versionLine;
    }

    void verbosity(int level) {
        verbosity.accept(level);
    }

    /** Settings for a {@link TextConfig}. */
    public static final class Builder {
        private String version = "1.6.18";
        private boolean shutdownEnabled;
        private boolean flushEnabled = true;
        private int maxKeyLength = ItemStore.KEY_MAX_LENGTH;
        private int lineLimit = 2048;
        private int outputPerCall = 256 * 1024;
        private IntConsumer verbosity = level -> { };
        private BiPredicate<String, String> authenticator;

        private Builder() {
        }

        /** The version string {@code version} reports. */
        public Builder version(String v) {
            if (v.isEmpty() || !v.chars().allMatch(c -> c > ' ' && c < 127)) {
                throw new IllegalArgumentException("version must be printable ASCII without spaces: " + v);
            }
            version = v;
            return this;
        }

        /** Allow the {@code shutdown} command (memcached -A). */
        public Builder shutdownEnabled(boolean on) {
            shutdownEnabled = on;
            return this;
        }

        /** Allow {@code flush_all} (false: memcached -F, which answers "CLIENT_ERROR flush_all not allowed"). */
        public Builder flushEnabled(boolean on) {
            flushEnabled = on;
            return this;
        }

        /** The longest key accepted, 1 to 250 bytes (the store's limit). */
        public Builder maxKeyLength(int bytes) {
            if (bytes < 1 || bytes > ItemStore.KEY_MAX_LENGTH) {
                throw new IllegalArgumentException("key length limit must be 1.." + ItemStore.KEY_MAX_LENGTH);
            }
            maxKeyLength = bytes;
            return this;
        }

        /**
         * Bytes of a request line that may be buffered without a newline (memcached: 2048). Past it a multi-get is
         * answered key by key as it arrives, and any other line closes the connection.
         */
        public Builder lineLimit(int bytes) {
            if (bytes < 512) throw new IllegalArgumentException("line limit below 512: " + bytes);
            lineLimit = bytes;
            return this;
        }

        /**
         * Reply bytes one {@link TextSession#process} call may produce before it returns with input left, so a
         * pipeline of requests for large values is answered a bounded piece at a time (the piece may exceed this by
         * the one value that passes it).
         */
        public Builder outputPerCall(int bytes) {
            if (bytes < 1) throw new IllegalArgumentException("output per call must be positive: " + bytes);
            outputPerCall = bytes;
            return this;
        }

        /** Called with the new level (0..2) when a client sends {@code verbosity}; the text protocol keeps none. */
        public Builder onVerbosity(IntConsumer listener) {
            verbosity = Objects.requireNonNull(listener);
            return this;
        }

        /**
         * Turns on memcached -Y's ASCII authentication: a connection must first send {@code set <key> <flags>
         * <exptime> <bytes>} whose data is {@code <user> <password>}, checked with this (UTF-8 strings, called
         * from any connection's thread); until then every command answers {@code CLIENT_ERROR unauthenticated}.
         * Null (the default): authentication off.
         */
        public Builder authenticator(BiPredicate<String, String> check) {
            authenticator = check;
            return this;
        }

        /** The settings. */
        public TextConfig build() {
            return new TextConfig(this);
        }
    }
}
