package io.cuckoocache.server;

import io.netty.channel.EventLoop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's own counters (connections, bytes, auth), summed on demand.
 * <p>
 * Bytes and yields are counted per event loop in {@link LoopStats}: each is written by its loop's thread only (a
 * plain add published with an opaque store), so the hot path takes no atomic instruction and shares no cache line
 * between loops; a {@code stats} call sums them with opaque reads. Connection events are rare and use atomics.
 * "stats reset" never writes a loop's counters (that would race with its thread): it records the current sums as a
 * baseline that later reads subtract.
 */
final class ServerStats {
    /** One event loop's counters: written by that loop's thread only, read by anyone. */
    static final class LoopStats {
        private static final VarHandle READ;
        private static final VarHandle WRITTEN;
        private static final VarHandle YIELDS;

        static {
            try {
                MethodHandles.Lookup l = MethodHandles.lookup();
                READ = l.findVarHandle(LoopStats.class, "bytesRead", long.class);
                WRITTEN = l.findVarHandle(LoopStats.class, "bytesWritten", long.class);
                YIELDS = l.findVarHandle(LoopStats.class, "yields", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        // Padding keeps two loops' counters off one cache line (the objects are allocated back to back).
        @SuppressWarnings("unused")
        private long p0, p1, p2, p3, p4, p5, p6;
        private long bytesRead;
        private long bytesWritten;
        private long yields;
        @SuppressWarnings("unused")
        private long q0, q1, q2, q3, q4, q5, q6;

        /** Owner thread only. */
        void addRead(long n) {
            READ.setOpaque(this, bytesRead + n);
        }

        /** Owner thread only. */
        void addWritten(long n) {
            WRITTEN.setOpaque(this, bytesWritten + n);
        }

        /** Owner thread only. */
        void addYield() {
            YIELDS.setOpaque(this, yields + 1);
        }

        long bytesRead() {
            return (long) READ.getOpaque(this);
        }

        long bytesWritten() {
            return (long) WRITTEN.getOpaque(this);
        }

        long yields() {
            return (long) YIELDS.getOpaque(this);
        }
    }

    private final ConcurrentHashMap<EventLoop, LoopStats> loops = new ConcurrentHashMap<>();
    final AtomicInteger currConnections = new AtomicInteger();
    private final AtomicInteger peakConnections = new AtomicInteger();
    private final LongAdder totalConnections = new LongAdder();
    private final LongAdder rejectedConnections = new LongAdder();
    private final LongAdder listenDisabled = new LongAdder();
    private final LongAdder listenDisabledMicros = new LongAdder();
    private final LongAdder idleKicks = new LongAdder();
    private final LongAdder authCmds = new LongAdder();
    private final LongAdder authErrors = new LongAdder();
    final long startMillis = System.currentTimeMillis();
    private final long startNanos = System.nanoTime();

    /** Sums at the last "stats reset", subtracted from what the counters say. */
    private volatile Snapshot baseline = new Snapshot(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    private static final class Snapshot {
        final long bytesRead, bytesWritten, yields, total, rejected, listenDisabled, authCmds, authErrors;
        final long listenDisabledMicros, idleKicks;

        Snapshot(long bytesRead, long bytesWritten, long yields, long total, long rejected, long listenDisabled,
                 long authCmds, long authErrors, long listenDisabledMicros, long idleKicks) {
            this.listenDisabledMicros = listenDisabledMicros;
            this.idleKicks = idleKicks;
            this.bytesRead = bytesRead;
            this.bytesWritten = bytesWritten;
            this.yields = yields;
            this.total = total;
            this.rejected = rejected;
            this.listenDisabled = listenDisabled;
            this.authCmds = authCmds;
            this.authErrors = authErrors;
        }
    }

    /** The counters of {@code loop} (created on first use; one lookup per connection). */
    LoopStats loop(EventLoop loop) {
        return loops.computeIfAbsent(loop, l -> new LoopStats());
    }

    /** The counters of {@code loop} if it has served a connection, else null (for metrics: creates nothing). */
    LoopStats loopIfPresent(EventLoop loop) {
        return loops.get(loop);
    }

    /** A connection was accepted and admitted: counts it, and returns false if it is over {@code limit}. */
    boolean admit(int limit) {
        int n = currConnections.incrementAndGet();
        if (n > limit) {
            currConnections.decrementAndGet();
            return false;
        }
        totalConnections.increment();
        peakConnections.accumulateAndGet(n, Math::max);
        return true;
    }

    void closed() {
        currConnections.decrementAndGet();
    }

    void rejected() {
        rejectedConnections.increment();
    }

    void listenDisabled() {
        listenDisabled.increment();
    }

    /** Accepting again after {@code micros} without (memcached's time_in_listen_disabled_us). */
    void listenEnabled(long micros) {
        listenDisabledMicros.add(micros);
    }

    /** A connection closed for its idle timeout. */
    void idleKick() {
        idleKicks.increment();
    }

    /** A SASL authentication attempt, and whether it failed. */
    void auth(boolean ok) {
        authCmds.increment();
        if (!ok) authErrors.increment();
    }

    private Snapshot raw() {
        long r = 0, w = 0, y = 0;
        for (LoopStats s : loops.values()) {
            r += s.bytesRead();
            w += s.bytesWritten();
            y += s.yields();
        }
        return new Snapshot(r, w, y, totalConnections.sum(), rejectedConnections.sum(), listenDisabled.sum(),
                authCmds.sum(), authErrors.sum(), listenDisabledMicros.sum(), idleKicks.sum());
    }

    /** "stats reset": the server's counters start again from zero (gauges such as curr_connections stay). */
    void reset() {
        baseline = raw();
    }

    long uptimeSeconds() {
        return (System.nanoTime() - startNanos) / 1_000_000_000L;
    }

    /** The server's counters under memcached's names, as the general "stats" lists them. */
    void connectionStats(Map<String, String> m, int maxConnections, boolean maxConnectionsFast) {
        m.put("max_connections", Integer.toString(maxConnections));
        m.put("curr_connections", Integer.toString(currConnections.get()));
        Snapshot now = raw();
        Snapshot b = baseline;
        m.put("total_connections", Long.toString(now.total - b.total));
        if (maxConnectionsFast) m.put("rejected_connections", Long.toString(now.rejected - b.rejected));
        m.put("connection_structures", Integer.toString(peakConnections.get()));
    }

    /**
     * auth_cmds, auth_errors, idle_kicks (with an idle timeout), bytes_read, bytes_written: memcached lists them just
     * before limit_maxbytes.
     */
    void trafficStats(Map<String, String> m, boolean idleTimeout) {
        Snapshot now = raw();
        Snapshot b = baseline;
        m.put("auth_cmds", Long.toString(now.authCmds - b.authCmds));
        m.put("auth_errors", Long.toString(now.authErrors - b.authErrors));
        if (idleTimeout) m.put("idle_kicks", Long.toString(now.idleKicks - b.idleKicks));
        m.put("bytes_read", Long.toString(now.bytesRead - b.bytesRead));
        m.put("bytes_written", Long.toString(now.bytesWritten - b.bytesWritten));
    }

    /** accepting_conns ... conn_yields: memcached lists them just after limit_maxbytes. */
    void listenStats(Map<String, String> m, boolean accepting, int threads) {
        Snapshot now = raw();
        Snapshot b = baseline;
        m.put("accepting_conns", accepting ? "1" : "0");
        m.put("listen_disabled_num", Long.toString(now.listenDisabled - b.listenDisabled));
        m.put("time_in_listen_disabled_us", Long.toString(now.listenDisabledMicros - b.listenDisabledMicros));
        m.put("threads", Integer.toString(threads));
        m.put("conn_yields", Long.toString(now.yields - b.yields));
    }

    /** Bytes read and written since start (no baseline): for tests and logs. */
    long totalBytesRead() {
        return raw().bytesRead;
    }

    long totalBytesWritten() {
        return raw().bytesWritten;
    }

    /**
     * rusage_user and rusage_system as memcached prints them ("seconds.micros"). Linux: utime and stime from
     * /proc/self/stat (in clock ticks of 1/100 s, Linux's USER_HZ); elsewhere the JVM's process CPU time, all
     * counted as user time.
     */
    static String[] rusage() {
        try {
            String stat = new String(Files.readAllBytes(Path.of("/proc/self/stat")), StandardCharsets.US_ASCII);
            // Fields after the command name, which is in parentheses and may contain spaces.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            // f[0] is field 3 (state); utime is field 14 and stime field 15.
            long utime = Long.parseLong(f[11]);
            long stime = Long.parseLong(f[12]);
            return new String[] {seconds(utime * 10_000L), seconds(stime * 10_000L)};
        } catch (Exception e) {
            java.lang.management.OperatingSystemMXBean os =
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            long nanos = os instanceof com.sun.management.OperatingSystemMXBean
                    ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() : 0;
            return new String[] {seconds(Math.max(0, nanos) / 1000), seconds(0)};
        }
    }

    private static String seconds(long micros) {
        return (micros / 1_000_000) + "." + String.format("%06d", micros % 1_000_000);
    }
}
