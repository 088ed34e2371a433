package io.cuckoocache.verification.jcstress;

import io.cuckoocache.map.CuckooMap;
import io.cuckoocache.verification.ChosenKey;
import io.cuckoocache.verification.TinyMap;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A reader never pairs one entry's key with another entry's value, and never sees a half-published value. Bucket 0
 * is full (P0, P1, P2, A); the writer removes A and inserts A2, which has A's tag and therefore takes A's slot with
 * an identical tag word (only the version tells the two apart), with a value object created just before. The reader
 * looks up A, then A2. Values carry their key's id in a final field and a check number in a plain field, so a
 * foreign or half-initialised value is recognisable.
 * r1 = A's lookup, r2 = A2's lookup: 0 = miss, 1 = its own fully published value, 2 = another key's value,
 * 3 = a value with a field not yet visible.
 */
@JCStressTest
@Outcome(id = {"1, 0", "1, 1", "0, 0", "0, 1"}, expect = ACCEPTABLE, desc = "each lookup: miss or its own value")
@Outcome(expect = FORBIDDEN, desc = "a foreign or half-published value")
@State
public class SlotReuseNeverMixesEntries {
    private final CuckooMap<ChosenKey, Val> map = new CuckooMap<>(0);
    private final ChosenKey[] keys = TinyMap.keys(map);

    public SlotReuseNeverMixesEntries() {
        for (int id : TinyMap.PREFILLED) map.put(keys[id], new Val(id));
    }

    @Actor
    public void writer() {
        map.remove(keys[TinyMap.A]);
        map.put(keys[TinyMap.A2], new Val(TinyMap.A2));
    }

    @Actor
    public void reader(II_Result r) {
        r.r1 = Val.check(map.get(keys[TinyMap.A]), TinyMap.A);
        r.r2 = Val.check(map.get(keys[TinyMap.A2]), TinyMap.A2);
    }
}
