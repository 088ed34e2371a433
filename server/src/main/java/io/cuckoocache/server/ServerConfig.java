package io.cuckoocache.server;

import io.cuckoocache.store.ItemStore;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiPredicate;

/**
 * A server's settings, validated once, here, when built: each value as it is set, and the rules that join several
 * (item size against memory, authentication against protocol) in {@link Builder#build()}. The command line
 * ({@link Main}) and embedding applications go through the same checks and get the same messages, memcached's where
 * memcached has one. Immutable.
 */
public final class ServerConfig {
    final List<String> listen;
    final int port;
    final long memoryLimit;
    final int itemSizeMax;
    final int slabMinSize;
    final double slabGrowthFactor;
    /** 0: the store's default. */
    final int slabChunkMax;
    /** -D: the prefix delimiter, or 0 for none given (':', detail off). */
    final char prefixDelimiter;
    final boolean casEnabled;
    final boolean evictions;
    final int maxConnections;
    final boolean maxConnectionsFast;
    final int threads;
    final CacheServer.Mode mode;
    final CacheServer.Transport transport;
    final boolean reusePort;
    final int backlog;
    final CacheServer.Protocol protocol;
    final int reqsPerEvent;
    final boolean shutdownEnabled;
    final boolean flushEnabled;
    final boolean dumpEnabled;
    final boolean trackSizes;
    final BiPredicate<String, String> authenticator;
    final BiPredicate<String, String> asciiAuthenticator;
    final int idleTimeout;
    /** -o metrics_port: the Prometheus endpoint's port; -1 off, 0 any free port. */
    final int metricsPort;
    final int hashPower;
    final int verbosity;
    final boolean lruCrawler;
    final int crawlerSleepMicros;
    final int crawlerToCrawl;
    final String version;
    final int outputLowWater;
    final int outputHighWater;
    final PrintStream logStream;
    /** A store to serve instead of building one, or null. */
    final ItemStore store;
    /** -Z: TLS on every listener but "notls:" ones; null when off. */
    final Tls.Settings tls;
    /** -e: the warm-restart file, or null. */
    final Path memoryFile;

    private ServerConfig(Builder b) {
        this.listen = List.copyOf(b.listen.isEmpty() ? List.of("127.0.0.1") : b.listen);
        this.port = b.port;
        this.memoryLimit = b.memoryLimit;
        this.itemSizeMax = b.itemSizeMax;
        this.slabMinSize = b.slabMinSize;
        this.slabGrowthFactor = b.slabGrowthFactor;
        this.slabChunkMax = b.slabChunkMax;
        this.prefixDelimiter = b.prefixDelimiter;
        this.casEnabled = b.casEnabled;
        this.evictions = b.evictions;
        this.maxConnections = b.maxConnections;
        this.maxConnectionsFast = b.maxConnectionsFast;
        this.threads = b.threads;
        this.mode = b.mode;
        this.transport = b.transport;
        this.reusePort = b.reusePort;
        this.backlog = b.backlog;
        this.protocol = b.protocol;
        this.reqsPerEvent = b.reqsPerEvent;
        this.shutdownEnabled = b.shutdownEnabled;
        this.flushEnabled = b.flushEnabled;
        this.dumpEnabled = b.dumpEnabled;
        this.trackSizes = b.trackSizes;
        this.authenticator = b.authenticator;
        this.asciiAuthenticator = b.asciiAuthenticator;
        this.idleTimeout = b.idleTimeout;
        this.metricsPort = b.metricsPort;
        this.hashPower = b.hashPower;
        this.verbosity = b.verbosity;
        this.lruCrawler = b.lruCrawler;
        this.crawlerSleepMicros = b.crawlerSleepMicros;
        this.crawlerToCrawl = b.crawlerToCrawl;
        this.version = b.version;
        this.outputLowWater = b.outputLowWater;
        this.outputHighWater = b.outputHighWater;
        this.logStream = b.logStream;
        this.store = b.store;
        this.tls = b.tls;
        this.memoryFile = b.memoryFile;
    }

