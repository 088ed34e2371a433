package io.cuckoocache.bench;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.ThreadParams;

import java.util.SplittableRandom;

/**
 * One benchmark thread's position in the probe arrays, its two value objects and its read/write patterns.
 * Threads start at different random offsets. A put stores {@link #value()}, which alternates between this thread's
 * two objects each time the cursor wraps, so an overwrite always changes the stored value (no map can skip it as a
 * no-op) and nothing is allocated per operation.
 */
@State(Scope.Thread)
public class Cursor {
    /**
     * Length of the read/write patterns: a prime, so that a key's position in the pattern changes from one pass over
     * the probes to the next (with 1000 and sizes that are multiples of 1000, a fixed 10% of the keys would take all
     * the writes). 101 and 505 writes in 1009: 10.0% and 50.0%.
     */
    static final int PATTERN = 1009;

    int n;
    int i;
    int j;
    boolean odd;
    final Object valueA = new Object();
    final Object valueB = new Object();
    /** true = write: 101 resp. 505 of the 1009 entries, shuffled. */
    boolean[] writes10;
    boolean[] writes50;

    @Setup(Level.Trial)
    public void setup(MapData d, ThreadParams tp) {
        start(d.size, 1234 + tp.getThreadIndex());
    }

    /** Positions the cursor over {@code size} probes: a random start and shuffled patterns from {@code seed}. */
    final void start(int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        n = size;
        i = r.nextInt(n);
        writes10 = pattern(101, r);
        writes50 = pattern(505, r);
    }

    private static boolean[] pattern(int writes, SplittableRandom r) {
        boolean[] p = new boolean[PATTERN];
        for (int k = 0; k < writes; k++) p[k] = true;
        for (int k = PATTERN - 1; k > 0; k--) {
            int m = r.nextInt(k + 1);
            boolean t = p[k];
            p[k] = p[m];
            p[m] = t;
        }
        return p;
    }

    /** The next probe index. */
    int next() {
        int k = i + 1;
        if (k == n) {
            k = 0;
            odd = !odd;
        }
        i = k;
        return k;
    }

    /** The next pattern position. */
    int step() {
        int k = j + 1;
        if (k == PATTERN) k = 0;
        j = k;
        return k;
    }

    Object value() {
        return odd ? valueB : valueA;
    }
}
