package io.cuckoocache.textproto;

import io.cuckoocache.store.Item;
import io.cuckoocache.store.ItemStore;
import io.cuckoocache.store.Mode;

/**
 * A storage command (set, add, ..., cas, ms) whose value is still arriving. The value is read straight into the
 * item the store will keep ({@link ItemStore#prepare}), so the bytes are copied once and nothing else is allocated.
 */
final class Pending {
    /** The key, copied out of the request line, which is gone by the time the value is complete. */
    final byte[] key = new byte[ItemStore.KEY_MAX_LENGTH];
    int keyLength;
    boolean meta;
    Mode mode;
    long exptime;
    long cas;
    boolean noreply;
    /** ms I: a stale-allowed cas. */
    boolean invalidate;
    /** ms b: the key came base64-encoded, and k returns it so. */
    boolean binaryKey;
    /** ms return flags (k, c, O) in request order; the opaque token's bytes. */
    final byte[] returnFlags = new byte[3];
    int returnFlagCount;
    final byte[] opaque = new byte[Meta.MAX_OPAQUE_LENGTH];
    int opaqueLength;
    /** The prepared item; its value is filled up to {@link #filled}. */
    byte[] item;
    int filled;

    void begin(boolean meta, Mode mode, byte[] keySource, int keyOff, int keyLength, int flags, int valueLength,
               ItemStore store) {
        this.meta = meta;
        this.mode = mode;
        System.arraycopy(keySource, keyOff, key, 0, keyLength);
        this.keyLength = keyLength;
        exptime = 0;
        cas = 0;
        noreply = false;
        invalidate = false;
        binaryKey = false;
        returnFlagCount = 0;
        opaqueLength = 0;
        item = store.prepare(keySource, keyOff, keyLength, flags, valueLength);
        filled = Item.valueOffset(item);
    }

    /** Drops the item so a finished command does not keep it reachable. */
    void end() {
        item = null;
    }
}
