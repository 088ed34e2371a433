package io.cuckoocache.verification.jcstress;

import io.cuckoocache.map.CuckooMap;
import io.cuckoocache.verification.ChosenKey;
import io.cuckoocache.verification.Hashes;
import io.cuckoocache.verification.TinyMap;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Publication of a migrated bucket. The table has grown with old bucket 1 (Q0, Q1, Q2, A) unmigrated
 * ({@link TinyMap#grow()}'s state M1, with {@link Val} values). The writer's {@code put(A, v1)} first migrates old
 * bucket 1 (Q0 to new bucket 1, A to new bucket 3; the old bucket is then marked MOVED) and then replaces A's value
 * in the new generation. The reader looks up A, then Q0 (another key of that bucket, which lands in another new
 * bucket), then A again. Never a miss, never a value older than one seen before, never a half-copied entry (a
 * foreign value, or a value whose plain field is not visible).
 * r1, r3 = A's lookups: 1 = the prefilled value, 2 = the writer's, 0 = miss, negative = foreign / half-published;
 * r2 = Q0's lookup, same codes (1 expected); r4 = 10 * (old buckets unmigrated before) + (unmigrated after) = 10.
 */
@JCStressTest
@Outcome(id = {"1, 1, 1, 10", "1, 1, 2, 10", "2, 1, 2, 10"}, expect = ACCEPTABLE, desc = "old or new, never going back")
@Outcome(expect = FORBIDDEN, desc = "a miss, a value going back, a half-copied entry; or the layout no longer forces the migration")
@State
public class MigrationPublishesBucket {
    private final CuckooMap<ChosenKey, Val> map = new CuckooMap<>(0);
    private final ChosenKey[] keys = TinyMap.keys(map);
    private final int pendingBefore;

    public MigrationPublishesBucket() {
        for (int id : TinyMap.PREFILLED) map.put(keys[id], new Val(id));
        map.put(keys[TinyMap.S], new Val(TinyMap.S));
        map.put(keys[TinyMap.T], new Val(TinyMap.T));
        pendingBefore = Hashes.bucketsToMigrate(map);
    }

    @Actor
    public void writer() {
        map.put(keys[TinyMap.A], new Val(TinyMap.A, 1));
    }

    @Actor
    public void reader(IIII_Result r) {
        r.r1 = Val.checkVersion(map.get(keys[TinyMap.A]), TinyMap.A);
        r.r2 = Val.checkVersion(map.get(keys[TinyMap.Q0]), TinyMap.Q0);
        r.r3 = Val.checkVersion(map.get(keys[TinyMap.A]), TinyMap.A);
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        r.r4 = 10 * pendingBefore + Hashes.bucketsToMigrate(map);
    }
}
