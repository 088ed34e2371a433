package io.cuckoocache.store;

import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.GraphLayout;

import java.lang.reflect.Method;
import java.util.Random;

import static io.cuckoocache.store.Fixture.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The memory limit: exact charges, CLOCK eviction, -M, run-time limit changes. */
class MemoryTest {

    @Test
    void footprintFormulaMatchesTheJvmLayout() {
        for (int flags : new int[] {0, -1}) {
            for (int k = 0; k <= 40; k += 3) {
                for (int v = 0; v <= 40; v++) {
                    byte[] it = Item.create(new byte[k], 0, k, v, flags, 0, 0, 0, 0);
                    String shape = flags + "/" + k + "/" + v;
                    assertEquals(GraphLayout.parseInstance(it).totalSize(), Item.footprint(it), shape);
                    assertEquals(Item.footprint(it), Item.footprint(k, flags, v), shape);
                    assertEquals(flags, Item.flags(it), shape);
                    assertEquals(v, Item.valueLength(it), shape);
                }
            }
        }
    }

    @Test
    void chargesMatchTheWholeHeapGraphOfTheStore() {
        Fixture f = new Fixture(ItemStore.builder().initialCapacity(16));
        long emptyOverhead = uncharged(f.store);
        Random r = new Random(1);
        for (int i = 0; i < 3000; i++) f.set("key" + i, "v".repeat(r.nextInt(300)));
        long charged = f.store.charged();
        // Besides the items (charged) and the table (hash_bytes), nothing may grow with the items: each item is
        // one array, referenced from its slot.
        assertTrue(Math.abs(uncharged(f.store) - emptyOverhead) < charged / 100,
                "charged " + charged + ", table " + f.store.table().tableBytes() + ", uncharged "
                        + uncharged(f.store) + ", empty " + emptyOverhead);
    }

    /** The store's heap that is neither items nor the table's arrays. */
    private static long uncharged(ItemStore store) {
        return GraphLayout.parseInstance(store).totalSize() - store.charged() - store.table().tableBytes();
    }

    @Test
    void aFloodOfRandomSizesNeverExceedsTheLimitAndChargesReturnToZero() {
        long limit = 256 << 10;
        Fixture f = new Fixture(ItemStore.builder().memoryLimit(limit).initialCapacity(64));
        Random r = new Random(42);
        int keys = 2000;
        for (int op = 0; op < 20000; op++) {
            String key = "k" + r.nextInt(keys);
            int dice = r.nextInt(10);
            if (dice < 7) {
                f.store(Mode.SET, key, "x".repeat(r.nextInt(4000)), 0, r.nextInt(3) == 0 ? 5 : 0, 0);
            } else if (dice == 7) {
                f.store(Mode.APPEND, key, "y".repeat(r.nextInt(500)), 0, 0, 0);
            } else if (dice == 8) {
                f.set(key, "99");
                f.incr(key, 1);
            } else {
                f.delete(key);
                if (r.nextInt(100) == 0) f.advance(5);
            }
            assertTrue(f.store.charged() <= limit, "op " + op + ": " + f.store.charged());
        }
        assertTrue(f.stat("evictions") > 1000, "the flood must have pressed on the limit");
        for (int i = 0; i < keys; i++) f.delete("k" + i);
        assertEquals(0, f.stat("curr_items"));
        assertEquals(0, f.stat("bytes"), "every charge was given back exactly");
    }

    @Test
    void clockKeepsAHotSetThroughAScanOfColdKeys() {
        String value = "v".repeat(200);
        for (boolean readHot : new boolean[] {true, false}) {
            Fixture f = new Fixture(ItemStore.builder().memoryLimit(128 << 10).initialCapacity(256));
            for (int i = 0; i < 40; i++) f.set("hot" + i, value);
            int resident = 0;
            for (int c = 0; c < 4000; c++) {
                f.set("cold" + c, value);
                if (readHot && c % 50 == 0) {
                    for (int i = 0; i < 40; i++) f.get("hot" + i);
                }
            }
            for (int i = 0; i < 40; i++) {
                if (f.get("hot" + i) != null) resident++;
            }
            assertTrue(f.stat("evictions") > 3000);
            if (readHot) {
                assertEquals(40, resident, "referenced items get second chances");
            } else {
                assertTrue(resident < 5, "control: unreferenced, the same keys are evicted (" + resident + ")");
            }
        }
    }

    /** Fills a store with eviction off until a set answers out of memory; returns how many were stored. */
    private static int fillWithoutEviction(Fixture f, String value, long exptime) {
        int stored = 0;
        while (f.set("k" + stored, value, 0, exptime) == Status.STORED) {
            stored++;
            assertTrue(f.store.charged() <= f.store.memoryLimit());
        }
        return stored;
    }