    /** The store these settings describe (when the server builds its own). */
    ItemStore.Builder storeBuilder() {
        ItemStore.Builder b = ItemStore.builder().memoryLimit(memoryLimit).itemSizeMax(itemSizeMax)
                .slabMinSize(slabMinSize).slabGrowthFactor(slabGrowthFactor)
                .casEnabled(casEnabled).evictionsEnabled(evictions);
        if (slabChunkMax != 0) b.slabChunkMax(slabChunkMax);
        if (prefixDelimiter != 0) b.statsPrefixDelimiter(prefixDelimiter).detailEnabled(true);
        return b;
    }

    /** Settings for a new server. Defaults are memcached 1.6.18's, except where a method says otherwise. */
    public static final class Builder {
        private final List<String> listen = new ArrayList<>();
        private int port = 11211;
        private long memoryLimit = 64L << 20;
        private int itemSizeMax = 1 << 20;
        private int slabMinSize = 48;
        private double slabGrowthFactor = 1.25;
        private int slabChunkMax;
        private char prefixDelimiter;
        private boolean casEnabled = true;
        private boolean evictions = true;
        private int maxConnections = 1024;
        private boolean maxConnectionsFast = true;
        private int threads = Runtime.getRuntime().availableProcessors();
        private CacheServer.Mode mode = CacheServer.Mode.SMP;
        private CacheServer.Transport transport = CacheServer.Transport.AUTO;
        private boolean reusePort;
        private int backlog = 1024;
        private CacheServer.Protocol protocol = CacheServer.Protocol.AUTO;
        private int reqsPerEvent = 20;
        private boolean shutdownEnabled;
        private boolean flushEnabled = true;
        private boolean dumpEnabled = true;
        private boolean trackSizes;
        private BiPredicate<String, String> authenticator;
        private BiPredicate<String, String> asciiAuthenticator;
        private int idleTimeout;
        private int metricsPort = -1;
        private int hashPower;
        private int verbosity;
        private boolean lruCrawler = true;
        private int crawlerSleepMicros = 100;
        private int crawlerToCrawl;
        private String version = CacheServer.MEMCACHED_VERSION;
        private int outputLowWater = 64 * 1024;
        private int outputHighWater = 256 * 1024;
        private PrintStream logStream = System.err;
        private ItemStore store;
        private Tls.Settings tls;
        private Path memoryFile;

        Builder() {
        }

        /** Adds addresses to listen on (-l): "host", "host:port", "[v6]:port", comma lists. Default 127.0.0.1. */
        public Builder listen(String... addresses) {
            for (String a : addresses) listen.add(Objects.requireNonNull(a));
            return this;
        }

        /** The TCP port (-p); 0 picks a free one ({@link CacheServer#port()} tells which). Default 11211. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("cuckoocache: port out of range: " + port);
            this.port = port;
            return this;
        }

        /** The memory limit in bytes (-m). Default 64 MB. */
        public Builder memoryLimit(long bytes) {
            if (bytes <= 0) throw new IllegalArgumentException("cuckoocache: -m must be positive");
            this.memoryLimit = bytes;
            return this;
        }

        /** The largest item in bytes (-I), 1 KB to 1 GB and at most half the memory limit. Default 1 MB. */
        public Builder itemSizeMax(long bytes) {
            if (bytes < 1024) throw new IllegalArgumentException("Item max size cannot be less than 1024 bytes.");
            if (bytes > 1L << 30) {
                throw new IllegalArgumentException("Cannot set item size limit higher than 1 gigabytes.");
            }
            this.itemSizeMax = (int) bytes;
            return this;
        }

        /** memcached's -n: slab chunk space beyond the item header (the store checks it in {@link #build()}). */
        public Builder slabMinSize(int bytes) {
            this.slabMinSize = bytes;
            return this;
        }

        /** memcached's -f: the slab classes' growth factor (checked in {@link #build()}). */
        public Builder slabGrowthFactor(double factor) {
            this.slabGrowthFactor = factor;
            return this;
        }

        /** memcached's -o slab_chunk_max, in bytes (checked against -I in {@link #build()}). */
        public Builder slabChunkMax(int bytes) {
            this.slabChunkMax = bytes;
            return this;
        }

        /** Text "stats cachedump" allowed (false: -X, "CLIENT_ERROR stats cachedump not allowed"). */
        public Builder dumpEnabled(boolean on) {
            this.dumpEnabled = on;
            return this;
        }

