package io.cuckoocache.bench;

import io.cuckoocache.map.CuckooMap;
import org.HdrHistogram.Histogram;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Get latency while the table grows. A writer thread inserts {@code --max} keys into a default-constructed map (so
 * it doubles again and again); a reader thread meanwhile times single {@code get} calls of keys already inserted
 * (chosen at random among those the writer has published) with {@code System.nanoTime()} around each call, into an
 * HdrHistogram. Gets that began or ended while the map was resizing also go into a second histogram. After the
 * writer is done, the reader times {@code --quiet-gets} more gets on the now static map: that "quiet" histogram is
 * the noise floor of this machine in the same run (scheduling, GC, timer), to read the others against.
 * Every timed get must find its key; a miss is counted and reported (it would be a correctness bug).
 * <p>
 * Maps run interleaved (A, B, A, B ...) for {@code --rounds} rounds after one unreported warmup fill each.
 * Bounded: at most {@code --max} inserts and {@code --time-limit-s} seconds per fill.
 * <p>
 * Usage: {@code java -Xms6g -Xmx6g --add-opens java.base/java.util.concurrent=ALL-UNNAMED -cp benchmarks.jar
 * io.cuckoocache.bench.GrowthLatency [--impls cuckoo,chm] [--max 8388608] [--rounds 3] [--keys int]
 * [--time-limit-s 60] [--quiet-gets 2000000] [--warmup-max 1048576]}. About 1-2 minutes with the defaults.
 */
public final class GrowthLatency {
    private static final Object VALUE = new Object();
    private static final long HIGHEST = 60_000_000_000L;

    private GrowthLatency() {
    }

