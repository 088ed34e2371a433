package io.cuckoocache.table;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Growth migrates incrementally: the write that grows the table copies nothing, each later write migrates a bounded
 * number of old buckets, and while old buckets remain every key is found, sizes are exact and a cursor first finishes
 * the migration. Work is counted in buckets, not timed.
 */
class MigrationTest {
    /** Integer keys, values stored as given. */
    static final class IntTable extends CuckooTable {
        IntTable(long expected) {
            super(expected, false);
        }

        @Override
        protected boolean keyMatches(Object storedKey, Object probe, int off, int len) {
            return storedKey.equals(probe);
        }

        @Override
        protected int hashOfStored(Object storedKey) {
            return spread(storedKey.hashCode(), 7);
        }

        @Override
        protected Object keyToStore(Object probe, int off, int len, Object value) {
            return probe;
        }

        @Override
        protected Object apply(int op, Object arg, Object storedKey, Object current) {
            return arg;
        }

        Object put(int k, Object v) {
            return update(hashOfStored(k), k, 0, 0, MAY_INSERT, v);
        }

        Object get(int k) {
            return get(hashOfStored(k), k, 0, 0);
        }

        Object remove(int k) {
            return update(hashOfStored(k), k, 0, 0, 0, null);
        }
    }

    /** Fills until a growth starts; returns the number of keys 0..n-1 inserted. */
    private static int fillUntilGrowth(IntTable t) {
        int growths = t.growths();
        int n = 0;
        while (t.growths() == growths) t.put(n, n++);
        return n;
    }

    @Test
    void eachWriteMigratesABoundedNumberOfBucketsAndKeysStayVisible() {
        IntTable t = new IntTable(100_000);
        int n = fillUntilGrowth(t);
        int oldBuckets = t.buckets() / 2;
        int left = t.bucketsToMigrate();
        assertTrue(left > oldBuckets - 3, "the growing write migrated only its own buckets: " + left + " of " + oldBuckets);
        assertTrue(t.isGrowing());

        // Half-migrated: every key is found (in whichever generation holds it), and size is exact.
        int writes = 0;
        while (t.bucketsToMigrate() > oldBuckets / 2) {
            int before = t.bucketsToMigrate();
            t.put(n + writes, n + writes);
            writes++;
            int moved = before - t.bucketsToMigrate();
            assertTrue(moved >= 1 && moved <= 2 + CuckooTable.MIGRATE_CHUNK, moved + " buckets moved by one write");
        }
        for (int k = 0; k < n + writes; k++) assertEquals(k, t.get(k), "key " + k + " mid-migration");
        assertEquals(n + writes, t.size());

        // Removals and overwrites of keys still in old buckets land in the new generation.
        int touched = 700;
        for (int k = 0; k < touched; k += 7) assertEquals(k, t.remove(k));
        for (int k = 1; k < touched; k += 7) assertEquals(k, t.put(k, -k));
        Map<Integer, Integer> expected = new HashMap<>();
        for (int k = 0; k < n + writes; k++) {
            if (k >= touched) expected.put(k, k);
            else if (k % 7 != 0) expected.put(k, k % 7 == 1 ? -k : k);
        }
        for (int k = 0; k < n + writes; k++) assertEquals(expected.get(k), t.get(k), "key " + k);
        assertEquals(expected.size(), t.size());

        // A traversal finishes the migration first, then sees every entry once.
        assertTrue(t.bucketsToMigrate() > 0);
        Cursor c = t.cursor();
        assertEquals(0, t.bucketsToMigrate());
        assertTrue(!t.isGrowing());
        Set<Object> seen = new HashSet<>();
        while (c.advance()) {
            assertTrue(seen.add(c.key()), "twice: " + c.key());
            assertEquals(expected.get(c.key()), c.value());
        }
        assertEquals(expected.keySet(), seen);
    }

    @Test
    void writesAloneFinishTheMigrationBeforeTheNextGrowthIsDue() {
        IntTable t = new IntTable(0);
        int n = 0;
        int growths = 0;
        int leftBeforeThisPut = 0;
        while (t.buckets() < 1 << 16) {
            t.put(n, n++);
            if (t.growths() != growths) {
                growths = t.growths();
                assertEquals(0, leftBeforeThisPut, "growth " + growths + " had to finish the previous migration");
            }
            leftBeforeThisPut = t.bucketsToMigrate();
        }
        assertTrue(growths >= 15, growths + " growths");
        for (int k = 0; k < n; k++) assertEquals(k, t.get(k));
        assertEquals(n, t.size());
    }
}
