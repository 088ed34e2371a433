package io.cuckoocache.verification;

import io.cuckoocache.store.Item;
import io.cuckoocache.store.Clock;
import io.cuckoocache.store.ItemStore;
import io.cuckoocache.store.Mode;
import io.cuckoocache.store.Outcome;
import io.cuckoocache.table.CuckooTable;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;

/**
 * An item store on the smallest table (initial capacity 0: 2 buckets of 4 slots), with a clock that stands still,
 * prefilled with seven items (one slot left), so that the few inserts of a short scenario displace items and double
 * the table. The store hashes key bytes with a random seed; here the seed is fixed (by reflection, before the first
 * insert) so that every run places keys alike, which lincheck's model checker requires. In so small a table
 * collisions need no further arranging ({@code CoverageTest} measures how often hops and growth happen).
 * <p>
 * Keys "k0".."k4" are the ones operations use; k0 and k1 are prefilled with "1", and so are "p0".."p4".
 */
public final class TinyStore {
    public static final int KEYS = 5;
    public static final int PREFILLED_KEYS = 2;
    public static final String PREFILL_VALUE = "1";
    /** A CAS unique the store never issues (its counter counts up from 1). */
    public static final long NEVER_ISSUED = Long.MAX_VALUE;
    private static final long NOW = 1_700_000_000L;
    /** The hash seed every TinyStore uses (lincheck's model checker needs each run to place keys the same way). */
    private static final long SEED = 42;
    private static final Field TABLE;
    private static final Field SEED_FIELD;

    static {
        try {
            TABLE = ItemStore.class.getDeclaredField("table");
            TABLE.setAccessible(true);
            SEED_FIELD = ItemStore.class.getDeclaredField("seed");
            SEED_FIELD.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError("ItemStore internals changed: update TinyStore (" + e + ")");
        }
    }

    public final ItemStore store;
    public final byte[][] keys = new byte[KEYS][];
    /** The CAS unique each prefilled key got; {@link #NEVER_ISSUED} for the others. */
    public final long[] prefillCas = new long[KEYS];

    public TinyStore() {
        Clock still = () -> NOW;
        store = ItemStore.builder().initialCapacity(0).clock(still).build();
        try {
            SEED_FIELD.setLong(store, SEED); // before the first insert: the table is still empty
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        Outcome out = new Outcome();
        for (int i = 0; i < 5; i++) set(("p" + i).getBytes(StandardCharsets.US_ASCII), PREFILL_VALUE, out);
        for (int i = 0; i < KEYS; i++) {
            keys[i] = ("k" + i).getBytes(StandardCharsets.US_ASCII);
            prefillCas[i] = NEVER_ISSUED;
            if (i < PREFILLED_KEYS) {
                set(keys[i], PREFILL_VALUE, out);
                prefillCas[i] = Item.cas(store.get(keys[i], 0, keys[i].length));
            }
        }
    }

    private void set(byte[] key, String value, Outcome out) {
        store.store(Mode.SET, key, 0, key.length, bytes(value), 0, 0, out);
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    public static String string(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** The store's table (for its hop and growth counters). */
    public CuckooTable table() {
        try {
            return (CuckooTable) TABLE.get(store);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