    public static void main(String[] args) throws Exception {
        Args a = new Args(args);
        String[] impls = a.strings("--impls", "cuckoo,chm");
        int max = (int) a.longs("--max", "8388608")[0];
        int rounds = (int) a.longs("--rounds", "3")[0];
        String kind = a.string("--keys", Keys.INT);
        long limitNanos = a.longs("--time-limit-s", "60")[0] * 1_000_000_000L;
        long quietGets = a.longs("--quiet-gets", "2000000")[0];
        int warmupMax = (int) a.longs("--warmup-max", "1048576")[0];

        Object[] keys = Keys.make(kind, 0, max);
        Object[] probes = Keys.make(kind, 0, max);
        System.out.printf(Locale.ROOT, "keys: %s, fill to %d entries from a default-constructed map, %d rounds%n",
                kind, max, rounds);
        for (String impl : impls) {
            run(impl, keys, probes, Math.min(warmupMax, max), limitNanos, quietGets / 4);
            System.out.println("warmed up: " + impl);
        }
        Map<String, Result> total = new LinkedHashMap<>();
        System.out.println();
        System.out.println("| round | map | inserts | resizes | fill s | gets | get p50 us | get p99.9 us | get max us "
                + "| gets in resize | in-resize p99.9 us | in-resize max us | put p99.9 us | put max us "
                + "| quiet p99.9 us | quiet max us | GCs (ms) | misses |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int r = 1; r <= rounds; r++) {
            for (String impl : impls) {
                Result res = run(impl, keys, probes, max, limitNanos, quietGets);
                System.out.println(res.row(Integer.toString(r)));
                total.computeIfAbsent(impl, Result::new).add(res);
            }
        }
        System.out.println();
        System.out.println("All rounds merged:");
        System.out.println();
        System.out.println("| map | get p99 us | get p99.9 us | get max us | in-resize p99.9 us | in-resize max us "
                + "| put max us | quiet p99.9 us | quiet max us | misses |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Result t : total.values()) {
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %d |%n", t.impl,
                    us(t.gets.getValueAtPercentile(99)), us(t.gets.getValueAtPercentile(99.9)), us(t.gets.getMaxValue()),
                    us(t.inResize.getValueAtPercentile(99.9)), us(t.inResize.getMaxValue()), us(t.puts.getMaxValue()),
                    us(t.quiet.getValueAtPercentile(99.9)), us(t.quiet.getMaxValue()), t.misses);
        }
        boolean anyMiss = total.values().stream().anyMatch(t -> t.misses > 0);
        if (anyMiss) {
            System.out.println("ERROR: a get of a resident key returned null");
            System.exit(1);
        }
    }

    private static Result run(String impl, Object[] keys, Object[] probes, int n, long limitNanos, long quietGets)
            throws InterruptedException {
        System.gc();
        ConcurrentMap<Object, Object> map = Maps.create(impl);
        BooleanSupplier resizing = Maps.resizing(map);
        Result res = new Result(impl);
        AtomicInteger published = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        long[] gc0 = gcTotals();
        long start = System.nanoTime();
        long deadline = start + limitNanos;
        long initialCapacity = Maps.capacity(map);

        Thread writer = new Thread(() -> {
            Histogram puts = res.puts;
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                map.put(keys[i], VALUE);
                long t1 = System.nanoTime();
                puts.recordValue(Math.min(t1 - t0, HIGHEST));
                published.lazySet(i + 1);
                if ((i & 1023) == 0 && t1 > deadline) break;
            }
            res.inserts = published.get();
            done.set(true);
        }, "writer");

        Thread reader = new Thread(() -> {
            long rnd = 0x9E3779B97F4A7C15L;
            Histogram gets = res.gets;
            Histogram inResize = res.inResize;
            long misses = 0;
            while (!done.get()) {
                for (int batch = 0; batch < 256; batch++) {
                    int m = published.get();
                    if (m == 0) continue;
                    rnd ^= rnd << 13;
                    rnd ^= rnd >>> 7;
                    rnd ^= rnd << 17;
                    int idx = (int) (((rnd >>> 32) * m) >>> 32);
                    Object probe = probes[idx];
                    boolean g0 = resizing.getAsBoolean();
                    long t0 = System.nanoTime();
                    Object v = map.get(probe);
                    long t1 = System.nanoTime();
                    boolean g1 = resizing.getAsBoolean();
                    long d = Math.min(t1 - t0, HIGHEST);
                    gets.recordValue(d);
                    if (g0 || g1) inResize.recordValue(d);
                    if (v == null) misses++;
                }
                if (System.nanoTime() > deadline + 5_000_000_000L) break;
            }
            int m = published.get();
            Histogram quiet = res.quiet;
            for (long q = 0; q < quietGets && m > 0; q++) {
                rnd ^= rnd << 13;
                rnd ^= rnd >>> 7;
                rnd ^= rnd << 17;
                int idx = (int) (((rnd >>> 32) * m) >>> 32);
                long t0 = System.nanoTime();
                Object v = map.get(probes[idx]);
                long t1 = System.nanoTime();
                quiet.recordValue(Math.min(t1 - t0, HIGHEST));
                if (v == null) misses++;
            }
            res.misses = misses;
        }, "reader");

        reader.start();
        writer.start();
        writer.join();
        reader.join();
        res.fillNanos = System.nanoTime() - start;
        long[] gc1 = gcTotals();
        res.gcCount = gc1[0] - gc0[0];
        res.gcMillis = gc1[1] - gc0[1];
        long cap = Maps.capacity(map);
        res.resizes = map instanceof CuckooMap
                ? Maps.cuckooTable((CuckooMap<?, ?>) map).growths()
                : (cap > 0 ? Long.numberOfTrailingZeros(cap / Math.max(16, initialCapacity)) : -1);
        if (map.size() != res.inserts) throw new IllegalStateException(impl + " size " + map.size());
        return res;
    }

    private static long[] gcTotals() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, b.getCollectionCount());
            millis += Math.max(0, b.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    private static String us(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1000.0);
    }

    private static final class Result {
        final String impl;
        final Histogram gets = new Histogram(HIGHEST, 3);
        final Histogram inResize = new Histogram(HIGHEST, 3);
        final Histogram puts = new Histogram(HIGHEST, 3);
        final Histogram quiet = new Histogram(HIGHEST, 3);
        long inserts;
        long resizes;
        long misses;
        long fillNanos;
        long gcCount;
        long gcMillis;

        Result(String impl) {
            this.impl = impl;
        }

        void add(Result r) {
            gets.add(r.gets);
            inResize.add(r.inResize);
            puts.add(r.puts);
            quiet.add(r.quiet);
            misses += r.misses;
        }

        String row(String round) {
            return String.format(Locale.ROOT,
                    "| %s | %s | %d | %d | %.1f | %d | %s | %s | %s | %d | %s | %s | %s | %s | %s | %s | %d (%d) | %d |",
                    round, impl, inserts, resizes, fillNanos / 1e9, gets.getTotalCount(),
                    us(gets.getValueAtPercentile(50)), us(gets.getValueAtPercentile(99.9)), us(gets.getMaxValue()),
                    inResize.getTotalCount(), us(inResize.getValueAtPercentile(99.9)), us(inResize.getMaxValue()),
                    us(puts.getValueAtPercentile(99.9)), us(puts.getMaxValue()),
                    us(quiet.getValueAtPercentile(99.9)), us(quiet.getMaxValue()), gcCount, gcMillis, misses);
        }
    }
}
