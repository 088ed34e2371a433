package io.cuckoocache.store;

import io.cuckoocache.table.Cursor;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.cuckoocache.store.Fixture.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A traversal of the store's table returns every item present throughout exactly once, although each update
 * replaces the key object the table holds (the item is its own key) while hops move keys across the cursor. The
 * cursor's records of moved keys are by identity, so they must follow the replacement ({@code Cursor.onReplace});
 * without it keys are returned twice (checked by planting that bug: this test then fails within a few traversals).
 */
class CursorOverItemsTest {
    private static final int RESIDENTS = 1500;
    /** Churned keys live at once: with the residents, about 90 % of the 4096 slots, so inserts hop but rarely grow. */
    private static final int WINDOW = 2200;
    private static final int TRAVERSALS = 2000;
    private static final long MAX_NANOS = 20_000_000_000L;

    @Test
    void everyResidentOnceWhileUpdatesReplaceKeyObjectsAndHopsMoveThem() throws Exception {
        ItemStore store = ItemStore.builder().memoryLimit(1L << 30).initialCapacity(3800).build();
        Outcome o = new Outcome();
        for (int i = 0; i < RESIDENTS; i++) set(store, "r" + i, o);
        int slots = store.table().slotCount();
        AtomicBoolean stop = new AtomicBoolean();
        long hopsBefore = store.table().hops();
        Thread churn = new Thread(() -> {
            Outcome out = new Outcome();
            for (int i = 0; !stop.get(); i++) {
                set(store, "c" + i, out);
                if (i >= WINDOW) delete(store, "c" + (i - WINDOW), out);
            }
        });
        Thread updater = new Thread(() -> {
            Outcome out = new Outcome();
            for (int i = 0; !stop.get(); i = (i + 1) % RESIDENTS) set(store, "r" + i, out);
        });
        churn.start();
        updater.start();
        String failure = null;
        int traversals = 0;
        long start = System.nanoTime();
        try {
            while (failure == null && traversals < TRAVERSALS && System.nanoTime() - start < MAX_NANOS) {
                failure = checkOnce(store.table().cursor());
                traversals++;
            }
        } finally {
            stop.set(true);
            churn.join();
            updater.join();
        }
        assertNull(failure, "traversal " + traversals);
        long hops = store.table().hops() - hopsBefore;
        assertTrue(hops > 5_000, "keys must have hopped: " + hops);
        assertEquals(slots, store.table().slotCount(), "the table must not have grown (a frozen table stops hops)");
    }

    /** Null when the cursor returns every resident exactly once, else what is wrong. */
    private static String checkOnce(Cursor c) {
        int[] seen = new int[RESIDENTS];
        while (c.advance()) {
            byte[] it = (byte[]) c.key();
            if (it != c.value()) return "the key object is not the item";
            String key = new String(it, Item.HEADER, Item.keyLength(it), StandardCharsets.US_ASCII);
            if (key.startsWith("r")) seen[Integer.parseInt(key.substring(1))]++;
        }
        for (int k = 0; k < RESIDENTS; k++) {
            if (seen[k] != 1) return "resident r" + k + " seen " + seen[k] + " times";
        }
        return null;
    }

    private static void set(ItemStore store, String key, Outcome out) {
        byte[] k = b(key);
        store.store(Mode.SET, k, 0, k.length, b("v"), 0, 0, out);
    }

    private static void delete(ItemStore store, String key, Outcome out) {
        byte[] k = b(key);
        store.delete(k, 0, k.length, out);
    }
}
