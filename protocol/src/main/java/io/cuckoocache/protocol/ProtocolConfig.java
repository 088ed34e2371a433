package io.cuckoocache.protocol;

import io.cuckoocache.store.ItemStore;

import java.util.Objects;
import java.util.function.BiPredicate;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * Settings of the protocol sessions of one server, text and binary alike. Immutable and shared; defaults are
 * memcached 1.6.18's.
 */
public final class ProtocolConfig {
    private final String version;
    private final boolean shutdownEnabled;
    private final boolean flushEnabled;
    private final boolean dumpEnabled;
    private final int maxKeyLength;
    private final int lineLimit;
    private final int outputPerCall;
    private final IntConsumer verbosityListener;
    private final BiPredicate<String, String> authenticator;
    private final Supplier<String> certRefresher;

    private ProtocolConfig(Builder b) {
        version = b.version;
        shutdownEnabled = b.shutdownEnabled;
        flushEnabled = b.flushEnabled;
        dumpEnabled = b.dumpEnabled;
        maxKeyLength = b.maxKeyLength;
        lineLimit = b.lineLimit;
        outputPerCall = b.outputPerCall;
        verbosityListener = b.verbosityListener;
        authenticator = b.authenticator;
        certRefresher = b.certRefresher;
    }

    /** {@return a builder with memcached's defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return memcached's defaults} */
    public static ProtocolConfig defaults() {
        return builder().build();
    }

    /** {@return the version that {@code version} (text) and the version opcode (binary) report; default "1.6.18"} */
    public String version() {
        return version;
    }

    /** {@return whether the text {@code shutdown} command is allowed (memcached -A); default false} */
    public boolean shutdownEnabled() {
        return shutdownEnabled;
    }

    /** {@return whether {@code flush_all} and binary flush are allowed (false: memcached -F); default true} */
    public boolean flushEnabled() {
        return flushEnabled;
    }

    /** {@return whether the text {@code stats cachedump} is allowed (false: memcached -X); default true} */
    public boolean dumpEnabled() {
        return dumpEnabled;
    }

    /** {@return the longest key the text protocol takes, in bytes; default 250} */
    public int maxKeyLength() {
        return maxKeyLength;
    }

    /** {@return how many bytes of a text request line may arrive without its newline; default 2048} */
    public int lineLimit() {
        return lineLimit;
    }

    /**
     * {@return the reply bytes after which {@link Session#process} returns with requests left; default 256 KB}
     * The request that passes it is finished (a text multi-get at the key that passes it).
     */
    public int outputPerCall() {
        return outputPerCall;
    }

    /** {@return what is told the new level (0..2) when a client sends {@code verbosity}} */
    public IntConsumer verbosityListener() {
        return verbosityListener;
    }

    /**
     * {@return the password check, or null when authentication is off} The text protocol asks for it as memcached
     * -Y does (an authentication token first), the binary protocol as -S does (SASL PLAIN); a server runs one of the
     * two protocols when it authenticates.
     */
    public BiPredicate<String, String> authenticator() {
        return authenticator;
    }

    /**
     * {@return what the text {@code refresh_certs} runs: it reloads the server's TLS certificates and gives null, or
     * the error line to answer; default: memcached's answer when TLS is off}
     */
    public Supplier<String> certRefresher() {
        return certRefresher;
    }

    /** Settings for a {@link ProtocolConfig}. */
    public static final class Builder {
        private String version = "1.6.18";
        private boolean shutdownEnabled;
        private boolean flushEnabled = true;
        private boolean dumpEnabled = true;
        private int maxKeyLength = ItemStore.KEY_MAX_LENGTH;
        private int lineLimit = 2048;
        private int outputPerCall = 256 * 1024;
        private IntConsumer verbosityListener = level -> { };
        private BiPredicate<String, String> authenticator;
        private Supplier<String> certRefresher = () -> "Error TLS not enabled";

        private Builder() {
        }

