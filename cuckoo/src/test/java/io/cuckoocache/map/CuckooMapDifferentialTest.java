package io.cuckoocache.map;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Long random operation sequences against HashMap, from an empty two-bucket table through many growths. */
class CuckooMapDifferentialTest {
    private static final int OPS = 600_000;

    @Test
    void integerKeysThroughManyGrowths() {
        long seed = System.nanoTime();
        CuckooMap<Object, Integer> map = new CuckooMap<>(0);
        run(seed, map, r -> r.nextInt(60_000));
        assertTrue(map.table().growths() >= 10, "growths: " + map.table().growths());
        assertTrue(map.table().hops() > 0, "no displacement happened");
    }

    /** Ids spread over few hash codes: equal hashes fill bucket pairs and go to the stash. */
    @Test
    void collidingKeys() {
        long seed = System.nanoTime();
        CuckooMap<Object, Integer> map = new CuckooMap<>(0);
        run(seed, map, r -> {
            int id = r.nextInt(3_000);
            return new Key(id, id % 300);
        });
    }

    private interface KeySource {
        Object next(Random r);
    }

    private static void run(long seed, CuckooMap<Object, Integer> map, KeySource keys) {
        Random r = new Random(seed);
        Map<Object, Integer> model = new HashMap<>();
        BiFunction<Object, Integer, Integer> bump =
                (k, v) -> v == null ? Integer.valueOf(1) : (v % 7 == 0 ? null : Integer.valueOf(v + 1));
        BiFunction<Integer, Integer, Integer> sum = (a, b) -> (a + b) % 5 == 0 ? null : a + b;
        for (int i = 0; i < OPS; i++) {
            Object k = keys.next(r);
            Integer v = r.nextInt(1000);
            int op = r.nextInt(13);
            String where = "seed=" + seed + " step=" + i + " op=" + op + " key=" + k;
            switch (op) {
                case 0: case 1: check(where, model.put(k, v), map.put(k, v)); break;
                case 2: check(where, model.get(k), map.get(k)); break;
                case 3: check(where, model.remove(k), map.remove(k)); break;
                case 4: check(where, model.putIfAbsent(k, v), map.putIfAbsent(k, v)); break;
                case 5: check(where, model.remove(k, v % 3), map.remove(k, v % 3)); break;
                case 6: check(where, model.replace(k, v), map.replace(k, v)); break;
                case 7: check(where, model.replace(k, v % 3, v), map.replace(k, v % 3, v)); break;
                case 8: check(where, model.compute(k, bump), map.compute(k, bump)); break;
                case 9: check(where, model.computeIfAbsent(k, x -> v), map.computeIfAbsent(k, x -> v)); break;
                case 10: check(where, model.computeIfPresent(k, bump), map.computeIfPresent(k, bump)); break;
                case 11: check(where, model.merge(k, v, sum), map.merge(k, v, sum)); break;
                default: check(where, model.containsKey(k), map.containsKey(k)); break;
            }
            if (i % 100_000 == 0) compareWhole("seed=" + seed + " step=" + i, model, map);
            if (i == OPS / 2) {
                map.clear();
                model.clear();
            }
        }
        compareWhole("seed=" + seed + " end", model, map);
    }

    private static void check(String where, Object expected, Object actual) {
        assertEquals(expected, actual, where);
    }

    static void compareWhole(String where, Map<Object, Integer> model, ConcurrentMap<Object, Integer> map) {
        assertEquals(model.size(), map.size(), where + " size");
        assertEquals(model, map, where + " equals");
        assertEquals(model.hashCode(), map.hashCode(), where + " hashCode");
        Set<Object> seen = new HashSet<>();
        map.forEach((k, v) -> {
            assertTrue(seen.add(k), where + " forEach repeated " + k);
            assertEquals(model.get(k), v, where + " forEach value of " + k);
        });
        assertEquals(model.keySet(), seen, where + " forEach keys");
        int sampled = 0;
        for (Map.Entry<Object, Integer> e : model.entrySet()) {
            assertTrue(Objects.equals(map.get(e.getKey()), e.getValue()), where + " get " + e.getKey());
            if (sampled++ < 20) assertTrue(map.containsValue(e.getValue()), where + " containsValue " + e.getValue());
        }
        assertTrue(!map.containsValue(-1), where + " containsValue of an absent value");
    }
}
