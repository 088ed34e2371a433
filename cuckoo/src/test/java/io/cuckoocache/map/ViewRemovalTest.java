package io.cuckoocache.map;

import org.junit.jupiter.api.Test;

import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The views remove an entry only if it still maps to the value that was tested (JDK-8078645 for ConcurrentHashMap):
 * a value replaced after the test survives. Every removal path of {@code values()} and {@code entrySet()} is run with
 * a test that itself replaces the value it was shown (deterministic), and {@code removeIf} again against a writer
 * thread.
 */
class ViewRemovalTest {
    private static final int KEYS = 64;

    // Key k maps to 2k (the old value, removable) or 2k + 1 (its replacement): a value names its key.
    private static CuckooMap<Integer, Integer> filled() {
        CuckooMap<Integer, Integer> map = new CuckooMap<>(0);
        for (int k = 0; k < KEYS; k++) map.put(k, 2 * k);
        return map;
    }

    private static Integer valueOf(Object element) {
        return (Integer) (element instanceof Map.Entry ? ((Map.Entry<?, ?>) element).getValue() : element);
    }

    /** A removal path of a view; {@code tested} is what the path asks about an element before removing it. */
    private interface Path {
        boolean run(CuckooMap<Integer, Integer> map, Predicate<Object> tested);
    }

    /** A collection whose {@code contains} is {@code tested}, and larger than any map here. */
    private static Collection<Object> asking(Predicate<Object> tested) {
        return new AbstractSet<>() {
            @Override
            public boolean contains(Object o) {
                return tested.test(o);
            }

            @Override
            public Iterator<Object> iterator() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int size() {
                return Integer.MAX_VALUE;
            }
        };
    }

    /** An object equal to whatever {@code tested} accepts (for {@code values().remove}). */
    private static Object equalTo(Predicate<Object> tested) {
        return new Object() {
            @Override
            public boolean equals(Object o) {
                return tested.test(o);
            }

            @Override
            public int hashCode() {
                return 0;
            }
        };
    }

    /** Iterator.remove reports nothing, so this path reports nothing either. */
    private static boolean removeByIterator(Collection<?> view, Predicate<Object> tested) {
        for (Iterator<?> it = view.iterator(); it.hasNext(); ) {
            if (tested.test(it.next())) it.remove();
        }
        return false;
    }

    private static Map<String, Path> paths() {
        Map<String, Path> p = new LinkedHashMap<>();
        p.put("entrySet().removeIf", (m, t) -> m.entrySet().removeIf(t));
        p.put("entrySet().removeAll", (m, t) -> m.entrySet().removeAll(asking(t)));
        p.put("entrySet().retainAll", (m, t) -> m.entrySet().retainAll(asking(t.negate())));
        p.put("entrySet().iterator().remove", (m, t) -> removeByIterator(m.entrySet(), t));
        p.put("values().removeIf", (m, t) -> m.values().removeIf(t));
        p.put("values().removeAll", (m, t) -> m.values().removeAll(asking(t)));
        p.put("values().retainAll", (m, t) -> m.values().retainAll(asking(t.negate())));
        p.put("values().iterator().remove", (m, t) -> removeByIterator(m.values(), t));
        p.put("values().remove", (m, t) -> m.values().remove(equalTo(t)));
        return p;
    }

    @Test
    void aValueReplacedAfterTheTestSurvivesEveryRemovalPath() {
        List<String> failures = new ArrayList<>();
        paths().forEach((name, path) -> {
            CuckooMap<Integer, Integer> map = filled();
            // Shown an old value, the test replaces it and then says "remove": nothing may go.
            Predicate<Object> tested = o -> {
                int v = valueOf(o);
                return v % 2 == 0 && map.replace(v / 2, v, v + 1);
            };
            boolean reported = path.run(map, tested);
            if (map.size() != KEYS) {
                failures.add(name + " removed " + (KEYS - map.size()) + " of " + KEYS + " replaced entries");
            } else if (reported) {
                failures.add(name + " reported a removal but removed nothing");
            }
        });
        assertTrue(failures.isEmpty(), String.join("; ", failures));
    }

    @Test
    void removeIfAgainstAWriterRemovesOnlyMatchingValues() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        AtomicReference<String> failure = new AtomicReference<>();
        for (int round = 0; round < 2_000 && System.nanoTime() < deadline && failure.get() == null; round++) {
            for (String view : new String[] {"entrySet", "values"}) {
                CuckooMap<Integer, Integer> map = filled();
                // The writer replaces old values; removeIf removes old values. A replaced key must survive.
                boolean[] replaced = new boolean[KEYS];
                Thread writer = new Thread(() -> {
                    for (int k = KEYS - 1; k >= 0; k--) replaced[k] = map.replace(k, 2 * k, 2 * k + 1);
                });
                Predicate<Integer> old = v -> {
                    for (int spin = 0; spin < 50; spin++) Thread.onSpinWait();
                    return v % 2 == 0;
                };
                writer.start();
                if (view.equals("values")) map.values().removeIf(old);
                else map.entrySet().removeIf(e -> old.test(e.getValue()));
                writer.join();
                for (int k = 0; k < KEYS; k++) {
                    if (replaced[k] && !Integer.valueOf(2 * k + 1).equals(map.get(k))) {
                        failure.compareAndSet(null, view + "().removeIf removed key " + k
                                + " after its value was replaced (round " + round + ")");
                    }
                }
            }
        }
        assertNull(failure.get());
    }

    @Test
    void keySetRemovesByKey() {
        CuckooMap<Integer, Integer> map = filled();
        // The key set's test sees no value, so a replaced value does not save the key (as in ConcurrentHashMap).
        assertTrue(map.keySet().removeIf(k -> map.replace(k, 2 * k, 2 * k + 1)));
        assertTrue(map.isEmpty());
        map.putAll(filled());
        assertTrue(map.keySet().removeAll(Set.of(1, 2)));
        assertTrue(map.keySet().retainAll(Set.of(2, 3)));
        assertEquals(Map.of(3, 6), new HashMap<>(map));
        assertFalse(map.keySet().remove(1));
    }
}
