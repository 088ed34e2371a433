package io.cuckoocache.verification;

import io.cuckoocache.map.CuckooMap;

import java.util.Map;

/**
 * The colliding layout that the lincheck and jcstress tests of {@link CuckooMap} share: a map created with
 * {@code new CuckooMap<>(0)} (2 buckets of 4 slots), prefilled with seven keys, and keys whose spread hashes are
 * chosen ({@link Hashes#key}) so that one insert forces a displacement hop and the next one a growth.
 *
 * <pre>
 * key  tag  low  2-bucket table      4-bucket table   8-bucket table   role
 * A      2  00   0, alt 1            0, alt 3         0, alt 7         prefilled (bucket 0)
 * S     63  00   0 only              0 only           0 only           inserting it hops A from bucket 0 to bucket 1
 * T     79  10   0 only              2 only           2 only           like S; the second of S/T makes the table grow
 * P2    47  10   0 only              2 only           2 only           prefilled (bucket 0); moves to a new bucket on growth
 * R    143  01   1 only              1 only           1 only           with A in bucket 1 and room in bucket 0: hops A back
 * A2     2  100  0, alt 1            0, alt 3         4, alt 3         A's tag: can reuse A's slot with an identical tag word
 * P0    15  00   0 only              0 only           0 only           prefilled (bucket 0)
 * P1    31  00   0 only              0 only           0 only           prefilled (bucket 0)
 * Q0    95  01   1 only              1 only           1 only           prefilled (bucket 1)
 * Q1   111  01   1 only              1 only           1 only           prefilled (bucket 1)
 * Q2   127  11   1 only              3 only           3 only           prefilled (bucket 1); moves to a new bucket on growth
 * U    159  000  0 only              0 only           0 only           not prefilled; fills bucket 0 of the 4-bucket table
 * V    175  100  0 only              0 only           4 only           not prefilled; after U, grows the 4-bucket table
 * </pre>
 * Keys 0..5 are the ones {@code CuckooMapLincheckTest}'s operations pick; the others are prefilled, or used by the
 * migration tests ({@link #grow()}).
 * <p>
 * A tag {@code t} with {@code t + 1} divisible by 16 gives a key a single bucket ({@code alt(b) == b}) in tables of
 * up to 16 buckets. After the prefill bucket 0 holds P0, P1, P2, A and bucket 1 holds Q0, Q1, Q2 (7 of 8 slots).
 * Inserting S (or T) finds bucket 0 full and the only way out is A's other bucket: one hop. The next insert finds
 * the load at 8/8, above the growth threshold (95%), and doubles the table.
 * <p>
 * <b>Growth is incremental</b> (the engine's I8-I10): the growing write publishes an empty 4-bucket generation linked
 * to the frozen 2-bucket one and copies nothing; each later write first migrates its key's two old buckets (old
 * bucket {@code b} splits into new {@code b} and {@code b + 2}), or, when both are migrated already, claims a chunk
 * of old buckets (all of them, in a table this small). So after S then T (state <b>M1</b>, {@link #grow()}):
 * T's own write migrated old bucket 0 (P0, P1, S to new bucket 0; P2 to new bucket 2) and then inserted T into new
 * bucket 2; old bucket 1 (Q0, Q1, Q2, and A in its alternate) is <i>not migrated</i> and still holds them
 * ({@code bucketsToMigrate() == 1}). The next write of any key migrates it (a key of bucket 1, e.g. A, Q0, R, A2,
 * through its own buckets; any other key through the chunk claim): Q0, Q1 to new bucket 1, Q2 and A to new bucket 3.
 * Reads never migrate. From M1 (after that write, bucket 0 holding P0, P1, S), inserting U fills new bucket 0 with
 * single-bucket keys, and inserting V then finds no displacement path at load 10/16 and grows the table again, to 8
 * buckets (state <b>M2</b>): V's write migrates only 4-bucket 0 (P0, P1, S, U to bucket 0; V inserted into bucket
 * 4), so 4-buckets 1 (Q0, Q1), 2 (P2, T) and 3 (Q2, A) stay unmigrated ({@code bucketsToMigrate() == 3}) until
 * writes of their keys, or of keys whose old buckets are migrated (chunk claim), migrate them.
 * {@code TinyMapLayoutTest} asserts the hop, both growths and which buckets are migrated when.
 */
public final class TinyMap {
    public static final int A = 0;
    public static final int S = 1;
    public static final int T = 2;
    public static final int P2 = 3;
    public static final int R = 4;
    public static final int A2 = 5;
    public static final int P0 = 6;
    public static final int P1 = 7;
    public static final int Q0 = 8;
    public static final int Q1 = 9;
    public static final int Q2 = 10;
    public static final int U = 11;
    public static final int V = 12;

    /** Prefilled keys, in insertion order, each mapped to {@link #PREFILL_VALUE}. */
    public static final int[] PREFILLED = {P0, P1, P2, A, Q0, Q1, Q2};
    public static final int PREFILL_VALUE = 1;

    private static final int[][] TAG_LOW = {
            {2, 0b00},    // A
            {63, 0b00},   // S
            {79, 0b10},   // T
            {47, 0b10},   // P2
            {143, 0b01},  // R
            {2, 0b100},   // A2
            {15, 0b00},   // P0
            {31, 0b00},   // P1
            {95, 0b01},   // Q0
            {111, 0b01},  // Q1
            {127, 0b11},  // Q2
            {159, 0b000}, // U
            {175, 0b100}, // V
    };

    /** The map, prefilled as above. */
    public final CuckooMap<ChosenKey, Integer> map = new CuckooMap<>(0);
    /** Its keys, indexed by id. */
    public final ChosenKey[] keys = keys(map);

    public TinyMap() {
        for (int id : PREFILLED) map.put(keys[id], PREFILL_VALUE);
    }

    /**
     * Inserts S (value 5; hops A) and T (value 6; grows the table): state M1 above, the table grown to 4 buckets
     * with old bucket 1 (Q0, Q1, Q2, A) not migrated yet. Returns this map.
     */
    public TinyMap grow() {
        map.put(keys[S], 5);
        map.put(keys[T], 6);
        return this;
    }

    /**
     * Checks, with no writer running, that every key is stored once (I1): iteration returns each key at most once,
     * with the value {@code get} returns, and {@code size()} equals the number of keys iterated.
     */
    public void checkQuiescent() {
        int n = 0;
        boolean[] seen = new boolean[keys.length];
        for (Map.Entry<ChosenKey, Integer> e : map.entrySet()) {
            int id = e.getKey().id;
            if (seen[id]) throw new AssertionError("key stored twice: " + e.getKey());
            seen[id] = true;
            if (!e.getValue().equals(map.get(e.getKey()))) throw new AssertionError("iterated " + e + ", get differs");
            n++;
        }
        if (n != map.size()) throw new AssertionError("size() " + map.size() + " but iterated " + n);
    }

    /** The keys for {@code map} (whose seed they depend on), indexed by id. */
    public static ChosenKey[] keys(CuckooMap<?, ?> map) {
        int seed = Hashes.seed(map);
        ChosenKey[] keys = new ChosenKey[TAG_LOW.length];
        for (int id = 0; id < keys.length; id++) keys[id] = Hashes.key(seed, id, TAG_LOW[id][0], TAG_LOW[id][1]);
        return keys;
    }

    /** The tag chosen for key {@code id}. */
    public static int tag(int id) {
        return TAG_LOW[id][0];
    }

    /** The primary bucket of key {@code id} in a table of {@code buckets} buckets. */
    public static int primary(int id, int buckets) {
        return TAG_LOW[id][1] & (buckets - 1);
    }
}
