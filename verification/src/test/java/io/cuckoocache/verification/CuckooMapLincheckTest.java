package io.cuckoocache.verification;

import io.cuckoocache.map.CuckooMap;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Options;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

/**
 * Linearizability of thirteen {@link CuckooMap} operations against {@link HashMap} (the twelve single-key ones and
 * {@code entrySet().removeIf} on one entry, which traverses the table), on the colliding
 * {@link TinyMap} layout: each scenario starts with bucket 0 full, so an insert of S or T hops A to bucket 1 and the
 * second one doubles the table ({@link CoverageTest} shows these paths are reached in the scenarios this test runs).
 * Keys are ids 0..5 = A, S, T, P2, R, A2 (A2 has A's tag); values 1..3.
 */
@Param(name = "key", gen = IntGen.class, conf = "0:5")
@Param(name = "value", gen = IntGen.class, conf = "1:3")
public class CuckooMapLincheckTest {
    final TinyMap t = new TinyMap();
    private final CuckooMap<ChosenKey, Integer> map = t.map;

    private ChosenKey k(int id) {
        return t.keys[id];
    }

    @Operation
    public Integer get(@Param(name = "key") int key) {
        return map.get(k(key));
    }

    @Operation
    public boolean containsKey(@Param(name = "key") int key) {
        return map.containsKey(k(key));
    }

    @Operation
    public Integer put(@Param(name = "key") int key, @Param(name = "value") int value) {
        return map.put(k(key), value);
    }

    @Operation
    public Integer putIfAbsent(@Param(name = "key") int key, @Param(name = "value") int value) {
        return map.putIfAbsent(k(key), value);
    }

    @Operation
    public Integer remove(@Param(name = "key") int key) {
        return map.remove(k(key));
    }

    @Operation
    public boolean removeIfEqual(@Param(name = "key") int key, @Param(name = "value") int value) {
        return map.remove(k(key), value);
    }

    @Operation
    public Integer replace(@Param(name = "key") int key, @Param(name = "value") int value) {
        return map.replace(k(key), value);
    }

    @Operation
    public boolean replaceIfEqual(@Param(name = "key") int key, @Param(name = "value") int expected,
                                  @Param(name = "value") int value) {
        return map.replace(k(key), expected, value);
    }

    @Operation
    public Integer compute(@Param(name = "key") int key, @Param(name = "value") int value) {
        return map.compute(k(key), (kk, v) -> v == null ? value : null);
    }

    @Operation
    public Integer computeIfAbsent(@Param(name = "key") int key, @Param(name = "value") int value) {
        return map.computeIfAbsent(k(key), kk -> value);
    }

    @Operation
    public Integer computeIfPresent(@Param(name = "key") int key, @Param(name = "value") int value) {
        return map.computeIfPresent(k(key), (kk, v) -> v == value ? null : v + value);
    }

    @Operation
    public Integer merge(@Param(name = "key") int key, @Param(name = "value") int value) {
        return map.merge(k(key), value, Integer::sum);
    }

    /** The entry view's removal through a traversal: one entry, so it must be remove(k, v), atomic. */
    @Operation
    public boolean removeIfEntry(@Param(name = "key") int key, @Param(name = "value") int value) {
        ChosenKey target = k(key);
        return map.entrySet().removeIf(e -> e.getKey() == target && e.getValue() == value);
    }

    /** After each scenario: every key stored once, size() exact. */
    @Validate
    public void quiescentState() {
        t.checkQuiescent();
    }

    /** The sequential specification: the same operations on a {@link HashMap} with the same prefill. */
    public static class Spec {
        private final Map<Integer, Integer> m = new HashMap<>();

        public Spec() {
            for (int id : TinyMap.PREFILLED) m.put(id, TinyMap.PREFILL_VALUE);
        }

        public Integer get(int key) {
            return m.get(key);
        }

        public boolean containsKey(int key) {
            return m.containsKey(key);
        }

        public Integer put(int key, int value) {
            return m.put(key, value);
        }

        public Integer putIfAbsent(int key, int value) {
            return m.putIfAbsent(key, value);
        }

        public Integer remove(int key) {
            return m.remove(key);
        }

        public boolean removeIfEqual(int key, int value) {
            return m.remove(key, value);
        }

        public Integer replace(int key, int value) {
            return m.replace(key, value);
        }

        public boolean replaceIfEqual(int key, int expected, int value) {
            return m.replace(key, expected, value);
        }

        public Integer compute(int key, int value) {
            return m.compute(key, (kk, v) -> v == null ? value : null);
        }

        public Integer computeIfAbsent(int key, int value) {
            return m.computeIfAbsent(key, kk -> value);
        }

        public Integer computeIfPresent(int key, int value) {
            return m.computeIfPresent(key, (kk, v) -> v == value ? null : v + value);
        }

        public Integer merge(int key, int value) {
            return m.merge(key, value, Integer::sum);
        }

        public boolean removeIfEntry(int key, int value) {
            return m.remove(key, value);
        }
    }

    /**
     * The races the engine's design is about, as hand-written scenarios; each is checked before the random ones.
     * Ids: A=0, S=1, T=2, P2=3, R=4, A2=5 (see {@link TinyMap}).
     */
    static <O extends Options<O, ?>> O directed(O options) {
        Class<?> c = CuckooMapLincheckTest.class;
        return options
                // S's insert hops A from bucket 0 to bucket 1 while A is read.
                .addCustomScenario(Directed.scenario(c).thread("put", 1, 2).thread("get", 0).build())
                // R's insert hops A back from bucket 1 to bucket 0 (the direction a reader scans first).
                .addCustomScenario(Directed.scenario(c).init("put", 1, 2, "remove", 3)
                        .thread("put", 4, 2).thread("get", 0).build())
                // T's insert doubles the table while keys that move to new buckets are read.
                .addCustomScenario(Directed.scenario(c).init("put", 1, 2)
                        .thread("put", 2, 2).thread("get", 3, "get", 0).build())
                // ... and while another thread updates a key.
                .addCustomScenario(Directed.scenario(c).init("put", 1, 2)
                        .thread("put", 2, 2).thread("merge", 0, 3).post("get", 0).build())
                // A2 (same tag as A) takes A's slot: the tag word looks the same, only the version differs.
                .addCustomScenario(Directed.scenario(c).thread("remove", 0, "put", 5, 3).thread("get", 0).build())
                // A's value is replaced between the traversal's test of A's entry and its removal.
                .addCustomScenario(Directed.scenario(c).thread("removeIfEntry", 0, 1).thread("put", 0, 2)
                        .post("get", 0).build());
    }

    @Test
    void modelChecking() {
        directed(Budget.modelChecking(new ModelCheckingOptions()))
                .sequentialSpecification(Spec.class)
                .check(getClass());
    }

    @Test
    void stress() {
        directed(Budget.stress(new StressOptions()))
                .sequentialSpecification(Spec.class)
                .check(getClass());
    }
}
