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
 * A write of a key in an unmigrated old bucket racing a reader of that key. The table has grown with old bucket 1
 * unmigrated ({@link TinyMap#grow()}); Q2 is in old bucket 1 only (its new bucket is 3). The writer's
 * {@code put(Q2, 9)} migrates old bucket 1 and then writes the new value into the new generation; the reader looks
 * Q2 up twice. It sees the old value or the new one, never null, and never the old one after the new one.
 * r1, r2 = the two lookups (1 = old, 9 = new, 0 = miss); r3 = 10 * (old buckets unmigrated before) + (after) = 10.
 */
@JCStressTest
@Outcome(id = {"1, 1, 10", "1, 9, 10", "9, 9, 10"}, expect = ACCEPTABLE, desc = "old or new value, never going back")
@Outcome(expect = FORBIDDEN, desc = "a miss or a value going back; or the layout no longer forces the migration")
@State
public class UnmigratedWriteKeepsValueVisible {
    private final TinyMap t = new TinyMap().grow();
    private final int pendingBefore = Hashes.bucketsToMigrate(t.map);

    @Actor
    public void writer() {
        t.map.put(t.keys[TinyMap.Q2], 9);
    }

    @Actor
    public void reader(III_Result r) {
        Integer v1 = t.map.get(t.keys[TinyMap.Q2]);
        Integer v2 = t.map.get(t.keys[TinyMap.Q2]);
        r.r1 = v1 == null ? 0 : v1;
        r.r2 = v2 == null ? 0 : v2;
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r3 = 10 * pendingBefore + Hashes.bucketsToMigrate(t.map);
    }
}
