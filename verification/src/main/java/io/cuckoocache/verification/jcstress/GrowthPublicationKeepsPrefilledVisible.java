package io.cuckoocache.verification.jcstress;

import io.cuckoocache.verification.Hashes;
import io.cuckoocache.verification.TinyMap;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Publication of the new generation: a reader racing the growing write never misses a prefilled key. The table is
 * full (S inserted, A hopped to bucket 1); inserting T publishes an empty 4-bucket generation linked to the frozen
 * one, then migrates old bucket 0 (P0, P1, S to new bucket 0, P2 to new bucket 2) and leaves old bucket 1 (Q0, Q1,
 * Q2, A) unmigrated. The reader looks up all seven prefilled keys and S, each of which may be met in the old
 * generation before the freeze, in an old bucket that is unmigrated, being copied or MOVED, or in the new one.
 * r1 = bit i set when the i-th of P0, P1, P2, A, Q0, Q1, Q2, S was missed or had a wrong value; r2 = growths done
 * (1); r3 = old buckets left unmigrated after the writer (1: old bucket 1, the layout the test is about).
 */
@JCStressTest
@Outcome(id = "0, 1, 1", expect = ACCEPTABLE, desc = "every prefilled key found; T's write grew the table, migrated old bucket 0 only")
@Outcome(expect = FORBIDDEN, desc = "a key missed or a wrong value; or the layout no longer forces the growth / the unmigrated bucket")
@State
public class GrowthPublicationKeepsPrefilledVisible {
    private static final int[] READ = {TinyMap.P0, TinyMap.P1, TinyMap.P2, TinyMap.A, TinyMap.Q0, TinyMap.Q1,
            TinyMap.Q2, TinyMap.S};
    private final TinyMap t = new TinyMap();

    public GrowthPublicationKeepsPrefilledVisible() {
        t.map.put(t.keys[TinyMap.S], TinyMap.PREFILL_VALUE);
    }

    @Actor
    public void writer() {
        t.map.put(t.keys[TinyMap.T], 6);
    }

    @Actor
    public void reader(III_Result r) {
        int wrong = 0;
        for (int i = 0; i < READ.length; i++) {
            Integer v = t.map.get(t.keys[READ[i]]);
            if (v == null || v != TinyMap.PREFILL_VALUE) wrong |= 1 << i;
        }
        r.r1 = wrong;
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r2 = Hashes.table(t.map).growths();
        r.r3 = Hashes.bucketsToMigrate(t.map);
    }
}