        /** -o track_sizes: "stats sizes" counts from the start (else from "stats sizes_enable"). */
        public Builder trackSizes(boolean on) {
            this.trackSizes = on;
            return this;
        }

        /** memcached's -D: the per-prefix stats delimiter; as in memcached, it also turns "stats detail" on. */
        public Builder statsPrefixDelimiter(char delimiter) {
            this.prefixDelimiter = delimiter;
            return this;
        }

        /** CAS on (false: -C). */
        public Builder casEnabled(boolean on) {
            this.casEnabled = on;
            return this;
        }

        /** Evict when full (false: -M, answer out of memory). */
        public Builder evictionsEnabled(boolean on) {
            this.evictions = on;
            return this;
        }

        /** The most simultaneous client connections (-c). Default 1024. */
        public Builder maxConnections(int n) {
            if (n <= 0) throw new IllegalArgumentException("Maximum connections must be greater than 0");
            this.maxConnections = n;
            return this;
        }

        /** -o maxconns_fast: refuse connections over the limit at once (true, default) or stop accepting (false). */
        public Builder maxConnectionsFast(boolean on) {
            this.maxConnectionsFast = on;
            return this;
        }

        /** Event loops in SMP mode (-t). Default: the number of cores. */
        public Builder threads(int n) {
            if (n <= 0) throw new IllegalArgumentException("Number of threads must be greater than 0");
            this.threads = n;
            return this;
        }

        /** Single or SMP (default). */
        public Builder mode(CacheServer.Mode mode) {
            this.mode = Objects.requireNonNull(mode);
            return this;
        }

        /** The transport; AUTO (default) picks the best native one available. */
        public Builder transport(CacheServer.Transport t) {
            this.transport = Objects.requireNonNull(t);
            return this;
        }

        /** SMP mode: one listening socket per event loop with SO_REUSEPORT (where the transport can). */
        public Builder reusePort(boolean on) {
            this.reusePort = on;
            return this;
        }

        /** The listen backlog (-b). Default 1024. */
        public Builder backlog(int n) {
            if (n <= 0) throw new IllegalArgumentException("cuckoocache: -b must be greater than 0");
            this.backlog = n;
            return this;
        }

        /** -B: ascii, binary or auto (default). */
        public Builder protocol(CacheServer.Protocol p) {
            this.protocol = Objects.requireNonNull(p);
            return this;
        }

        /** -R: protocol calls per connection per event before it yields. Default 20. */
        public Builder reqsPerEvent(int n) {
            if (n <= 0) throw new IllegalArgumentException("Number of requests per event must be greater than 0");
            this.reqsPerEvent = n;
            return this;
        }

        /** -A: allow the text "shutdown" command. Default off. */
        public Builder shutdownEnabled(boolean on) {
            this.shutdownEnabled = on;
            return this;
        }

        /** false: -F, flush_all is refused. Default on. */
        public Builder flushEnabled(boolean on) {
            this.flushEnabled = on;
            return this;
        }

        /**
         * -S: binary SASL PLAIN authentication, checked by this (username, password) predicate; null (default)
         * turns it off. It must be thread-safe.
         */
        public Builder saslAuthenticator(BiPredicate<String, String> authenticator) {
            this.authenticator = authenticator;
            return this;
        }

        /**
         * -Y: memcached's ASCII authentication: a text connection must first send {@code set <key> <flags>
         * <exptime> <bytes>} with data {@code <user> <password>}, checked by this predicate (thread-safe); null
         * (default) turns it off. Binary connections cannot authenticate this way: use it with {@link CacheServer.Protocol#ASCII}.
         */
        public Builder asciiAuthenticator(BiPredicate<String, String> authenticator) {
            this.asciiAuthenticator = authenticator;
            return this;
        }

        /** -o idle_timeout: close connections that sent nothing for this many seconds; 0 (default) never. */
        public Builder idleTimeoutSeconds(int seconds) {
            if (seconds < 0) throw new IllegalArgumentException("negative idle timeout");
            this.idleTimeout = seconds;
            return this;
        }

        /** -o hashpower: size the table for 2^n items at start; 0 (default) starts small and grows. */
        public Builder hashPower(int n) {
            if (n < 0 || n > 32) throw new IllegalArgumentException("hashpower out of range: " + n);
            this.hashPower = n;
            return this;
        }

