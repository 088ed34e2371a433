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
            // memcached 1.6.18's order (stats_1.6.18.txt), for the names this server has.
            List<String> order = List.of("pid", "uptime", "time", "version", "pointer_size", "rusage_user",
                    "rusage_system", "max_connections", "curr_connections", "total_connections",
                    "rejected_connections", "connection_structures", "cmd_get", "cmd_set", "cmd_flush", "cmd_touch",
                    "get_hits", "get_misses", "get_expired", "get_flushed", "delete_misses", "delete_hits",
                    "incr_misses", "incr_hits", "decr_misses", "decr_hits", "cas_misses", "cas_hits", "cas_badval",
                    "touch_hits", "touch_misses", "store_too_large", "store_no_memory", "auth_cmds", "auth_errors",
                    "bytes_read", "bytes_written", "limit_maxbytes", "accepting_conns", "listen_disabled_num",
                    "threads", "conn_yields", "hash_power_level", "hash_bytes", "hash_is_expanding", "bytes",
                    "curr_items", "total_items", "expired_unfetched", "evicted_unfetched", "evictions", "reclaimed",
                    "crawler_reclaimed", "crawler_items_checked");
            List<String> seen = new ArrayList<>();
            for (String k : s.keySet()) if (order.contains(k)) seen.add(k);
            assertEquals(order, seen);
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
