package io.cuckoocache.store;

/**
 * The store's operations that take several optional numbers: the meta commands (mg, ms, md with I, ma, me) and the
 * binary protocol's incr/decr with an initial value, create-on-miss and a CAS. Their options travel in a
 * {@link MetaRequest}, named, so that none can be passed in another's place. Obtained from {@link ItemStore#meta()};
 * the semantics live in the store, this is its view.
 */
public final class MetaOperations {
    private final ItemStore store;

    MetaOperations(ItemStore store) {
        this.store = store;
    }

    /**
     * The meta get (mg) with its item-changing options. Fills {@code out} with the item, its TTL after the call, the
     * last access and hit-before as they were before the call, and the recache tokens: {@link Outcome#won()} (W)
     * for exactly one caller when the item was just vivified, is stale, or has less than the request's recache time
     * to live; {@link Outcome#alreadyWon()} (Z) once someone holds the token; {@link Outcome#stale()} (X).
     *
     * @param key     the array holding the key
     * @param off     where the key starts in {@code key}
     * @param len     the key's length in bytes, at most {@link ItemStore#KEY_MAX_LENGTH}
     * @param request reads {@link MetaRequest#exptime} (T; then the call counts as a touch, not a get),
     *                {@link MetaRequest#vivify} (N), {@link MetaRequest#recache} (R), {@link MetaRequest#bump} (u)
     * @param out     receives the call's details beyond its status; reused by the caller
     * @return {@link Status#FOUND} or {@link Status#NOT_FOUND}
     */
    public Status get(byte[] key, int off, int len, MetaRequest request, Outcome out) {
        return store.metaGet(key, off, len, request, out);
    }

    /**
     * The meta debug command (me): the key's live item in {@code out} as {@link #get} reports it, but changing
     * nothing: no access recorded, no token handed out, no get counted. Counts {@code cmd_meta}, which memcached
     * 1.6.18 counts for me alone. A dead item met is removed, as every call does.
     *
     * @param key the array holding the key
     * @param off where the key starts in {@code key}
     * @param len the key's length in bytes, at most {@link ItemStore#KEY_MAX_LENGTH}
     * @param out receives the item, its TTL, last access and whether it was fetched before; reused by the caller
     * @return {@link Status#FOUND} or {@link Status#NOT_FOUND}
     */
    public Status peek(byte[] key, int off, int len, Outcome out) {
        return store.peek(key, off, len, out);
    }

    /**
     * memcached's size of an item, as me reports it (see {@link ItemStore#fits}).
     *
     * @param item an item the store returned
     * @return the size in bytes
     */
    public long itemSize(byte[] item) {
        return store.itemSize(item);
    }

    /**
     * The meta set (ms): {@link ItemStore#store(Mode, byte[], int, int, long, byte[], int, long, Outcome)} plus an
     * explicit new CAS (E) and a stale-allowed cas (I). Like memcached's ms, a failure for size or memory deletes
     * the key's old item in every mode. The value is copied into the item.
     *
     * @param mode    which of the storage commands
     * @param key     the array holding the key
     * @param off     where the key starts in {@code key}
     * @param len     the key's length in bytes, at most {@link ItemStore#KEY_MAX_LENGTH}
     * @param value   the value bytes
     * @param request reads {@link MetaRequest#flags} (F), {@link MetaRequest#exptime} (T), {@link MetaRequest#cas}
     *                (C), {@link MetaRequest#newCas} (E), {@link MetaRequest#invalidate} (I, with {@link Mode#CAS})
     * @param out     receives the call's details beyond its status; reused by the caller
     * @return STORED, NOT_STORED, EXISTS, NOT_FOUND, TOO_LARGE or OUT_OF_MEMORY
     */
    public Status store(Mode mode, byte[] key, int off, int len, byte[] value, MetaRequest request, Outcome out) {
        return store.metaStore(mode, key, off, len, value, request, out);
    }

