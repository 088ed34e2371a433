package io.cuckoocache.bench;

/**
 * A 16-byte value key (two longs), the shape of a hashed id or a UUID. Its {@code hashCode} mixes all 128 bits
 * (Murmur3's fmix64 over the two halves), so every map sees well-distributed hashes; it is recomputed on every
 * call, as for most value keys, and costs every map the same.
 */
public final class Key16 {
    private final long hi;
    private final long lo;

    public Key16(long hi, long lo) {
        this.hi = hi;
        this.lo = lo;
    }

    @Override
    public int hashCode() {
        long h = hi * 0x9E3779B97F4A7C15L ^ lo;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return (int) h;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof Key16)) return false;
        Key16 k = (Key16) o;
        return hi == k.hi && lo == k.lo;
    }

    @Override
    public String toString() {
        return Long.toHexString(hi) + ":" + Long.toHexString(lo);
    }
}
