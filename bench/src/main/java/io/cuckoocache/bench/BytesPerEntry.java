package io.cuckoocache.bench;

import io.cuckoocache.map.CuckooMap;
import org.openjdk.jol.info.GraphLayout;
import org.openjdk.jol.vm.VM;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentMap;

/**
 * Bytes per entry of each map, excluding the key and value objects: JOL's
 * {@code GraphLayout.parseInstance(map).totalSize()} minus the keys' and the value's own sizes, divided by the number
 * of entries. Two kinds of rows:
 * <ul>
 * <li><b>sweep</b>: a default-constructed map filled to each of the given sizes;</li>
 * <li><b>growth</b>: the same map right before and right after each of its growths within the sweep (found by
 * filling once while watching the capacity, then refilling exactly as far as the row needs: CuckooMap is built with
 * a fixed seed for this, so the refill repeats the first fill).</li>
 * </ul>
 * With {@code --fill-points P}, a third kind: <b>fill average</b>, the mean of bytes/entry at P points evenly spaced
 * over a fill to the largest size (at max/P, 2 max/P, ... max), and its ratio to the last map's (the "averaged
 * over a fill, not only at 95 % load"). A CuckooMap sampled right after a growth still holds the old generation
 * while writers migrate it, so the "after growth" rows show its peak.
 * The value is one shared object, so values cost nothing but the map's reference to them.
 * <p>
 * Usage: {@code java -Djdk.attach.allowAttachSelf=true --add-opens java.base/java.util.concurrent=ALL-UNNAMED
 * -Xmx8g -cp benchmarks.jar io.cuckoocache.bench.BytesPerEntry [--sizes 100000,500000,1000000,2000000]
 * [--impls cuckoo,chm,nbhm] [--keys int|key16] [--growth-from 100000] [--fill-points 0]}. About a minute with the
 * defaults.
 */
public final class BytesPerEntry {
    private static final Object VALUE = new Object();
    private static final int SEED = 0x2545F491;

    private BytesPerEntry() {
    }

    public static void main(String[] args) {
        Args a = new Args(args);
        long[] sizes = a.longs("--sizes", "100000,500000,1000000,2000000");
        String[] impls = a.strings("--impls", "cuckoo,chm,nbhm");
        String kind = a.string("--keys", Keys.INT);
        long growthFrom = a.longs("--growth-from", "100000")[0];
        int fillPoints = (int) a.longs("--fill-points", "0")[0];
        long max = 0;
        for (long s : sizes) max = Math.max(max, s);

        System.out.println(VM.current().details());
        Object[] keys = Keys.make(kind, 0, (int) max);
        long keySize = VM.current().sizeOf(keys[0]);
        long valueSize = VM.current().sizeOf(VALUE);
        System.out.printf(Locale.ROOT, "keys: %s (%d B each, excluded), value: one shared object (%d B, excluded)%n%n",
                kind, keySize, valueSize);
        System.out.println("| map | row | entries | capacity (slots) | load | map bytes (no keys/values) | bytes/entry |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|");

        if (fillPoints > 0) {
            fillAverage(impls, keys, fillPoints, keySize, valueSize);
            return;
        }
        for (String impl : impls) {
            // Sweep, and the growth points on the way.
            ConcurrentMap<Object, Object> map = newMap(impl);
            List<Long> growthAt = new ArrayList<>();
            long cap = Maps.capacity(map);
            int next = 0;
            for (int i = 0; i < max; i++) {
                map.put(keys[i], VALUE);
                long c = Maps.capacity(map);
                if (c != cap && i + 1 >= growthFrom) growthAt.add((long) i + 1);
                cap = c;
                if (next < sizes.length && i + 1 == sizes[next]) {
                    row(impl, "sweep", map, i + 1, keySize, valueSize);
                    next++;
                }
            }
            map = null;
            // Right before and right after each growth: refill exactly to that point.
            for (long k : growthAt) {
                ConcurrentMap<Object, Object> m = newMap(impl);
                for (int i = 0; i < k - 1; i++) m.put(keys[i], VALUE);
                row(impl, "before growth", m, k - 1, keySize, valueSize);
                m.put(keys[(int) k - 1], VALUE);
                row(impl, "after growth", m, k, keySize, valueSize);
            }
        }
    }

    /** Mean bytes/entry over {@code points} evenly spaced sizes of one fill to {@code max}, per map. */
    private static void fillAverage(String[] impls, Object[] keys, int points, long keySize, long valueSize) {
        int max = keys.length;
        double[] mean = new double[impls.length];
        for (int m = 0; m < impls.length; m++) {
            ConcurrentMap<Object, Object> map = newMap(impls[m]);
            int done = 0;
            double sum = 0;
            for (int p = 1; p <= points; p++) {
                int n = (int) ((long) max * p / points);
                for (; done < n; done++) map.put(keys[done], VALUE);
                sum += row(impls[m], "fill point " + p, map, n, keySize, valueSize);
            }
            mean[m] = sum / points;
        }
        System.out.println();
        System.out.println("| map | mean bytes/entry over the fill | ratio to " + impls[impls.length - 1] + " |");
        System.out.println("|---|---:|---:|");
        for (int m = 0; m < impls.length; m++) {
            System.out.printf(Locale.ROOT, "| %s | %.1f | %.3f |%n", impls[m], mean[m], mean[m] / mean[impls.length - 1]);
        }
    }

    private static ConcurrentMap<Object, Object> newMap(String impl) {
        // The same as the default constructor (initial capacity 16) but with a fixed seed, so refills repeat.
        return Maps.CUCKOO.equals(impl) ? Maps.seededCuckoo(16, SEED) : Maps.create(impl);
    }

    private static double row(String impl, String what, ConcurrentMap<Object, Object> map, long n, long keySize,
                              long valueSize) {
        if (map.size() != n) throw new IllegalStateException(impl + " holds " + map.size() + " not " + n);
        System.gc();
        GraphLayout layout = GraphLayout.parseInstance(map);
        long total = layout.totalSize();
        Class<?> keyClass = null;
        for (Class<?> c : layout.getClasses()) {
            if (c == Integer.class || c == Key16.class) keyClass = c;
        }
        long keyCount = keyClass == null ? 0 : layout.getClassCounts().count(keyClass);
        if (keyCount != n) throw new IllegalStateException(impl + ": " + keyCount + " key objects for " + n + " entries");
        long bytes = total - n * keySize - valueSize;
        long cap = Maps.capacity(map);
        String capText = cap < 0 ? "?" : Long.toString(cap);
        String load = cap <= 0 ? "?" : String.format(Locale.ROOT, "%.3f", (double) n / cap);
        String extra = "";
        if (map instanceof CuckooMap) {
            extra = String.format(Locale.ROOT, " (engine's own estimate: %.1f)",
                    (double) Maps.cuckooTable((CuckooMap<?, ?>) map).tableBytes() / n);
        }
        System.out.printf(Locale.ROOT, "| %s | %s | %d | %s | %s | %d | %.1f%s |%n",
                impl, what, n, capText, load, bytes, (double) bytes / n, extra);
        System.out.flush();
        return (double) bytes / n;
    }
}
