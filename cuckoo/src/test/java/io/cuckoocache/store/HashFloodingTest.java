package io.cuckoocache.store;

import io.cuckoocache.table.CuckooTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keys built to collide under the byte hash without its seed: {@link CuckooTable#hashBytes} chains an invertible
 * 64-bit mixer over 8-byte words, so with a known starting state any first word can be followed by a second word
 * that brings every key to the same state, and so to the same hash, bucket pair and tag. A store that hashed
 * without a secret per-store seed would put all but eight of them into its linearly searched stash (every miss
 * and insert scanning all of them), or, without the stash, grow forever. With the seed they spread like any keys.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class HashFloodingTest {
    private static final int KEYS = 20_000;
    private static final int KEY_LENGTH = 16;

    /** Key {@code i} of a family whose unseeded hashes are all equal: words {@code i} and the one that cancels it. */
    static byte[] collidingKey(long i) {
        long state = mix64(KEY_LENGTH * 0x9E3779B97F4A7C15L ^ i);   // the state after the first word, seed 0
        long second = state ^ 0x5EED_C011_1DE5L;                      // every key then reaches this same state
        return ByteBuffer.allocate(KEY_LENGTH).order(ByteOrder.LITTLE_ENDIAN).putLong(i).putLong(second).array();
    }

    /** {@code CuckooTable}'s word mixer, restated so the attack needs nothing but the published algorithm. */
    private static long mix64(long x) {
        x *= 0xbf58476d1ce4e5b9L;
        x ^= x >>> 31;
        x *= 0x94d049bb133111ebL;
        return x ^ (x >>> 29);
    }

    @Test
    void theKeysReallyCollideWithoutTheSeed() {
        int h = CuckooTable.hashBytes(collidingKey(0), 0, KEY_LENGTH, 0L);
        for (int i = 1; i < KEYS; i++) {
            assertEquals(h, CuckooTable.hashBytes(collidingKey(i), 0, KEY_LENGTH, 0L), "key " + i);
        }
    }

    @Test
    void collidingKeysNeitherFillTheStashNorGrowTheTable() {
        ItemStore store = ItemStore.builder().memoryLimit(256L << 20).build();
        int initialSlots = store.table().slotCount();
        Outcome out = new Outcome();
        for (int i = 0; i < KEYS; i++) {
            byte[] key = collidingKey(i);
            assertEquals(Status.STORED, store.store(Mode.SET, key, 0, KEY_LENGTH, value(i), 0, 0, out));
        }
        CuckooTable table = store.table();
        assertEquals(KEYS, table.size());
        // Probe work: a lookup checks its two buckets and then the whole stash.
        assertTrue(table.stashSize() <= 8, "stash holds " + table.stashSize() + " of " + KEYS + " keys");
        // Growth only past half load: the table is at most four slots per key (plus what it started with).
        assertTrue(table.slotCount() <= 4L * KEYS + initialSlots,
                table.slotCount() + " slots for " + KEYS + " keys");
        for (int i = 0; i < KEYS; i++) {
            byte[] it = store.get(collidingKey(i), 0, KEY_LENGTH);
            assertArrayEquals(value(i), it == null ? null : Item.value(it), "key " + i);
        }
        StoreAudit.assertBooksBalance(store);
    }

    private static byte[] value(int i) {
        return Integer.toString(i).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
