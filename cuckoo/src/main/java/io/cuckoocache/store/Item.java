package io.cuckoocache.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One cached item: its value bytes, client flags and CAS unique. Immutable: every change (a set, append, incr,
 * touch, invalidation, recache win) publishes a new item, so a reader that found an item without a lock never sees
 * it half made.
 * <p>
 * The one exception is the access word (the last access time and the "fetched" bit, which meta gets report as
 * {@code l} and {@code h}): readers must record their hit, so they write it, with an opaque write, and only when it
 * changes (at most once a second per item, so a hot item's cache line is not bounced on every hit). Two readers
 * racing leave one of two equally fresh values; nothing else reads it for a decision.
 */
public final class Item {
    /** Bytes of an item object (12-byte header, a compressed reference, a long, 4 ints; 8-byte aligned). */
    static final int OBJECT_BYTES = 40;

    /** {@link #stamp} bit: invalidated, still served, but the next meta get wins the right to recache it. */
    static final int STALE = 1 << 30;
    /** {@link #stamp} bit: a meta get was already handed the recache token (W); later ones are told Z. */
    static final int WON = 1 << 31;
    /** {@link #stamp} bits: the flush epoch the item was stored in. */
    static final int EPOCH = STALE - 1;
    /** {@link #access} bit: fetched at least once. The other 31 bits count seconds from the store's base time. */
    static final int FETCHED = 1 << 31;

    private static final VarHandle ACCESS;

    static {
        try {
            ACCESS = MethodHandles.lookup().findVarHandle(Item.class, "access", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final byte[] value;
    final long cas;
    final int flags;
    /** Unsigned Unix second at which the item expires; 0 = never. */
    final int expiry;
    final int stamp;
    private int access;

    Item(byte[] value, int flags, int expiry, long cas, int stamp, int access) {
        this.value = value;
        this.flags = flags;
        this.expiry = expiry;
        this.cas = cas;
        this.stamp = stamp;
        this.access = access;
    }

    /** {@return the value bytes} The array is the item's own, shared with every reader: never modify it. */
    public byte[] value() {
        return value;
    }

    /** {@return the 32-bit client flags} Print them as unsigned. */
    public int flags() {
        return flags;
    }

    /** {@return the 64-bit CAS unique, 0 when CAS is disabled} Print it as unsigned. */
    public long cas() {
        return cas;
    }

    boolean stale() {
        return (stamp & STALE) != 0;
    }

    boolean won() {
        return (stamp & WON) != 0;
    }

    int epoch() {
        return stamp & EPOCH;
    }

    int access() {
        return (int) ACCESS.getOpaque(this);
    }

    /** Records an access (see the class comment); {@code word} is {@link #FETCHED} plus seconds since base. */
    void access(int word) {
        if ((int) ACCESS.getOpaque(this) != word) ACCESS.setOpaque(this, word);
    }

    boolean fetched() {
        return (access() & FETCHED) != 0;
    }

    /** Whether the item is past its expiry at {@code now}. */
    boolean expiredAt(long now) {
        return expiry != 0 && Integer.toUnsignedLong(expiry) <= now;
    }

    /** This item with another expiry and stamp; same value, flags, CAS and access. */
    Item with(int expiry, int stamp) {
        return new Item(value, flags, expiry, cas, stamp, access());
    }

    /** Bytes charged to the memory limit for this item, its value and its key (held by the table). */
    long footprint(int keyLength) {
        return footprint(keyLength, value.length);
    }

    /** Bytes an item with these key and value lengths is charged: item object plus two byte arrays. */
    static long footprint(int keyLength, int valueLength) {
        return OBJECT_BYTES + arrayBytes(keyLength) + arrayBytes(valueLength);
    }

    /** A byte array's heap size: 16-byte header (12 + length), data, rounded up to 8. */
    static long arrayBytes(int length) {
        return (16L + length + 7) & ~7L;
    }
}
