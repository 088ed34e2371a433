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
 * Keys present during the whole read are never missed while the table grows: the table is full (S inserted, A
 * hopped to bucket 1), inserting T doubles it, and the reader looks up P2 (which moves from bucket 0 to the new
 * bucket 2) and A (which moves from bucket 1 to bucket 3). r1, r2 = values of P2 and A (0 = miss),
 * r3 = growths done (1 proves the growth happened).
 */
@JCStressTest
@Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "both found; T's insert doubled the table")
@Outcome(expect = FORBIDDEN, desc = "a miss or a wrong value; or the layout no longer forces growth")
@State
public class GrowthKeepsKeysVisible {
    private final TinyMap t = new TinyMap();

    public GrowthKeepsKeysVisible() {
        t.map.put(t.keys[TinyMap.S], 5);
    }

    @Actor
    public void writer() {
        t.map.put(t.keys[TinyMap.T], 6);
    }

    @Actor
    public void reader(III_Result r) {
        Integer p2 = t.map.get(t.keys[TinyMap.P2]);
        Integer a = t.map.get(t.keys[TinyMap.A]);
        r.r1 = p2 == null ? 0 : p2;
        r.r2 = a == null ? 0 : a;
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r3 = Hashes.table(t.map).growths();
    }
}
