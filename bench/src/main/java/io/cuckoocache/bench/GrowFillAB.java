package io.cuckoocache.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ConcurrentMap;

/**
 * Insert into a growing map, A/B in one JVM: each round fills a default-constructed map of each kind with the same
 * {@code --size} keys (every growth included), maps alternating, with {@code --threads} threads each inserting its
 * own share. Cost = CPU time of the inserting threads per insert (so time descheduled by other processes does not
 * count), plus the fill's wall time; the ratio per round compares adjacent fills, and the median (min..max) over the
 * rounds is printed. A {@code System.gc()} before each fill, untimed, keeps one fill's garbage out of the next.
 * Bounded: {@code --rounds} fills per map.
 * <p>
 * Usage: {@code java -Xms6g -Xmx6g -cp benchmarks.jar io.cuckoocache.bench.GrowFillAB [--size 1000000]
 * [--keys int] [--impls cuckoo,chm] [--threads 1] [--rounds 7] [--warmup-rounds 2]}.
 */
public final class GrowFillAB {
    private static final Object VALUE = new Object();

    private GrowFillAB() {
    }

    public static void main(String[] args) throws Exception {
        Args a = new Args(args);
        int size = (int) a.longs("--size", "1000000")[0];
        String kind = a.string("--keys", Keys.INT);
        String[] impls = a.strings("--impls", "cuckoo,chm");
        int threads = (int) a.longs("--threads", "1")[0];
        int rounds = (int) a.longs("--rounds", "7")[0];
        int warmup = (int) a.longs("--warmup-rounds", "2")[0];
        if (!impls[impls.length - 1].equals(Maps.CHM)) throw new IllegalArgumentException("--impls must end in chm");
        Object[] keys = Keys.make(kind, 0, size);
        double[][] cpuPerInsert = new double[impls.length][rounds];
        double[][] wallPerInsert = new double[impls.length][rounds];
        for (int r = -warmup; r < rounds; r++) {
            for (int m = 0; m < impls.length; m++) {
                long[] cost = fill(impls[m], keys, threads);
                if (r >= 0) {
                    cpuPerInsert[m][r] = cost[0] / (double) size;
                    wallPerInsert[m][r] = cost[1] / (double) size;
                }
            }
        }
        System.out.printf(Locale.ROOT, "fill a default-constructed map with %d %s keys, %d thread(s), %d rounds after %d"
                + " warmup rounds%n%n", size, kind, threads, rounds, warmup);
        System.out.println("| map | CPU ns per insert, median (min..max) | wall ns per insert | speed vs chm by CPU, "
                + "median (min..max) | by wall clock |");
        System.out.println("|---|---:|---:|---:|---:|");
        int chm = impls.length - 1;
        for (int m = 0; m < impls.length; m++) {
            double[] byCpu = new double[rounds];
            double[] byWall = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                byCpu[r] = cpuPerInsert[chm][r] / cpuPerInsert[m][r];
                byWall[r] = wallPerInsert[chm][r] / wallPerInsert[m][r];
            }
            System.out.printf(Locale.ROOT, "| %s | %s | %s | **%s** | %s |%n", impls[m], spread(cpuPerInsert[m], "%.0f"),
                    spread(wallPerInsert[m], "%.0f"), spread(byCpu, "%.2f"), spread(byWall, "%.2f"));
        }
    }

    /** Fills a new map; returns {CPU ns of the inserting threads, wall ns}. */
    private static long[] fill(String impl, Object[] keys, int threads) throws InterruptedException {
        System.gc();
        ConcurrentMap<Object, Object> map = Maps.create(impl);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long[] cpu = new long[threads];
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            ts[t] = new Thread(() -> {
                long c0 = mx.getCurrentThreadCpuTime();
                for (int i = id; i < keys.length; i += threads) map.put(keys[i], VALUE);
                cpu[id] = mx.getCurrentThreadCpuTime() - c0;
            });
        }
        long w0 = System.nanoTime();
        for (Thread t : ts) t.start();
        for (Thread t : ts) t.join();
        long wall = System.nanoTime() - w0;
        if (map.size() != keys.length) throw new IllegalStateException(impl + ": size " + map.size());
        return new long[] {Arrays.stream(cpu).sum(), wall};
    }

    private static String spread(double[] v, String fmt) {
        double[] s = v.clone();
        Arrays.sort(s);
        return String.format(Locale.ROOT, fmt + " (" + fmt + ".." + fmt + ")", s[s.length / 2], s[0], s[s.length - 1]);
    }
}
