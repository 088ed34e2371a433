package io.cuckoocache.verification;

import io.cuckoocache.table.CuckooTable;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lincheck tests' scenarios really take the displacement and growth paths: replayed as lincheck shapes them
 * ({@link ScenarioCoverage}), a good share of them end with {@code hops() > 0} and with {@code growths() > 0}.
 */
class CoverageTest {
    private static final int SCENARIOS = 2_000;

    @Test
    void mapScenariosHopAndGrow() throws ReflectiveOperationException {
        int[] n = ScenarioCoverage.count(CuckooMapLincheckTest.class,
                Map.of("key", new int[] {0, 5}, "value", new int[] {1, 3}), SCENARIOS, 1,
                List.of(hopped(t -> Hashes.table(((CuckooMapLincheckTest) t).t.map)),
                        grew(t -> Hashes.table(((CuckooMapLincheckTest) t).t.map))));
        report("CuckooMapLincheckTest", n);
    }

    @Test
    void storeScenariosHopAndGrow() throws ReflectiveOperationException {
        int[] n = ScenarioCoverage.count(ItemStoreLincheckTest.class,
                Map.of("key", new int[] {0, 4}, "digit", new int[] {1, 3}, "which", new int[] {0, 1}), SCENARIOS, 1,
                List.of(hopped(t -> ((ItemStoreLincheckTest) t).s.table()),
                        grew(t -> ((ItemStoreLincheckTest) t).s.table())));
        report("ItemStoreLincheckTest", n);
    }

    static Predicate<Object> hopped(java.util.function.Function<Object, CuckooTable> table) {
        return t -> table.apply(t).hops() > 0;
    }

    static Predicate<Object> grew(java.util.function.Function<Object, CuckooTable> table) {
        return t -> table.apply(t).growths() > 0;
    }

    /** Prints the shares and asserts that at least 10% of the scenarios hop and at least 10% grow. */
    static void report(String test, int[] n) {
        String s = String.format("%s: %d scenarios, %d (%.0f%%) with a hop, %d (%.0f%%) with a growth", test,
                SCENARIOS, n[0], 100.0 * n[0] / SCENARIOS, n[1], 100.0 * n[1] / SCENARIOS);
        System.out.println(s);
        assertTrue(n[0] >= SCENARIOS / 10 && n[1] >= SCENARIOS / 10, s);
    }
}