    @Test
    void withoutEvictionAFullStoreAnswersOutOfMemory() {
        Fixture f = new Fixture(ItemStore.builder().memoryLimit(64 << 10).evictionsEnabled(false).initialCapacity(64));
        String value = "v".repeat(500);
        int stored = fillWithoutEviction(f, value, 0);
        assertTrue(stored > 50, "stored " + stored);
        assertEquals(1, f.stat("store_no_memory"));
        assertEquals(0, f.stat("evictions"));
        for (int i = 0; i < stored; i++) assertNotNull(f.get("k" + i), "nothing was evicted");
        assertEquals(Status.OUT_OF_MEMORY, f.store(Mode.APPEND, "k1", value, 0, 0, 0), "no room for the data");
        assertEquals(Status.OUT_OF_MEMORY, f.set("k0", value + value));
        assertNull(f.get("k0"), "a failed set drops the old value, as memcached does");
        long slack = f.store.memoryLimit() - f.store.charged();
        int data = (int) (slack - Item.footprint(2, 0, 0) - 7); // footprint(2, 0, data) <= slack, joined item is not
        assertEquals(Status.NOT_STORED, f.store(Mode.APPEND, "k1", "y".repeat(data), 0, 0, 0),
                "room for the data, not for the joined item: NOT_STORED");
        assertEquals(value, f.get("k1"));
        assertEquals(Status.STORED, f.store(Mode.APPEND, "k1", "y", 0, 0, 0));
    }

    @Test
    void withoutEvictionExpiredItemsAreReclaimedToMakeRoom() {
        Fixture f = new Fixture(ItemStore.builder().memoryLimit(64 << 10).evictionsEnabled(false).initialCapacity(64));
        String value = "v".repeat(500);
        fillWithoutEviction(f, value, 10);
        assertTrue(f.store.charged() + Item.footprint(5, 0, 500) > f.store.memoryLimit(), "precondition: full");
        f.advance(10);
        assertEquals(Status.STORED, f.set("fresh", value));
        assertTrue(f.stat("reclaimed") > 0);
        assertEquals(0, f.stat("evictions"));
    }

    @Test
    void loweringTheLimitEvictsAtOnce() {
        Fixture f = new Fixture(ItemStore.builder().memoryLimit(1 << 20).initialCapacity(64));
        for (int i = 0; i < 2000; i++) f.set("k" + i, "v".repeat(300));
        assertTrue(f.store.charged() > 256 << 10);
        f.store.memoryLimit(256 << 10);
        assertTrue(f.store.charged() <= 256 << 10);
        assertEquals(256 << 10, f.stat("limit_maxbytes"));
        assertTrue(f.stat("evictions") > 0);
    }

    @Test
    void getsAndMetaGetsAllocateNothing() throws ReflectiveOperationException {
        Fixture f = new Fixture();
        byte[] buf = b("..hot..cold..");
        f.store.store(Mode.SET, b("hot"), 0, 3, b("value"), 0, 0, f.out);
        // Reflection: the test module does not read jdk.management (tests run on the class path).
        Object threads = Class.forName("java.lang.management.ManagementFactory")
                .getMethod("getThreadMXBean").invoke(null);
        Method allocatedBytes = Class.forName("com.sun.management.ThreadMXBean")
                .getMethod("getCurrentThreadAllocatedBytes");
        // The first rounds warm up (class loading, JIT). A one-off event in a later round (a deoptimisation
        // rematerialises scalar-replaced objects on the heap: seen once as 1,352 bytes) is not the read path's cost,
        // which every round pays: the least any measured round allocated.
        long allocated = Long.MAX_VALUE;
        for (int round = 0; round < 8; round++) {
            long before = (long) allocatedBytes.invoke(threads);
            for (int i = 0; i < 100_000; i++) {
                f.store.get(buf, 2, 3);
                f.store.get(buf, 7, 4);
                f.store.meta().get(buf, 2, 3, f.request, f.out);
            }
            if (round >= 3) allocated = Math.min(allocated, (long) allocatedBytes.invoke(threads) - before);
        }
        assertTrue(allocated < 1024, "bytes allocated by 300,000 reads: " + allocated);
    }

    @Test
    void anItemLargerThanTheWholeLimitIsOutOfMemory() {
        Fixture f = new Fixture(ItemStore.builder().memoryLimit(64 << 10));
        byte[] k = b("k");
        assertEquals(Status.OUT_OF_MEMORY, f.store.store(Mode.SET, k, 0, 1, new byte[100 << 10], 0, 0, f.out));
        assertEquals(1, f.stat("store_no_memory"));
    }
}