        /** -v, -vv, -vvv: 0 to 3. Default 0. */
        public Builder verbosity(int v) {
            this.verbosity = Math.max(0, Math.min(3, v));
            return this;
        }

        /** -o no_lru_crawler / lru_crawler_sleep / lru_crawler_tocrawl: the background reclaimer of dead items. */
        public Builder lruCrawler(boolean on, int sleepMicros, int toCrawl) {
            this.lruCrawler = on;
            this.crawlerSleepMicros = Math.max(0, sleepMicros);
            this.crawlerToCrawl = Math.max(0, toCrawl);
            return this;
        }

        /** What "version" answers. Default "1.6.18", the memcached release the server follows. */
        public Builder version(String v) {
            this.version = Objects.requireNonNull(v);
            return this;
        }

        /** Where logs go. Default standard error. */
        public Builder logTo(PrintStream out) {
            this.logStream = Objects.requireNonNull(out);
            return this;
        }

        /**
         * -o metrics_port: serve Prometheus metrics over HTTP ({@code GET /metrics}) on this port of the same
         * addresses as the cache (-l); 0 picks a free port, -1 (default) turns it off.
         */
        public Builder metricsPort(int port) {
            if (port < -1 || port > 65535) throw new IllegalArgumentException("metrics port out of range: " + port);
            this.metricsPort = port;
            return this;
        }

        /** Serve this store instead of building one (memory settings then come from the store). */
        public Builder store(ItemStore store) {
            this.store = store;
            return this;
        }

        /** -Z with its -o ssl_* settings: TLS on every listener not prefixed "notls:"; null (default) is off. */
        Builder tls(Tls.Settings settings) {
            this.tls = settings;
            return this;
        }

        /**
         * -e: the warm-restart file. At start the items saved there are restored before the server listens (and the
         * file is consumed); a graceful stop ({@link CacheServer#closeAndSaveAsync}, SIGUSR1, "shutdown graceful")
         * writes every live item to it. Null (default): no warm restart.
         */
        public Builder memoryFile(Path file) {
            this.memoryFile = file;
            return this;
        }

        /** The channel's write buffer water marks: reading stops above {@code high}, resumes below {@code low}. */
        Builder outputWaterMarks(int low, int high) {
            if (low <= 0 || high < low) throw new IllegalArgumentException("bad water marks");
            this.outputLowWater = low;
            this.outputHighWater = high;
            return this;
        }

        /**
         * The settings, checked as a whole: an item size limit over half the memory limit (for a store the server
         * builds), and an authenticator with a protocol it cannot authenticate (its connections would be served
         * unauthenticated), are refused as memcached refuses them.
         *
         * @throws IllegalArgumentException with memcached's message
         */
        public ServerConfig build() {
            if (store == null && itemSizeMax > memoryLimit / 2) {
                throw new IllegalArgumentException("Cannot set item size limit higher than 1/2 of memory max.");
            }
            if (authenticator != null && asciiAuthenticator != null) {
                throw new IllegalArgumentException("cuckoocache: -Y (ASCII authentication) and -S (binary SASL) cannot"
                        + " be used together: -Y serves the ascii protocol only, -S the binary protocol only");
            }
            if (authenticator != null && protocol != CacheServer.Protocol.BINARY) {
                throw new IllegalArgumentException("ERROR: You cannot allow the ASCII protocol while using SASL.");
            }
            if (asciiAuthenticator != null && protocol != CacheServer.Protocol.ASCII) {
                throw new IllegalArgumentException(
                        "ERROR: You cannot allow the BINARY protocol while using ascii authentication tokens.");
            }
            if (store != null && memoryFile != null) {
                throw new IllegalArgumentException("cuckoocache: a memory file (-e) needs the server to build its own"
                        + " store; restore into a store of your own with ItemStore.restore");
            }
            ServerConfig config = new ServerConfig(this);
            if (store == null) config.storeBuilder().validate(); // -n, -f, slab_chunk_max against -I
            return config;
        }

        /** Builds the settings, binds and starts serving. */
        public CacheServer start() throws IOException {
            return CacheServer.start(build());
        }
    }
}
