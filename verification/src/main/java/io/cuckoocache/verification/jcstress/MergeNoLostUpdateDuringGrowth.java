package io.cuckoocache.verification.jcstress;

import io.cuckoocache.verification.Hashes;
import io.cuckoocache.verification.TinyMap;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * No lost update for merge, across a growth: the table is full (S inserted), A maps to 1; the first thread inserts
 * T, which doubles the table, then adds 1 to A; the second thread adds 10 to A, racing with the copy. Both
 * additions land: A ends at 12. r1, r2 = what each merge returned, r3 = A's final value, r4 = growths done.
 */
@JCStressTest
@Outcome(id = {"2, 12, 12, 1", "12, 11, 12, 1"}, expect = ACCEPTABLE, desc = "both additions applied, in some order")
@Outcome(expect = FORBIDDEN, desc = "an addition lost; or the layout no longer forces growth")
@State
public class MergeNoLostUpdateDuringGrowth {
    private final TinyMap t = new TinyMap();

    public MergeNoLostUpdateDuringGrowth() {
        t.map.put(t.keys[TinyMap.S], 5);
    }

    @Actor
    public void first(IIII_Result r) {
        t.map.put(t.keys[TinyMap.T], 6);
        r.r1 = t.map.merge(t.keys[TinyMap.A], 1, Integer::sum);
    }

    @Actor
    public void second(IIII_Result r) {
        r.r2 = t.map.merge(t.keys[TinyMap.A], 10, Integer::sum);
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        r.r3 = t.map.get(t.keys[TinyMap.A]);
        r.r4 = Hashes.table(t.map).growths();
    }
}
