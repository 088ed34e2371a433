package io.cuckoocache.verification;

import io.cuckoocache.table.CuckooTable;
import org.junit.jupiter.api.Test;

import static io.cuckoocache.verification.TinyMap.A;
import static io.cuckoocache.verification.TinyMap.P2;
import static io.cuckoocache.verification.TinyMap.R;
import static io.cuckoocache.verification.TinyMap.S;
import static io.cuckoocache.verification.TinyMap.T;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The {@link TinyMap} layout does what its table says, deterministically: the first insert of S or T hops A, the
 * second grows the table, and R hops A back once bucket 0 has room. The lincheck and jcstress tests rely on this.
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
        for (int id : new int[] {S, T, P2, R, TinyMap.P0, TinyMap.P1, TinyMap.Q0, TinyMap.Q1, TinyMap.Q2}) {
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

        assertEquals(5, t.map.get(t.keys[S]));
        assertEquals(6, t.map.get(t.keys[T]));
        for (int id : TinyMap.PREFILLED) assertEquals(TinyMap.PREFILL_VALUE, t.map.get(t.keys[id]));
        t.checkQuiescent();
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
