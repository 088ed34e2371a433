package io.cuckoocache.textproto;

import io.cuckoocache.store.ItemStore;
import io.cuckoocache.store.Mode;

/**
 * A storage command (set, add, ..., cas, ms) whose value is still arriving. The value is read straight into the
 * array the store will keep, so the bytes are copied once.
 */
final class Pending {
    /** The key, copied out of the request line, which is gone by the time the value is complete. */
    final byte[] key = new byte[ItemStore.KEY_MAX_LENGTH];
    int keyLength;
    boolean meta;
    Mode mode;
    int flags;
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
    byte[] value;
    int filled;

    void begin(boolean meta, Mode mode, byte[] keySource, int keyOff, int keyLength, int valueLength) {
        this.meta = meta;
        this.mode = mode;
        System.arraycopy(keySource, keyOff, key, 0, keyLength);
        this.keyLength = keyLength;
        flags = 0;
        exptime = 0;
        cas = 0;
        noreply = false;
        invalidate = false;
        binaryKey = false;
        returnFlagCount = 0;
        opaqueLength = 0;
        value = new byte[valueLength];
        filled = 0;
    }

    /** Drops the value so a finished command does not keep it reachable. */
    void end() {
        value = null;
    }
}
