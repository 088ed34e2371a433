package io.cuckoocache.bench;

import io.cuckoocache.map.CuckooMap;

import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keys whose {@code hashCode()} values are all equal (issue #18): {@code --keys} distinct {@code Comparable} keys of
 * one hash code are put into a new map and then all got back, in a random order, for {@code CuckooMap} and
 * {@code ConcurrentHashMap} in the same JVM, alternating map by map for {@code --rounds} rounds. Prints each map's
 * put and get time per round and the CuckooMap / ConcurrentHashMap ratio of put + get. The probes of the gets are
 * equal copies of the stored keys. A round of either map that exceeds {@code --max-seconds} ends the run.
 * <p>
 * Usage: {@code java -cp benchmarks.jar io.cuckoocache.bench.CollidingKeys [--keys 100000] [--rounds 5]
 * [--max-seconds 20]}. Time: a few seconds with the stash tree (the target is under 1 s per CuckooMap
 * round of 100,000 keys).
 */
public final class CollidingKeys {
    private CollidingKeys() {
    }

    /** A comparable key with a constant hash code. */
    static final class Colliding implements Comparable<Colliding> {
        final int id;

        Colliding(int id) {
            this.id = id;
        }

        @Override
        public int compareTo(Colliding o) {
            return Integer.compare(id, o.id);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Colliding c && c.id == id;
        }

        @Override
        public int hashCode() {
            return 0x5EED;
        }
    }

    public static void main(String[] args) {
        Args a = new Args(args);
        int n = (int) a.longs("--keys", "100000")[0];
        int rounds = (int) a.longs("--rounds", "5")[0];
        long maxNanos = a.longs("--max-seconds", "20")[0] * 1_000_000_000L;

        Random r = new Random(42);
        Colliding[] puts = new Colliding[n];
        Colliding[] gets = new Colliding[n];
        int[] putOrder = permutation(n, r);
        int[] getOrder = permutation(n, r);
        for (int i = 0; i < n; i++) {
            puts[i] = new Colliding(putOrder[i]);
            gets[i] = new Colliding(getOrder[i]);
        }

        System.out.printf(Locale.ROOT, "%d distinct Comparable keys, one hash code; %d rounds of put all + get all%n",
                n, rounds);
        System.out.println("| round | CuckooMap put | get | ConcurrentHashMap put | get | ratio (put + get) |");
        System.out.println("|---:|---:|---:|---:|---:|---:|");
        for (int round = 1; round <= rounds; round++) {
            long[] cuckoo = run(new CuckooMap<>(), puts, gets);
            long[] chm = run(new ConcurrentHashMap<>(), puts, gets);
            System.out.printf(Locale.ROOT, "| %d | %.3f s | %.3f s | %.3f s | %.3f s | %.1f |%n", round,
                    cuckoo[0] / 1e9, cuckoo[1] / 1e9, chm[0] / 1e9, chm[1] / 1e9,
                    (double) (cuckoo[0] + cuckoo[1]) / (chm[0] + chm[1]));
            if (cuckoo[0] + cuckoo[1] > maxNanos || chm[0] + chm[1] > maxNanos) {
                System.out.println("a round exceeded --max-seconds: stopping");
                break;
            }
        }
    }

    /** Nanoseconds of putting all keys into {@code map}, then of getting all back (each answer checked). */
    private static long[] run(Map<Colliding, Integer> map, Colliding[] puts, Colliding[] gets) {
        Integer value = 1;
        long t0 = System.nanoTime();
        for (Colliding k : puts) map.put(k, value);
        long t1 = System.nanoTime();
        for (Colliding k : gets) {
            if (map.get(k) != value) throw new IllegalStateException("lost key " + k.id);
        }
        long t2 = System.nanoTime();
        if (map.size() != puts.length) throw new IllegalStateException("size " + map.size());
        return new long[] {t1 - t0, t2 - t1};
    }

    /** 0..n-1 in a random order (Fisher-Yates). */
    private static int[] permutation(int n, Random r) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int x = p[i];
            p[i] = p[j];
            p[j] = x;
        }
        return p;
    }
}
