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
 * No lost update for putIfAbsent: two threads put S if absent, with different values; inserting S needs a
 * displacement hop (bucket 0 is full). Exactly one wins, the other sees the winner's value, and the map keeps it.
 * r1, r2 = what each call returned (0 = null), r3 = S's final value.
 */
@JCStressTest
@Outcome(id = {"0, 1, 1", "2, 0, 2"}, expect = ACCEPTABLE, desc = "one winner, seen by the other and kept")
@Outcome(expect = FORBIDDEN, desc = "two winners, no winner, or a value lost")
@State
public class PutIfAbsentOneWinner {
    private final TinyMap t = new TinyMap();

    @Actor
    public void first(III_Result r) {
        Integer v = t.map.putIfAbsent(t.keys[TinyMap.S], 1);
        r.r1 = v == null ? 0 : v;
    }

    @Actor
    public void second(III_Result r) {
        Integer v = t.map.putIfAbsent(t.keys[TinyMap.S], 2);
        r.r2 = v == null ? 0 : v;
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r3 = t.map.get(t.keys[TinyMap.S]);
    }
}
