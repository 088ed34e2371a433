package io.cuckoocache.store;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.cuckoocache.store.Fixture.T0;
import static io.cuckoocache.store.Fixture.b;
import static io.cuckoocache.store.Fixture.str;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** forEachLive and restore: a store copied item by item into another keeps values, flags, CAS and expiry. */
class RestoreTest {

    /** Copies every live item of {@code from} into {@code to} as a warm restart does, through prepare and restore. */
    private static int copy(ItemStore from, ItemStore to) {
        List<byte[]> items = new ArrayList<>();
        List<Long> ends = new ArrayList<>();
        from.forEachLive((it, end) -> {
            items.add(it);
            ends.add(end);
        });
        Outcome out = new Outcome();
        int stored = 0;
        for (int i = 0; i < items.size(); i++) {
            byte[] it = items.get(i);
            byte[] p = to.prepare(it, Item.keyOffset(it), Item.keyLength(it), Item.flags(it), Item.valueLength(it));
            System.arraycopy(it, Item.valueOffset(it), p, Item.valueOffset(p), Item.valueLength(it));
            if (to.restore(p, Item.cas(it), ends.get(i), out) == Status.STORED) stored++;
        }
        return stored;
    }

    @Test
    void valuesFlagsCasAndExpiryCarryOver() {
        Fixture a = new Fixture();
        Map<String, Long> cas = new HashMap<>();
        for (int i = 0; i < 500; i++) {
            a.set("k" + i, "value-" + i, i % 3 == 0 ? 0 : 0x8000_0000 | i, i % 2 == 0 ? 0 : 100 + i);
            cas.put("k" + i, Item.cas(a.item("k" + i)));
        }
        a.advance(30);
        Fixture b = new Fixture();
        b.now.set(a.now.get());
        assertEquals(500, copy(a.store, b.store));
        for (int i = 0; i < 500; i++) {
            byte[] it = b.item("k" + i);
            assertEquals("value-" + i, str(Item.value(it)));
            assertEquals(i % 3 == 0 ? 0 : 0x8000_0000 | i, Item.flags(it));
            assertEquals(cas.get("k" + i), Item.cas(it));
            assertEquals(i % 2 == 0 ? 0 : T0 + 100 + i, Item.expiresAt(it));
        }
        assertEquals(500, b.stat("curr_items"));
        assertEquals(a.stat("bytes"), b.stat("bytes"));
        assertEquals(0, b.stat("cmd_set"));
        StoreAudit.assertBooksBalance(b.store);
    }

    @Test
    void remainingTtlIsTheSavedExpiryLessTheTimeAway() {
        Fixture a = new Fixture();
        a.set("k", "v", 0, 1000);
        Fixture b = new Fixture();
        b.now.set(T0 + 400); // "restarted" 400 s later
        copy(a.store, b.store);
        b.store.meta().get(b("k"), 0, 1, b.request, b.out);
        assertEquals(600, b.out.ttl());
        b.advance(600);
        assertNull(b.get("k"));
    }

    @Test
    void itemsExpiredMeanwhileAreDropped() {
        Fixture a = new Fixture();
        a.set("short", "v", 0, 10);
        a.set("long", "v", 0, 1000);
        a.set("forever", "v", 0, 0);
        Fixture b = new Fixture();
        b.now.set(T0 + 10);
        assertEquals(2, copy(a.store, b.store));
        assertNull(b.get("short"));
        assertEquals("v", b.get("long"));
        assertEquals("v", b.get("forever"));
        assertEquals(2, b.stat("curr_items"));
    }

    @Test
    void forEachLiveSkipsDeadItems() {
        Fixture a = new Fixture();
        a.set("old", "v");
        a.store.flushAll(0);
        a.set("expiring", "v", 0, 5);
        a.set("kept", "v");
        a.advance(5);
        List<String> keys = new ArrayList<>();
        a.store.forEachLive((it, end) -> keys.add(new String(it, Item.keyOffset(it), Item.keyLength(it))));
        assertEquals(List.of("kept"), keys);
    }

    /** memcached saves a delayed flush_all's moment; here it becomes the end of every item it will flush. */
    @Test
    void aPendingDelayedFlushEndsTheRestoredItemsOnTime() {
        Fixture a = new Fixture();
        a.set("forever", "v");
        a.set("soon", "v", 0, 50);
        a.set("later", "v", 0, 500);
        a.store.flushAll(100);
        Fixture b = new Fixture();
        b.now.set(T0 + 10);
        assertEquals(3, copy(a.store, b.store));
        assertEquals(T0 + 100, Item.expiresAt(b.item("forever")));
        assertEquals(T0 + 50, Item.expiresAt(b.item("soon")));
        assertEquals(T0 + 100, Item.expiresAt(b.item("later")));
        b.advance(90);
        assertNull(b.get("forever"));
        assertNull(b.get("later"));
        b.set("after", "v"); // the new store has no flush pending: what is stored now stays
        b.advance(1000);
        assertEquals("v", b.get("after"));

        Fixture done = new Fixture();
        done.set("old", "v");
        done.store.flushAll(0);
        done.set("new", "v");
        List<Long> ends = new ArrayList<>();
        done.store.forEachLive((it, end) -> ends.add(end));
        assertEquals(List.of(0L), ends, "a flush already done changes nothing for what came after it");
    }