    /**
     * The meta set of an item from {@link ItemStore#prepare} whose value the caller has filled (its key and flags
     * are the item's; {@link MetaRequest#flags} is not read). The store takes the array, so the caller must not
     * write to it again.
     *
     * @param mode     which of the storage commands
     * @param prepared the filled item
     * @param request  reads {@link MetaRequest#exptime} (T), {@link MetaRequest#cas} (C), {@link MetaRequest#newCas}
     *                 (E), {@link MetaRequest#invalidate} (I, with {@link Mode#CAS})
     * @param out      receives the call's details beyond its status; reused by the caller
     * @return STORED, NOT_STORED, EXISTS, NOT_FOUND, TOO_LARGE or OUT_OF_MEMORY
     */
    public Status store(Mode mode, byte[] prepared, MetaRequest request, Outcome out) {
        return store.metaStore(mode, prepared, request, out);
    }

    /**
     * An ms whose value the protocol will not read because {@link ItemStore#fits} said no: as
     * {@link ItemStore#rejectTooLarge}, but the key's old item is dropped in every mode, as for any failed ms.
     *
     * @param key the array holding the key
     * @param off where the key starts in {@code key}
     * @param len the key's length in bytes, at most {@link ItemStore#KEY_MAX_LENGTH}
     * @param out receives the call's details beyond its status; reused by the caller
     * @return TOO_LARGE
     */
    public Status rejectTooLarge(byte[] key, int off, int len, Outcome out) {
        return store.rejectTooLarge(true, key, off, len, out);
    }

    /**
     * The meta delete (md). With I it invalidates instead: marks the item stale, gives it a new CAS and clears its
     * recache token, so gets still serve it while the next meta get wins the right to recache it.
     *
     * @param key     the array holding the key
     * @param off     where the key starts in {@code key}
     * @param len     the key's length in bytes, at most {@link ItemStore#KEY_MAX_LENGTH}
     * @param request reads {@link MetaRequest#cas} (C), {@link MetaRequest#invalidate} (I) and, with I,
     *                {@link MetaRequest#exptime} (T)
     * @param out     receives the call's details beyond its status; reused by the caller
     * @return DELETED, NOT_FOUND or EXISTS (CAS mismatch)
     */
    public Status delete(byte[] key, int off, int len, MetaRequest request, Outcome out) {
        return store.metaDelete(key, off, len, request, out);
    }

    /**
     * {@link ItemStore#incr} with options: ma, and the binary increment.
     *
     * @param key     the array holding the key
     * @param off     where the key starts in {@code key}
     * @param len     the key's length in bytes, at most {@link ItemStore#KEY_MAX_LENGTH}
     * @param request reads {@link MetaRequest#delta} (D), {@link MetaRequest#cas} (C), {@link MetaRequest#vivify}
     *                (N) with {@link MetaRequest#initial} (J), {@link MetaRequest#exptime} (T)
     * @param out     receives the call's details beyond its status; reused by the caller
     * @return STORED, NOT_FOUND, EXISTS (CAS mismatch), NON_NUMERIC or OUT_OF_MEMORY
     */
    public Status incr(byte[] key, int off, int len, MetaRequest request, Outcome out) {
        return store.arithmetic(true, key, off, len, request, out);
    }

    /**
     * {@link ItemStore#decr} with options: ma in decr mode, and the binary decrement.
     *
     * @param key     the array holding the key
     * @param off     where the key starts in {@code key}
     * @param len     the key's length in bytes, at most {@link ItemStore#KEY_MAX_LENGTH}
     * @param request reads {@link MetaRequest#delta} (D), {@link MetaRequest#cas} (C), {@link MetaRequest#vivify}
     *                (N) with {@link MetaRequest#initial} (J), {@link MetaRequest#exptime} (T)
     * @param out     receives the call's details beyond its status; reused by the caller
     * @return STORED, NOT_FOUND, EXISTS (CAS mismatch), NON_NUMERIC or OUT_OF_MEMORY
     */
    public Status decr(byte[] key, int off, int len, MetaRequest request, Outcome out) {
        return store.arithmetic(false, key, off, len, request, out);
    }
}
