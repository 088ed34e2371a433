package io.cuckoocache.map;

import io.cuckoocache.table.CuckooTable;

/** Inverts {@link CuckooTable#spread}, so tests can build keys with a chosen spread hash (tag and buckets). */
final class Hashes {
    private Hashes() {
    }

    /** The hashCode whose spread under {@code seed} is {@code h}. */
    static int hashCodeFor(int h, int seed) {
        h ^= h >>> 16;
        h *= inverse(0x846ca68b);
        h ^= (h >>> 15) ^ (h >>> 30);
        h *= inverse(0x7feb352d);
        h ^= h >>> 16;
        return h ^ seed;
    }

    /** A spread hash with this tag (top 8 bits, non-zero), middle bits and primary bucket (low bits). */
    static int spreadHash(int tag, int middle, int bucketBits, int bucket) {
        return (tag << 24) | (middle << bucketBits) | bucket;
    }

    private static int inverse(int odd) {
        int x = odd;
        for (int i = 0; i < 5; i++) x *= 2 - odd * x;
        return x;
    }
}
