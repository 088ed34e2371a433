package io.cuckoocache.server;

import io.cuckoocache.protocol.StoreStats;
import io.netty.channel.Channel;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The server's {@code stats}: the store's sections, extended with what the server knows (process, connections,
 * traffic, settings, "conns"), in memcached 1.6.18's order and names. One source for both protocols; {@link #reset}
 * zeroes the server's counters and the store's, once.
 */
final class StatsReport extends StoreStats {
    private final CacheServer server;
    private final ServerConfig config;
    private final ServerStats stats;

    StatsReport(CacheServer server) {
        super(server.store);
        this.server = server;
        this.config = server.config;
        this.stats = server.stats;
    }

    @Override
    public Map<String, String> section(String name) {
        switch (name) {
            case "":
                return general();
            case "settings":
                return settings();
            case "conns":
                return conns();
            default:
                return super.section(name);
        }
    }

    @Override
    public void reset() {
        stats.reset();
        super.reset();
    }

    /**
     * Every name memcached 1.6.18's "stats" prints with its default settings, in its order: the server's own, the
     * store's, and 0 for what this server has not (memcached's response objects, read buffers, slab mover, LRU
     * maintainer, loggers, NAPI ids).
     */
    private Map<String, String> general() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("pid", Long.toString(ProcessHandle.current().pid()));
        m.put("uptime", Long.toString(stats.uptimeSeconds()));
        m.put("time", Long.toString(System.currentTimeMillis() / 1000));
        m.put("version", config.version);
        m.put("libevent", "netty-" + CacheServer.Versions.netty()); // the event library in libevent's place
        m.put("pointer_size", "64".equals(System.getProperty("sun.arch.data.model", "64")) ? "64" : "32");
        String[] rusage = ServerStats.rusage();
        m.put("rusage_user", rusage[0]);
        m.put("rusage_system", rusage[1]);
        stats.connectionStats(m, config.maxConnections, config.maxConnectionsFast);
        zeros(m, "response_obj_oom", "response_obj_count", "response_obj_bytes", "read_buf_count", "read_buf_bytes",
                "read_buf_bytes_free", "read_buf_oom", "reserved_fds");
        for (Map.Entry<String, Long> e : store.stats().entrySet()) {
            String name = e.getKey();
            if (name.equals("limit_maxbytes")) stats.trafficStats(m, config.idleTimeout > 0);
            m.put(name, Long.toString(e.getValue()));
            if (name.equals("limit_maxbytes")) {
                stats.listenStats(m, server.accepting(), server.eventLoops());
            } else if (name.equals("hash_is_expanding")) {
                zeros(m, "slab_reassign_rescues", "slab_reassign_chunk_rescues", "slab_reassign_evictions_nomem",
                        "slab_reassign_inline_reclaim", "slab_reassign_busy_items", "slab_reassign_busy_deletes",
                        "slab_reassign_running", "slabs_moved");
                if (config.lruCrawler) zeros(m, "lru_crawler_running", "lru_crawler_starts");
                zeros(m, "lru_maintainer_juggles", "malloc_fails", "log_worker_dropped", "log_worker_written",
                        "log_watcher_skipped", "log_watcher_sent", "log_watchers");
                Tls tls = server.tls;
                if (tls != null) {
                    if (tls.settings.sessionCache) m.put("ssl_new_sessions", Long.toString(tls.newSessions.sum()));
                    m.put("ssl_handshake_errors", Long.toString(tls.handshakeErrors.sum()));
                    m.put("time_since_server_cert_refresh", Long.toString(tls.secondsSinceRefresh()));
                }
                zeros(m, "unexpected_napi_ids", "round_robin_fallback");
            }
        }
        return m;
    }

    private static void zeros(Map<String, String> m, String... names) {
        for (String name : names) m.put(name, "0");
    }

    /**
     * Every name memcached 1.6.18's "stats settings" prints, in its order, then this server's own. What has no
     * counterpart here says so (slab_reassign no, lru_maintainer_thread no, ...); tuning of what is not here (LRU
     * percentages, extstore) shows memcached's defaults, as a memcached that does not use them shows them.
     */
    private Map<String, String> settings() {
        int loops = server.eventLoops();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("maxbytes", Long.toString(store.memoryLimit()));
        m.put("maxconns", Integer.toString(config.maxConnections));
        m.put("tcpport", Integer.toString(config.port));
        m.put("udpport", "0");
        m.put("inter", String.join(",", config.listen).replace(' ', '_'));
        m.put("verbosity", Integer.toString(server.log.verbosity()));
        m.put("oldest", "0");
        m.put("evictions", store.evictionsEnabled() ? "on" : "off");
        m.put("domain_socket", "NULL");
        m.put("umask", "700");
        m.put("shutdown_command", config.shutdownEnabled ? "yes" : "no");
        m.put("growth_factor", String.format(Locale.ROOT, "%.2f", store.slabGrowthFactor()));
        m.put("chunk_size", Integer.toString(store.slabMinSize()));
        m.put("num_threads", Integer.toString(loops));
        m.put("num_threads_per_udp", Integer.toString(loops));
        m.put("stat_key_prefix", Character.toString(store.prefixDelimiter()));
        m.put("detail_enabled", store.detailEnabled() ? "yes" : "no");
        m.put("reqs_per_event", Integer.toString(config.reqsPerEvent));
        m.put("cas_enabled", store.casEnabled() ? "yes" : "no");
        m.put("tcp_backlog", Integer.toString(config.backlog));
        m.put("binding_protocol", server.protocolName());
        m.put("auth_enabled_sasl", config.authenticator != null ? "yes" : "no");
        m.put("auth_enabled_ascii", config.asciiAuthenticator != null ? "yes" : "no");
        m.put("item_size_max", Integer.toString(store.itemSizeMax()));
        m.put("maxconns_fast", config.maxConnectionsFast ? "yes" : "no");
        m.put("hashpower_init", Integer.toString(config.hashPower));
        m.put("slab_reassign", "no");
        m.put("slab_automove", "0");
        m.put("slab_automove_ratio", "0.80");
        m.put("slab_automove_window", "30");
        m.put("slab_chunk_max", Integer.toString(store.slabChunkMax()));
        m.put("lru_crawler", config.lruCrawler ? "yes" : "no");
        m.put("lru_crawler_sleep", Integer.toString(config.crawlerSleepMicros));
        m.put("lru_crawler_tocrawl", Integer.toString(config.crawlerToCrawl));
        m.put("tail_repair_time", "0");
        m.put("flush_enabled", config.flushEnabled ? "yes" : "no");
        m.put("dump_enabled", config.dumpEnabled ? "yes" : "no");
        m.put("hash_algorithm", "cuckoo");
        m.put("lru_maintainer_thread", "no");
        m.put("lru_segmented", "no");
        m.put("hot_lru_pct", "20");
        m.put("warm_lru_pct", "40");
        m.put("hot_max_factor", "0.20");
        m.put("warm_max_factor", "2.00");
        m.put("temp_lru", "no");
        m.put("temporary_ttl", "61");
        m.put("idle_timeout", Integer.toString(config.idleTimeout));
        m.put("watcher_logbuf_size", "262144");
        m.put("worker_logbuf_size", "65536");
        m.put("read_buf_mem_limit", "0");
        m.put("track_sizes", store.sizesEnabled() ? "yes" : "no");
        m.put("inline_ascii_response", "no");
        m.put("ext_item_size", "512");
        m.put("ext_item_age", "4294967295");
        m.put("ext_low_ttl", "0");
        m.put("ext_recache_rate", "2000");
        m.put("ext_wbuf_size", "4194304");
        m.put("ext_compact_under", "0");
        m.put("ext_drop_under", "0");
        m.put("ext_max_sleep", "1000000");
        m.put("ext_max_frag", "0.80");
        m.put("slab_automove_freeratio", "0.010");
        m.put("ext_drop_unread", "no");
        Tls.Settings tls = config.tls != null ? config.tls : new Tls.Settings();
        m.put("ssl_enabled", config.tls != null ? "yes" : "no");
        m.put("ssl_chain_cert", tls.chainCert == null ? "(null)" : tls.chainCert);
        m.put("ssl_key", tls.key == null ? "(null)" : tls.key);
        m.put("ssl_verify_mode", Integer.toString(tls.verifyFlags()));
        m.put("ssl_keyformat", Integer.toString(tls.keyFormat));
        m.put("ssl_ciphers", tls.ciphers == null ? "NULL" : tls.ciphers);
        m.put("ssl_ca_cert", tls.caCert == null ? "NULL" : tls.caCert);
        m.put("ssl_wbuf_size", Integer.toString(tls.wbufSize));
        m.put("ssl_session_cache", tls.sessionCache ? "yes" : "no");
        m.put("ssl_kernel_tls", "no");
        m.put("ssl_min_version", tls.minVersionName());
        m.put("num_napi_ids", "(null)");
        m.put("memory_file", config.memoryFile != null ? config.memoryFile.toString() : "(null)");
        // Not memcached's: how this server runs.
        m.put("transport", server.transportName());
        m.put("server_mode", config.mode.name().toLowerCase(Locale.ROOT));
        m.put("reuseport", server.listenersSnapshot().size() > server.distinctAddresses().size() ? "yes" : "no");
        return m;
    }

    /** memcached's "stats conns": the listeners, then every client connection, by number. */
    private Map<String, String> conns() {
        Map<String, String> m = new LinkedHashMap<>();
        long up = stats.uptimeSeconds();
        for (Map.Entry<Integer, Channel> l : server.listenersById().entrySet()) {
            String p = l.getKey() + ":";
            m.put(p + "addr", "tcp:" + hostPort((InetSocketAddress) l.getValue().localAddress()));
            m.put(p + "state", "conn_listening");
            m.put(p + "secs_since_last_cmd", Long.toString(up));
        }
        TreeMap<Integer, ConnectionHandler> byId = new TreeMap<>();
        for (ConnectionHandler h : server.connections) byId.put(h.id, h);
        for (ConnectionHandler h : byId.values()) {
            Channel ch = h.channel();
            if (ch == null || !(ch.remoteAddress() instanceof InetSocketAddress)) continue;
            String p = h.id + ":";
            m.put(p + "addr", "tcp:" + hostPort((InetSocketAddress) ch.remoteAddress()));
            m.put(p + "listen_addr", "tcp:" + hostPort((InetSocketAddress) ch.localAddress()));
            m.put(p + "state", h.state());
            m.put(p + "secs_since_last_cmd", Long.toString(h.secondsSinceLastCommand()));
        }
        return m;
    }

    private static String hostPort(InetSocketAddress a) {
        if (a == null) return "unknown";
        String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
