package io.cuckoocache.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The layout of an item: one {@code byte[]} holding its header, its key and its value, which the table's slot
 * references directly, so a lookup goes from the slot to the bytes it compares and sends with one dependent load
 * and a hit allocates nothing. The store hands items out as these arrays; this class reads them.
 * <pre>
 *   0  access   int   last access (seconds from the store's base) and the "fetched" bit; see below
 *   4  expiry   int   unsigned Unix second it expires at; 0 = never
 *   8  stamp    int   flush epoch (29 bits), HAS_FLAGS, STALE and WON bits
 *  12  cas      long  CAS unique; 0 with CAS off
 *  20  key length (unsigned byte)
 *  21  the key; then the client flags (int) only if they are not 0 (HAS_FLAGS), as memcached stores them; then
 *      the value, to the end of the array
 * </pre>
 * Immutable once published: every change (a set, append, incr, touch, invalidation, recache win) publishes a new
 * array, so a reader that found an item without a lock never sees it half made. The one exception is the access
 * word, which meta gets report as {@code l} and {@code h}: readers record their hit there with a racy plain write,
 * and only when it changes (at most once a second per item, so a hot item's cache line is not bounced on every hit).
 * Two readers racing leave one of two equally fresh values; nothing else reads it for a decision. The word is at
 * offset 0, 4-byte aligned whatever the array header's size, and an aligned int access through a byte-array view is
 * atomic, so it is never torn. (Plain is the only mode byte-array views offer on every JDK: JDK 25 throws
 * UnsupportedOperationException for opaque access.)
 */
public final class Item {
    /** Bytes of header before the key. */
    static final int HEADER = 21;
    /** {@link #stamp} bit: invalidated, still served, but the next meta get wins the right to recache it. */
    static final int STALE = 1 << 30;
    /** {@link #stamp} bit: a meta get was already handed the recache token (W); later ones are told Z. */
    static final int WON = 1 << 31;
    /** Stamp bit, kept out of {@link #stamp}: the flags are stored (they are not 0). */
    private static final int HAS_FLAGS = 1 << 29;
    /** {@link #stamp} bits: the flush epoch the item was stored in. */
    static final int EPOCH = HAS_FLAGS - 1;
    /** {@link #access} bit: fetched at least once. The other 31 bits count seconds from the store's base time. */
    static final int FETCHED = 1 << 31;

    private static final int ACCESS = 0;
    private static final int EXPIRY = 4;
    private static final int STAMP = 8;
    private static final int CAS = 12;
    private static final int KEY_LENGTH = 20;

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private Item() {
    }

    /**
     * Writes a prepared item's expiry, CAS, stamp and access word, just before it is published: until then no
     * reader can hold it, so plain writes suffice (the table's publication orders them).
     */
    static void seal(byte[] it, int expiry, long cas, int stamp, int access) {
        INT.set(it, EXPIRY, expiry);
        LONG.set(it, CAS, cas);
        INT.set(it, STAMP, stamp | ((int) INT.get(it, STAMP) & HAS_FLAGS));
        INT.set(it, ACCESS, access);
    }

    /**
     * {@code from} with room for a value of {@code vlen} bytes (zero, for the caller to fill) and another expiry,
     * CAS, stamp and access word; same key and flags.
     */
    static byte[] withValue(byte[] from, int vlen, int expiry, long cas, int stamp, int access) {
        int klen = keyLength(from);
        return create(from, HEADER, klen, vlen, flags(from), expiry, cas, stamp, access);
    }

    /** {@code from} with another expiry, CAS, stamp and access word; same key, flags and value. */
    static byte[] with(byte[] from, int expiry, long cas, int stamp, int access) {
        byte[] it = from.clone();
        INT.set(it, EXPIRY, expiry);
        LONG.set(it, CAS, cas);
        INT.set(it, STAMP, stamp | ((int) INT.get(from, STAMP) & HAS_FLAGS));
        INT.set(it, ACCESS, access);
        return it;
    }

    /** An item with its header and key written and {@code vlen} value bytes left zero, for the caller to fill. */
    static byte[] create(byte[] key, int koff, int klen, int vlen, int flags, int expiry, long cas, int stamp,
                         int access) {
        byte[] it = new byte[HEADER + klen + flagBytes(flags) + vlen];
        INT.set(it, ACCESS, access);
        INT.set(it, EXPIRY, expiry);
        INT.set(it, STAMP, flags != 0 ? stamp | HAS_FLAGS : stamp);
        LONG.set(it, CAS, cas);
        it[KEY_LENGTH] = (byte) klen;
        System.arraycopy(key, koff, it, HEADER, klen);
        if (flags != 0) INT.set(it, HEADER + klen, flags);
        return it;
    }

    // ---------------------------------------------------------------- public reads

    /**
     * The 32-bit client flags. Print them as unsigned.
     *
     * @param item an item the store returned
     * @return its flags
     */
    public static int flags(byte[] item) {
        return hasFlags(item) ? (int) INT.get(item, HEADER + keyLength(item)) : 0;
    }

    /**
     * The 64-bit CAS unique, 0 when CAS is disabled. Print it as unsigned.
     *
     * @param item an item the store returned
     * @return its CAS unique
     */
    public static long cas(byte[] item) {
        return (long) LONG.get(item, CAS);
    }

    /**
     * Where the value starts in the item: the value is {@code item[valueOffset, item.length)}.
     *
     * @param item an item the store returned
     * @return the index of the value's first byte
     */
    public static int valueOffset(byte[] item) {
        return HEADER + keyLength(item) + (hasFlags(item) ? 4 : 0);
    }

    /**
     * The value's length in bytes.
     *
     * @param item an item the store returned
     * @return the value's length
     */
    public static int valueLength(byte[] item) {
        return item.length - valueOffset(item);
    }

    /**
     * A copy of the value, for callers that want an array of their own (the protocols send it from the item).
     *
     * @param item an item the store returned
     * @return a new array holding the value
     */
    public static byte[] value(byte[] item) {
        return Arrays.copyOfRange(item, valueOffset(item), item.length);
    }

    /**
     * Where the key starts in the item: the key is {@code item[keyOffset, keyOffset + keyLength)}.
     *
     * @param item an item the store returned
     * @return the index of the key's first byte
     */
    public static int keyOffset(byte[] item) {
        return HEADER;
    }

    /**
     * The key's length in bytes (1 to {@link ItemStore#KEY_MAX_LENGTH}).
     *
     * @param item an item the store returned
     * @return the key's length
     */
    public static int keyLength(byte[] item) {
        return item[KEY_LENGTH] & 0xFF;
    }

    /**
     * The Unix second the item expires at, 0 if it never does: an absolute time, as {@link ItemStore#restore} takes
     * it, so an item saved and restored later keeps its expiry on the wall clock.
     *
     * @param item an item the store returned
     * @return its expiry as an unsigned 32-bit Unix second, widened; 0 for never
     */
    public static long expiresAt(byte[] item) {
        return Integer.toUnsignedLong(expiry(item));
    }

    // ---------------------------------------------------------------- the store's reads and writes

    private static boolean hasFlags(byte[] item) {
        return ((int) INT.get(item, STAMP) & HAS_FLAGS) != 0;
    }

    private static int flagBytes(int flags) {
        return flags != 0 ? 4 : 0;
    }

    /** Whether the item's key is {@code key[off, off + len)}. */
    static boolean keyEquals(byte[] item, byte[] key, int off, int len) {
        return keyLength(item) == len && Arrays.equals(item, HEADER, HEADER + len, key, off, off + len);
    }

    /** Unsigned lexicographic order of the item's key against {@code key[off, off + len)}: -1, 0 or 1. */
    static int compareKey(byte[] item, byte[] key, int off, int len) {
        return Integer.signum(Arrays.compareUnsigned(item, HEADER, HEADER + keyLength(item), key, off, off + len));
    }

    static int expiry(byte[] item) {
        return (int) INT.get(item, EXPIRY);
    }

    /** The flush epoch and the STALE and WON bits. */
    static int stamp(byte[] item) {
        return (int) INT.get(item, STAMP) & ~HAS_FLAGS;
    }

    static boolean stale(byte[] item) {
        return (stamp(item) & STALE) != 0;
    }

    static boolean won(byte[] item) {
        return (stamp(item) & WON) != 0;
    }

    static int epoch(byte[] item) {
        return stamp(item) & EPOCH;
    }

    static int access(byte[] item) {
        return (int) INT.get(item, ACCESS);
    }

    /** Records an access (see the class comment); {@code word} is {@link #FETCHED} plus seconds since base. */
    static void access(byte[] item, int word) {
        if ((int) INT.get(item, ACCESS) != word) INT.set(item, ACCESS, word);
    }

    static boolean fetched(byte[] item) {
        return (access(item) & FETCHED) != 0;
    }

    /** Whether the item is past its expiry at {@code now}. */
    static boolean expiredAt(byte[] item, long now) {
        int expiry = expiry(item);
        return expiry != 0 && Integer.toUnsignedLong(expiry) <= now;
    }

    /** Bytes charged to the memory limit for this item. */
    static long footprint(byte[] item) {
        return arrayBytes(item.length);
    }

    /** Bytes an item with these key, flags and value lengths is charged: its one array. */
    static long footprint(int keyLength, int flags, long valueLength) {
        return arrayBytes(HEADER + keyLength + flagBytes(flags) + valueLength);
    }

    /** A byte array's heap size: 16-byte header (12 + length), data, rounded up to 8. */
    static long arrayBytes(long length) {
        return (16L + length + 7) & ~7L;
    }
}
