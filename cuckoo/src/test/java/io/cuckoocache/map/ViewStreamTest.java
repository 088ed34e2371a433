package io.cuckoocache.map;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Spliterator;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Streams, spliterators and {@code toArray} over every view while a writer inserts, deletes and grows the table:
 * no exception, no null, and every resident key (present throughout) seen exactly once. The spliterators are
 * CONCURRENT, never SIZED, and split.
 */
class ViewStreamTest {
    private static final int RESIDENTS = 500;

    /** Every way to take all elements of a view, as the resident keys they name. */
    private static Map<String, Function<CuckooMap<Integer, Integer>, List<Integer>>> readers() {
        Map<String, Function<CuckooMap<Integer, Integer>, List<Integer>>> r = new LinkedHashMap<>();
        r.put("keySet().stream().toArray()", m -> keys(m.keySet().stream().toArray()));
        r.put("keySet().parallelStream().collect()", m -> m.keySet().parallelStream().collect(Collectors.toList()));
        r.put("keySet().toArray()", m -> keys(m.keySet().toArray()));
        r.put("keySet().toArray(T[])", m -> Arrays.asList(m.keySet().toArray(new Integer[0])));
        r.put("values().stream().toArray()", m -> ofValues(m.values().stream().toArray()));
        r.put("values().parallelStream().toArray()", m -> ofValues(m.values().parallelStream().toArray()));
        r.put("values().toArray(T[])", m -> ofValues(m.values().toArray(new Integer[RESIDENTS * 4])));
        r.put("entrySet().stream().map(getKey).toArray()",
                m -> keys(m.entrySet().stream().map(Map.Entry::getKey).toArray()));
        r.put("entrySet().parallelStream().map(getKey)",
                m -> m.entrySet().parallelStream().map(Map.Entry::getKey).collect(Collectors.toList()));
        r.put("entrySet().toArray()", m -> keys(Arrays.stream(m.entrySet().toArray())
                .map(e -> ((Map.Entry<?, ?>) e).getKey()).toArray()));
        r.put("keySet().spliterator() split to the end", m -> {
            List<Integer> out = new ArrayList<>();
            splitAll(m.keySet().spliterator(), out);
            return out;
        });
        return r;
    }

    private static List<Integer> keys(Object[] a) {
        List<Integer> out = new ArrayList<>(a.length);
        for (Object o : a) out.add((Integer) o);
        return out;
    }

    /** Resident keys named by an array of values (a trailing null ends a {@code toArray(T[])} result). */
    private static List<Integer> ofValues(Object[] a) {
        List<Integer> out = new ArrayList<>(a.length);
        for (Object o : a) {
            if (o == null) break;
            int k = Churn.residentOfValue((Integer) o);
            if (k >= 0) out.add(k);
        }
        return out;
    }

    /** Splits as far as it goes, then consumes every part. */
    private static <T> void splitAll(Spliterator<T> s, List<T> out) {
        Spliterator<T> prefix = s.trySplit();
        if (prefix != null) splitAll(prefix, out);
        if (prefix != null) splitAll(s, out);
        else s.forEachRemaining(out::add);
    }

    @Test
    void everyViewReadsEachResidentOnceWhileTheTableChurns() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
        Map<String, Function<CuckooMap<Integer, Integer>, List<Integer>>> readers = readers();
        List<String> failures = new ArrayList<>();
        int reads = 0;
        int maps;
        try (Churn churn = new Churn(RESIDENTS)) {
            while (System.nanoTime() < deadline && failures.isEmpty()) {
                for (Map.Entry<String, Function<CuckooMap<Integer, Integer>, List<Integer>>> r : readers.entrySet()) {
                    String wrong;
                    try {
                        wrong = churn.checkOnce(r.getValue().apply(churn.map()));
                    } catch (RuntimeException e) {
                        wrong = e.toString();
                    }
                    if (wrong != null) failures.add(r.getKey() + ": " + wrong);
                    reads++;
                }
            }
            maps = churn.maps();
        }
        assertTrue(failures.isEmpty(), failures + " after " + reads + " reads");
        assertTrue(maps >= 2, "maps churned: " + maps);
    }

    @Test
    void spliteratorsAreConcurrentAndNeverSized() {
        CuckooMap<Integer, Integer> map = new CuckooMap<>();
        for (int k = 0; k < 10_000; k++) map.put(k, k);
        int set = Spliterator.CONCURRENT | Spliterator.DISTINCT | Spliterator.NONNULL;
        int sized = Spliterator.SIZED | Spliterator.SUBSIZED;
        assertEquals(set, map.keySet().spliterator().characteristics() & (set | sized), "keySet");
        assertEquals(set, map.entrySet().spliterator().characteristics() & (set | sized), "entrySet");
        assertEquals(Spliterator.CONCURRENT | Spliterator.NONNULL,
                map.values().spliterator().characteristics() & (set | sized), "values");
        Spliterator<Integer> s = map.keySet().spliterator();
        assertNotNull(s.trySplit(), "a map of 10,000 splits");
        List<Integer> all = new ArrayList<>();
        splitAll(map.keySet().spliterator(), all);
        assertEquals(10_000, all.size());
        assertEquals(10_000, all.stream().distinct().count());
        assertEquals(49_995_000L, map.values().parallelStream().mapToLong(Integer::longValue).sum());
    }

    @Test
    void viewEqualityAndHashesHoldWhenQuietAndDoNotThrowUnderWriters() throws Exception {
        CuckooMap<Integer, Integer> map = new CuckooMap<>(0);
        Map<Integer, Integer> copy = new HashMap<>();
        for (int k = 0; k < 1_000; k++) {
            map.put(k, -k);
            copy.put(k, -k);
        }
        assertEquals(copy.keySet(), map.keySet());
        assertEquals(map.keySet(), copy.keySet());
        assertEquals(copy.entrySet(), map.entrySet());
        assertEquals(copy.keySet().hashCode(), map.keySet().hashCode());
        assertEquals(copy.entrySet().hashCode(), map.entrySet().hashCode());
        assertEquals(copy, map);
        assertEquals(copy.hashCode(), map.hashCode());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        String failure = null;
        try (Churn churn = new Churn(RESIDENTS)) {
            while (System.nanoTime() < deadline && failure == null) {
                CuckooMap<Integer, Integer> m = churn.map();
                try {
                    m.keySet().equals(copy.keySet());
                    m.entrySet().hashCode();
                    m.values().hashCode();
                    m.toString();
                    m.equals(copy);
                } catch (RuntimeException e) {
                    failure = e.toString();
                }
            }
        }
        assertNull(failure);
    }
}
