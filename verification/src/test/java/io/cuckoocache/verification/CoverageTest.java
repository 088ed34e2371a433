package io.cuckoocache.verification;

import io.cuckoocache.table.CuckooTable;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lincheck tests' scenarios really take the displacement and growth paths: replayed as lincheck shapes them
 * ({@link ScenarioCoverage}), a good share of them end with {@code hops() > 0} and with {@code growths() > 0}, and
 * a good share run operations while an incremental migration is in progress (old buckets not migrated yet:
 * {@link Hashes#bucketsToMigrate}).
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

    /** After T's growing write old bucket 1 waits for the next write: operations after it run mid-migration. */
    @Test
    void mapScenariosRunDuringAMigration() throws ReflectiveOperationException {
        int[] n = ScenarioCoverage.countAny(CuckooMapLincheckTest.class,
                Map.of("key", new int[] {0, 5}, "value", new int[] {1, 3}), SCENARIOS, 1,
                List.of((t, op) -> op != null && migrating(((CuckooMapLincheckTest) t).t)));
        share("CuckooMapLincheckTest", "an operation starts while a migration is in progress", n[0], 10);
    }

    /**
     * Every {@link MigrationLincheckTest} scenario starts mid-migration; what matters is that reads meet it (a read
     * of a key of the unmigrated old bucket 1 before a write migrates it), and that the second growth happens.
     */
    @Test
    void migrationScenariosReadMidMigrationAndGrowAgain() throws ReflectiveOperationException {
        int[] n = ScenarioCoverage.countAny(MigrationLincheckTest.class,
                Map.of("key", new int[] {0, 5}, "value", new int[] {1, 3}), SCENARIOS, 1,
                List.of((t, op) -> op != null && isRead(op) && migrating(((MigrationLincheckTest) t).t),
                        (t, op) -> op == null && Hashes.table(((MigrationLincheckTest) t).t.map).growths() == 2,
                        (t, op) -> op != null && migrating(((MigrationLincheckTest) t).t)
                                && Hashes.table(((MigrationLincheckTest) t).t.map).growths() == 2));
        share("MigrationLincheckTest", "a read starts while old buckets wait for migration", n[0], 10);
        share("MigrationLincheckTest", "the table grows a second time", n[1], 10);
        share("MigrationLincheckTest", "an operation runs during the second growth's migration", n[2], 10);
    }

    private static boolean migrating(TinyMap t) {
        return Hashes.bucketsToMigrate(t.map) > 0;
    }

    private static boolean isRead(java.lang.reflect.Method op) {
        return op.getName().equals("get") || op.getName().equals("containsKey");
    }

    /** Prints a share and asserts it is at least {@code minPercent}. */
    static void share(String test, String what, int n, int minPercent) {
        String s = String.format("%s: %d scenarios, %d (%.0f%%) where %s", test, SCENARIOS, n, 100.0 * n / SCENARIOS,
                what);
        System.out.println(s);
        assertTrue(n * 100 >= SCENARIOS * minPercent, s + " (at least " + minPercent + "% wanted)");
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
