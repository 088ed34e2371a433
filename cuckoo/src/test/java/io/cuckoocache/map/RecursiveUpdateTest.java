package io.cuckoocache.map;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A mapping function that updates or traverses its own map gets an IllegalStateException within a second, never a
 * hang, whatever the key; the map is left unchanged and usable (locks released, size right, growth still possible).
 * Each outer flavour (compute, computeIfAbsent on an absent key, computeIfPresent, merge on a present key) is run
 * with each nested call.
 */
class RecursiveUpdateTest {
    private static final Duration LIMIT = Duration.ofSeconds(1);
    private static final int KEYS = 6;

    /** A call made inside a mapping function of {@code map} for {@code key}. */
    private interface Nested {
        void run(CuckooMap<Integer, Integer> map, Integer key);
    }

    /** The outer calls; each runs {@code nested} inside its function, for its own key. */
    private static Map<String, Function<Nested, Integer>> outer(CuckooMap<Integer, Integer> map) {
        Map<String, Function<Nested, Integer>> o = new LinkedHashMap<>();
        o.put("compute", nested -> map.compute(0, (k, v) -> run(nested, map, k)));
        o.put("computeIfAbsent", nested -> map.computeIfAbsent(100, k -> run(nested, map, k)));
        o.put("computeIfPresent", nested -> map.computeIfPresent(1, (k, v) -> run(nested, map, k)));
        o.put("merge", nested -> map.merge(2, 5, (a, b) -> run(nested, map, 2)));
        return o;
    }

    private static Integer run(Nested nested, CuckooMap<Integer, Integer> map, Integer key) {
        nested.run(map, key);
        return 7;
    }

    /** The nested calls: updates of the same key, of other keys, of the whole map, and traversals. */
    private static Map<String, Nested> nested() {
        Map<String, Nested> n = new LinkedHashMap<>();
        n.put("put(same key)", (m, key) -> m.put(key, 9));
        n.put("computeIfAbsent(same key)", (m, key) -> m.computeIfAbsent(key, k -> 9));
        n.put("merge(same key)", (m, key) -> m.merge(key, 9, Integer::sum));
        n.put("remove(same key)", (m, key) -> m.remove(key));
        n.put("computeIfAbsent(absent key)", (m, key) -> m.computeIfAbsent(101, k -> 9));
        n.put("compute(other key)", (m, key) -> m.compute(3, (k, v) -> 9));
        n.put("computeIfPresent(other key)", (m, key) -> m.computeIfPresent(4, (k, v) -> 9));
        n.put("merge(other key)", (m, key) -> m.merge(5, 9, Integer::sum));
        n.put("remove(other key)", (m, key) -> m.remove(3));
        n.put("putIfAbsent(new key)", (m, key) -> m.putIfAbsent(200, 9));
        n.put("replace(other key)", (m, key) -> m.replace(4, 9));
        n.put("putAll(new keys)", (m, key) -> m.putAll(Map.of(300, 9, 301, 9)));
        n.put("clear()", (m, key) -> m.clear());
        n.put("keySet().iterator()", (m, key) -> m.keySet().iterator().hasNext());
        n.put("containsValue", (m, key) -> m.containsValue(12345));
        return n;
    }

    private static CuckooMap<Integer, Integer> filled() {
        CuckooMap<Integer, Integer> map = new CuckooMap<>(0);
        for (int k = 0; k < KEYS; k++) map.put(k, k);
        return map;
    }

    @Test
    void everyNestedUpdateThrowsAndLeavesTheMapUnchangedAndUsable() {
        List<String> failures = new ArrayList<>();
        for (String o : outer(filled()).keySet()) {
            for (Map.Entry<String, Nested> n : nested().entrySet()) {
                String name = o + " { " + n.getKey() + " }";
                try {
                    assertTimeoutPreemptively(LIMIT, () -> {
                        CuckooMap<Integer, Integer> map = filled();
                        Map<Integer, Integer> before = new HashMap<>(map);
                        IllegalStateException e = assertThrows(IllegalStateException.class,
                                () -> outer(map).get(o).apply(n.getValue()), name);
                        assertTrue(e.getMessage().contains("Recursive update"), e.getMessage());
                        assertUnchangedAndUsable(map, before);
                    }, name);
                } catch (AssertionError e) {
                    failures.add(e.getMessage());
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " failed: " + String.join("; ", failures));
    }

    @Test
    void aFunctionThatThrowsLeavesTheMapUnchanged() {
        assertTimeoutPreemptively(LIMIT, () -> {
            for (String o : outer(filled()).keySet()) {
                CuckooMap<Integer, Integer> map = filled();
                Map<Integer, Integer> before = new HashMap<>(map);
                RuntimeException boom = new RuntimeException("boom");
                assertEquals(boom, assertThrows(RuntimeException.class, () -> outer(map).get(o).apply((m, key) -> {
                    throw boom;
                }), o));
                assertUnchangedAndUsable(map, before);
            }
        });
    }

    @Test
    void readsInsideAFunctionAndUpdatesOfAnotherMapAreFine() {
        assertTimeoutPreemptively(LIMIT, () -> {
            CuckooMap<Integer, Integer> map = filled();
            CuckooMap<Integer, Integer> other = filled();
            assertEquals(15, map.compute(0, (k, v) -> map.get(1) + map.getOrDefault(99, 4) + map.size()
                    + (map.containsKey(2) ? 4 : 0)));
            assertEquals(9, map.computeIfAbsent(50, k -> other.merge(0, 9, Integer::sum)));
            assertEquals(9, other.get(0));
            // A function of another map may update this one, unless that map's function runs inside this one's.
            assertEquals(1, other.compute(1, (k, v) -> map.put(1, 2)));
            assertThrows(IllegalStateException.class,
                    () -> map.compute(3, (k, v) -> other.compute(3, (k2, v2) -> map.put(4, 0))));
            assertEquals(3, map.get(3));
            assertEquals(4, map.get(4));
        });
    }

    /** Same mappings as {@code before}; then writes and a growth still go through. */
    private static void assertUnchangedAndUsable(CuckooMap<Integer, Integer> map, Map<Integer, Integer> before) {
        assertEquals(before, new HashMap<>(map));
        assertEquals(before.size(), map.size());
        for (int k = 0; k < 1_000; k++) map.merge(k, 1, Integer::sum);
        assertEquals(1_000, map.size());
        assertEquals(1 + 1, map.get(1));
        assertTrue(map.table().growths() > 0);
        map.clear();
        assertTrue(map.isEmpty());
        assertEquals(7, map.compute(0, (k, v) -> 7));
    }
}
