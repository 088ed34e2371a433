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
 * Linearizability of {@link CuckooMap} operations while an incremental migration is in progress. Every scenario
 * starts in {@link TinyMap}'s state M1 ({@link TinyMap#grow()}): the table has just doubled to 4 buckets, and old
 * bucket 1 (Q0, Q1, Q2, and A in its alternate bucket) is not migrated yet, so the first operations read keys that
 * are still in an unmigrated old bucket while writes migrate it. Keys 0..5 = A, Q0, R, S, U, V:
 * <ul>
 * <li>A (prefilled, old bucket 1 = its alternate; its primary bucket 0 is migrated) and Q0 (prefilled, old bucket 1
 * only): their reads scan the unmigrated bucket; their writes migrate it first, then change the new generation;</li>
 * <li>R (absent, old bucket 1): its insert migrates bucket 1 and lands in new bucket 1 beside Q0;</li>
 * <li>S (present, in migrated old bucket 0): its write claims the chunk of old buckets, migrating bucket 1;</li>
 * <li>U, V (absent, single bucket 0): U fills new bucket 0, V then grows the table a second time (4 to 8 buckets),
 * which first finishes a migration still running (I10), and leaves three 4-buckets unmigrated (state M2).</li>
 * </ul>
 * {@link CoverageTest} shows how many scenarios read while the migration runs and how many grow a second time.
 */
@Param(name = "key", gen = IntGen.class, conf = "0:5")
@Param(name = "value", gen = IntGen.class, conf = "1:3")
public class MigrationLincheckTest {
    /** The map keys the operations' key ids 0..5 stand for. */
    static final int[] KEYS = {TinyMap.A, TinyMap.Q0, TinyMap.R, TinyMap.S, TinyMap.U, TinyMap.V};
    static final int A = 0;
    static final int Q0 = 1;
    static final int R = 2;
    static final int S = 3;
    static final int U = 4;
    static final int V = 5;

    final TinyMap t = new TinyMap().grow();
    private final CuckooMap<ChosenKey, Integer> map = t.map;

    private ChosenKey k(int key) {
        return t.keys[KEYS[key]];
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
    public Integer replace(@Param(name = "key") int key, @Param(name = "value") int value) {
        return map.replace(k(key), value);
    }

    @Operation
    public Integer merge(@Param(name = "key") int key, @Param(name = "value") int value) {
        return map.merge(k(key), value, Integer::sum);
    }

    /** After each scenario: every key stored once, size() exact (the traversal finishes the migration first). */
    @Validate
    public void quiescentState() {
        t.checkQuiescent();
    }

    /** The sequential specification: a {@link HashMap} holding what state M1 holds of keys 0..5. */
    public static class Spec {
        private final Map<Integer, Integer> m = new HashMap<>(Map.of(A, TinyMap.PREFILL_VALUE,
                Q0, TinyMap.PREFILL_VALUE, S, 5));

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

        public Integer replace(int key, int value) {
            return m.replace(key, value);
        }

        public Integer merge(int key, int value) {
            return m.merge(key, value, Integer::sum);
        }
    }

    /**
     * Races of a running migration, as hand-written scenarios (checked before the random ones). Ids: A=0, Q0=1, R=2,
     * S=3, U=4, V=5. The ones with init {@code put U, put V} start from state M2 (8 buckets, 4-buckets 1, 2, 3 not
     * migrated), where writes of A or R migrate only their own old bucket, so the migration still runs after them.
     */
    static <O extends Options<O, ?>> O directed(O options) {
        Class<?> c = MigrationLincheckTest.class;
        return options
                // A's write migrates old bucket 1 (then changes A in the new generation) while Q0 and A, still in
                // that bucket, are read: the reader meets the bucket unmigrated, being copied, or MOVED.
                .addCustomScenario(Directed.scenario(c).thread("put", A, 2).thread("get", Q0, "get", A).build())
                // R's insert migrates bucket 1 and lands beside Q0; Q0 is removed meanwhile, A replaced.
                .addCustomScenario(Directed.scenario(c).thread("put", R, 2).thread("remove", Q0, "replace", A, 3)
                        .post("get", Q0, "get", R, "get", A).build())
                // S's write claims the chunk (its own old bucket is migrated) while Q0's owner migrates bucket 1
                // and updates Q0: one copies the bucket, the other waits for it.
                .addCustomScenario(Directed.scenario(c).thread("put", S, 2).thread("merge", Q0, 2)
                        .thread("get", Q0).build())
                // A second growth (V after U) while bucket 1 may still be unmigrated: the growth finishes it first.
                .addCustomScenario(Directed.scenario(c).thread("put", U, 1, "put", V, 1).thread("replace", A, 2)
                        .thread("get", Q0, "get", A).build())
                // State M2: A's write migrates its old bucket 3 only (bucket 2 and 1 stay), then reads of A must
                // see the new value, not the copy left in the MOVED old bucket.
                .addCustomScenario(Directed.scenario(c).init("put", U, 1, "put", V, 1)
                        .thread("put", A, 2, "get", A).thread("get", Q0, "get", A).build())
                // State M2: R's insert migrates 4-bucket 1 while Q0 (there) is removed and read.
                .addCustomScenario(Directed.scenario(c).init("put", U, 1, "put", V, 1)
                        .thread("put", R, 3, "get", Q0).thread("remove", Q0).post("get", R).build());
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
