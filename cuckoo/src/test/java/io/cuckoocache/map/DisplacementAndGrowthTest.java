package io.cuckoocache.map;

import io.cuckoocache.table.CuckooTable;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Full buckets, displacement paths, growth and the stash, forced with chosen hash codes. */
class DisplacementAndGrowthTest {

    @Test
    void growsOnlyWhenNearlyFull() {
        CuckooMap<Integer, Integer> map = new CuckooMap<>(0);
        CuckooTable table = map.table();
        Random r = new Random(42);
        int checkedGrowths = 0;
        for (int i = 0; i < 1_500_000; i++) {
            int slotsBefore = table.buckets() * 4;
            int growthsBefore = table.growths();
            map.put(r.nextInt(), i);
            if (table.growths() != growthsBefore && slotsBefore >= 4096) {
                double load = (map.size() - 1) / (double) slotsBefore;
                assertTrue(load >= 0.90, "grew at load " + load + " with " + slotsBefore + " slots");
                checkedGrowths++;
            }
        }
        assertTrue(checkedGrowths >= 5, "growths checked: " + checkedGrowths);
        assertTrue(table.hops() > 0);
    }

    @Test
    void equalHashesGoToTheStashInsteadOfGrowingForever() {
        CuckooMap<Key, Integer> map = new CuckooMap<>(10_000);
        int buckets = map.table().buckets();
        for (int i = 0; i < 500; i++) map.put(new Key(i, 7), i);
        for (int i = 0; i < 5_000; i++) map.put(new Key(1_000 + i, 1_000 + i), i);
        assertEquals(buckets, map.table().buckets(), "a mostly empty table must not grow for colliding keys");
        assertEquals(5_500, map.size());
        for (int i = 0; i < 500; i++) assertEquals(i, map.get(new Key(i, 7)));
        for (int i = 0; i < 500; i += 2) assertEquals(i, map.remove(new Key(i, 7)));
        for (int i = 0; i < 500; i++) {
            if (i % 2 == 0) assertNull(map.get(new Key(i, 7)));
            else assertEquals(i, map.get(new Key(i, 7)));
        }
        assertEquals(5_250, map.size());
        int seen = 0;
        for (Key k : map.keySet()) seen++;
        assertEquals(5_250, seen);
    }

    @Test
    void stashedKeysSurviveGrowth() {
        CuckooMap<Key, Integer> map = new CuckooMap<>(0);
        for (int i = 0; i < 40; i++) map.put(new Key(i, 99), i);
        for (int i = 0; i < 100_000; i++) map.put(new Key(1_000 + i, i * 31 + 5), i);
        assertTrue(map.table().growths() > 5);
        for (int i = 0; i < 40; i++) assertEquals(i, map.get(new Key(i, 99)));
        for (int i = 0; i < 100_000; i++) assertEquals(i, map.get(new Key(1_000 + i, i * 31 + 5)));
    }

    @Test
    void tinyTableDisplacesBeforeGrowing() {
        // Two buckets, eight slots: distinct hashes fill them through displacement before any growth.
        CuckooMap<Integer, Integer> map = new CuckooMap<>(0);
        assertEquals(2, map.table().buckets());
        for (int i = 0; map.table().growths() == 0 && i < 64; i++) map.put(i, i);
        assertTrue(map.size() >= 4, "grew too early at size " + map.size());
        for (int i = 0; i < map.size(); i++) assertEquals(i, map.get(i));
    }
}
