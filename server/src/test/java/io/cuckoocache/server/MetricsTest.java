package io.cuckoocache.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * -o metrics_port: the scrape equals "stats" taken at the same moment (no traffic in between), under
 * memcached_exporter's names; the exposition formats' rules; HTTP errors; the option's parsing; off by default.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MetricsTest {
    /** A version with a quote and a backslash: its label must come out escaped. */
    private static final String VERSION = "1.6.18\"q\\x";
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\"");

    private static CacheServer server;
    private static Raw client;
    private static URI uri;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        // No background reclaimer: it would count crawler_items_checked between the stats and the scrape.
        server = Servers.start(CacheServer.Mode.SMP, b -> b.metricsPort(0).version(VERSION).lruCrawler(false, 0, 0)
                .logTo(new PrintStream(new ByteArrayOutputStream())));
        InetSocketAddress a = server.metricsAddresses().get(0);
        uri = URI.create("http://127.0.0.1:" + a.getPort() + "/metrics");
        client = new Raw(server.port());
        traffic(client);
    }

    @AfterAll
    static void stop() throws IOException {
        if (client != null) client.close();
        if (server != null) server.close();
    }

    /** Sets in two slab classes, hits, misses, deletes, incr/decr, cas (stored, bad value, miss), touch. */
    private static void traffic(Raw c) throws IOException {
        for (int i = 0; i < 20; i++) {
            String value = "v".repeat(i < 10 ? 10 : 500);
            c.send("set k" + i + " 0 0 " + value.length() + "\r\n" + value + "\r\n");
            assertEquals("STORED", c.line());
        }
        for (int i = 0; i < 30; i++) {
            c.send("get k" + i + "\r\n");
            if (i < 20) {
                assertTrue(c.line().startsWith("VALUE k" + i), "hit k" + i);
                c.line();
            }
            assertEquals("END", c.line());
        }
        c.send("delete k0\r\n");
        assertEquals("DELETED", c.line());
        c.send("delete k0\r\n");
        assertEquals("NOT_FOUND", c.line());
        c.send("set n 0 0 1\r\n5\r\nincr n 3\r\ndecr n 1\r\nincr nope 1\r\n");
        assertEquals("STORED", c.line());
        assertEquals("8", c.line());
        assertEquals("7", c.line());
        assertEquals("NOT_FOUND", c.line());
        c.send("gets n\r\n");
        String[] value = c.line().split(" ");
        c.line();
        assertEquals("END", c.line());
        long cas = Long.parseLong(value[4]);
        c.send("cas n 0 0 1 " + (cas + 1000) + "\r\n1\r\ncas n 0 0 1 " + cas + "\r\n2\r\ncas nope 0 0 1 1\r\n3\r\n");
        assertEquals("EXISTS", c.line());
        assertEquals("STORED", c.line());
        assertEquals("NOT_FOUND", c.line());
        c.send("touch k1 100\r\ntouch nope 100\r\n");
        assertEquals("TOUCHED", c.line());
        assertEquals("NOT_FOUND", c.line());
    }

    // ---------------------------------------------------------------- the values

    @Test
    void scrapeEqualsStatsAtThatMoment() throws Exception {
        Map<String, String> general = server.stats("");
        Map<String, String> slabs = server.stats("slabs");
        Map<String, String> items = server.stats("items");
        HttpResponse<String> r = get(uri, null);
        assertEquals(200, r.statusCode());
        assertEquals(MetricsServer.TEXT_0_0_4, r.headers().firstValue("Content-Type").orElse(""));
        Map<String, String> m = samples(r.body());
        // Nothing happened between: the counters are where they were (time and CPU move on their own).
        Map<String, String> after = server.stats("");
        for (String k : List.of("uptime", "time", "rusage_user", "rusage_system")) {
            general.remove(k);
            after.remove(k);
        }
        assertEquals(general, after);
        assertEquals(slabs, server.stats("slabs"));
        assertEquals(items, server.stats("items"));

        // memcached_exporter's names (pkg/exporter/exporter.go), written out here rather than shared with the code.
        Map<String, String> exporter = new LinkedHashMap<>();
        exporter.put("curr_items", "memcached_current_items");
        exporter.put("total_items", "memcached_items_total");
        exporter.put("bytes", "memcached_current_bytes");
        exporter.put("limit_maxbytes", "memcached_limit_bytes");
        exporter.put("curr_connections", "memcached_current_connections");
        exporter.put("max_connections", "memcached_max_connections");
        exporter.put("total_connections", "memcached_connections_total");
        exporter.put("bytes_read", "memcached_read_bytes_total");
        exporter.put("bytes_written", "memcached_written_bytes_total");
        exporter.put("evictions", "memcached_items_evicted_total");
        exporter.put("reclaimed", "memcached_items_reclaimed_total");
        exporter.put("store_too_large", "memcached_item_too_large_total");
        exporter.put("store_no_memory", "memcached_item_no_memory_total");
        exporter.put("conn_yields", "memcached_connections_yielded_total");
        exporter.put("listen_disabled_num", "memcached_connections_listener_disabled_total");
        exporter.put("rejected_connections", "memcached_connections_rejected_total");
        exporter.put("accepting_conns", "memcached_accepting_connections");
        exporter.put("crawler_items_checked", "memcached_lru_crawler_items_checked_total");
        exporter.put("crawler_reclaimed", "memcached_lru_crawler_reclaimed_total");
        exporter.put("direct_reclaims", "memcached_direct_reclaims_total");
        exporter.put("moves_to_cold", "memcached_lru_crawler_moves_to_cold_total");
        exporter.put("moves_to_warm", "memcached_lru_crawler_moves_to_warm_total");
        exporter.put("moves_within_lru", "memcached_lru_crawler_moves_within_lru_total");
        exporter.put("round_robin_fallback", "memcached_round_robin_fallback_total");
        exporter.put("unexpected_napi_ids", "memcached_unexpected_napi_ids_total");
        for (String op : List.of("get", "delete", "incr", "decr", "cas", "touch")) {
            exporter.put(op + "_hits", "memcached_commands_total{command=\"" + op + "\",status=\"hit\"}");
            exporter.put(op + "_misses", "memcached_commands_total{command=\"" + op + "\",status=\"miss\"}");
        }
        exporter.put("cas_badval", "memcached_commands_total{command=\"cas\",status=\"badval\"}");
        exporter.put("cmd_flush", "memcached_commands_total{command=\"flush\",status=\"hit\"}");
        exporter.put("version", "memcached_version{version=\"1.6.18\\\"q\\\\x\"}");
        // Renamed for Prometheus' conventions (no _count on a gauge, base units).
        exporter.put("response_obj_count", "memcached_response_objects");
        exporter.put("read_buf_count", "memcached_read_buffers");
        Set<String> gauges = Set.of("pid", "pointer_size", "connection_structures",
                "response_obj_bytes", "read_buf_bytes", "read_buf_bytes_free", "reserved_fds",
                "threads", "hash_power_level", "hash_bytes", "hash_is_expanding", "slab_reassign_running",
                "log_watchers", "slab_global_page_pool");

        for (Map.Entry<String, String> e : general.entrySet()) {
            String stat = e.getKey();
            String metric = exporter.get(stat);
            if (stat.equals("version")) {
                assertEquals("1", m.get(metric), metric + " in\n" + r.body());
                continue;
            }
            if (stat.equals("libevent")) {
                assertEquals("1", m.get("memcached_libevent{libevent=\"" + e.getValue() + "\"}"), r.body());
                continue;
            }
            if (stat.equals("time_in_listen_disabled_us")) {
                assertEquals(Double.parseDouble(e.getValue()) / 1e6,
                        Double.parseDouble(m.get("memcached_listen_disabled_seconds_total")), stat);
                continue;
            }
            if (metric == null) metric = "memcached_" + stat + (gauges.contains(stat) ? "" : "_total");
            assertNotNull(m.get(metric), stat + " as " + metric + " in\n" + r.body());
            assertEquals(Double.parseDouble(e.getValue()), Double.parseDouble(m.get(metric)), stat + " as " + metric);
        }
        assertTrue(Long.parseLong(general.get("get_hits")) >= 19, "the traffic shows");
        long setHits = Long.parseLong(general.get("cmd_set")) - Long.parseLong(general.get("cas_hits"))
                - Long.parseLong(general.get("cas_misses")) - Long.parseLong(general.get("cas_badval"));
        assertEquals(21, setHits);
        assertEquals("21", m.get("memcached_commands_total{command=\"set\",status=\"hit\"}"));
        assertEquals("1", m.get("memcached_up"));
        assertTrue(m.containsKey("memcached_uptime_seconds") && m.containsKey("memcached_time_seconds")
                && m.containsKey("memcached_process_user_cpu_seconds_total")
                && m.containsKey("memcached_process_system_cpu_seconds_total"), r.body());

        // Per slab class: "stats slabs" N:name and "stats items" items:N:name.
        Map<String, String> slabNames = Map.of("chunk_size", "memcached_slab_chunk_size_bytes",
                "chunks_per_page", "memcached_slab_chunks_per_page", "total_pages", "memcached_slab_current_pages",
                "total_chunks", "memcached_slab_current_chunks", "used_chunks", "memcached_slab_chunks_used",
                "free_chunks", "memcached_slab_chunks_free", "free_chunks_end", "memcached_slab_chunks_free_end");
        Map<String, String> itemNames = Map.of("number", "memcached_slab_current_items",
                "mem_requested", "memcached_slab_mem_requested_bytes", "evicted", "memcached_slab_items_evicted_total",
                "reclaimed", "memcached_slab_items_reclaimed_total", "outofmemory",
                "memcached_slab_items_outofmemory_total", "age", "memcached_slab_items_age_seconds");
        int classes = 0;
        for (Map.Entry<String, String> e : slabs.entrySet()) {
            String[] k = e.getKey().split(":");
            if (k.length != 2) continue;
            String label = "slab=\"" + k[0] + "\"";
            String metric = slabNames.get(k[1]);
            if (k[1].equals("get_hits")) {
                metric = "memcached_slab_commands_total{" + label + ",command=\"get\",status=\"hit\"}";
                classes++;
            } else if (k[1].equals("cas_badval")) {
                metric = "memcached_slab_commands_total{" + label + ",command=\"cas\",status=\"badval\"}";
            } else if (metric != null) {
                metric += "{" + label + "}";
            } else {
                metric = "memcached_slab_" + k[1] + "_total{" + label + "}";
                if (k[1].endsWith("_hits")) {
                    String op = k[1].substring(0, k[1].length() - "_hits".length());
                    metric = "memcached_slab_commands_total{" + label + ",command=\"" + op + "\",status=\"hit\"}";
                }
            }
            assertEquals(e.getValue(), m.get(metric), e.getKey() + " as " + metric);
        }
        assertTrue(classes >= 2, "two slab classes: " + slabs);
        assertEquals(slabs.get("total_malloced"), m.get("memcached_malloced_bytes"));
        assertEquals(slabs.get("active_slabs"), m.get("memcached_active_slabs"));
        for (Map.Entry<String, String> e : items.entrySet()) {
            String[] k = e.getKey().split(":");
            String label = "slab=\"" + k[1] + "\"";
            String metric = itemNames.get(k[2]);
            if (k[2].startsWith("hits_to_")) {
                String lru = k[2].substring("hits_to_".length());
                metric = "memcached_slab_lru_hits_total{" + label + ",lru=\"" + (lru.equals("temp") ? "temporary" : lru)
                        + "\"}";
            } else if (metric == null) {
                continue;
            } else {
                metric += "{" + label + "}";
            }
            assertEquals(e.getValue(), m.get(metric), e.getKey() + " as " + metric);
        }

        // "stats conns": the listener(s) and the one client connection.
        Map<String, Integer> states = new HashMap<>();
        for (Map.Entry<String, String> e : server.stats("conns").entrySet()) {
            if (e.getKey().endsWith(":state")) states.merge(e.getValue(), 1, Integer::sum);
        }
        assertEquals(1, states.get("conn_parse_cmd"));
        for (Map.Entry<String, Integer> e : states.entrySet()) {
            assertEquals(e.getValue().toString(),
                    m.get("memcached_connections_by_state{state=\"" + e.getKey() + "\"}"));
        }
        assertEquals("0", m.get("memcached_connections_by_state{state=\"conn_mwrite\"}"), "a state nobody is in");

        // Two event loops; the one connection is on one of them.
        long perLoop = 0;
        for (int loop = 0; loop < 2; loop++) {
            perLoop += Long.parseLong(m.get("cuckoocache_event_loop_connections{loop=\"" + loop + "\"}"));
            assertNotNull(m.get("cuckoocache_event_loop_pending_tasks{loop=\"" + loop + "\"}"), r.body());
        }
        assertEquals(1, perLoop);
        long read = 0;
        long written = 0;
        for (int loop = 0; loop < 2; loop++) {
            read += Long.parseLong(m.get("cuckoocache_event_loop_read_bytes_total{loop=\"" + loop + "\"}"));
            written += Long.parseLong(m.get("cuckoocache_event_loop_written_bytes_total{loop=\"" + loop + "\"}"));
        }
        assertEquals(Long.parseLong(general.get("bytes_read")), read, "the loops' bytes add up to stats'");
        assertEquals(Long.parseLong(general.get("bytes_written")), written);

        // The JVM's figures, from its MXBeans.
        assertTrue(Double.parseDouble(m.get("jvm_memory_used_bytes{area=\"heap\"}")) > 0);
        assertTrue(Double.parseDouble(m.get("jvm_memory_committed_bytes{area=\"heap\"}")) > 0);
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            String label = "{gc=\"" + gc.getName() + "\"}";
            assertNotNull(m.get("jvm_gc_collection_seconds_count" + label), label + " in\n" + r.body());
            assertNotNull(m.get("jvm_gc_collection_seconds_sum" + label), label);
        }
    }

    // ---------------------------------------------------------------- the formats

    @Test
    void textFormatRules() throws Exception {
        String body = get(uri, null).body();
        Map<String, String> types = new HashMap<>();
        Set<String> helps = new HashSet<>();
        String family = null;
        Set<String> done = new HashSet<>();
        for (String line : body.split("\n", -1)) {
            if (line.isEmpty()) continue;
            if (line.startsWith("# HELP ")) {
                String name = line.split(" ")[2];
                assertTrue(helps.add(name), "one HELP per family: " + name);
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                String[] t = line.split(" ");
                assertEquals(4, t.length, line);
                assertTrue(helps.contains(t[2]), "HELP before TYPE: " + line);
                assertTrue(Set.of("counter", "gauge", "summary").contains(t[3]), line);
                assertTrue(types.put(t[2], t[3]) == null, "one TYPE per family: " + line);
                if (family != null) done.add(family);
                family = t[2];
                assertFalse(done.contains(family), "a family's samples are together: " + family);
                // 0.0.4: a counter's TYPE names its sample, which ends in _total.
                assertEquals(t[3].equals("counter"), t[2].endsWith("_total"), line);
                continue;
            }
            assertFalse(line.startsWith("#"), "only HELP and TYPE comments: " + line);
            Matcher s = SAMPLE.matcher(line);
            assertTrue(s.matches(), "a sample line: " + line);
            String name = s.group(1);
            String type = types.get(family);
            if ("summary".equals(type)) {
                assertTrue(name.equals(family + "_count") || name.equals(family + "_sum"), line);
            } else {
                assertEquals(family, name, "sample under its own TYPE: " + line);
            }
            if (s.group(3) != null) assertLabels(s.group(3), line);
            Double.parseDouble(s.group(4).replace("+Inf", "Infinity"));
        }
        assertFalse(body.contains("# EOF"));
        assertTrue(body.endsWith("\n"));
        assertTrue(body.contains("memcached_version{version=\"1.6.18\\\"q\\\\x\"} 1\n"), "label escaping:\n" + body);
        assertTrue(types.containsKey("memcached_commands_total") && types.containsKey("memcached_current_items"));
    }

    @Test
    void openMetricsWhenAsked() throws Exception {
        HttpResponse<String> r = get(uri, "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5");
        assertEquals(200, r.statusCode());
        assertEquals(MetricsServer.OPENMETRICS, r.headers().firstValue("Content-Type").orElse(""));
        String body = r.body();
        assertTrue(body.endsWith("\n# EOF\n"), body.substring(Math.max(0, body.length() - 200)));
        assertTrue(body.contains("# TYPE memcached_commands counter\n"), body);
        assertTrue(body.contains("# TYPE memcached_current_items gauge\n"), body);
        assertTrue(body.contains("\nmemcached_commands_total{command=\"get\",status=\"hit\"} "), body);
        assertTrue(body.contains("# HELP memcached_version memcached stats version, as a label.\n"), body);
        Map<String, String> types = new HashMap<>();
        for (String line : body.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] t = line.split(" ");
                types.put(t[2], t[3]);
                // OpenMetrics: a counter's family name is without the _total its samples carry.
                assertFalse(t[2].endsWith("_total"), line);
            } else if (!line.startsWith("#")) {
                Matcher s = SAMPLE.matcher(line);
                assertTrue(s.matches(), line);
                String name = s.group(1);
                if (name.endsWith("_total")) {
                    assertEquals("counter", types.get(name.substring(0, name.length() - "_total".length())), line);
                }
            }
        }
        for (Map.Entry<String, String> t : types.entrySet()) {
            if (t.getValue().equals("counter")) {
                assertTrue(body.contains("\n" + t.getKey() + "_total"), "counter samples end in _total: " + t);
            }
        }
    }

    // ---------------------------------------------------------------- HTTP

    @Test
    void otherPathsAndMethods() throws Exception {
        String base = "http://127.0.0.1:" + uri.getPort();
        assertEquals(404, get(URI.create(base + "/"), null).statusCode());
        assertEquals(404, get(URI.create(base + "/metrics/x"), null).statusCode());
        assertEquals(200, get(URI.create(base + "/metrics?name=x"), null).statusCode());
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        assertEquals("GET", post.headers().firstValue("Allow").orElse(""));
        HttpResponse<String> delete = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, delete.statusCode());
    }

    @Test
    void badRequestsGetAnErrorAndAClose() throws Exception {
        assertStatus("hello\r\n\r\n", "400");
        assertStatus("GET /metrics HTTP/1.1\r\nno colon here\r\n\r\n", "400");
        assertStatus("GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", "414");
        assertStatus("GET /metrics HTTP/1.1\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n", "431");
        assertStatus("POST /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 100000\r\n\r\n",
                "413");
        // Keep-alive: the aggregator answers at once and discards the body as it arrives (no buffering).
        try (Raw c = new Raw(uri.getPort())) {
            c.send("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n");
            assertTrue(c.line().startsWith("HTTP/1.1 413 "));
        }
        // A keep-alive scrape, then another on the same connection.
        try (Raw c = new Raw(uri.getPort())) {
            for (int i = 0; i < 2; i++) {
                c.send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals("HTTP/1.1 200 OK", c.line());
                int length = -1;
                for (String h = c.line(); !h.isEmpty(); h = c.line()) {
                    if (h.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                        length = Integer.parseInt(h.substring(15).trim());
                    }
                }
                assertTrue(new String(c.read(length), StandardCharsets.UTF_8).contains("memcached_up 1\n"));
            }
        }
    }

    private static void assertStatus(String request, String status) throws IOException {
        try (Raw c = new Raw(uri.getPort())) {
            c.send(request);
            String line = c.line();
            assertTrue(line.startsWith("HTTP/1.1 " + status + " "),
                    request.substring(0, Math.min(40, request.length())) + "...: " + line);
            assertTrue(c.closedByServer(5000), "closed after " + status);
        }
    }

    // ---------------------------------------------------------------- the option

    @Test
    void offByDefaultAndOnlyWhereTheCacheListens() throws Exception {
        try (CacheServer plain = Servers.start(CacheServer.Mode.SINGLE,
                b -> b.logTo(new PrintStream(new ByteArrayOutputStream())))) {
            assertTrue(plain.metricsAddresses().isEmpty());
            assertFalse(plain.describe().contains("metrics"), plain.describe());
        }
        List<InetSocketAddress> on = server.metricsAddresses();
        assertEquals(1, on.size());
        assertEquals("127.0.0.1", on.get(0).getAddress().getHostAddress(), "the -l address, loopback");
        assertTrue(server.describe().contains(" | metrics http://127.0.0.1:" + on.get(0).getPort() + "/metrics"),
                server.describe());
    }

    @Test
    void theCommandLine() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true);
        PrintStream o = new PrintStream(new ByteArrayOutputStream(), true);
        for (String bad : List.of("metrics_port=70000", "metrics_port=-1", "metrics_port=abc", "metrics_port")) {
            err.reset();
            assertEquals(Main.EX_USAGE, Main.configure(new String[] {"-o", bad}, o, e).exitCode, bad);
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("metrics_port"), err.toString());
        }
        err.reset();
        Main.Launch l = Main.configure(new String[] {"-o", "metrics_port=9150"}, o, e);
        assertEquals(-1, l.exitCode, err.toString());
        assertEquals(9150, l.builder.build().metricsPort);
        assertEquals(-1, Main.configure(new String[0], o, e).builder.build().metricsPort, "off by default");
        assertThrows(IllegalArgumentException.class, () -> CacheServer.builder().metricsPort(65536));
    }

    @Test
    void aMetricsPortInUseIsAClearErrorAndLeavesNothingOpen() throws Exception {
        int taken = server.port();
        int cachePort;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            cachePort = free.getLocalPort();
        }
        IOException e = assertThrows(IOException.class, () -> Servers.start(CacheServer.Mode.SINGLE,
                b -> b.port(cachePort).metricsPort(taken).logTo(new PrintStream(new ByteArrayOutputStream()))));
        assertTrue(e.getMessage().contains("failed to listen on metrics port " + taken + " of 127.0.0.1"),
                e.getMessage());
        // The cache's listener, bound first, was closed again.
        new java.net.ServerSocket(cachePort, 1, java.net.InetAddress.getLoopbackAddress()).close();
    }

    @Test
    void aWildcardListenerCoversTheSpecificOnes() throws Exception {
        int plainPort;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            plainPort = free.getLocalPort();
        }
        // memcached's usual TLS layout, without TLS: all interfaces, plus a loopback listener on its own port.
        CacheServer s = Servers.start(CacheServer.Mode.SINGLE, b -> b.listen("0.0.0.0", "127.0.0.1:" + plainPort)
                .metricsPort(0).logTo(new PrintStream(new ByteArrayOutputStream())));
        try {
            List<InetSocketAddress> on = s.metricsAddresses();
            assertEquals(1, on.size(), on.toString());
            assertTrue(on.get(0).getAddress().isAnyLocalAddress(), on.toString());
            assertEquals(200, get(URI.create("http://127.0.0.1:" + on.get(0).getPort() + "/metrics"), null)
                    .statusCode());
        } finally {
            s.close();
        }
    }

    @Test
    void stopsWithTheServer() throws Exception {
        CacheServer s = Servers.start(CacheServer.Mode.SINGLE, b -> b.metricsPort(0)
                .logTo(new PrintStream(new ByteArrayOutputStream())));
        int port = s.metricsAddresses().get(0).getPort();
        assertEquals(200, get(URI.create("http://127.0.0.1:" + port + "/metrics"), null).statusCode());
        s.close();
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
    }

    // ---------------------------------------------------------------- helpers

    private static HttpResponse<String> get(URI u, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(u).timeout(Duration.ofSeconds(5)).GET();
        if (accept != null) b.header("Accept", accept);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** "name{labels}" (as written) -> value, for every sample line. */
    private static Map<String, String> samples(String body) {
        Map<String, String> out = new HashMap<>();
        for (String line : body.split("\n")) {
            if (line.startsWith("#") || line.isEmpty()) continue;
            Matcher s = SAMPLE.matcher(line);
            assertTrue(s.matches(), line);
            String key = s.group(1) + (s.group(2) == null ? "" : s.group(2));
            assertTrue(out.put(key, s.group(4)) == null, "one sample per name and labels: " + key);
        }
        return out;
    }

    /** label="value" pairs, comma-separated, values escaped (backslash, quote, newline only). */
    private static void assertLabels(String labels, String line) {
        Matcher l = LABEL.matcher(labels);
        int at = 0;
        while (l.find() && l.start() == at) {
            at = l.end();
            if (at < labels.length()) {
                assertEquals(',', labels.charAt(at), line);
                at++;
            }
        }
        assertEquals(labels.length(), at, "well-formed labels: " + line);
    }
}
