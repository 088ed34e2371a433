package io.cuckoocache.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** "stats" and its sub-commands over the wire: memcached's names, order and formats. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StatsTest {
    /** memcached 1.6.18's "stats" names with its defaults, as it printed them. */
    static final List<String> GENERAL = List.of(
                "pid", "uptime", "time", "version", "libevent", "pointer_size", "rusage_user", "rusage_system",
                "max_connections", "curr_connections", "total_connections", "rejected_connections",
                "connection_structures", "response_obj_oom", "response_obj_count", "response_obj_bytes",
                "read_buf_count", "read_buf_bytes", "read_buf_bytes_free", "read_buf_oom", "reserved_fds",
                "cmd_get", "cmd_set", "cmd_flush", "cmd_touch", "cmd_meta", "get_hits", "get_misses",
                "get_expired", "get_flushed", "delete_misses", "delete_hits", "incr_misses", "incr_hits",
                "decr_misses", "decr_hits", "cas_misses", "cas_hits", "cas_badval", "touch_hits",
                "touch_misses", "store_too_large", "store_no_memory", "auth_cmds", "auth_errors", "bytes_read",
                "bytes_written", "limit_maxbytes", "accepting_conns", "listen_disabled_num",
                "time_in_listen_disabled_us", "threads", "conn_yields", "hash_power_level", "hash_bytes",
                "hash_is_expanding", "slab_reassign_rescues", "slab_reassign_chunk_rescues",
                "slab_reassign_evictions_nomem", "slab_reassign_inline_reclaim", "slab_reassign_busy_items",
                "slab_reassign_busy_deletes", "slab_reassign_running", "slabs_moved", "lru_crawler_running",
                "lru_crawler_starts", "lru_maintainer_juggles", "malloc_fails", "log_worker_dropped",
                "log_worker_written", "log_watcher_skipped", "log_watcher_sent", "log_watchers",
                "unexpected_napi_ids", "round_robin_fallback", "bytes", "curr_items", "total_items",
                "slab_global_page_pool", "expired_unfetched", "evicted_unfetched", "evicted_active",
                "evictions", "reclaimed", "crawler_reclaimed", "crawler_items_checked", "lrutail_reflocked",
                "moves_to_cold", "moves_to_warm", "moves_within_lru", "direct_reclaims", "lru_bumps_dropped");

    /** memcached 1.6.18's "stats settings" names, as it printed them. */
    static final List<String> SETTINGS = List.of(
                "maxbytes", "maxconns", "tcpport", "udpport", "inter", "verbosity", "oldest", "evictions",
                "domain_socket", "umask", "shutdown_command", "growth_factor", "chunk_size", "num_threads",
                "num_threads_per_udp", "stat_key_prefix", "detail_enabled", "reqs_per_event", "cas_enabled",
                "tcp_backlog", "binding_protocol", "auth_enabled_sasl", "auth_enabled_ascii", "item_size_max",
                "maxconns_fast", "hashpower_init", "slab_reassign", "slab_automove", "slab_automove_ratio",
                "slab_automove_window", "slab_chunk_max", "lru_crawler", "lru_crawler_sleep",
                "lru_crawler_tocrawl", "tail_repair_time", "flush_enabled", "dump_enabled", "hash_algorithm",
                "lru_maintainer_thread", "lru_segmented", "hot_lru_pct", "warm_lru_pct", "hot_max_factor",
                "warm_max_factor", "temp_lru", "temporary_ttl", "idle_timeout", "watcher_logbuf_size",
                "worker_logbuf_size", "read_buf_mem_limit", "track_sizes", "inline_ascii_response",
                "ext_item_size", "ext_item_age", "ext_low_ttl", "ext_recache_rate", "ext_wbuf_size",
                "ext_compact_under", "ext_drop_under", "ext_max_sleep", "ext_max_frag",
                "slab_automove_freeratio", "ext_drop_unread", "ssl_enabled", "ssl_chain_cert", "ssl_key",
                "ssl_verify_mode", "ssl_keyformat", "ssl_ciphers", "ssl_ca_cert", "ssl_wbuf_size",
                "ssl_session_cache", "ssl_kernel_tls", "ssl_min_version", "num_napi_ids", "memory_file");

    /** "stats [sub]" over text: name to value, in order; every line is exactly "STAT name value". */
    static Map<String, String> stats(Raw c, String sub) throws Exception {
        c.send(sub.isEmpty() ? "stats\r\n" : "stats " + sub + "\r\n");
        Map<String, String> m = new LinkedHashMap<>();
        for (String line = c.line(); !line.equals("END"); line = c.line()) {
            String[] parts = line.split(" ", -1);
            assertEquals(3, parts.length, "STAT <name> <value> without spaces in the value: " + line);
            assertEquals("STAT", parts[0]);
            m.put(parts[1], parts[2]);
        }
        return m;
    }

    @Test
    void generalStatsFollowMemcachedsNamesAndOrder() throws Exception {
        try (CacheServer server = Servers.start(CacheServer.Mode.SMP); Raw c = new Raw(server.port())) {
            c.send("set a 0 0 1\r\nx\r\nget a\r\nget b\r\n");
            assertEquals("STORED", c.line());
            c.line();
            c.line();
            assertEquals("END", c.line());
            assertEquals("END", c.line());
            Map<String, String> s = stats(c, "");
            // Every name memcached 1.6.18 printed, in its order, with the same settings (live: memcached -U 0).
            assertEquals(GENERAL, new ArrayList<>(s.keySet()));
            assertEquals(Long.toString(ProcessHandle.current().pid()), s.get("pid"));
            assertEquals(CacheServer.MEMCACHED_VERSION, s.get("version"));
            assertTrue(s.get("rusage_user").matches("\\d+\\.\\d{6}"), s.get("rusage_user"));
            assertTrue(Math.abs(Long.parseLong(s.get("time")) - System.currentTimeMillis() / 1000) <= 2);
            assertEquals("1", s.get("curr_connections"));
            assertEquals("2", s.get("cmd_get"));
            assertEquals("1", s.get("get_hits"));
            assertEquals("1", s.get("curr_items"));
            assertEquals("67108864", s.get("limit_maxbytes"));
            assertEquals("2", s.get("threads"));
            assertTrue(Long.parseLong(s.get("bytes_read")) > 20);
            assertTrue(Long.parseLong(s.get("bytes_written")) > 20);
        }
    }

    @Test
    void settingsReflectTheConfiguration() throws Exception {
        try (CacheServer server = Servers.start(CacheServer.Mode.SINGLE, b -> b
                .maxConnections(77).memoryLimit(32L << 20).itemSizeMax(2 << 20).casEnabled(false)
                .evictionsEnabled(false).shutdownEnabled(true).reqsPerEvent(9).backlog(33).idleTimeoutSeconds(120)
                .protocol(CacheServer.Protocol.ASCII));
             Raw c = new Raw(server.port())) {
            Map<String, String> s = stats(c, "settings");
            assertEquals("33554432", s.get("maxbytes"));
            assertEquals("77", s.get("maxconns"));
            assertEquals("0", s.get("tcpport"), "the port asked for");
            assertEquals("0", s.get("udpport"));
            assertEquals("127.0.0.1", s.get("inter"));
            assertEquals("off", s.get("evictions"));
            assertEquals("yes", s.get("shutdown_command"));
            assertEquals("1", s.get("num_threads"));
            assertEquals("9", s.get("reqs_per_event"));
            assertEquals("no", s.get("cas_enabled"));
            assertEquals("33", s.get("tcp_backlog"));
            assertEquals("ascii", s.get("binding_protocol"));
            assertEquals("2097152", s.get("item_size_max"));
            assertEquals("120", s.get("idle_timeout"));
            assertEquals("no", s.get("auth_enabled_sasl"));
            assertEquals("single", s.get("server_mode"));
            assertEquals(server.transport().name().toLowerCase(), s.get("transport"));
            List<String> ours = new ArrayList<>(s.keySet());
            assertEquals(SETTINGS, ours.subList(0, SETTINGS.size()), "memcached's names first, in its order");
            assertEquals(List.of("transport", "server_mode", "reuseport"), ours.subList(SETTINGS.size(), ours.size()));
            // With an idle timeout memcached adds idle_kicks to "stats", after auth_errors.
            List<String> general = new ArrayList<>(stats(c, "").keySet());
            assertEquals("idle_kicks", general.get(general.indexOf("auth_errors") + 1));
        }
    }

    @Test
    void resetItemsSlabsConnsAndUnknown() throws Exception {
        try (CacheServer server = Servers.start(CacheServer.Mode.SMP);
             Raw c = new Raw(server.port());
             Raw other = new Raw(server.port())) {
            c.send("set k 0 0 1\r\nx\r\n");
            assertEquals("STORED", c.line());
            other.send("version\r\n");
            other.line();
            assertEquals("1", stats(c, "items").get("items:1:number"));
            assertEquals("1", stats(c, "slabs").get("active_slabs"));
            Map<String, String> conns = stats(c, "conns");
            assertTrue(conns.containsValue("conn_listening"), conns.toString());
            assertTrue(conns.containsValue("tcp:127.0.0.1:" + server.port()), conns.toString());
            long clients = conns.keySet().stream().filter(k -> k.endsWith(":listen_addr")).count();
            assertEquals(2, clients, conns.toString());

            c.send("stats reset\r\n");
            assertEquals("RESET", c.line());
            Map<String, String> s = stats(c, "");
            assertEquals("0", s.get("total_connections"));
            assertEquals("0", s.get("cmd_set"));
            assertEquals("2", s.get("curr_connections"), "gauges are not reset");
            assertEquals("1", s.get("curr_items"));
            assertTrue(Long.parseLong(s.get("bytes_read")) < 20, "counted since the reset: " + s.get("bytes_read"));

            c.send("stats nonsense\r\n");
            assertEquals("ERROR", c.line());
            assertNull(server.stats("nonsense"));
            assertFalse(server.stats("sizes").isEmpty());
        }
    }

    @Test
    void binaryStats() throws Exception {
        try (CacheServer server = Servers.start(CacheServer.Mode.SMP); Raw c = new Raw(server.port())) {
            c.send(Raw.packet(0x10, new byte[0], Raw.ascii("settings"), new byte[0], 0));
            Map<String, String> m = new LinkedHashMap<>();
            for (Raw.Response r = c.response(); r.key.length > 0; r = c.response()) {
                assertEquals(0, r.status);
                m.put(new String(r.key), r.valueString());
            }
            assertEquals("1024", m.get("maxconns"));
            assertEquals("auto-negotiate", m.get("binding_protocol"));
        }
    }
}
