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
 * grow without bound for them; they go to the stash, whose cost (linear in the keys of that one hash code) the
 * module README states. Keys of any other hash code must not pay for it.
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
        // The load that triggers growth counts stashed keys too, so the table grows as if they were in it: bounded
        // (growth needs half load, so at most four slots per entry), never endless.
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
