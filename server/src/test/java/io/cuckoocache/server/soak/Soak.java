package io.cuckoocache.server.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A verifying soak: many connections (text and binary protocol, by default every second one binary) run
 * set/get/gets/cas/delete on a small shared set of value keys and incr/get on counter keys, and every answer is checked against what the overlapping operations allow
 * ({@link Register}, {@link Counter}). Bounded by time and by operations per connection.
 *
 * <p>{@code java -cp server/target/test-classes io.cuckoocache.server.soak.Soak --port=11211 --seconds=120}
 * (see server/README.md). Exit status 0 only with no violations, no errors and no leaked connections.
 *
 * <p>{@code --fault=...} plants a bug in the clients' view of the server, to show the checker catches it:
 * {@code stale-read} answers some gets with a value this client read earlier, {@code lost-incr} sends some incr
 * with delta 0 and reports the server's answer plus the delta (the server's value then lacks an increment), and
 * {@code ignored-cas} sends some cas as a plain set and reports it stored.
 */
public final class Soak {
    enum Fault { NONE, STALE_READ, LOST_INCR, IGNORED_CAS }

    /** The clients' protocol; mixed: every second connection binary. */
    enum Protocol { TEXT, BINARY, MIXED }

    enum Op { SET, GET_HIT, GET_MISS, GETS_HIT, GETS_MISS, CAS_STORED, CAS_EXISTS, CAS_NOT_FOUND, DELETED,
        DELETE_NOT_FOUND, INCR, COUNTER_GET }

    record Config(String host, int port, int connections, long seconds, long opsPerConnection, int valueKeys,
                  int counterKeys, Protocol protocol, Fault fault, long seed) {
        static Config defaults(int port) {
            return new Config("127.0.0.1", port, 48, 120, Long.MAX_VALUE, 32, 8, Protocol.MIXED, Fault.NONE,
                    System.nanoTime());
        }

        Config withSeconds(long s) {
            return new Config(host, port, connections, s, opsPerConnection, valueKeys, counterKeys, protocol, fault,
                    seed);
        }

        Config withFault(Fault f) {
            return new Config(host, port, connections, seconds, opsPerConnection, valueKeys, counterKeys, protocol, f,
                    seed);
        }
    }

    /** What one run saw. */
    static final class Report {
        final EnumMap<Op, Long> ops = new EnumMap<>(Op.class);
        long checks;
        long violationCount;
        final List<String> violations = new ArrayList<>();
        long errorCount;
        final List<String> errors = new ArrayList<>();
        long nanos;
        String leak;
        Map<String, String> statsBefore;
        Map<String, String> statsAfter;

        long totalOps() {
            return ops.values().stream().mapToLong(Long::longValue).sum();
        }

        boolean clean() {
            return violationCount == 0 && errorCount == 0 && leak == null;
        }

        synchronized void violation(String v) {
            violationCount++;
            if (violations.size() < 50) violations.add(v);
        }

        synchronized void error(String e) {
            errorCount++;
            if (errors.size() < 20) errors.add(e);
        }

        String summary() {
            StringBuilder sb = new StringBuilder();
            double secs = nanos / 1e9;
            sb.append(String.format("soak: %d ops in %.1f s (%.0f ops/s), %d answers checked, %d violations, %d errors%n",
                    totalOps(), secs, totalOps() / secs, checks, violationCount, errorCount));
            sb.append("ops: ").append(ops).append('\n');
            for (String v : violations) sb.append("VIOLATION ").append(v).append('\n');
            for (String e : errors) sb.append("ERROR ").append(e).append('\n');
            sb.append(leak == null ? "connections: back to the baseline after the clients left\n"
                    : "LEAK " + leak + '\n');
            if (statsAfter != null) {
                sb.append("server stats at the end:");
                for (String k : List.of("version", "uptime", "curr_connections", "total_connections",
                        "rejected_connections", "cmd_get", "cmd_set", "get_hits", "get_misses", "cas_hits",
                        "cas_badval", "incr_hits", "delete_hits", "curr_items", "bytes", "evictions",
                        "bytes_read", "bytes_written", "threads")) {
                    if (statsAfter.containsKey(k)) sb.append(' ').append(k).append('=').append(statsAfter.get(k));
                }
                sb.append('\n');
            }
            return sb.toString();
        }
    }

    private final Config config;
    private final Report report = new Report();
    private final String prefix;
    private final Register[] registers;
    private final Counter[] counters;
    /** Per client, the start of its current or last operation; their minimum bounds every running one. */
    private final AtomicLongArray lowWater;
    private final AtomicLong checks = new AtomicLong();
    private final long deadline;

