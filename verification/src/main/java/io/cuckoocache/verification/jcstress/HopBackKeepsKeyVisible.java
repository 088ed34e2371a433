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
 * The other direction: A sits in its alternate bucket 1 (hopped there by S), bucket 0 has room, and inserting R
 * (whose only bucket is the full bucket 1) hops A back to bucket 0, while the reader looks A up. A reader scans the
 * primary bucket first, so this is the direction in which an unvalidated reader would miss the key.
 * r1 = A's value (0 = miss), r2 = hops done (2: S's and R's).
 */
@JCStressTest
@Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "A found; R's insert hopped it back")
@Outcome(expect = FORBIDDEN, desc = "a miss or a wrong value; or the layout no longer forces the hop")
@State
public class HopBackKeepsKeyVisible {
    private final TinyMap t = new TinyMap();

    public HopBackKeepsKeyVisible() {
        t.map.put(t.keys[TinyMap.S], 5);
        t.map.remove(t.keys[TinyMap.P2]);
    }

    @Actor
    public void writer() {
        t.map.put(t.keys[TinyMap.R], 7);
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
