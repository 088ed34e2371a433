package io.cuckoocache.bench;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentMap;

/**
 * A map filled with {@code size} keys, shared by all benchmark threads, and the probes to look it up with.
 * <ul>
 * <li>The map is made with its capacity constructor ({@link Maps#create(String, int)}: for CuckooMap and
 * ConcurrentHashMap the same table a default-constructed map grows to at these sizes, only faster to set up) and
 * filled by {@code put}. Its capacity and load are printed at setup.</li>
 * <li>{@link #hits} are equal copies of the resident keys (not the same objects), in a random permutation, allocated
 * in that order: walking the array, the probe objects stream through memory (as a freshly parsed request key would
 * be in cache) while the map's buckets, nodes and stored keys are touched in random order. Walking them in
 * insertion order instead would let ConcurrentHashMap's nodes, allocated in insertion order, be prefetched.</li>
 * <li>{@link #misses} are keys certainly absent from the map.</li>
 * </ul>
 */
@State(Scope.Benchmark)
public class MapData {
    @Param({Maps.CUCKOO, Maps.CHM, Maps.NBHM})
    public String impl;

    @Param({"1000000", "10000000"})
    public int size;

    @Param({Keys.INT, Keys.KEY16})
    public String keys;

    /** The value every resident key has after the fill. */
    static final Object INITIAL = new Object();

    public ConcurrentMap<Object, Object> map;
    public Object[] hits;
    public Object[] misses;

    @Setup(Level.Trial)
    public void fill() {
        map = Maps.create(impl, size);
        for (long i = 0; i < size; i++) {
            map.put(Keys.key(keys, i), INITIAL);
        }
        if (map.size() != size) throw new IllegalStateException(impl + " holds " + map.size() + " of " + size);
        int[] perm = permutation(size, 42);
        hits = new Object[size];
        for (int j = 0; j < size; j++) {
            hits[j] = Keys.key(keys, perm[j]);
        }
        misses = Keys.make(keys, size, size);
        for (int j = 0; j < 1000; j++) {
            if (map.get(hits[j]) == null) throw new IllegalStateException("resident key not found: " + hits[j]);
            if (map.get(misses[j]) != null) throw new IllegalStateException("absent key found: " + misses[j]);
        }
        long cap = Maps.capacity(map);
        System.out.printf(java.util.Locale.ROOT, "%n[setup] %s: %d entries, %d slots, load %.3f%n",
                impl, size, cap, cap > 0 ? (double) size / cap : Double.NaN);
        System.gc();
    }

    @TearDown(Level.Trial)
    public void check() {
        if (map.size() != size) throw new IllegalStateException(impl + " holds " + map.size() + " of " + size);
    }

    /** A random permutation of {@code 0..n-1} (Fisher-Yates, fixed seed). */
    static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
