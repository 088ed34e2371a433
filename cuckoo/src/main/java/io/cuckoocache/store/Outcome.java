package io.cuckoocache.store;

/**
 * The details of one store call beyond its {@link Status}: the item it found or made, an incr/decr result, and what
 * meta commands report (TTL, last access, hit before, recache tokens). Each call overwrites it.
 * <p>
 * A protocol connection keeps one and passes it to every call, so calls allocate nothing for their results. Not
 * thread-safe: one per connection (or thread). Internally it also carries the call's arguments into the table's
 * locked section.
 */
public final class Outcome {
    // ---- results
    Status status;
    byte[] item;
    long number;
    long ttl;
    long lastAccess;
    boolean hitBefore;
    boolean won;
    boolean stale;
    boolean alreadyWon;
    boolean created;
    /** Whether the call charged more bytes to the limit (the store then trims back under it). */
    boolean grew;
    /** The slab class of the live item the call found under the lock (0: none), for per-class hit counts. */
    int liveClass;

    // ---- the call in progress, set by the store before it locks
    byte[] key;
    int keyOff;
    int keyLen;
    long now;
    int epoch;
    Mode mode;
    /** A store's new item, prepared: key, flags and value in place, its header sealed when it is published. */
    byte[] prepared;
    int flags;
    int expiry;
    boolean setExpiry;
    long cas;
    long newCas;
    /** I: a stale-allowed cas (ms), an invalidation instead of a delete (md). */
    boolean staleOk;
    boolean incr;
    long delta;
    boolean vivify;
    int vivifyExpiry;
    boolean recache;
    long recacheAt;
    boolean bump;

    /** An outcome to reuse across calls. */
    public Outcome() {
    }

    /**
     * {@return the item read, stored, touched, incremented or created; {@code null} if none} Read it with
     * {@link Item}'s methods; never modify it.
     */
    public byte[] item() {
        return item;
    }

    /** {@return the incr/decr result, or the initial value of an item it created} It is an unsigned 64-bit number. */
    public long number() {
        return number;
    }

    /**
     * {@return the item's remaining time to live in seconds after the call, or -1 if it never expires} Meta
     * {@code t}.
     */
    public long ttl() {
        return ttl;
    }

    /** {@return the seconds since the item was last accessed, as it was before this call} Meta {@code l}. */
    public long lastAccess() {
        return lastAccess;
    }

    /** {@return whether the item had been fetched before this call} Meta {@code h}. */
    public boolean hitBefore() {
        return hitBefore;
    }

    /**
     * {@return whether this call won the right to recache the item} Meta {@code W}; exactly one call wins per
     * token.
     */
    public boolean won() {
        return won;
    }

    /**
     * {@return whether the item is stale} It is when invalidated, or when stored over a newer CAS by a stale-allowed
     * set (meta {@code X}).
     */
    public boolean stale() {
        return stale;
    }

    /** {@return whether another call already holds the recache token} Meta {@code Z}. */
    public boolean alreadyWon() {
        return alreadyWon;
    }

    /** {@return whether this call created the item} By meta get vivify, or incr/decr create-on-miss. */
    public boolean created() {
        return created;
    }

    /** Clears the results and the previous call's arguments, and binds this call's key and time. */
    void begin(byte[] key, int off, int len, long now, int epoch) {
        status = null;
        item = null;
        number = 0;
        ttl = 0;
        lastAccess = 0;
        hitBefore = false;
        won = false;
        stale = false;
        alreadyWon = false;
        created = false;
        grew = false;
        this.key = key;
        this.keyOff = off;
        this.keyLen = len;
        this.now = now;
        this.epoch = epoch;
        mode = null;
        prepared = null;
        flags = 0;
        expiry = 0;
        setExpiry = false;
        cas = 0;
        newCas = 0;
        staleOk = false;
        incr = false;
        delta = 0;
        vivify = false;
        vivifyExpiry = 0;
        recache = false;
        recacheAt = 0;
        bump = false;
    }
}