    private Soak(Config config) {
        this.config = config;
        this.prefix = "soak:" + Long.toHexString(new SplittableRandom(config.seed).nextLong() & 0xffffffffL) + ":";
        long now = System.nanoTime();
        this.deadline = now + TimeUnit.SECONDS.toNanos(config.seconds);
        this.registers = new Register[config.valueKeys];
        for (int i = 0; i < registers.length; i++) registers[i] = new Register(prefix + "v" + i, now);
        this.counters = new Counter[config.counterKeys];
        for (int i = 0; i < counters.length; i++) counters[i] = new Counter(prefix + "c" + i);
        this.lowWater = new AtomicLongArray(config.connections);
        for (int i = 0; i < config.connections; i++) lowWater.set(i, now);
    }

    static Report run(Config config) throws IOException, InterruptedException {
        return new Soak(config).run();
    }

    private Report run() throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        try (TextConnection admin = new TextConnection(config.host, config.port)) {
            report.statsBefore = admin.stats();
            for (Counter c : counters) {
                if (!admin.store("set", c.key(), "0".getBytes(StandardCharsets.US_ASCII), 0).equals("STORED")) {
                    throw new IOException("could not set " + c.key());
                }
            }
            List<Client> clients = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < config.connections; i++) {
                Client c = new Client(i);
                clients.add(c);
                Thread t = new Thread(c, "soak-" + i);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(config.seconds) + 60_000);
                if (t.isAlive()) report.error(t.getName() + " did not stop");
            }
            for (Client c : clients) {
                c.counts.forEach((op, n) -> report.ops.merge(op, n, Long::sum));
            }
            for (Counter c : counters) {
                Connection.Hit h = admin.get(c.key(), false);
                checks.incrementAndGet();
                String v = h == null ? "final " + c.key() + " missing"
                        : c.checkFinal(Long.parseLong(new String(h.value(), StandardCharsets.US_ASCII)));
                if (v != null) report.violation(v);
            }
            report.nanos = System.nanoTime() - t0;
            report.checks = checks.get();
            // Every client has closed its connection: the server must count only the admin one, as before.
            String baseline = report.statsBefore.get("curr_connections");
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            do {
                report.statsAfter = admin.stats();
                if (baseline.equals(report.statsAfter.get("curr_connections"))) break;
                Thread.sleep(50);
            } while (System.nanoTime() < until);
            if (!baseline.equals(report.statsAfter.get("curr_connections"))) {
                report.leak = "curr_connections " + report.statsAfter.get("curr_connections") + " after the run, "
                        + baseline + " before";
            }
            long evicted = Long.parseLong(report.statsAfter.get("evictions"))
                    - Long.parseLong(report.statsBefore.get("evictions"));
            if (evicted != 0) report.error(evicted + " evictions during the run: give the server more memory");
        }
        return report;
    }

    private long lowWater() {
        long m = Long.MAX_VALUE;
        for (int i = 0; i < lowWater.length(); i++) m = Math.min(m, lowWater.get(i));
        return m;
    }

    // ------------------------------------------------------------------ values: unique, self-describing

    /** "v<id>:" then filler derived from the id; mostly short, one in 64 between 16 and 64 KB. */
    static byte[] valueOf(long id) {
        long h = new SplittableRandom(id).nextLong();
        int filler = (h & 63) == 0 ? 16384 + (int) ((h >>> 8) % 49152) : (int) ((h >>> 8) % 1500);
        byte[] head = ("v" + id + ":").getBytes(StandardCharsets.US_ASCII);
        byte[] v = Arrays.copyOf(head, head.length + filler);
        for (int i = head.length; i < v.length; i++) v[i] = (byte) ('a' + (id + i) % 26);
        return v;
    }

    /** The version id a value names, or -1 if it is not exactly a value this soak writes. */
    static long idOf(byte[] value) {
        int colon = -1;
        for (int i = 1; i < Math.min(value.length, 21); i++) {
            if (value[i] == ':') {
                colon = i;
                break;
            }
        }
        if (value.length == 0 || value[0] != 'v' || colon < 0) return -1;
        try {
            long id = Long.parseLong(new String(value, 1, colon - 1, StandardCharsets.US_ASCII));
            return id > 0 && Arrays.equals(value, valueOf(id)) ? id : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    // ------------------------------------------------------------------ one client per connection

    private final class Client implements Runnable {
        private final int index;
        private final SplittableRandom random;
        private final EnumMap<Op, Long> counts = new EnumMap<>(Op.class);
        /** For the stale-read fault: the last value this client read per key. */
        private final byte[][] lastRead = new byte[config.valueKeys][];
        private long seq;
        private Connection conn;

        Client(int index) {
            this.index = index;
            this.random = new SplittableRandom(config.seed * 31 + index);
        }

        private boolean binary() {
            return config.protocol == Protocol.BINARY || (config.protocol == Protocol.MIXED && index % 2 == 1);
        }

        private long begin() {
            long t = System.nanoTime();
            lowWater.set(index, t);
            return System.nanoTime();
        }

        private long nextId() {
            return ((long) (index + 1) << 40) | ++seq;
        }

        private void count(Op op) {
            counts.merge(op, 1L, Long::sum);
        }

        private void check(String violation) {
            checks.incrementAndGet();
            if (violation != null) report.violation(violation);
        }

        private boolean planted(int oneIn) {
            return random.nextInt(oneIn) == 0;
        }

        @Override
        public void run() {
            for (long n = 0; n < config.opsPerConnection && System.nanoTime() < deadline; n++) {
                try {
                    if (conn == null) {
                        conn = binary() ? new BinaryConnection(config.host, config.port)
                                : new TextConnection(config.host, config.port);
                    }
                    if (config.counterKeys > 0 && random.nextInt(5) == 0) {
                        counterOp(counters[random.nextInt(counters.length)]);
                    } else {
                        int k = random.nextInt(registers.length);
                        valueOp(k, registers[k]);
                        if ((n & 31) == 0) registers[k].prune(lowWater());
                    }
                } catch (IOException | RuntimeException e) {
                    if (e instanceof Connection.UnexpectedReply) report.violation(e.getMessage());
                    else report.error("client " + index + ": " + e);
                    if (conn != null) conn.close();
                    conn = null;
                }
            }
            if (conn != null) conn.close();
        }

        private void counterOp(Counter c) throws IOException {
            if (random.nextInt(10) < 7) {
                long delta = 1 + random.nextInt(1000);
                long lower = c.beginIncr(delta);
                begin();
                long result;
                if (config.fault == Fault.LOST_INCR && planted(16)) {
                    long before = conn.incr(c.key(), 0);
                    result = before < 0 ? before : before + delta;
                } else {
                    result = conn.incr(c.key(), delta);
                }
                count(Op.INCR);
                check(result < 0 ? "incr " + c.key() + " NOT_FOUND on a counter that is never deleted"
                        : c.endIncr(delta, lower, result));
            } else {
                long lower = c.completed(); // before the operation begins
                begin();
                Connection.Hit h = conn.get(c.key(), false);
                count(Op.COUNTER_GET);
                check(c.checkRead(lower, h == null ? -1 : Long.parseLong(new String(h.value(),
                        StandardCharsets.US_ASCII))));
            }
        }

        private void valueOp(int k, Register r) throws IOException {
            int dice = random.nextInt(100);
            if (dice < 30) {
                long id = nextId();
                byte[] value = valueOf(id);
                long s = begin();
                Register.Version v = r.begin(id, false, s);
                String reply = conn.store("set", r.key(), value, 0);
                if (!reply.equals("STORED")) throw new Connection.UnexpectedReply("set", reply);
                count(Op.SET);
                check(r.end(v, true, System.nanoTime()));
            } else if (dice < 45) {
                long id = nextId();
                long s = begin();
                Register.Version v = r.begin(id, true, s);
                String reply = conn.delete(r.key());
                long e = System.nanoTime();
                boolean deleted = reply.equals("DELETED");
                if (!deleted && !reply.equals("NOT_FOUND")) throw new Connection.UnexpectedReply("delete", reply);
                count(deleted ? Op.DELETED : Op.DELETE_NOT_FOUND);
                check(deleted ? r.checkPresent(s, e, v, null, "delete") : r.checkAbsent(s, e, v, "delete"));
                check(r.end(v, deleted, e));
            } else if (dice < 80) {
                long s = begin();
                Connection.Hit h = conn.get(r.key(), false);
                long e = System.nanoTime();
                if (h != null && config.fault == Fault.STALE_READ) {
                    byte[] previous = lastRead[k];
                    lastRead[k] = h.value();
                    if (previous != null && planted(8)) h = new Connection.Hit(previous, -1);
                }
                count(h == null ? Op.GET_MISS : Op.GET_HIT);
                check(read(r, h, s, e, "get"));
            } else {
                gets(r);
            }
        }

        private String read(Register r, Connection.Hit h, long s, long e, String what) {
            if (h == null) return r.checkAbsent(s, e, null, what);
            long id = idOf(h.value());
            if (id < 0) {
                return what + " " + r.key() + " returned a value no client wrote: '"
                        + new String(h.value(), 0, Math.min(40, h.value().length), StandardCharsets.US_ASCII) + "'";
            }
            return r.checkValue(id, s, e, what);
        }

        /** gets, then (mostly) a cas with its unique. */
        private void gets(Register r) throws IOException {
            long s = begin();
            Connection.Hit h = conn.get(r.key(), true);
            long e = System.nanoTime();
            count(h == null ? Op.GETS_MISS : Op.GETS_HIT);
            String v = read(r, h, s, e, "gets");
            check(v);
            if (h == null || v != null) return;
            long readId = idOf(h.value());
            check(r.checkCasUnique(readId, h.casUnique()));
            if (random.nextInt(4) == 0) return;
            Register.Version replaced = r.version(readId);
            long id = nextId();
            byte[] value = valueOf(id);
            long cs = begin();
            Register.Version written = r.begin(id, false, cs);
            String reply = config.fault == Fault.IGNORED_CAS && planted(4)
                    ? conn.store("set", r.key(), value, 0)
                    : conn.store("cas", r.key(), value, h.casUnique());
            long ce = System.nanoTime();
            switch (reply) {
                case "STORED" -> {
                    count(Op.CAS_STORED);
                    check(r.casSucceeded(replaced, cs, ce));
                }
                case "EXISTS" -> {
                    count(Op.CAS_EXISTS);
                    check(r.checkPresent(cs, ce, written, replaced, "cas EXISTS"));
                }
                case "NOT_FOUND" -> {
                    count(Op.CAS_NOT_FOUND);
                    check(r.checkAbsent(cs, ce, written, "cas NOT_FOUND"));
                }
                default -> throw new Connection.UnexpectedReply("cas", reply);
            }
            check(r.end(written, reply.equals("STORED"), ce));
        }
    }

    // ------------------------------------------------------------------ command line

    public static void main(String[] args) throws Exception {
        Config c = Config.defaults(11211);
        String host = c.host;
        int port = c.port;
        int connections = c.connections;
        long seconds = c.seconds;
        long ops = c.opsPerConnection;
        int valueKeys = c.valueKeys;
        int counterKeys = c.counterKeys;
        Protocol protocol = c.protocol;
        Fault fault = c.fault;
        long seed = c.seed;
        for (String a : args) {
            String[] kv = a.split("=", 2);
            if (kv.length != 2 || !kv[0].startsWith("--")) usage("not --name=value: " + a);
            String v = kv[1];
            switch (kv[0]) {
                case "--host" -> host = v;
                case "--port" -> port = Integer.parseInt(v);
                case "--connections" -> connections = Integer.parseInt(v);
                case "--seconds" -> seconds = Long.parseLong(v);
                case "--ops-per-connection" -> ops = Long.parseLong(v);
                case "--value-keys" -> valueKeys = Integer.parseInt(v);
                case "--counter-keys" -> counterKeys = Integer.parseInt(v);
                case "--protocol" -> protocol = Protocol.valueOf(v.toUpperCase());
                case "--fault" -> fault = Fault.valueOf(v.toUpperCase().replace('-', '_'));
                case "--seed" -> seed = Long.parseLong(v);
                default -> usage("unknown option " + kv[0]);
            }
        }
        if (valueKeys < 1 || connections < 1 || seconds < 1) usage("keys, connections and seconds must be >= 1");
        Config config = new Config(host, port, connections, seconds, ops, valueKeys, counterKeys, protocol, fault,
                seed);
        System.out.printf("soak: %d connections (%s) to %s:%d for %d s, %d value keys, %d counter keys, fault %s,"
                + " seed %d%n", connections, protocol, host, port, seconds, valueKeys, counterKeys, fault, seed);
        Report r = run(config);
        System.out.print(r.summary());
        System.exit(r.clean() ? 0 : 1);
    }

    private static void usage(String problem) {
        System.err.println("soak: " + problem + "\nusage: Soak [--host=127.0.0.1] [--port=11211] [--connections=48]"
                + " [--seconds=120] [--ops-per-connection=N] [--value-keys=32] [--counter-keys=8]"
                + " [--protocol=mixed|text|binary] [--fault=none|stale-read|lost-incr|ignored-cas] [--seed=N]");
        System.exit(64);
    }
}
