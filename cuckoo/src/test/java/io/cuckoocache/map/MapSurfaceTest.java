package io.cuckoocache.map;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The default-method surface of Map and ConcurrentMap under concurrency: replaceAll is atomic per entry (two of them
 * racing lose no update), forEach is weakly consistent, getOrDefault is one read, putIfAbsent's cousins have one
 * winner, and an entry's setValue writes through.
 */
class MapSurfaceTest {
    private static final int KEYS = 2_000;

    @Test
    void racingReplaceAllsLoseNoUpdate() throws Exception {
        for (int round = 0; round < 5; round++) {
            CuckooMap<Integer, Integer> map = new CuckooMap<>(0);
            for (int k = 0; k < KEYS; k++) map.put(k, 0);
            Thread other = new Thread(() -> map.replaceAll((k, v) -> v + 1));
            other.start();
            map.replaceAll((k, v) -> v + 1);
            other.join();
            for (int k = 0; k < KEYS; k++) assertEquals(2, map.get(k), "key " + k);
        }
    }

    @Test
    void forEachSeesEachResidentOnceWhileTheTableChurns() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        String failure = null;
        try (Churn churn = new Churn(500)) {
            while (System.nanoTime() < deadline && failure == null) {
                List<Integer> keys = new ArrayList<>();
                churn.map().forEach((k, v) -> {
                    if (v.equals(Churn.residentValue(k)) || v.equals(k)) keys.add(k);
                });
                failure = churn.checkOnce(keys);
            }
        }
        assertNull(failure);
    }

    @Test
    void getOrDefaultAndTheConditionalWrites() {
        CuckooMap<String, Integer> map = new CuckooMap<>();
        assertEquals(5, map.getOrDefault("a", 5));
        assertNull(map.putIfAbsent("a", 1));
        assertEquals(1, map.putIfAbsent("a", 2));
        assertEquals(1, map.getOrDefault("a", 5));
        assertFalse(map.replace("a", 2, 3));
        assertTrue(map.replace("a", 1, 3));
        assertEquals(3, map.replace("a", 4));
        assertNull(map.replace("b", 4));
        assertFalse(map.remove("a", 3));
        assertTrue(map.remove("a", 4));
        assertThrows(NullPointerException.class, () -> map.getOrDefault(null, 1));
        map.put("c", 1);
        assertThrows(NullPointerException.class, () -> map.replaceAll((k, v) -> null));
    }

    @Test
    void entrySetValueWritesThrough() {
        CuckooMap<String, Integer> map = new CuckooMap<>();
        map.put("a", 1);
        Iterator<Map.Entry<String, Integer>> it = map.entrySet().iterator();
        Map.Entry<String, Integer> e = it.next();
        assertEquals(1, e.setValue(2));
        assertEquals(2, map.get("a"));
        assertEquals(2, e.getValue());
        assertEquals(Map.entry("a", 2), e);
        assertThrows(NullPointerException.class, () -> e.setValue(null));
        // As in ConcurrentHashMap, setValue is a put: a removed entry comes back.
        map.remove("a");
        e.setValue(3);
        assertEquals(3, map.get("a"));
    }
}
