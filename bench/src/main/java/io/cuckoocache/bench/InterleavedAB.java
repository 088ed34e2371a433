package io.cuckoocache.bench;

import io.cuckoocache.map.CuckooMap;
import org.jctools.maps.NonBlockingHashMap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CyclicBarrier;

/**
 * Interleaved A/B throughput, for ratios that hold up on a shared, noisy machine. All maps live in one JVM, filled
 * exactly as in {@link MapData}; each round runs every map for one short time slice per operation, in an order
 * that rotates from round to round, and the ratio cuckoo/chm is taken per round (adjacent slices, so load from other
 * processes hits both alike) and reported as the median over the rounds with its min..max. Throughput is counted
 * per microsecond of the measuring threads' own CPU time (thread CPU clock), so time spent descheduled by other
 * processes does not count; the wall-clock ratio is printed too. The JMH numbers
 * ({@link MapBench}) are the reference for absolute throughput; this tool is only for ratios.
 * <p>
 * Each map class has its own copy of the measuring loop ({@code *Driver}), so every call site sees one receiver
 * type and is inlined as in a single-map program. The same probe arrays (equal copies of the keys, random
 * permutation) serve all maps. Every answer is checked (a hit must be found, a miss must not be, an overwrite
 * must find the key).
 * <p>
 * Usage: {@code java -Xms8g -Xmx8g -cp benchmarks.jar io.cuckoocache.bench.InterleavedAB [--size 1000000]
 * [--keys int] [--impls cuckoo,chm,nbhm] [--ops getHit,getMiss,putOverwrite,mix90get10put,mix50get50put]
 * [--threads 1,2] [--slice-ms 200] [--rounds 15] [--warmup-rounds 3]}. Time: about ops x threads x impls x
 * (rounds + warmup) x slice, e.g. 5 x 2 x 3 x 18 x 0.2 s = 108 s, plus the fill.
 */
public final class InterleavedAB {
    static final int GET_HIT = 0;
    static final int GET_MISS = 1;
    static final int PUT = 2;
    static final int MIX90 = 3;
    static final int MIX50 = 4;
    static final String[] OP_NAMES = {"getHit", "getMiss", "putOverwrite", "mix90get10put", "mix50get50put"};
    static final int BATCH = 256;
    static final Object INITIAL = new Object();
    static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private InterleavedAB() {
    }

    public static void main(String[] args) throws Exception {
        Args a = new Args(args);
        int size = (int) a.longs("--size", "1000000")[0];
        String kind = a.string("--keys", Keys.INT);
        String[] impls = a.strings("--impls", "cuckoo,chm,nbhm");
        String[] ops = a.strings("--ops", String.join(",", OP_NAMES));
        long[] threadCounts = a.longs("--threads", "1,2");
        long sliceNanos = a.longs("--slice-ms", "200")[0] * 1_000_000L;
        int rounds = (int) a.longs("--rounds", "15")[0];
        int warmup = (int) a.longs("--warmup-rounds", "3")[0];
        if (!Arrays.asList(impls).contains(Maps.CHM)) throw new IllegalArgumentException("--impls must include chm");

        Driver[] drivers = new Driver[impls.length];
        for (int d = 0; d < impls.length; d++) {
            ConcurrentMap<Object, Object> map = Maps.create(impls[d], size);
            for (long i = 0; i < size; i++) map.put(Keys.key(kind, i), INITIAL);
            if (map.size() != size) throw new IllegalStateException(impls[d] + " holds " + map.size());
            drivers[d] = Driver.of(map);
        }
        int[] perm = MapData.permutation(size, 42);
        Object[] hits = new Object[size];
        for (int j = 0; j < size; j++) hits[j] = Keys.key(kind, perm[j]);
        Object[] misses = Keys.make(kind, size, size);
        System.gc();

        System.out.printf(Locale.ROOT, "size %d, keys %s, slice %d ms, %d rounds after %d warmup rounds%n%n", size,
                kind, sliceNanos / 1_000_000, rounds, warmup);
        StringBuilder header = new StringBuilder("| op | threads | cuckoo / chm per CPU time, median (min..max) |");
        StringBuilder rule = new StringBuilder("|---|---:|---:|");
        for (String impl : impls) {
            if (!impl.equals(Maps.CUCKOO) && !impl.equals(Maps.CHM)) {
                header.append(' ').append(impl).append(" / chm median |");
                rule.append("---:|");
            }
        }
        for (String impl : impls) {
            header.append(' ').append(impl).append(" ops/cpu-us median |");
            rule.append("---:|");
        }
        header.append(" cuckoo / chm by wall clock |");
        rule.append("---:|");
        System.out.println(header);
        System.out.println(rule);
        int chm = Arrays.asList(impls).indexOf(Maps.CHM);
        int cuckoo = Arrays.asList(impls).indexOf(Maps.CUCKOO);
        for (long tc : threadCounts) {
            int threads = (int) tc;
            // One cursor per map and thread, so each map's overwrites alternate values exactly as in MapBench.
            Cur[][] curs = new Cur[impls.length][threads];
            for (int d = 0; d < impls.length; d++) {
                for (int t = 0; t < threads; t++) curs[d][t] = new Cur(hits, misses, 1234 + t);
            }
            for (String opName : ops) {
                int op = Arrays.asList(OP_NAMES).indexOf(opName);
                if (op < 0) throw new IllegalArgumentException("unknown op " + opName);
                double[][] perUs = new double[impls.length][rounds];
                double[][] perWall = new double[impls.length][rounds];
                for (int r = -warmup; r < rounds; r++) {
                    for (int k = 0; k < impls.length; k++) {
                        int d = Math.floorMod(k + r, impls.length);
                        double[] v = slice(drivers[d], op, curs[d], sliceNanos);
                        if (r >= 0) {
                            perWall[d][r] = v[0];
                            perUs[d][r] = v[1];
                        }
                    }
                }
                StringBuilder row = new StringBuilder();
                row.append("| ").append(opName).append(" | ").append(threads).append(" | ");
                row.append(cuckoo >= 0 ? ratio(perUs[cuckoo], perUs[chm]) : "-").append(" |");
                for (int d = 0; d < impls.length; d++) {
                    if (d != cuckoo && d != chm) row.append(' ').append(ratio(perUs[d], perUs[chm])).append(" |");
                }
                for (int d = 0; d < impls.length; d++) {
                    row.append(String.format(Locale.ROOT, " %.2f |", median(perUs[d])));
                }
                row.append(' ').append(cuckoo >= 0 ? ratio(perWall[cuckoo], perWall[chm]) : "-").append(" |");
                System.out.println(row);
                System.out.flush();
            }
        }
    }

