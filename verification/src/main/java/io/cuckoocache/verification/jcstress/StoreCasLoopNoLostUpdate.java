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
 * No lost update for cas: the memcached client idiom "gets, compute, cas, retry on EXISTS" increments k0 from "1"
 * in both threads; the first thread first inserts k4, which displaces an item. Both increments land: the threads
 * write 2 and 3 in some order and k0 ends at 3. r1, r2 = the value each thread's successful cas wrote, r3 = final.
 */
@JCStressTest
@org.openjdk.jcstress.annotations.Outcome(id = {"2, 3, 3", "3, 2, 3"}, expect = ACCEPTABLE,
        desc = "both increments applied, in some order")
@org.openjdk.jcstress.annotations.Outcome(expect = FORBIDDEN, desc = "an increment lost")
@State
public class StoreCasLoopNoLostUpdate {
    private final TinyStore s = new TinyStore();

    private int increment() {
        byte[] k = s.keys[0];
        Outcome out = new Outcome();
        for (;;) {
            byte[] it = s.store.get(k, 0, k.length);
            int next = Integer.parseInt(TinyStore.string(Item.value(it))) + 1;
            Status st = s.store.store(Mode.CAS, k, 0, k.length, Item.cas(it), TinyStore.bytes(Integer.toString(next)),
                    0, 0, out);
            if (st == Status.STORED) return next;
            if (st != Status.EXISTS) return -1;
        }
    }

    @Actor
    public void first(III_Result r) {
        byte[] k4 = s.keys[4];
        s.store.store(Mode.ADD, k4, 0, k4.length, TinyStore.bytes("5"), 0, 0, new Outcome());
        r.r1 = increment();
    }

    @Actor
    public void second(III_Result r) {
        r.r2 = increment();
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r3 = Integer.parseInt(TinyStore.string(Item.value(s.store.get(s.keys[0], 0, s.keys[0].length))));
    }
}