    @Test
    void casCounterContinuesAboveTheLargestRestored() {
        Fixture b = new Fixture();
        byte[] p = b.store.prepare(b("k"), 0, 1, 0, 1);
        assertEquals(Status.STORED, b.store.restore(p, 1_000_000, 0, b.out));
        byte[] q = b.store.prepare(b("j"), 0, 1, 0, 1);
        assertEquals(Status.STORED, b.store.restore(q, 5, 0, b.out)); // a smaller one does not lower it
        b.set("new", "x");
        assertEquals(1_000_001, Item.cas(b.item("new")));
        b.set("k", "y");
        assertEquals(1_000_002, Item.cas(b.item("k")));
    }

    @Test
    void theSavedCounterKeepsDeletedItemsUniquesFromComingBack() {
        Fixture a = new Fixture();
        a.set("kept", "v");
        a.set("gone", "v");
        long goneCas = Item.cas(a.item("gone"));
        a.delete("gone");
        long saved = a.store.casCounter(0);
        assertEquals(goneCas, saved);
        assertEquals(saved, a.store.casCounter(0), "reading does not move it");

        Fixture b = new Fixture();
        copy(a.store, b.store);
        assertEquals(saved - 1, b.store.casCounter(0), "the largest restored unique only");
        assertEquals(saved, b.store.casCounter(saved));
        assertEquals(saved, b.store.casCounter(1), "never down");
        b.set("gone", "new");
        assertEquals(saved + 1, Item.cas(b.item("gone")));
        assertEquals(0, new Fixture(ItemStore.builder().casEnabled(false)).store.casCounter(99));
    }

    @Test
    void aLiveItemWinsOverTheSavedOne() {
        Fixture b = new Fixture();
        b.set("k", "newer");
        byte[] p = b.store.prepare(b("k"), 0, 1, 0, 5);
        System.arraycopy(b("older"), 0, p, Item.valueOffset(p), 5);
        assertEquals(Status.NOT_STORED, b.store.restore(p, 77, 0, b.out));
        assertEquals("newer", b.get("k"));
        assertEquals(1, b.stat("curr_items"));
    }

    @Test
    void casOffStoresZeroAndZeroCasTakesTheNextUnique() {
        Fixture off = new Fixture(ItemStore.builder().casEnabled(false));
        byte[] p = off.store.prepare(b("k"), 0, 1, 0, 0);
        assertEquals(Status.STORED, off.store.restore(p, 42, 0, off.out));
        assertEquals(0, Item.cas(off.item("k")));

        Fixture on = new Fixture();
        on.set("a", "v");
        byte[] q = on.store.prepare(b("k"), 0, 1, 0, 0);
        assertEquals(Status.STORED, on.store.restore(q, 0, 0, on.out));
        assertEquals(Item.cas(on.item("a")) + 1, Item.cas(on.item("k")));
    }

    @Test
    void limitsApplyAsToASet() {
        Fixture small = new Fixture(ItemStore.builder().itemSizeMax(1024).evictionsEnabled(false).memoryLimit(4096));
        byte[] big = small.store.prepare(b("big"), 0, 3, 0, 2000);
        assertEquals(Status.TOO_LARGE, small.store.restore(big, 1, 0, small.out));
        Status last = Status.STORED;
        for (int i = 0; i < 20 && last == Status.STORED; i++) {
            byte[] p = small.store.prepare(b("k" + i), 0, ("k" + i).length(), 0, 500);
            last = small.store.restore(p, 1 + i, 0, small.out);
        }
        assertEquals(Status.OUT_OF_MEMORY, last);
        assertTrue(small.stat("bytes") <= 4096);
        assertThrows(IllegalArgumentException.class,
                () -> small.store.restore(small.store.prepare(b("x"), 0, 1, 0, 0), 1, 1L << 32, small.out));
        assertThrows(IllegalArgumentException.class,
                () -> small.store.restore(small.store.prepare(b("x"), 0, 1, 0, 0), 1, -1, small.out));
    }

    @Test
    void keyReadsInPlace() {
        Fixture a = new Fixture();
        a.set("some-key", "v");
        byte[] it = a.item("some-key");
        assertArrayEquals(b("some-key"),
                java.util.Arrays.copyOfRange(it, Item.keyOffset(it), Item.keyOffset(it) + Item.keyLength(it)));
    }
}
