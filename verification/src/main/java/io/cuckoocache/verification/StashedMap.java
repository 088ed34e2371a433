package io.cuckoocache.verification;

import io.cuckoocache.map.CuckooMap;

/**
 * A layout with three keys in the table's stash, each guarded by different stripes: a map of 8 buckets
 * ({@code new CuckooMap<>(20)}) and three groups of five keys with equal tag 7 (a single bucket in tables of up to 8
 * buckets) whose buckets are 0, 2 and 4. Four keys of a group fill their bucket; the fifth finds no displacement path
 * and, with the table under half full, goes to the stash. Stash keys are X = 4, Y = 9, Z = 14 (the fifth of each
 * group), inserted in that order, so the stash holds [X, Y, Z].
 */
public final class StashedMap {
    public static final int X = 4;
    public static final int Y = 9;
    public static final int Z = 14;
    public static final int[] STASHED = {X, Y, Z};
    public static final int VALUE = 1;

    public final CuckooMap<ChosenKey, Integer> map = new CuckooMap<>(20);
    public final ChosenKey[] keys = new ChosenKey[15];

    public StashedMap() {
        int seed = Hashes.seed(map);
        for (int id = 0; id < keys.length; id++) keys[id] = Hashes.key(seed, id, 7, 2 * (id / 5));
        for (ChosenKey k : keys) map.put(k, VALUE);
    }
}
