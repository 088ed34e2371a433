package io.cuckoocache.verification;

import io.cuckoocache.map.CuckooMap;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Options;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

/**
 * The weakly consistent iterator returns every key present for the whole traversal exactly once, while inserts
 * hop keys between buckets and grow the table. The seven prefilled keys of {@link TinyMap} are never removed or
 * updated; the other operations insert and remove S, T, R, A2 (which hops A and doubles the table). {@code iterate}
 * walks the entry set and returns "ok" when each prefilled key came exactly once with its own value and nothing
 * but known keys came; otherwise it returns what it saw, which the specification (always "ok") rejects.
 */
@Param(name = "key", gen = IntGen.class, conf = "0:3")
@Param(name = "value", gen = IntGen.class, conf = "1:3")
public class IteratorLincheckTest {
    private static final int[] MOVERS = {TinyMap.S, TinyMap.T, TinyMap.R, TinyMap.A2};

    final TinyMap t = new TinyMap();
    private final CuckooMap<ChosenKey, Integer> map = t.map;

    @Operation
    public Integer put(@Param(name = "key") int key, @Param(name = "value") int value) {
        return map.put(t.keys[MOVERS[key]], value);
    }

    @Operation
    public Integer remove(@Param(name = "key") int key) {
        return map.remove(t.keys[MOVERS[key]]);
    }

    @Operation
    public String iterate() {
        int[] seen = new int[t.keys.length];
        StringBuilder wrong = new StringBuilder();
        for (Map.Entry<ChosenKey, Integer> e : map.entrySet()) {
            ChosenKey k = e.getKey();
            if (k.id < 0 || k.id >= seen.length || t.keys[k.id] != k) wrong.append(" unknown ").append(k);
            else seen[k.id]++;
        }
        for (int id : TinyMap.PREFILLED) {
            if (seen[id] != 1) wrong.append(' ').append(t.keys[id]).append(" x").append(seen[id]);
        }
        return wrong.length() == 0 ? "ok" : "wrong:" + wrong;
    }

    /** The sequential specification: iteration always sees each prefilled key once. */
    public static class Spec {
        private final Map<Integer, Integer> m = new HashMap<>();

        public Integer put(int key, int value) {
            return m.put(key, value);
        }

        public Integer remove(int key) {
            return m.remove(key);
        }

        public String iterate() {
            return "ok";
        }
    }

    /** Ids: movers 0..3 = S, T, R, A2. */
    static <O extends Options<O, ?>> O directed(O options) {
        Class<?> c = IteratorLincheckTest.class;
        return options
                // S's insert hops A from bucket 0 to bucket 1 during the traversal.
                .addCustomScenario(Directed.scenario(c).thread("put", 0, 2).thread("iterate").build())
                // With S inserted and removed again, A sits in bucket 1 and bucket 0 has room: R's insert hops A
                // back to bucket 0, which a traversal may already have passed.
                .addCustomScenario(Directed.scenario(c).init("put", 0, 2, "remove", 0)
                        .thread("put", 2, 2).thread("iterate").build())
                // The table doubles during the traversal.
                .addCustomScenario(Directed.scenario(c).init("put", 0, 2)
                        .thread("put", 1, 2).thread("iterate").build());
    }

    @Test
    void modelChecking() {
        directed(Budget.modelChecking(new ModelCheckingOptions()).threads(2))
                .sequentialSpecification(Spec.class)
                .check(getClass());
    }

    @Test
    void stress() {
        directed(Budget.stress(new StressOptions())).sequentialSpecification(Spec.class).check(getClass());
    }
}
