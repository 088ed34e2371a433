package io.cuckoocache.verification.jcstress;

import io.cuckoocache.store.Item;
import io.cuckoocache.store.Mode;
import io.cuckoocache.store.Outcome;
import io.cuckoocache.store.Status;
import io.cuckoocache.verification.TinyStore;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Of two concurrent cas with the same unique, exactly one wins: k0 has the unique it got at prefill; both threads
 * cas it with that unique, with different values. The first thread first inserts k4, which displaces an item in
 * the full table (with {@link TinyStore}'s seed), so its cas may overlap the move. r1, r2 = 1 if that cas stored,
 * 0 if EXISTS; r3 = k0's final value.
 */
@JCStressTest
@org.openjdk.jcstress.annotations.Outcome(id = {"1, 0, 2", "0, 1, 3"}, expect = ACCEPTABLE,
        desc = "exactly one winner, whose value stays")
@org.openjdk.jcstress.annotations.Outcome(expect = FORBIDDEN, desc = "two winners, none, or a lost value")
@State
public class StoreCasOneWinner {
    private final TinyStore s = new TinyStore();

    private int cas(String value) {
        byte[] k = s.keys[0];
        Status st = s.store.store(Mode.CAS, k, 0, k.length, s.prefillCas[0], TinyStore.bytes(value), 0, 0,
                new Outcome());
        return st == Status.STORED ? 1 : st == Status.EXISTS ? 0 : 9;
    }

    @Actor
    public void first(III_Result r) {
        byte[] k4 = s.keys[4];
        s.store.store(Mode.ADD, k4, 0, k4.length, TinyStore.bytes("5"), 0, 0, new Outcome());
        r.r1 = cas("2");
    }

    @Actor
    public void second(III_Result r) {
        r.r2 = cas("3");
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r3 = Integer.parseInt(TinyStore.string(Item.value(s.store.get(s.keys[0], 0, s.keys[0].length))));
    }
}
