package io.cuckoocache.store;

/**
 * The options of one {@link MetaOperations} call, named after the meta protocol's flags: each is set by its own
 * setter, so no two numbers can trade places, and an option not set is absent. Each operation reads the options it
 * documents and ignores the rest, so a protocol may set every flag its request carried.
 * <p>
 * Like {@link Outcome}, a connection keeps one and passes it to every call, so requests allocate nothing. The call
 * clears it, so set the options just before the call. Not thread-safe: one per connection (or thread).
 */
public final class MetaRequest {
    // Read by the store before it locks; clear() sets the defaults.
    boolean hasExptime;
    long exptime;
    boolean hasVivify;
    long vivify;
    boolean hasRecache;
    long recache;
    boolean bump;
    long cas;
    long newCas;
    boolean invalidate;
    int flags;
    long delta;
    long initial;

    /** An empty request to reuse across calls. */
    public MetaRequest() {
        clear();
    }

    /**
     * T: the item's new exptime (get, delete with I, incr/decr), or the stored item's exptime (store; not set: 0,
     * never). A get with T counts as a touch.
     *
     * @param exptime memcached exptime: 0 never, up to 30 days relative, else absolute; negative is expired
     * @return this request
     */
    public MetaRequest exptime(long exptime) {
        hasExptime = true;
        this.exptime = exptime;
        return this;
    }

    /**
     * N: on a miss, create the item with this exptime (get: an empty item whose recache token this call wins;
     * incr/decr: the {@link #initial} value). Not set: a miss is {@link Status#NOT_FOUND}.
     *
     * @param exptime memcached exptime of the created item
     * @return this request
     */
    public MetaRequest vivify(long exptime) {
        hasVivify = true;
        vivify = exptime;
        return this;
    }

    /**
     * R (get): win the recache token if the item has less than this many seconds to live.
     *
     * @param seconds the remaining time to live below which a get wins
     * @return this request
     */
    public MetaRequest recache(long seconds) {
        hasRecache = true;
        recache = seconds;
        return this;
    }

    /**
     * Whether a get records this access (default true; false for the {@code u} flag).
     *
     * @param bump false to leave the item's last access and hit-before as they are
     * @return this request
     */
    public MetaRequest bump(boolean bump) {
        this.bump = bump;
        return this;
    }

    /**
     * C (store, delete, incr/decr): the CAS unique the item must have. Not set, or 0: any, except that a store in
     * {@link Mode#CAS} always compares.
     *
     * @param cas the unique to compare
     * @return this request
     */
    public MetaRequest cas(long cas) {
        this.cas = cas;
        return this;
    }

    /**
     * E (store): the CAS unique to give the new item. Not set, or 0: the next one from the store's counter.
     *
     * @param cas the new item's unique
     * @return this request
     */
    public MetaRequest newCas(long cas) {
        newCas = cas;
        return this;
    }

    /**
     * I. Delete: mark the item stale, give it a new CAS and keep serving it, instead of removing it. Store in
     * {@link Mode#CAS}: if the given CAS is older than the item's, store anyway but keep the item's expiry and mark
     * it stale; a later ordinary store clears the mark.
     *
     * @param invalidate whether the I flag is given
     * @return this request
     */
    public MetaRequest invalidate(boolean invalidate) {
        this.invalidate = invalidate;
        return this;
    }

    /**
     * F (store): the 32-bit client flags. Default 0.
     *
     * @param flags the client flags
     * @return this request
     */
    public MetaRequest flags(int flags) {
        this.flags = flags;
        return this;
    }

    /**
     * D (incr/decr): the unsigned 64-bit amount. Default 1, as for ma.
     *
     * @param delta the amount
     * @return this request
     */
    public MetaRequest delta(long delta) {
        this.delta = delta;
        return this;
    }

    /**
     * J (incr/decr): the unsigned value an item created on a miss starts with (see {@link #vivify}). Default 0.
     *
     * @param initial the initial value
     * @return this request
     */
    public MetaRequest initial(long initial) {
        this.initial = initial;
        return this;
    }

    void clear() {
        hasExptime = false;
        exptime = 0;
        hasVivify = false;
        vivify = 0;
        hasRecache = false;
        recache = 0;
        bump = true;
        cas = 0;
        newCas = 0;
        invalidate = false;
        flags = 0;
        delta = 1;
        initial = 0;
    }
}
