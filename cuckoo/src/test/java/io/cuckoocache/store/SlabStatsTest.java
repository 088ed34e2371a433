package io.cuckoocache.store;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-class "stats items" and "stats slabs": each item where memcached would place it, each event counted there. */
class SlabStatsTest {
    private static String value(int n) {
        return "v".repeat(n);
    }

    @Test
    void itemsAndCommandsAreCountedInTheirClass() {
        Fixture f = new Fixture();
        f.set("a", "x");                 // 48 + 2 + 1 + 2 + 8 = 61: class 1 (96)
        f.set("bb", value(300), 5, 100); // 48 + 3 + 4 + 302 + 8 = 365: class 7 (384)
        f.get("a");
        f.get("bb");
        f.touch("a", 50);
        f.delete("a");
        f.set("n", "5");
        f.incr("n", 2);
        f.decr("n", 1);
        f.store(Mode.CAS, "n", "z", 0, 0, 999);
        Map<String, String> items = f.store.itemStats();
        assertEquals("1", items.get("items:1:number"));
        assertEquals("61", items.get("items:1:mem_requested"));
        assertEquals("1", items.get("items:7:number"));
        assertEquals("365", items.get("items:7:mem_requested"));
        assertEquals(56, items.size(), "two classes of 28 names");
        Map<String, String> slabs = f.store.slabStats();
        assertEquals("96", slabs.get("1:chunk_size"));
        assertEquals("10922", slabs.get("1:chunks_per_page"));
        assertEquals("1", slabs.get("1:total_pages"));
        assertEquals("1", slabs.get("1:used_chunks"));
        assertEquals("10921", slabs.get("1:free_chunks"));
        assertEquals("1", slabs.get("1:get_hits"));
        assertEquals("3", slabs.get("1:cmd_set"), "set a, set n, cas n");
        assertEquals("1", slabs.get("1:delete_hits"));
        assertEquals("1", slabs.get("1:incr_hits"));
        assertEquals("1", slabs.get("1:decr_hits"));
        assertEquals("1", slabs.get("1:cas_badval"));
        assertEquals("1", slabs.get("1:touch_hits"));
        assertEquals("1", slabs.get("7:get_hits"));
        assertEquals("2", slabs.get("active_slabs"));
        assertEquals(Long.toString(2L << 20), slabs.get("total_malloced"));
        assertEquals(2, f.stat("get_hits"), "the totals are the classes' sums");
        assertEquals(4, f.stat("cmd_set"));
    }

    @Test
    void pagesStayAfterTheirItemsGoAndGrowWithTheMostChunksInUse() {
        Fixture f = new Fixture(ItemStore.builder().memoryLimit(256L << 20).itemSizeMax(2 << 20));
        String v = value(300_000); // 300,061 bytes: class 37 (315872), 3 per page
        assertEquals(37, f.store.slabClass(f.store.itemSize(2, 0, 300_000)));
        for (int i = 0; i < 5; i++) f.set("k" + i, v);
        for (int i = 0; i < 5; i++) f.delete("k" + i);
        Map<String, String> slabs = f.store.slabStats();
        assertEquals("2", slabs.get("37:total_pages"));
        assertEquals("0", slabs.get("37:used_chunks"));
        assertEquals("6", slabs.get("37:free_chunks"));
        assertTrue(f.store.itemStats().isEmpty(), "items lists only classes holding items");
        // Over slab_chunk_max, as memcached -vv showed: headers in class 2, the rest in largest chunks and a last
        // chunk sized to what is left (600,002 bytes: 524,240 + 75,762, class 31).
        f.set("big", value(600_000));
        f.set("big2", value(1_048_000));
        slabs = f.store.slabStats();
        assertEquals("2", slabs.get("2:used_chunks"));
        assertEquals("1", slabs.get("31:used_chunks"));
        assertEquals("3", slabs.get("39:used_chunks"));
        assertEquals("2", slabs.get("39:total_pages"));
        assertEquals("2", f.store.itemStats().get("items:39:number"));
        assertEquals("1648125", f.store.itemStats().get("items:39:mem_requested"));
    }

    @Test
    void evictionsReclaimsAndExpiriesAreCountedInTheirClass() {
        Fixture f = new Fixture(ItemStore.builder().memoryLimit(2L << 20).initialCapacity(16));
        int i = 0;
        while (f.stat("evictions") == 0) f.set("k" + i++, value(100), 0, 1000);
        f.advance(7);
        f.set("k" + i, value(100), 0, 1000); // evicts one more, stored 7 s ago like every other
        assertEquals(4, f.store.slabClass(f.store.itemSize(5, 0, 100)));
        Map<String, String> items = f.store.itemStats();
        long evicted = f.stat("evictions");
        assertEquals(Long.toString(evicted), items.get("items:4:evicted"), "100-byte values: class 4");
        assertEquals(Long.toString(evicted), items.get("items:4:evicted_nonzero"), "all had an exptime");
        assertEquals(Long.toString(evicted), items.get("items:4:evicted_unfetched"));
        assertEquals("7", items.get("items:4:evicted_time"), "seconds since the last victim's last access");

        Fixture g = new Fixture();
        g.set("x", "1", 0, 10);
        g.set("y", "1", 0, 10);
        g.get("y");
        g.advance(11);
        assertNull(g.get("x"));
        assertEquals(1, g.store.reclaim(1 << 16), "y, expired; x went when the get met it");
        Map<String, String> gi = g.store.itemStats();
        assertTrue(gi.isEmpty());
        g.set("z", "1");
        gi = g.store.itemStats();
        assertEquals("1", gi.get("items:1:reclaimed"));
        assertEquals("1", gi.get("items:1:crawler_reclaimed"));
        assertEquals("1", gi.get("items:1:expired_unfetched"), "x was never fetched; y was");
        assertEquals(1, g.stat("expired_unfetched"));

        g.store.resetStats();
        gi = g.store.itemStats();
        assertEquals("0", gi.get("items:1:reclaimed"));
        assertEquals("1", gi.get("items:1:number"), "reset keeps the gauges");
        assertFalse(g.store.slabStats().get("1:total_pages").equals("0"));
    }

    @Test
    void outOfMemoryIsCountedInTheClassAsked() {
        Fixture f = new Fixture(ItemStore.builder().memoryLimit(1L << 20).evictionsEnabled(false));
        for (int i = 0; i < 100 && f.stat("store_no_memory") == 0; i++) f.set("k" + i, value(100_000));
        assertEquals(32, f.store.slabClass(f.store.itemSize(2, 0, 100_000)));
        assertEquals("1", f.store.itemStats().get("items:32:outofmemory"));
    }
}
