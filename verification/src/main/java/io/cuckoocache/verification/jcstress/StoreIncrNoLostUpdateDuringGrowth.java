package io.cuckoocache.verification.jcstress;

import io.cuckoocache.store.Item;
import io.cuckoocache.store.Mode;
import io.cuckoocache.store.Outcome;
import io.cuckoocache.verification.TinyStore;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * No lost update for incr, across a growth: k0 holds "1" and the table is full (k2 inserted); the first thread
 * inserts k3, which doubles the table, then adds 1 to k0; the second adds 10, racing with the copy. Both additions
 * land. r1, r2 = each incr's result, r3 = k0's final number, r4 = growths done (1 proves the growth happened).
 */
@JCStressTest
@org.openjdk.jcstress.annotations.Outcome(id = {"2, 12, 12, 1", "12, 11, 12, 1"}, expect = ACCEPTABLE,
        desc = "both increments applied, in some order")
@org.openjdk.jcstress.annotations.Outcome(expect = FORBIDDEN,
        desc = "an increment lost; or the layout no longer forces growth")
@State
public class StoreIncrNoLostUpdateDuringGrowth {
    private final TinyStore s = new TinyStore();

    public StoreIncrNoLostUpdateDuringGrowth() {
        add(2);
    }

    private void add(int key) {
        byte[] k = s.keys[key];
        s.store.store(Mode.ADD, k, 0, k.length, TinyStore.bytes("5"), 0, 0, new Outcome());
    }

    private int incr(long delta) {
        Outcome out = new Outcome();
        byte[] k = s.keys[0];
        s.store.incr(k, 0, k.length, delta, out);
        return (int) out.number();
    }

    @Actor
    public void first(IIII_Result r) {
        add(3);
        r.r1 = incr(1);
    }

    @Actor
    public void second(IIII_Result r) {
        r.r2 = incr(10);
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        r.r3 = Integer.parseInt(TinyStore.string(Item.value(s.store.get(s.keys[0], 0, s.keys[0].length))).trim());
        r.r4 = s.table().growths();
    }
}