    /**
     * Runs one slice on all threads at once; returns {operations per wall-clock microsecond, operations per
     * microsecond of the threads' own CPU time}. The second ignores the time a thread spent descheduled, which on an
     * oversubscribed machine is most of the noise.
     */
    private static double[] slice(Driver driver, int op, Cur[] curs, long sliceNanos) throws Exception {
        CyclicBarrier start = new CyclicBarrier(curs.length);
        long[] counts = new long[curs.length];
        long[] wall = new long[curs.length];
        long[] cpu = new long[curs.length];
        Throwable[] failure = new Throwable[1];
        Runnable[] bodies = new Runnable[curs.length];
        for (int t = 0; t < curs.length; t++) {
            int tt = t;
            bodies[t] = () -> {
                try {
                    if (curs.length > 1) start.await();
                    long c0 = THREADS.getCurrentThreadCpuTime();
                    long w0 = System.nanoTime();
                    counts[tt] = driver.run(op, curs[tt], w0 + sliceNanos);
                    wall[tt] = System.nanoTime() - w0;
                    cpu[tt] = THREADS.getCurrentThreadCpuTime() - c0;
                } catch (Throwable e) {
                    failure[0] = e;
                }
            };
        }
        if (curs.length == 1) {
            bodies[0].run();
        } else {
            List<Thread> ts = new ArrayList<>();
            for (Runnable b : bodies) {
                Thread th = new Thread(b);
                ts.add(th);
                th.start();
            }
            for (Thread th : ts) th.join();
        }
        if (failure[0] != null) throw new IllegalStateException(failure[0]);
        double perWall = 0;
        double perCpu = 0;
        for (int t = 0; t < curs.length; t++) {
            perWall += counts[t] * 1000.0 / wall[t];
            perCpu += counts[t] * 1000.0 / Math.max(1, cpu[t]);
        }
        return new double[] {perWall, perCpu};
    }

