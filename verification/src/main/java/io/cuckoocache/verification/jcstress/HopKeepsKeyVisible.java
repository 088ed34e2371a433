package io.cuckoocache.verification.jcstress;

import io.cuckoocache.verification.Hashes;
import io.cuckoocache.verification.TinyMap;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A key present during the whole read is never missed while another thread's insert displaces it: bucket 0 is
 * full, inserting S hops A from bucket 0 (its primary) to bucket 1 while the reader looks A up.
 * r1 = A's value seen by the reader (0 = miss), r2 = hops done (1 proves the hop happened).
 */
@JCStressTest
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "A found; S's insert hopped it")
@Outcome(expect = FORBIDDEN, desc = "a miss or a wrong value; or the layout no longer forces the hop")
@State
public class HopKeepsKeyVisible {
    private final TinyMap t = new TinyMap();

    @Actor
    public void writer() {
        t.map.put(t.keys[TinyMap.S], 5);
    }

    @Actor
    public void reader(II_Result r) {
        Integer v = t.map.get(t.keys[TinyMap.A]);
        r.r1 = v == null ? 0 : v;
    }

    @Arbiter
    public void arbiter(II_Result r) {
        r.r2 = (int) Hashes.table(t.map).hops();
    }
}
