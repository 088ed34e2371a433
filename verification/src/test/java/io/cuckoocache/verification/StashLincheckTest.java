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
 * Linearizability of reads and updates of stashed keys ({@link StashedMap}: X, Y, Z in the stash, each under its
 * own stripes). Keys 0..2 = X, Y, Z. It found the stash index race that {@link StashRaceTest} reproduces
 * (fixed in the engine; PROOF.md §8).
 */
@Param(name = "key", gen = IntGen.class, conf = "0:2")
@Param(name = "value", gen = IntGen.class, conf = "1:3")
public class StashLincheckTest {
    final StashedMap s = new StashedMap();
    private final CuckooMap<ChosenKey, Integer> map = s.map;

    private ChosenKey k(int key) {
        return s.keys[StashedMap.X + 5 * key];
    }

    @Operation
    public Integer get(@Param(name = "key") int key) {
        return map.get(k(key));
    }

    /** replace, not put: a stashed key removed and put back would take the (slow) no-path displacement search. */
    @Operation
    public Integer replace(@Param(name = "key") int key, @Param(name = "value") int value) {
        return map.replace(k(key), value);
    }

    @Operation
    public Integer remove(@Param(name = "key") int key) {
        return map.remove(k(key));
    }

    /** The sequential specification: all three keys start at {@link StashedMap#VALUE}. */
    public static class Spec {
        private final Map<Integer, Integer> m = new HashMap<>(Map.of(0, StashedMap.VALUE, 1, StashedMap.VALUE,
                2, StashedMap.VALUE));

        public Integer get(int key) {
            return m.get(key);
        }

        public Integer replace(int key, int value) {
            return m.replace(key, value);
        }

        public Integer remove(int key) {
            return m.remove(key);
        }
    }

    static <O extends Options<O, ?>> O directed(O options) {
        // X is removed while Y is updated; Z is read afterwards.
        return options.addCustomScenario(Directed.scenario(StashLincheckTest.class)
                .thread("remove", 0).thread("replace", 1, 3).post("get", 1, "get", 2).build());
    }

    @Test
    void modelChecking() {
        directed(Budget.modelChecking(new ModelCheckingOptions())).threads(2).sequentialSpecification(Spec.class)
                .check(getClass());
    }

    @Test
    void stress() {
        directed(Budget.stress(new StressOptions())).threads(2).sequentialSpecification(Spec.class)
                .check(getClass());
    }
}
