package io.cuckoocache.server;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.SingleThreadEventExecutor;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Prometheus exposition of the server: {@code stats}, {@code stats slabs}, {@code stats items} and
 * {@code stats conns} as {@link StatsReport} produces them (read, never recomputed: the stats rules live there), under
 * memcached_exporter's names where it has one, plus the JVM's memory and collectors and the event loops.
 * <p>
 * Text format 0.0.4, or OpenMetrics 1.0.0: they differ in the counter TYPE line (the sample name with {@code _total}
 * in 0.0.4, the family name in OpenMetrics), in HELP escaping (OpenMetrics also escapes {@code "}), and in the
 * closing {@code # EOF}. Written by hand rather than with Prometheus' client_java: this is one small renderer of
 * values that already exist as strings, and the library would add a dependency and a registry of collectors that
 * would copy them.
 */
final class MetricsReport {
    enum Type {
        COUNTER, GAUGE, SUMMARY
    }

    /** A stat's metric: family name (a counter's without {@code _total}), type, help. */
    private static final class Spec {
        final String name;
        final Type type;
        final String help;
        final String[] labels;
        /** What the stat's value is divided by, to Prometheus' base unit (microseconds to seconds). */
        final double divisor;

        Spec(String name, Type type, String help, String... labels) {
            this(name, type, help, 1, labels);
        }

        Spec(String name, Type type, String help, double divisor, String... labels) {
            this.name = name;
            this.type = type;
            this.help = help;
            this.divisor = divisor;
            this.labels = labels;
        }
    }

    /** General stats that memcached_exporter names (its names, so existing dashboards work). */
    private static final Map<String, Spec> EXPORTER = new HashMap<>();
    /** Per-class stats ("stats items" and "stats slabs" suffixes) that memcached_exporter names. */
    private static final Map<String, Spec> EXPORTER_ITEMS = new HashMap<>();
    private static final Map<String, Spec> EXPORTER_SLABS = new HashMap<>();
    /** The exporter's commands_total{command,status}: stat name -> {command, status}. */
    private static final Map<String, String[]> COMMANDS = new LinkedHashMap<>();
    /**
     * General stats that are levels rather than event counts; every other numeric stat is a counter. A stat added
     * later that is a level must be listed here.
     */
    private static final Set<String> GAUGES = Set.of("pid", "pointer_size", "connection_structures",
            "response_obj_bytes", "read_buf_bytes", "read_buf_bytes_free",
            "reserved_fds", "threads", "hash_power_level", "hash_bytes", "hash_is_expanding",
            "slab_reassign_running", "lru_crawler_running", "log_watchers", "slab_global_page_pool",
            "time_since_server_cert_refresh");

    private static final String COMMANDS_HELP =
            "Requests served, by command and by outcome (hit, miss, badval...).";
    private static final String SLAB_COMMANDS_HELP =
            "Requests on items of each slab class, by command and by outcome.";

    static {
        g("uptime", "memcached_uptime_seconds", Type.GAUGE, "Seconds this server has been up.");
        g("time", "memcached_time_seconds", Type.GAUGE, "The server's clock, in Unix seconds.");
        g("rusage_user", "memcached_process_user_cpu_seconds", Type.COUNTER,
                "CPU seconds the process has spent in user mode.");
        g("rusage_system", "memcached_process_system_cpu_seconds", Type.COUNTER,
                "CPU seconds the process has spent in the kernel.");
        g("bytes_read", "memcached_read_bytes", Type.COUNTER,
                "Bytes received from clients.");
        g("bytes_written", "memcached_written_bytes", Type.COUNTER,
                "Bytes sent to clients.");
        g("curr_connections", "memcached_current_connections", Type.GAUGE, "Client connections open now.");
        g("max_connections", "memcached_max_connections", Type.GAUGE, "The connection limit (-c).");
        g("total_connections", "memcached_connections", Type.COUNTER,
                "Client connections accepted since the start.");
        g("rejected_connections", "memcached_connections_rejected", Type.COUNTER,
                "Connections refused at the -c limit (maxconns_fast).");
        g("conn_yields", "memcached_connections_yielded", Type.COUNTER,
                "Times a connection gave up its turn after -R requests in one read.");
        g("listen_disabled_num", "memcached_connections_listener_disabled", Type.COUNTER,
                "Times the server stopped accepting at the -c limit.");
        g("bytes", "memcached_current_bytes", Type.GAUGE, "Bytes the stored items take, as counted against -m.");
        g("limit_maxbytes", "memcached_limit_bytes", Type.GAUGE,
                "The memory limit for items (-m), in bytes.");
        g("curr_items", "memcached_current_items", Type.GAUGE, "Items stored now.");
        g("total_items", "memcached_items", Type.COUNTER,
                "Items stored since the start.");
        g("evictions", "memcached_items_evicted", Type.COUNTER,
                "Unexpired items dropped to make room for new ones.");
        g("reclaimed", "memcached_items_reclaimed", Type.COUNTER,
                "Stores that reused the room of an expired item.");
        g("store_too_large", "memcached_item_too_large", Type.COUNTER,
                "Stores refused for being over the item size limit (-I).");
        g("store_no_memory", "memcached_item_no_memory", Type.COUNTER,
                "Stores refused because no room could be made.");
        g("lru_crawler_starts", "memcached_lru_crawler_starts", Type.COUNTER,
                "Runs of the background reclaimer started.");
        g("direct_reclaims", "memcached_direct_reclaims", Type.COUNTER,
                "Times a request's own thread had to evict or reclaim to make room.");
        g("crawler_items_checked", "memcached_lru_crawler_items_checked", Type.COUNTER,
                "Items the background reclaimer looked at.");
        g("crawler_reclaimed", "memcached_lru_crawler_reclaimed", Type.COUNTER,
                "Expired items the background reclaimer removed.");
        g("moves_to_cold", "memcached_lru_crawler_moves_to_cold", Type.COUNTER,
                "memcached's HOT/WARM to COLD moves (segmented LRU; 0 under CLOCK here).");
        g("moves_to_warm", "memcached_lru_crawler_moves_to_warm", Type.COUNTER,
                "memcached's COLD to WARM moves (segmented LRU; 0 under CLOCK here).");
        g("moves_within_lru", "memcached_lru_crawler_moves_within_lru", Type.COUNTER,
                "memcached's moves inside HOT or WARM (segmented LRU; 0 under CLOCK here).");
        g("accepting_conns", "memcached_accepting_connections", Type.GAUGE,
                "1 while the server accepts new connections.");
        g("round_robin_fallback", "memcached_round_robin_fallback", Type.COUNTER,
                "memcached proxy's round-robin fallbacks (no proxy here: 0).");
        // Not the exporter's: names that Prometheus' conventions (promtool check metrics) accept, for stats whose
        // own names would read as a summary's _count or carry an abbreviated unit.
        g("response_obj_count", "memcached_response_objects", Type.GAUGE, "Response objects in use.");
        g("read_buf_count", "memcached_read_buffers", Type.GAUGE, "Read buffers in use.");
        EXPORTER.put("time_in_listen_disabled_us", new Spec("memcached_listen_disabled_seconds", Type.COUNTER,
                "Seconds spent not accepting connections at the connection limit.", 1e6));
        g("unexpected_napi_ids", "memcached_unexpected_napi_ids", Type.COUNTER,
                "memcached's unexpected event-loop napi ids (always 0 here).");
        for (String op : new String[] {"get", "delete", "incr", "decr", "cas", "touch"}) {
            COMMANDS.put(op + "_hits", new String[] {op, "hit"});
            COMMANDS.put(op + "_misses", new String[] {op, "miss"});
        }
        COMMANDS.put("cas_badval", new String[] {"cas", "badval"});
        COMMANDS.put("cmd_flush", new String[] {"flush", "hit"});

        String p = "memcached_slab_";
        i("number", p + "current_items", Type.GAUGE, "Items of this size class stored now.");
        i("number_hot", p + "hot_items", Type.GAUGE, "Items of this class in memcached's HOT segment.");
        i("number_warm", p + "warm_items", Type.GAUGE, "Items of this class in memcached's WARM segment.");
        i("number_cold", p + "cold_items", Type.GAUGE, "Items of this class in memcached's COLD segment.");
        i("number_temp", p + "temporary_items", Type.GAUGE, "Items of this class in memcached's TEMP segment.");
        i("age_hot", p + "hot_age_seconds", Type.GAUGE,
                "Seconds since the oldest HOT item of this class was last used.");
        i("age_warm", p + "warm_age_seconds", Type.GAUGE,
                "Seconds since the oldest WARM item of this class was last used.");
        i("age", p + "items_age_seconds", Type.GAUGE,
                "Seconds since the least recently used item of this class was last used.");
        i("mem_requested", p + "mem_requested_bytes", Type.GAUGE,
                "Bytes the items of this class take themselves.");
        i("evicted", p + "items_evicted", Type.COUNTER,
                "Unexpired items of this class dropped to make room.");
        i("evicted_nonzero", p + "items_evicted_nonzero", Type.COUNTER,
                "Items of this class with a TTL dropped to make room before they expired.");
        i("evicted_time", p + "items_evicted_time_seconds", Type.GAUGE,
                "How long the last evicted item of this class had gone unused, in seconds.");
        i("evicted_unfetched", p + "items_evicted_unfetched", Type.COUNTER,
                "Items of this class dropped to make room without ever having been read.");
        i("expired_unfetched", p + "items_expired_unfetched", Type.COUNTER,
                "Items of this class that expired without ever having been read.");
        i("outofmemory", p + "items_outofmemory", Type.COUNTER,
                "Stores in this class refused because no room could be made.");
        i("reclaimed", p + "items_reclaimed", Type.COUNTER, "Stores in this class that reused an expired item's room.");
        i("tailrepairs", p + "items_tailrepairs", Type.COUNTER,
                "memcached's LRU tail repairs (none here: 0).");
        i("crawler_reclaimed", p + "items_crawler_reclaimed", Type.COUNTER,
                "Expired items of this class the background reclaimer removed.");
        i("moves_to_cold", p + "items_moves_to_cold", Type.COUNTER,
                "memcached's moves of this class into COLD (0 here).");
        i("moves_to_warm", p + "items_moves_to_warm", Type.COUNTER,
                "memcached's moves of this class into WARM (0 here).");
        i("moves_within_lru", p + "items_moves_within_lru", Type.COUNTER,
                "memcached's bumps of this class inside HOT or WARM (0 here).");
        for (String lru : new String[] {"hot", "warm", "cold", "temp"}) {
            EXPORTER_ITEMS.put("hits_to_" + lru, new Spec(p + "lru_hits", Type.COUNTER,
                    "Get hits on this class's items, by LRU segment (all COLD under CLOCK here).", "lru",
                    lru.equals("temp") ? "temporary" : lru));
        }
        s("chunk_size", p + "chunk_size_bytes",
                "Chunk size of this slab class in bytes (memcached's geometry; items here take their exact size).");
        s("chunks_per_page", p + "chunks_per_page", "Chunks of this class per 1 MB page.");
        s("total_pages", p + "current_pages",
                "Pages this class would hold in memcached's allocator (for the most items ever in it at once).");
        s("total_chunks", p + "current_chunks", "Chunks in this class's pages.");
        s("used_chunks", p + "chunks_used", "Chunks of this class holding an item.");
        s("free_chunks", p + "chunks_free", "Chunks of this class's pages holding no item.");
        s("free_chunks_end", p + "chunks_free_end",
                "memcached's untouched chunks past the last used one of the last page (0 here).");
    }

    private static void g(String stat, String name, Type type, String help) {
        EXPORTER.put(stat, new Spec(name, type, help));
    }

    private static void i(String stat, String name, Type type, String help) {
        EXPORTER_ITEMS.put(stat, new Spec(name, type, help));
    }

    private static void s(String stat, String name, String help) {
        EXPORTER_SLABS.put(stat, new Spec(name, Type.GAUGE, help));
    }

    private final CacheServer server;
    private final EventLoopGroup loops;

    MetricsReport(CacheServer server, EventLoopGroup loops) {
        this.server = server;
        this.loops = loops;
    }

    /** The exposition, in OpenMetrics 1.0.0 or else in text format 0.0.4. */
    String render(boolean openMetrics) {
        Families f = new Families();
        f.add("memcached_up", Type.GAUGE, "1: the stats were read (the endpoint runs inside the server, so always 1).",
                1);
        general(f);
        slabs(f);
        items(f);
        conns(f);
        eventLoops(f);
        jvm(f);
        return f.write(openMetrics);
    }

    private void general(Families f) {
        Map<String, String> stats = server.stats("");
        for (Map.Entry<String, String> e : stats.entrySet()) {
            String stat = e.getKey();
            String value = e.getValue();
            String[] command = COMMANDS.get(stat);
            Spec spec = EXPORTER.get(stat);
            if (command != null) {
                f.add("memcached_commands", Type.COUNTER, COMMANDS_HELP, number(value), "command", command[0],
                        "status", command[1]);
            } else if (spec != null) {
                f.add(spec.name, spec.type, spec.help, number(value) / spec.divisor);
            } else if (isNumber(value)) {
                f.add("memcached_" + stat, GAUGES.contains(stat) ? Type.GAUGE : Type.COUNTER,
                        "memcached stats " + stat + ".", number(value));
            } else {
                // version, libevent: the text as a label of a constant 1, as the exporter shows the version.
                f.add("memcached_" + stat, Type.GAUGE, "memcached stats " + stat + ", as a label.", 1, stat, value);
            }
        }
        // The exporter's set/hit: sets that were not cas (cmd_set counts both).
        f.add("memcached_commands", Type.COUNTER, COMMANDS_HELP, number(stats.get("cmd_set"))
                - number(stats.get("cas_misses")) - number(stats.get("cas_hits")) - number(stats.get("cas_badval")),
                "command", "set", "status", "hit");
    }

    /** "stats slabs": "N:name" per class, then the global active_slabs and total_malloced. */
    private void slabs(Families f) {
        Map<String, String> stats = server.stats("slabs");
        Map<String, Map<String, String>> byClass = byClass(stats, "");
        for (Map.Entry<String, Map<String, String>> c : byClass.entrySet()) {
            String slab = c.getKey();
            Map<String, String> m = c.getValue();
            for (Map.Entry<String, String> e : m.entrySet()) {
                String stat = e.getKey();
                String[] command = COMMANDS.get(stat);
                Spec spec = EXPORTER_SLABS.get(stat);
                if (command != null) {
                    f.add("memcached_slab_commands", Type.COUNTER,
                            SLAB_COMMANDS_HELP,
                            number(e.getValue()), "slab", slab, "command", command[0], "status", command[1]);
                } else if (spec != null) {
                    f.add(spec.name, spec.type, spec.help, number(e.getValue()), "slab", slab);
                } else {
                    f.add("memcached_slab_" + stat, Type.COUNTER, "memcached stats slabs " + stat + ".",
                            number(e.getValue()), "slab", slab);
                }
            }
            if (m.containsKey("cmd_set")) {
                f.add("memcached_slab_commands", Type.COUNTER,
                        SLAB_COMMANDS_HELP,
                        number(m.get("cmd_set")) - number(m.get("cas_hits")) - number(m.get("cas_badval")),
                        "slab", slab, "command", "set", "status", "hit");
            }
        }
        f.add("memcached_active_slabs", Type.GAUGE, "Slab classes holding memory.",
                number(stats.get("active_slabs")));
        f.add("memcached_malloced_bytes", Type.GAUGE, "Bytes of the pages the slab classes hold.",
                number(stats.get("total_malloced")));
    }

    /** "stats items": "items:N:name". */
    private void items(Families f) {
        for (Map.Entry<String, Map<String, String>> c : byClass(server.stats("items"), "items:").entrySet()) {
            String slab = c.getKey();
            for (Map.Entry<String, String> e : c.getValue().entrySet()) {
                Spec spec = EXPORTER_ITEMS.get(e.getKey());
                if (spec == null) {
                    spec = new Spec("memcached_slab_items_" + e.getKey(), Type.COUNTER,
                            "memcached stats items " + e.getKey() + ".");
                }
                String[] labels = new String[2 + spec.labels.length];
                labels[0] = "slab";
                labels[1] = slab;
                System.arraycopy(spec.labels, 0, labels, 2, spec.labels.length);
                f.add(spec.name, spec.type, spec.help, number(e.getValue()), labels);
            }
        }
    }

    /** "prefixN:name" entries grouped by class N, in order; entries without the prefix and a class are skipped. */
    private static Map<String, Map<String, String>> byClass(Map<String, String> stats, String prefix) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : stats.entrySet()) {
            String k = e.getKey();
            int colon = k.indexOf(':', prefix.length());
            if (!k.startsWith(prefix) || colon < 0) continue;
            out.computeIfAbsent(k.substring(prefix.length(), colon), x -> new LinkedHashMap<>())
                    .put(k.substring(colon + 1), e.getValue());
        }
        return out;
    }

    /** "stats conns": how many listeners and connections are in each state. */
    private void conns(Families f) {
        Map<String, Long> states = new LinkedHashMap<>();
        for (String s : ConnectionHandler.STATES) states.put(s, 0L);
        for (Map.Entry<String, String> e : server.stats("conns").entrySet()) {
            if (e.getKey().endsWith(":state")) states.merge(e.getValue(), 1L, Long::sum);
        }
        for (Map.Entry<String, Long> e : states.entrySet()) {
            f.add("memcached_connections_by_state", Type.GAUGE,
                    "Listeners and connections in each state, as \"stats conns\" lists them.", e.getValue(),
                    "state", e.getKey());
        }
    }

    private void eventLoops(Families f) {
        Map<EventExecutor, Long> connections = new HashMap<>();
        for (ConnectionHandler h : server.connections) {
            Channel ch = h.channel();
            if (ch != null && ch.isRegistered()) connections.merge(ch.eventLoop(), 1L, Long::sum);
        }
        int n = 0;
        for (EventExecutor loop : loops) {
            String id = Integer.toString(n++);
            if (loop instanceof SingleThreadEventExecutor) {
                f.add("cuckoocache_event_loop_pending_tasks", Type.GAUGE,
                        "Tasks waiting in the event loop's queue.", ((SingleThreadEventExecutor) loop).pendingTasks(),
                        "loop", id);
            }
            f.add("cuckoocache_event_loop_connections", Type.GAUGE, "Client connections served by the event loop.",
                    connections.getOrDefault(loop, 0L), "loop", id);
            // Since start: "stats reset" moves a baseline for the sums, not these.
            ServerStats.LoopStats counted =
                    loop instanceof EventLoop ? server.stats.loopIfPresent((EventLoop) loop) : null;
            f.add("cuckoocache_event_loop_read_bytes", Type.COUNTER,
                    "Bytes read by the event loop's connections since start.",
                    counted == null ? 0 : counted.bytesRead(), "loop", id);
            f.add("cuckoocache_event_loop_written_bytes", Type.COUNTER,
                    "Bytes written by the event loop's connections since start.",
                    counted == null ? 0 : counted.bytesWritten(), "loop", id);
            f.add("cuckoocache_event_loop_yields", Type.COUNTER,
                    "Times a connection on the event loop yielded to others (-R), since start.",
                    counted == null ? 0 : counted.yields(), "loop", id);
        }
    }

    /** client_java's names for the same MXBean figures, so JVM dashboards work too. */
    private static void jvm(Families f) {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        for (Object[] area : new Object[][] {{"heap", heap}, {"nonheap", nonHeap}}) {
            String a = (String) area[0];
            MemoryUsage u = (MemoryUsage) area[1];
            f.add("jvm_memory_used_bytes", Type.GAUGE, "Used bytes of a given JVM memory area.", u.getUsed(),
                    "area", a);
            f.add("jvm_memory_committed_bytes", Type.GAUGE, "Committed (bytes) of a given JVM memory area.",
                    u.getCommitted(), "area", a);
            // -1: no limit defined.
            if (u.getMax() >= 0) {
                f.add("jvm_memory_max_bytes", Type.GAUGE, "Max (bytes) of a given JVM memory area.", u.getMax(),
                        "area", a);
            }
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            long count = gc.getCollectionCount();
            long millis = gc.getCollectionTime();
            if (count < 0 || millis < 0) continue; // the collector does not count
            f.summary("jvm_gc_collection_seconds", "Time spent in a given JVM garbage collector in seconds.", count,
                    millis / 1000.0, "gc", gc.getName());
        }
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** A stat's value: integers stay exact; rusage's "seconds.micros" is a decimal. */
    private static double number(String s) {
        return Double.parseDouble(s);
    }

    // ---------------------------------------------------------------- writing

    /** Families in first-added order, each with its samples (the formats want a family's samples together). */
    private static final class Families {
        private final Map<String, Family> byName = new LinkedHashMap<>();

        void add(String name, Type type, String help, double value, String... labels) {
            family(name, type, help).samples.add(new Sample(type == Type.COUNTER ? "_total" : "", labels, value));
        }

        void summary(String name, String help, long count, double sum, String... labels) {
            Family fam = family(name, Type.SUMMARY, help);
            fam.samples.add(new Sample("_count", labels, count));
            fam.samples.add(new Sample("_sum", labels, sum));
        }

        private Family family(String name, Type type, String help) {
            Family fam = byName.computeIfAbsent(name, n -> new Family(n, type, help));
            if (fam.type != type) throw new IllegalStateException(name + " is both " + fam.type + " and " + type);
            return fam;
        }

        String write(boolean openMetrics) {
            StringBuilder sb = new StringBuilder(16 * 1024);
            for (Family fam : byName.values()) {
                // 0.0.4 names a counter's TYPE by its sample name; OpenMetrics by the family name.
                String typeName = !openMetrics && fam.type == Type.COUNTER ? fam.name + "_total" : fam.name;
                sb.append("# HELP ").append(typeName).append(' ');
                escape(sb, fam.help, openMetrics);
                sb.append("\n# TYPE ").append(typeName).append(' ')
                        .append(fam.type.name().toLowerCase(java.util.Locale.ROOT)).append('\n');
                for (Sample s : fam.samples) {
                    sb.append(fam.name).append(s.suffix);
                    if (s.labels.length > 0) {
                        sb.append('{');
                        for (int i = 0; i < s.labels.length; i += 2) {
                            if (i > 0) sb.append(',');
                            sb.append(s.labels[i]).append("=\"");
                            escape(sb, s.labels[i + 1], true);
                            sb.append('"');
                        }
                        sb.append('}');
                    }
                    sb.append(' ').append(format(s.value)).append('\n');
                }
            }
            if (openMetrics) sb.append("# EOF\n");
            return sb.toString();
        }

        /** Backslash and newline always; the double quote in label values and in OpenMetrics' HELP. */
        private static void escape(StringBuilder sb, String s, boolean quote) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\\') {
                    sb.append("\\\\");
                } else if (c == '\n') {
                    sb.append("\\n");
                } else if (c == '"' && quote) {
                    sb.append("\\\"");
                } else {
                    sb.append(c);
                }
            }
        }

        /** Whole numbers without a fraction (exact up to 2^53), others as Java's shortest round-trip decimal. */
        private static String format(double v) {
            if (v == Math.rint(v) && Math.abs(v) < 0x1p53) return Long.toString((long) v);
            if (Double.isNaN(v)) return "NaN";
            if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
            return Double.toString(v);
        }
    }

    private static final class Family {
        final String name;
        final Type type;
        final String help;
        final List<Sample> samples = new ArrayList<>();

        Family(String name, Type type, String help) {
            this.name = name;
            this.type = type;
            this.help = help;
        }
    }

    private static final class Sample {
        final String suffix;
        final String[] labels;
        final double value;

        Sample(String suffix, String[] labels, double value) {
            this.suffix = suffix;
            this.labels = labels;
            this.value = value;
        }
    }
}
