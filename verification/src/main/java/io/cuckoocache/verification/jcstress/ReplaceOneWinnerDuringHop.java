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
 * No lost update for replace(key, old, new): A maps to 1; two threads replace 1 by 2 and by 3, and the first
 * thread's insert of S just before hops A to its other bucket, so the second thread's replace races with the move.
 * Exactly one replace wins and its value stays. r1, r2 = whether each replace won (1/0), r3 = A's final value.
 */
@JCStressTest
@Outcome(id = {"1, 0, 2", "0, 1, 3"}, expect = ACCEPTABLE, desc = "exactly one winner, whose value stays")
@Outcome(expect = FORBIDDEN, desc = "two winners, no winner, or the winner's value lost")
@State
public class ReplaceOneWinnerDuringHop {
    private final TinyMap t = new TinyMap();

    @Actor
    public void first(III_Result r) {
        t.map.put(t.keys[TinyMap.S], 9);
        r.r1 = t.map.replace(t.keys[TinyMap.A], 1, 2) ? 1 : 0;
    }

    @Actor
    public void second(III_Result r) {
        r.r2 = t.map.replace(t.keys[TinyMap.A], 1, 3) ? 1 : 0;
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r3 = t.map.get(t.keys[TinyMap.A]);
    }
}