    private static String ratio(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[i] / b[i];
        double[] s = r.clone();
        Arrays.sort(s);
        return String.format(Locale.ROOT, "**%.2f** (%.2f..%.2f)", median(r), s[0], s[s.length - 1]);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** One thread's {@link Cursor}, outside JMH, with the probe arrays it walks. */
    static final class Cur extends Cursor {
        final Object[] hits;
        final Object[] misses;

        Cur(Object[] hits, Object[] misses, long seed) {
            this.hits = hits;
            this.misses = misses;
            start(hits.length, seed);
        }
    }

    /** Runs operations on one map until a deadline; returns how many. */
    abstract static class Driver {
        abstract long run(int op, Cur c, long deadline);

        static Driver of(ConcurrentMap<Object, Object> map) {
            if (map instanceof CuckooMap) return new CuckooDriver(map);
            if (map instanceof ConcurrentHashMap) return new ChmDriver(map);
            if (map instanceof NonBlockingHashMap) return new NbhmDriver(map);
            throw new IllegalArgumentException(map.getClass().getName());
        }
    }

    /** {@link Driver} for one map class; the loops are repeated per class so each call site sees one receiver type. */
    static final class CuckooDriver extends Driver {
        private final CuckooMap<Object, Object> m;

        @SuppressWarnings("unchecked")
        CuckooDriver(Object map) {
            this.m = (CuckooMap<Object, Object>) map;
        }

        @Override
        long run(int op, Cur c, long deadline) {
            long ops = 0;
            long missing = 0;
            Object[] hits = c.hits;
            Object[] misses = c.misses;
            boolean[] pattern = op == MIX90 ? c.writes10 : c.writes50;
            do {
                for (int k = 0; k < BATCH; k++) {
                    int i = c.next();
                    switch (op) {
                        case GET_HIT:
                            if (m.get(hits[i]) == null) missing++;
                            break;
                        case GET_MISS:
                            if (m.get(misses[i]) != null) missing++;
                            break;
                        case PUT:
                            if (m.put(hits[i], c.value()) == null) missing++;
                            break;
                        default:
                            if (pattern[c.step()]) {
                                if (m.put(hits[i], c.value()) == null) missing++;
                            } else if (m.get(hits[i]) == null) {
                                missing++;
                            }
                    }
                }
                ops += BATCH;
            } while (System.nanoTime() < deadline);
            if (missing != 0) throw new IllegalStateException(m.getClass().getSimpleName() + ": " + missing + " wrong answers");
            return ops;
        }
    }

    /** {@link Driver} for one map class; the loops are repeated per class so each call site sees one receiver type. */
    static final class ChmDriver extends Driver {
        private final ConcurrentHashMap<Object, Object> m;

        @SuppressWarnings("unchecked")
        ChmDriver(Object map) {
            this.m = (ConcurrentHashMap<Object, Object>) map;
        }

        @Override
        long run(int op, Cur c, long deadline) {
            long ops = 0;
            long missing = 0;
            Object[] hits = c.hits;
            Object[] misses = c.misses;
            boolean[] pattern = op == MIX90 ? c.writes10 : c.writes50;
            do {
                for (int k = 0; k < BATCH; k++) {
                    int i = c.next();
                    switch (op) {
                        case GET_HIT:
                            if (m.get(hits[i]) == null) missing++;
                            break;
                        case GET_MISS:
                            if (m.get(misses[i]) != null) missing++;
                            break;
                        case PUT:
                            if (m.put(hits[i], c.value()) == null) missing++;
                            break;
                        default:
                            if (pattern[c.step()]) {
                                if (m.put(hits[i], c.value()) == null) missing++;
                            } else if (m.get(hits[i]) == null) {
                                missing++;
                            }
                    }
                }
                ops += BATCH;
            } while (System.nanoTime() < deadline);
            if (missing != 0) throw new IllegalStateException(m.getClass().getSimpleName() + ": " + missing + " wrong answers");
            return ops;
        }
    }

    /** {@link Driver} for one map class; the loops are repeated per class so each call site sees one receiver type. */
    static final class NbhmDriver extends Driver {
        private final NonBlockingHashMap<Object, Object> m;

        @SuppressWarnings("unchecked")
        NbhmDriver(Object map) {
            this.m = (NonBlockingHashMap<Object, Object>) map;
        }

        @Override
        long run(int op, Cur c, long deadline) {
            long ops = 0;
            long missing = 0;
            Object[] hits = c.hits;
            Object[] misses = c.misses;
            boolean[] pattern = op == MIX90 ? c.writes10 : c.writes50;
            do {
                for (int k = 0; k < BATCH; k++) {
                    int i = c.next();
                    switch (op) {
                        case GET_HIT:
                            if (m.get(hits[i]) == null) missing++;
                            break;
                        case GET_MISS:
                            if (m.get(misses[i]) != null) missing++;
                            break;
                        case PUT:
                            if (m.put(hits[i], c.value()) == null) missing++;
                            break;
                        default:
                            if (pattern[c.step()]) {
                                if (m.put(hits[i], c.value()) == null) missing++;
                            } else if (m.get(hits[i]) == null) {
                                missing++;
                            }
                    }
                }
                ops += BATCH;
            } while (System.nanoTime() < deadline);
            if (missing != 0) throw new IllegalStateException(m.getClass().getSimpleName() + ": " + missing + " wrong answers");
            return ops;
        }
    }
}