        /**
         * The version string reported.
         *
         * @param v printable ASCII without spaces
         * @return this builder
         */
        public Builder version(String v) {
            if (v.isEmpty() || !v.chars().allMatch(c -> c > ' ' && c < 127)) {
                throw new IllegalArgumentException("version must be printable ASCII without spaces: " + v);
            }
            version = v;
            return this;
        }

        /**
         * Allows the text {@code shutdown} command (memcached -A).
         *
         * @param on whether it is allowed
         * @return this builder
         */
        public Builder shutdownEnabled(boolean on) {
            shutdownEnabled = on;
            return this;
        }

        /**
         * Allows {@code flush_all} and binary flush (false: memcached -F; text answers "CLIENT_ERROR flush_all not
         * allowed", binary the status 0x20 "Auth failure.", as memcached 1.6.18).
         *
         * @param on whether flushing is allowed
         * @return this builder
         */
        public Builder flushEnabled(boolean on) {
            flushEnabled = on;
            return this;
        }

        /**
         * Allows the text {@code stats cachedump} (false: memcached -X; it answers "CLIENT_ERROR stats cachedump not
         * allowed").
         *
         * @param on whether dumping is allowed
         * @return this builder
         */
        public Builder dumpEnabled(boolean on) {
            dumpEnabled = on;
            return this;
        }

        /**
         * The longest key the text protocol accepts.
         *
         * @param bytes 1 to 250 (the store's limit)
         * @return this builder
         */
        public Builder maxKeyLength(int bytes) {
            if (bytes < 1 || bytes > ItemStore.KEY_MAX_LENGTH) {
                throw new IllegalArgumentException("key length limit must be 1.." + ItemStore.KEY_MAX_LENGTH);
            }
            maxKeyLength = bytes;
            return this;
        }

        /**
         * Bytes of a text request line that may be buffered without a newline (memcached: 2048). Past it a
         * multi-get is answered key by key as it arrives, and any other line closes the connection.
         *
         * @param bytes at least 512
         * @return this builder
         */
        public Builder lineLimit(int bytes) {
            if (bytes < 512) throw new IllegalArgumentException("line limit below 512: " + bytes);
            lineLimit = bytes;
            return this;
        }

        /**
         * Reply bytes one {@link Session#process} call may produce before it returns with requests left, so a
         * pipeline of requests for large values is answered a bounded piece at a time (a piece may pass this by
         * the one reply that crosses it).
         *
         * @param bytes a positive bound
         * @return this builder
         */
        public Builder outputPerCall(int bytes) {
            if (bytes < 1) throw new IllegalArgumentException("output per call must be positive: " + bytes);
            outputPerCall = bytes;
            return this;
        }

        /**
         * Called with the new level (0..2) when a client sends {@code verbosity}; the sessions keep none.
         *
         * @param listener called from any connection's thread
         * @return this builder
         */
        public Builder onVerbosity(IntConsumer listener) {
            verbosityListener = Objects.requireNonNull(listener);
            return this;
        }

        /**
         * What {@code refresh_certs} runs (memcached -Z): reload the TLS certificates from their files, giving null
         * (answer OK) or the error line to answer (memcached's "Error loading ..." text, without CRLF).
         *
         * @param refresher the reload; called on the connection's event loop
         * @return this builder
         */
        public Builder certRefresher(Supplier<String> refresher) {
            certRefresher = Objects.requireNonNull(refresher);
            return this;
        }

        /**
         * Turns authentication on: text sessions first take a token as memcached -Y does ({@code set <key> <flags>
         * <exptime> <bytes>} whose data is {@code <user> <password>}), binary sessions SASL PLAIN as -S does. The
         * check gets (user, password), both UTF-8, from any connection's thread. Null (the default): off.
         *
         * @param check the password check, or null
         * @return this builder
         */
        public Builder authenticator(BiPredicate<String, String> check) {
            authenticator = check;
            return this;
        }

        /** {@return the settings} */
        public ProtocolConfig build() {
            return new ProtocolConfig(this);
        }
    }
}
