package io.cuckoocache.map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * User keys whose {@code hashCode()} values are equal: no seed can separate them. Strings built from the blocks
 * "Aa" and "BB" (equal String hash codes) stand in for an attacker's keys. The map must stay exact and must not
 * grow for them; they go to the stash, a tree ordered by hash and then by {@code compareTo} where the keys are
 * mutually comparable: O(log n) comparisons per operation, counted here (no timing). Keys of any other hash code
 * must not pay for it. Colliding keys with no order, or a {@code compareTo} inconsistent with {@code equals}, must
 * still all be found.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class EqualHashCodesTest {
    private static final int KEYS = 10_000;

    /** {@code n} distinct strings of 14 blocks, each "Aa" or "BB": all with one hash code. */
    static List<String> equalHashStrings(int n) {
        List<String> keys = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder();
            for (int bit = 13; bit >= 0; bit--) sb.append((i >>> bit & 1) == 0 ? "Aa" : "BB");
            keys.add(sb.toString());
        }
        return keys;
    }

    @Test
    void tenThousandEqualHashCodesStayExactWithoutGrowth() {
        List<String> keys = equalHashStrings(KEYS);
        int hash = keys.get(0).hashCode();
        for (String k : keys) assertEquals(hash, k.hashCode());

        CuckooMap<String, Integer> map = new CuckooMap<>();
        for (int i = 0; i < KEYS; i++) assertNull(map.put(keys.get(i), i));
        for (int i = 0; i < 1000; i++) map.put("other" + i, -i);
        assertEquals(KEYS + 1000, map.size());
        // Stashed keys do not count towards the load that triggers growth: the table grows for the other keys only.
        assertTrue(map.table().slotCount() <= 4L * map.size(),
                map.table().slotCount() + " slots for " + map.size() + " entries");
        assertTrue(map.table().stashSize() >= KEYS - 8, "equal hash codes share two buckets; the rest are stashed");
        for (int i = 0; i < KEYS; i++) assertEquals(i, map.get(keys.get(i)));
        for (int i = 0; i < 1000; i++) assertEquals(-i, map.get("other" + i));
        for (int i = 0; i < KEYS; i += 2) assertEquals(i, map.remove(keys.get(i)));
        for (int i = 0; i < KEYS; i++) assertEquals(i % 2 == 0 ? null : (Integer) i, map.get(keys.get(i)));
        assertEquals(KEYS / 2 + 1000, map.size());
    }

    /** Lookups, inserts and removals of other hash codes compare no stashed key: a full stash costs them nothing. */
    @Test
    void otherHashCodesSkipTheStash() {
        AtomicInteger equalsCalls = new AtomicInteger();
        CuckooMap<CountedKey, Integer> map = new CuckooMap<>();
        for (int i = 0; i < 2000; i++) map.put(new CountedKey(i, 42, equalsCalls), i);
        assertTrue(map.table().stashSize() >= 2000 - 8, "the equal hash codes are stashed");

        equalsCalls.set(0);
        for (int i = 0; i < 1000; i++) {
            CountedKey other = new CountedKey(-i, 1000 + i, equalsCalls);
            assertNull(map.get(other));
            assertNull(map.put(other, i));
            assertEquals(i, map.get(other));
            assertEquals(i, map.remove(other));
        }
        // Each operation may compare the few tag-matched residents of the probe's two buckets, never the stash's 2000.
        assertTrue(equalsCalls.get() < 4 * 1000 * 8, equalsCalls.get() + " calls of equals for 4000 operations");
        assertEquals(7, map.get(new CountedKey(7, 42, equalsCalls)));
    }

    /**
     * 100,000 comparable keys of one hash code: each put and each get costs O(log n) calls of {@code compareTo} and
     * {@code equals} (counted: the eight keys sharing the two buckets are compared by {@code equals} on every
     * probe, plus a root-to-leaf path of the stash's tree per search, and an insert searches twice and then inserts).
     */
    @Test
    void hundredThousandComparableEqualHashCodesCostLogarithmicComparisons() {
        int n = 100_000;
        long[] calls = new long[1];
        List<Ranked> keys = shuffledRanked(n, calls, false);
        CuckooMap<Ranked, Integer> map = new CuckooMap<>();
        long maxPut = 0;
        long maxPutBound = 0;
        for (int i = 0; i < n; i++) {
            long before = calls[0];
            assertNull(map.put(keys.get(i), i));
            long c = calls[0] - before;
            long bound = (long) (4 * log2(i + 1) + 16);
            assertTrue(c <= bound, c + " comparisons for put number " + (i + 1));
            maxPut = Math.max(maxPut, c);
            maxPutBound = Math.max(maxPutBound, bound);
        }
        assertEquals(n, map.size());
        assertTrue(map.table().stashSize() >= n - 8);
        long bound = (long) (4 * log2(n) + 16);
        long maxGet = 0;
        for (int i = 0; i < n; i++) {
            Ranked probe = new Ranked(keys.get(i).id, calls, false);
            long before = calls[0];
            assertEquals(i, map.get(probe));
            maxGet = Math.max(maxGet, calls[0] - before);
        }
        assertTrue(maxGet <= bound, maxGet + " comparisons for one get");
        long before = calls[0];
        assertNull(map.get(new Ranked(n + 1, calls, false)));
        assertTrue(calls[0] - before <= bound, "a miss");
        for (int i = 0; i < n; i += 2) {
            before = calls[0];
            assertEquals(i, map.remove(new Ranked(keys.get(i).id, calls, false)));
            assertTrue(calls[0] - before <= bound, "a remove");
        }
        for (int i = 0; i < n; i++) {
            assertEquals(i % 2 == 0 ? null : (Integer) i, map.get(new Ranked(keys.get(i).id, calls, false)));
        }
        assertEquals(n / 2, map.size());
    }

    /** compareTo ties unequal keys (groups of eight compare equal): every key is still found, at a bounded cost. */
    @Test
    void compareToInconsistentWithEqualsStillFindsEveryKey() {
        int n = 20_000;
        long[] calls = new long[1];
        List<Ranked> keys = shuffledRanked(n, calls, true);
        CuckooMap<Ranked, Integer> map = new CuckooMap<>();
        for (int i = 0; i < n; i++) assertNull(map.put(keys.get(i), i));
        long maxGet = 0;
        for (int i = 0; i < n; i++) {
            Ranked probe = new Ranked(keys.get(i).id, calls, true);
            long before = calls[0];
            assertEquals(i, map.get(probe), "key " + probe.id);
            maxGet = Math.max(maxGet, calls[0] - before);
        }
        // A group of eight ties is searched on both sides; the rest of the path is still decided by compareTo.
        assertTrue(maxGet <= 4 * log2(n) + 16 + 2 * 8, maxGet + " comparisons for one get");
        for (int i = 0; i < n; i += 3) assertEquals(i, map.replace(new Ranked(keys.get(i).id, calls, true), -i));
        for (int i = 1; i < n; i += 3) assertEquals(i, map.remove(new Ranked(keys.get(i).id, calls, true)));
        for (int i = 0; i < n; i++) {
            Integer expected = i % 3 == 0 ? (Integer) (-i) : i % 3 == 1 ? null : (Integer) i;
            assertEquals(expected, map.get(new Ranked(keys.get(i).id, calls, true)), "key " + keys.get(i).id);
        }
        int seen = 0;
        for (Ranked k : map.keySet()) seen++;
        assertEquals(map.size(), seen);
    }

    /** Colliding keys with no order at all (and Strings of the same hash code among them): all found (no cost bound). */
    @Test
    void incomparableEqualHashCodesAreAllFound() {
        AtomicInteger equalsCalls = new AtomicInteger();
        List<String> strings = equalHashStrings(1000);
        int hash = strings.get(0).hashCode();
        CuckooMap<Object, Integer> map = new CuckooMap<>();
        for (int i = 0; i < 1000; i++) {
            map.put(new CountedKey(i, hash, equalsCalls), i);
            map.put(strings.get(i), -i);
        }
        assertEquals(2000, map.size());
        for (int i = 0; i < 1000; i++) {
            assertEquals(i, map.get(new CountedKey(i, hash, equalsCalls)));
            assertEquals(-i, map.get(strings.get(i)));
        }
        for (int i = 0; i < 1000; i += 2) {
            assertEquals(i, map.remove(new CountedKey(i, hash, equalsCalls)));
            assertEquals(-i, map.remove(strings.get(i)));
        }
        for (int i = 0; i < 1000; i++) {
            assertEquals(i % 2 == 0 ? null : (Integer) i, map.get(new CountedKey(i, hash, equalsCalls)));
            assertEquals(i % 2 == 0 ? null : (Integer) (-i), map.get(strings.get(i)));
        }
        map.clear();
        assertEquals(0, map.size());
        assertEquals(0, map.table().stashSize());
        assertNull(map.get(strings.get(1)));
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    /** Keys 0..n-1 in a fixed random order. */
    private static List<Ranked> shuffledRanked(int n, long[] calls, boolean tied) {
        List<Ranked> keys = new ArrayList<>(n);
        for (int i = 0; i < n; i++) keys.add(new Ranked(i, calls, tied));
        java.util.Collections.shuffle(keys, new java.util.Random(11));
        return keys;
    }

    /**
     * A comparable key whose hash code is constant, counting its calls of {@code compareTo} and {@code equals}; with
     * {@code tied}, {@code compareTo} only compares {@code id / 8}, so it is inconsistent with {@code equals}.
     */
    static final class Ranked implements Comparable<Ranked> {
        final int id;
        final long[] calls;
        final boolean tied;

        Ranked(int id, long[] calls, boolean tied) {
            this.id = id;
            this.calls = calls;
            this.tied = tied;
        }

        @Override
        public int compareTo(Ranked o) {
            calls[0]++;
            return tied ? Integer.compare(id / 8, o.id / 8) : Integer.compare(id, o.id);
        }

        @Override
        public boolean equals(Object o) {
            calls[0]++;
            return o instanceof Ranked r && r.id == id;
        }

        @Override
        public int hashCode() {
            return 42;
        }
    }

    /** A key with a chosen hash code that counts the calls of its {@code equals}. */
    private record CountedKey(int id, int hash, AtomicInteger equalsCalls) {
        @Override
        public boolean equals(Object o) {
            equalsCalls.incrementAndGet();
            return o instanceof CountedKey k && k.id == id;
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
