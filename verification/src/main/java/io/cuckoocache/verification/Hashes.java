package io.cuckoocache.verification;

import io.cuckoocache.map.CuckooMap;
import io.cuckoocache.table.CuckooTable;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Places keys exactly where a test wants them in a {@link CuckooMap}'s table.
 * <p>
 * The map spreads {@code hashCode()} with a per-instance random seed ({@link CuckooTable#spread}); the mixer is a
 * bijection, so for any wanted spread hash {@code H} there is exactly one {@code hashCode} that produces it, and
 * {@link #hashCodeFor} computes it (the mixer run backwards). With {@code H = tag << 24 | low}, the key's tag is
 * {@code tag}, its primary bucket is {@code low & mask} and its alternate bucket is {@link #alt}{@code (primary,
 * tag, mask)} — the engine's own formulas, restated here so tests can assert the layout they rely on.
 */
public final class Hashes {
    private Hashes() {
    }

    private static final Field TABLE;
    private static final Field SEED;
    private static final Method BUCKETS_TO_MIGRATE;

    static {
        try {
            TABLE = CuckooMap.class.getDeclaredField("table");
            TABLE.setAccessible(true);
            SEED = TABLE.getType().getDeclaredField("seed");
            SEED.setAccessible(true);
            BUCKETS_TO_MIGRATE = CuckooTable.class.getDeclaredMethod("bucketsToMigrate");
            BUCKETS_TO_MIGRATE.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError("CuckooMap internals changed: update Hashes (" + e + ")");
        }
    }

    /** The map's table (for its hop and growth counters); the map's own accessor is package-private. */
    public static CuckooTable table(CuckooMap<?, ?> map) {
        try {
            return (CuckooTable) TABLE.get(map);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Old buckets still to migrate into the table's current generation (0 when no migration runs): the engine's
     * package-private {@code CuckooTable.bucketsToMigrate()}, for tests that must know a migration is in progress.
     */
    public static int bucketsToMigrate(CuckooTable table) {
        try {
            return (int) BUCKETS_TO_MIGRATE.invoke(table);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@link #bucketsToMigrate(CuckooTable)} of the map's table. */
    public static int bucketsToMigrate(CuckooMap<?, ?> map) {
        return bucketsToMigrate(table(map));
    }

    /** The map's private hash seed (test-only knowledge, hence reflection). */
    public static int seed(CuckooMap<?, ?> map) {
        try {
            return SEED.getInt(TABLE.get(map));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The {@code hashCode} whose spread hash under {@code seed} is {@code spread}. */
    public static int hashCodeFor(int spread, int seed) {
        int h = spread;
        h ^= h >>> 16;
        h *= inverse(0x846ca68b);
        h ^= (h >>> 15) ^ (h >>> 30);
        h *= inverse(0x7feb352d);
        h ^= h >>> 16;
        h ^= seed;
        if (CuckooTable.spread(h, seed) != spread) {
            throw new IllegalStateException("CuckooTable.spread changed: update Hashes.hashCodeFor");
        }
        return h;
    }

    /** A key for a map with hash seed {@code seed}, with tag {@code tag} (1..255) and primary bucket {@code low & mask}. */
    public static ChosenKey key(int seed, int id, int tag, int low) {
        if (tag <= 0 || tag > 255 || (low >>> 24) != 0) throw new IllegalArgumentException(tag + "/" + low);
        return new ChosenKey(id, hashCodeFor(tag << 24 | low, seed));
    }

    /** The engine's alternate-bucket involution (CuckooTable.alt). */
    public static int alt(int bucket, int tag, int buckets) {
        return (bucket ^ ((tag + 1) * 0x5bd1e995)) & (buckets - 1);
    }

    /** The multiplicative inverse of an odd int modulo 2^32 (Newton's iteration). */
    private static int inverse(int odd) {
        int x = odd;
        for (int i = 0; i < 5; i++) x *= 2 - odd * x;
        return x;
    }
}
