package io.cuckoocache.bench;

/**
 * Pre-generated benchmark keys. Key {@code i} is a fixed bijective mix of {@code i}, so keys are distinct and look
 * random, and indices {@code [n, 2n)} give keys that are certainly absent from a map filled with {@code [0, n)}.
 * Every call makes new objects: a probe array made separately from the inserted keys holds equal but distinct
 * objects, so a lookup cannot succeed by reference identity alone (as for keys parsed from a request).
 */
public final class Keys {
    /** Key kinds, as used by the {@code keys} benchmark parameter. */
    public static final String INT = "int";
    public static final String KEY16 = "key16";

    private static final long SEED = 0x5DEECE66DL;

    private Keys() {
    }

    /** Keys {@code from .. from+count-1} of the given kind, as new objects. */
    public static Object[] make(String kind, long from, int count) {
        Object[] a = new Object[count];
        for (int i = 0; i < count; i++) {
            a[i] = key(kind, from + i);
        }
        return a;
    }

    /** Key number {@code i} of the given kind (a new object). */
    public static Object key(String kind, long i) {
        switch (kind) {
            case INT:
                return Integer.valueOf(fmix32((int) i ^ (int) SEED));
            case KEY16: {
                long hi = fmix64(i ^ SEED);
                return new Key16(hi, fmix64(hi + 0x632BE59BD9B4E019L));
            }
            default:
                throw new IllegalArgumentException("unknown key kind: " + kind + " (int, key16)");
        }
    }

    /** Murmur3's 32-bit finalizer: a bijection on int. */
    static int fmix32(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    /** Murmur3's 64-bit finalizer: a bijection on long. */
    static long fmix64(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
