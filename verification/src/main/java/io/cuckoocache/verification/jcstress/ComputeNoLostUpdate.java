package io.cuckoocache.verification.jcstress;

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
 * No lost update for compute: two threads count S up from absent; the first insert of S needs a displacement hop
 * (bucket 0 is full). The counts are 1 and 2 in some order and the map ends at 2.
 * r1, r2 = what each compute returned, r3 = S's final value.
 */
@JCStressTest
@Outcome(id = {"1, 2, 2", "2, 1, 2"}, expect = ACCEPTABLE, desc = "both increments applied, in some order")
@Outcome(expect = FORBIDDEN, desc = "an increment lost or applied twice")
@State
public class ComputeNoLostUpdate {
    private final TinyMap t = new TinyMap();

    private int increment() {
        return t.map.compute(t.keys[TinyMap.S], (k, v) -> v == null ? 1 : v + 1);
    }

    @Actor
    public void first(III_Result r) {
        r.r1 = increment();
    }

    @Actor
    public void second(III_Result r) {
        r.r2 = increment();
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r3 = t.map.get(t.keys[TinyMap.S]);
    }
}
