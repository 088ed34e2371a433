package io.cuckoocache.verification;

import io.cuckoocache.table.CuckooTable;
import org.junit.jupiter.api.Test;

import static io.cuckoocache.verification.TinyMap.A;
import static io.cuckoocache.verification.TinyMap.P2;
import static io.cuckoocache.verification.TinyMap.R;
import static io.cuckoocache.verification.TinyMap.S;
import static io.cuckoocache.verification.TinyMap.T;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link TinyMap} layout does what its table says, deterministically: the first insert of S or T hops A, the
 * second grows the table (and its write migrates old bucket 0 only: old bucket 1 waits for the next write), R hops A
 * back once bucket 0 has room, and U then V grow the table a second time with three old buckets left unmigrated.
 * The lincheck and jcstress tests rely on this.
 */
class TinyMapLayoutTest {

    @Test
    void chosenHashesGiveTheDocumentedBuckets() {
        TinyMap t = new TinyMap();
        for (int id = 0; id < t.keys.length; id++) {
            int h = CuckooTable.spread(t.keys[id].hashCode(), Hashes.seed(t.map));
            assertEquals(TinyMap.tag(id), h >>> 24, "tag of " + t.keys[id]);
            assertEquals(TinyMap.primary(id, 2), h & 1, "primary bucket of " + t.keys[id]);
        }
        assertEquals(1, Hashes.alt(0, TinyMap.tag(A), 2));
        assertEquals(3, Hashes.alt(0, TinyMap.tag(A), 4));
        assertEquals(7, Hashes.alt(0, TinyMap.tag(A), 8));
        assertEquals(3, Hashes.alt(4, TinyMap.tag(TinyMap.A2), 8));
        for (int id : new int[] {S, T, P2, R, TinyMap.P0, TinyMap.P1, TinyMap.Q0, TinyMap.Q1, TinyMap.Q2,
                TinyMap.U, TinyMap.V}) {
            for (int buckets = 2; buckets <= 16; buckets *= 2) {
                int b = TinyMap.primary(id, buckets);
                assertEquals(b, Hashes.alt(b, TinyMap.tag(id), buckets), "single bucket for " + id);
            }
        }
    }

    @Test
    void oneInsertHopsTheNextGrows() {
        TinyMap t = new TinyMap();
        CuckooTable table = Hashes.table(t.map);
        assertEquals(2, table.buckets());
        assertEquals(7, t.map.size());
        assertEquals(0, table.hops());

        t.map.put(t.keys[S], 5);
        assertEquals(1, table.hops(), "inserting S hops A out of bucket 0");
        assertEquals(0, table.growths());

        t.map.put(t.keys[T], 6);
        assertEquals(1, table.growths(), "inserting T grows the table");
        assertEquals(4, table.buckets());
        // Incremental growth: T's write migrated its own old bucket 0 and nothing else; old bucket 1 (Q0, Q1, Q2,
        // A) is still to migrate, and reads (which never migrate) leave it so.
        assertEquals(1, Hashes.bucketsToMigrate(table), "old bucket 1 not migrated by T's write");
        assertTrue(table.isGrowing());
        for (int id : TinyMap.PREFILLED) assertEquals(TinyMap.PREFILL_VALUE, t.map.get(t.keys[id]));
        assertEquals(1, Hashes.bucketsToMigrate(table), "reads do not migrate");

        assertEquals(5, t.map.get(t.keys[S]));
        assertEquals(6, t.map.get(t.keys[T]));
        for (int id : TinyMap.PREFILLED) assertEquals(TinyMap.PREFILL_VALUE, t.map.get(t.keys[id]));
        t.checkQuiescent();
    }

    /** The next write of a key of old bucket 1 migrates it, whether or not it changes anything (absent R, A2). */
    @Test
    void aWriteOfABucketOneKeyMigratesIt() {
        for (int id : new int[] {A, R, TinyMap.A2, TinyMap.Q0}) {
            TinyMap t = new TinyMap().grow();
            t.map.replace(t.keys[id], 4);
            assertEquals(0, Hashes.bucketsToMigrate(t.map), "a write of " + t.keys[id] + " migrates old bucket 1");
            assertFalse(Hashes.table(t.map).isGrowing());
            t.checkQuiescent();
        }
    }

    /** A write whose own old buckets are migrated already claims a chunk: here, all of the old table. */
    @Test
    void aWriteOfAMigratedKeyClaimsTheRest() {
        TinyMap t = new TinyMap().grow();
        t.map.put(t.keys[S], 9);
        assertEquals(0, Hashes.bucketsToMigrate(t.map), "S's old bucket 0 is migrated: its write takes the chunk");
        assertEquals(9, t.map.get(t.keys[S]));
        for (int id : new int[] {TinyMap.Q0, TinyMap.Q1, TinyMap.Q2, A}) {
            assertEquals(TinyMap.PREFILL_VALUE, t.map.get(t.keys[id]));
        }
        t.checkQuiescent();
    }

    /** U then V grow the table to 8 buckets; V's write migrates 4-bucket 0 only, the other three wait. */
    @Test
    void theSecondGrowthLeavesThreeOldBucketsUnmigrated() {
        TinyMap t = new TinyMap().grow();
        CuckooTable table = Hashes.table(t.map);
        t.map.put(t.keys[TinyMap.U], 1);
        assertEquals(0, Hashes.bucketsToMigrate(table), "U's write finished the first migration");
        assertEquals(1, table.growths());
        t.map.put(t.keys[TinyMap.V], 1);
        assertEquals(2, table.growths(), "V finds bucket 0 full of single-bucket keys: the table grows again");
        assertEquals(8, table.buckets());
        assertEquals(3, Hashes.bucketsToMigrate(table), "4-buckets 1, 2, 3 not migrated by V's write");
        // A's write migrates its old bucket 3 only (its bucket 0 is migrated): 1 and 2 still wait.
        t.map.put(t.keys[A], 2);
        assertEquals(2, Hashes.bucketsToMigrate(table));
        assertEquals(2, t.map.get(t.keys[A]));
        // R's insert migrates 4-bucket 1 (Q0, Q1) and lands in 8-bucket 1 beside them.
        t.map.put(t.keys[R], 3);
        assertEquals(1, Hashes.bucketsToMigrate(table));
        assertEquals(3, t.map.get(t.keys[R]));
        for (int id : new int[] {TinyMap.Q0, TinyMap.Q1, TinyMap.Q2, P2, TinyMap.P0, TinyMap.P1}) {
            assertEquals(TinyMap.PREFILL_VALUE, t.map.get(t.keys[id]));
        }
        assertEquals(6, t.map.get(t.keys[T]), "T still in unmigrated 4-bucket 2");
        assertEquals(1, Hashes.bucketsToMigrate(table));
        t.checkQuiescent(); // a traversal finishes the migration first
        assertEquals(0, Hashes.bucketsToMigrate(table));
    }

    @Test
    void theHopGoesBackWhenBucketZeroHasRoom() {
        TinyMap t = new TinyMap();
        CuckooTable table = Hashes.table(t.map);
        t.map.put(t.keys[S], 5);
        t.map.remove(t.keys[P2]);
        t.map.put(t.keys[R], 7);
        assertEquals(2, table.hops(), "R hops A from bucket 1 back to bucket 0");
        assertEquals(0, table.growths());
        assertEquals(TinyMap.PREFILL_VALUE, t.map.get(t.keys[A]));
        assertEquals(7, t.map.get(t.keys[R]));
        t.checkQuiescent();
    }
}
