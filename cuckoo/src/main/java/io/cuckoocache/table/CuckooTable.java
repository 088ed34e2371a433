package io.cuckoocache.table;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The concurrent Cuckoo hash table that both {@code CuckooMap} and the memcached item store are built on. Internal:
 * this package is not exported by the module.
 *
 * <h2>Implementation overview</h2>
 *
 * <h3>Layout</h3>
 * A {@link Generation} holds buckets of {@value #SLOTS} slots in two arrays: {@code meta} (one long per bucket: its
 * four 8-bit tags in bits 0..31, {@code DIRTY} in bit 32, {@code MOVED} in bit 33, a version in bits 34..63) and
 * {@code kv} (slot {@code i}'s key at {@code 2i}, its value at {@code 2i + 1}: a bucket's keys and values are 32
 * bytes, one cache line fetch) and, in cache mode, {@code refs} (one CLOCK reference byte per slot). There are no node
 * objects, and a reader finds a bucket's tags and version in one load. A key's spread hash {@code h} gives its tag
 * ({@link #tagOf}: the top 8 bits, never 0 because 0 marks an empty slot, and never dependent on the table size) and
 * its primary bucket {@code h & mask}; its alternate bucket is {@link #alt}{@code (b, tag)}, an involution, so a key
 * found in either bucket names the other from its tag alone. A probe compares stored keys only where the tag matches,
 * so a non-matching key is never dereferenced. In the item store each value carries its own key and is also the
 * slot's key object ({@code valueHoldsKey}): an update replaces both references in one DIRTY window, and tells the
 * registered cursors ({@link Cursor#onReplace}), whose records of moved keys are by identity. Hashes are spread
 * with a per-instance random seed ({@link #spread}, {@link #hashBytes}). Keys that can never fit their two buckets
 * while the table is mostly empty (equal hashes) go to the table's {@link Stash}, an immutable balanced tree ordered
 * by hash and then by {@link #compareKeys} (O(log n) per operation for mutually comparable keys), which stays with
 * the table across growths and which readers search without a lock.
 * <p>
 * Writers lock stripes: bucket {@code b} belongs to stripe {@code b & stripeMask} of the generation's {@code locks}.
 * Readers never touch the locks; they validate against bucket versions. Invariants:
 * <ul>
 * <li><b>I1 (placement)</b> outside a DIRTY window, every key is in exactly one place: one of its two buckets of the
 * generation that holds it (I8), or the stash. Enforced by {@link #update} (inserts only after a locked search of
 * both buckets and the stash), {@link #hop} (a move copies and clears inside one DIRTY window covering both buckets)
 * and {@link #copyRun} (see I8).</li>
 * <li><b>I2 (seqlock)</b> every change to a bucket's tags, keys or values, and every stash change for a key, happens
 * while the buckets involved are DIRTY, and ends with a version bump; writers hold the stripes of the buckets
 * involved (for the stash: the key's two buckets), a migration holds the old bucket's DIRTY claim instead (I9).
 * Enforced by {@link #lockPair}, {@link #beginWrite} and {@link #endWrite}.</li>
 * <li><b>I3 (slot consistency)</b> a slot's tag is non-zero iff its key and value are non-null; all three change
 * in the same DIRTY window.</li>
 * <li><b>I4 (frozen)</b> a frozen generation's slots are never modified again; only its meta words change, when a
 * migration claims and then marks a bucket MOVED (I8). One exception, harmless: a {@link #clear} during a migration
 * freezes the generation being filled without finishing the migration, and migrators may still copy into it (it is
 * unreachable for new operations, and what they copy is what it held before the clear). Enforced by
 * {@link #lockPair} (a writer that gets a lock of a frozen generation lets go and retries on the current one) and
 * {@link #replaceGeneration} (freezes only while holding every stripe).</li>
 * <li><b>I7 (no waiting on oneself)</b> (I5 and I6, about versions and publication, are in verification/PROOF.md)
 * a thread running user code under this table's stripe locks (the mapping function a subclass's {@link #apply}
 * calls, bracketed by {@link #enterUserCode} and {@link #exitUserCode}) never waits for a stripe lock of this table:
 * that lock could be its own, or held by a thread waiting for its own (stripes taken out of ascending order), or be
 * one of all the stripes that growth and {@link #clear} take. Enforced by {@link #checkNotInUserCode}, first thing in
 * {@link #update}, {@link #clear}, {@link #cursor} and each bucket visit of a {@link Cursor}: it throws
 * {@link IllegalStateException} instead. Paths that run no user code pay one opaque read of a counter written only
 * around user code (kept on a cache line of its own, away from {@code gen}, which every read loads); the
 * thread-local stack of tables is consulted only while that counter is non-zero. The exception leaves the table
 * unchanged: {@code apply} runs before {@link #beginWrite}, so the caller's {@code finally} only unlocks.</li>
 * <li><b>I8 (forwarding)</b> a bucket {@code b} of a generation with a successor is migrated once: its entries are
 * copied into the successor's buckets {@code b} and {@code b + n} inside their DIRTY window, then {@code b} is marked
 * MOVED with a version bump (release). Until then it holds exactly what it held at the freeze; after, its keys are
 * in the successor only. Enforced by {@link #claim} (a CAS of DIRTY into {@code b}'s meta word, so one thread copies
 * it; {@link #migrateBucket} waits for another thread's claim, {@link #migrateRange} skips it) and {@link #copyRun}.</li>
 * <li><b>I9 (migrate before write)</b> a bucket {@code nb} of a generation that is being migrated into is written by
 * nothing but the migration of old bucket {@code nb & oldMask} until that bucket is MOVED. Enforced by
 * {@link #migrateFor} (an update first migrates the key's two old buckets, which feed exactly the key's two new
 * buckets) and {@link #hop} (migrates the old buckets of both ends before it locks them). So a migration needs no
 * stripe lock of the successor, and every key it copies fits.</li>
 * <li><b>I10 (two generations)</b> at most one migration runs: a growth first finishes the running one
 * ({@link #replaceGeneration}), and the successor drops its link to the old generation ({@code prev = null}) only
 * after every old bucket is MOVED.</li>
 * </ul>
 *
 * <h3>Reads</h3>
 * {@link #get} takes no lock and writes nothing shared (in cache mode it sets a slot's CLOCK byte, and only when it is
 * clear). {@link #readOptimistic} reads the primary bucket's meta word with acquire semantics and scans it, and only
 * if the key is not there the alternate bucket's. {@link #scan} gives up on DIRTY or MOVED; where a tag matches it
 * first loads the bucket's first key, whose address does not depend on the meta word, so a CPU that predicts the
 * match fetches the key/value line in parallel with the meta word. It reads a tag-matched slot's key and value into
 * locals, issues {@link VarHandle#acquireFence()} and re-reads the bucket's meta word ({@link #validate}): if it is
 * unchanged, the key/value pair was a consistent snapshot, and only then is {@code equals} called on the key, so
 * user code never sees a half-published key. A miss is validated over both buckets: the first bucket's re-read comes
 * after the second bucket's first read, so both held what was scanned at one common instant; since a key only ever
 * moves between its own two buckets inside one DIRTY window over both (I1, I2), that is a real absence.
 * While a migration runs, {@link #readMigrating} first reads the key's two old buckets (those not MOVED), then, if
 * either was MOVED, the new generation; a key never moves back from the new generation to the old one, so reading
 * old first loses nothing (I8, I9). After {@value #OPTIMISTIC_TRIES} failed attempts (a hot written bucket) the
 * reader briefly takes both stripe locks so it cannot starve; if those locks are held for a freeze it keeps reading
 * optimistically, which then succeeds because a freeze marks no bucket DIRTY.
 *
 * <h3>Writes and displacement</h3>
 * {@link #update} migrates the key's old buckets if a migration runs (I9), then locks the primary bucket's stripe
 * and searches that bucket: a key found there cannot leave it while the stripe is held (a hop needs it too), so the
 * op is applied with that one lock ({@link #applyAt}). Otherwise it also takes the alternate bucket's stripe
 * (waiting only in ascending order: one that comes first is only tried, and if it is taken the first is let go and
 * both are taken in order), searches the alternate bucket
 * and the stash, and calls the subclass's {@link #apply} under both locks. A change marks the buckets it changes
 * DIRTY first (both for an insert or a stash change, whose absence readers validate over both;
 * {@link #beginWrite}: opaque store then {@link VarHandle#storeStoreFence()}) and bumps their versions before
 * unlocking ({@link #endWrite}, release store); a no-op unlocks without a bump. {@code apply} is only called when the key is present or a free slot is held, so a
 * function is applied at most once and its result always lands. When both buckets are full, {@link #displace}
 * searches breadth-first, without locks, for a chain of at most {@value #MAX_HOPS} moves that ends at an empty slot,
 * then executes it backwards ({@link #hop}): the empty slot travels towards the key's bucket, each hop re-checking
 * under both stripes' locks that the source still holds the tag the search saw and the destination is still empty.
 * After the path, {@code update} starts over and re-checks whether the key was inserted meanwhile.
 *
 * <h3>Resize</h3>
 * Growth happens when the load of the buckets reaches {@value #GROW_LOAD} or no displacement path exists, but not
 * below {@value #MIN_GROW_LOAD} load (keys with equal hashes would otherwise double the table forever: they go to
 * the stash instead). {@link #replaceGeneration} allocates the generation twice as large while writers carry on, then
 * takes every stripe lock for a moment (no bucket DIRTY: readers carry on), freezes the old generation, records its
 * entry count as the new one's {@code base}, publishes the new one with a link to the old ({@code prev}) and lets the
 * locks go: it copies nothing. The copy is incremental and shared (I8-I10): each write first migrates the key's two
 * old buckets and, when they were migrated already, the next {@value #MIGRATE_CHUNK} old buckets from a claim counter
 * ({@link #migrateFor}); a hop migrates the old buckets of its ends. Old bucket {@code b} splits into new {@code b}
 * and {@code b + n} (a key in its primary bucket lands in its new primary bucket, one in its alternate in its new
 * alternate), so a migration never displaces. A writer's stall is therefore a few buckets' copy, not the table's; the
 * growing write pays the allocation. New-generation stripe counts hold changes since the growth, so a migration
 * needs no lock of the new generation. A traversal ({@link #cursor}) and the next growth finish a running migration
 * first.
 *
 * <h3>Iteration</h3>
 * A {@link Cursor} visits buckets in index order, each under its stripe lock, and registers itself (weakly) with the
 * generation. A displacement hop that moves a key across a registered cursor's position tells that cursor
 * ({@link Cursor#onMove}): moved behind it, the key is queued to be returned; moved ahead of it after being returned,
 * the key is skipped when met again. So every key present for the whole traversal is returned exactly once; a cursor
 * whose generation is frozen finishes on that frozen snapshot (a migration only marks its buckets MOVED, I4). A cursor
 * starts on a generation no migration is filling ({@link #cursor} finishes it first), and reads the stash last.
 *
 * <h3>Eviction (cache mode)</h3>
 * The item store keeps a CLOCK hand over the slots ({@link #slotCount}, {@link #valueAt} (its values hold their keys),
 * {@link #clearReference}).
 * When the table is full and the subclass refuses growth ({@link #whenFull}), the insert evicts one of the eight
 * residents of the key's own buckets, preferring one whose reference byte is clear ({@link #evictForRoom}), and reports
 * it through {@link #onEvict}.
 */
public abstract class CuckooTable {
    static final int SLOTS = 4;
    static final int MAX_HOPS = 5;
    static final int MIN_BUCKETS = 2;
    static final int MAX_BUCKETS = 1 << 28;
    static final int MAX_STRIPES = 1 << 12;
    static final int OPTIMISTIC_TRIES = 16;
    /** Old buckets a writer migrates when its own are done (contiguous, so the copy streams). */
    static final int MIGRATE_CHUNK = 64;
    /** How rarely a possibly full table is counted exactly ({@link #overThreshold}). */
    static final int COUNT_ONE_IN = 16;
    static final double GROW_LOAD = 0.95;
    static final double MIN_GROW_LOAD = 0.5;

    static final long DIRTY = 1L << 32;
    /** Set in a frozen generation's bucket once its entries are in the successor (I8). */
    static final long MOVED = 1L << 33;
    static final long VERSION_UNIT = 1L << 34;
    /** Entries of {@code kv} per bucket: a key and a value per slot. */
    static final int KV_PER_BUCKET = 2 * SLOTS;

    /** Op flag: the op may insert an absent key, so {@link #update} first secures a free slot. */
    public static final int MAY_INSERT = 1 << 30;
    /** Returned by {@link #update} when an insert found no room and {@link #whenFull} answered {@link Full#FAIL}. */
    public static final Object NO_ROOM = new Object();

    /** What to do when an insert finds the table full. */
    public enum Full { GROW, EVICT, FAIL }

    private static final Object RETRY = new Object();
    private static final VarHandle META = MethodHandles.arrayElementVarHandle(long[].class);
    /** An int[] element: a stripe lock, or the user-code counter. */
    private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);
    private static final VarHandle REFS = MethodHandles.arrayElementVarHandle(byte[].class);
    private static final VarHandle LE_LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle CLAIM;
    private static final VarHandle MOVED_BUCKETS;
    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            CLAIM = l.findVarHandle(Generation.class, "claim", int.class);
            MOVED_BUCKETS = l.findVarHandle(Generation.class, "movedBuckets", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    private static final ThreadLocal<Search> SEARCH = ThreadLocal.withInitial(Search::new);
    private static final ThreadLocal<UserCode> USER_CODE = ThreadLocal.withInitial(UserCode::new);
    /** Index of the counter in {@link #usersInCode}: 64 bytes past its first element, so alone on a cache line. */
    private static final int USERS_AT = 16;

    private final boolean clock;
    /** Each value carries its key: the key slot references the value (see the constructor). */
    private final boolean valueHoldsKey;
    private final int initialBuckets;
    private final ReentrantLock growLock = new ReentrantLock();
    private final LongAdder hops = new LongAdder();
    private volatile int growths;
    private volatile Generation gen;
    /** Keys that fit neither bucket; replaced (never mutated) under {@link #stashLock} by writers holding the key's stripes. */
    private volatile Stash stash = Stash.EMPTY;
    private final Object stashLock = new Object();
    /**
     * At {@link #USERS_AT}: threads now running user code under this table's stripe locks (I7). Written only around
     * that code, on a cache line of its own, so that those writes do not invalidate the line holding {@code gen},
     * which every read loads.
     */
    private final int[] usersInCode = new int[2 * USERS_AT];

    /**
     * A table whose key objects are separate from the values (a map: an update keeps the key object).
     *
     * @param expectedEntries entries the table should hold before its first growth
     * @param clock           whether slots carry a CLOCK reference byte (cache mode)
     */
    protected CuckooTable(long expectedEntries, boolean clock) {
        this(expectedEntries, clock, false);
    }

    /**
     * @param expectedEntries entries the table should hold before its first growth
     * @param clock           whether slots carry a CLOCK reference byte (cache mode)
     * @param valueHoldsKey   whether each value carries its own key, so the key object is the value itself and an
     *                        update that replaces the value replaces the key object with it (the item store: the
     *                        old item must not stay referenced)
     */
    protected CuckooTable(long expectedEntries, boolean clock, boolean valueHoldsKey) {
        if (expectedEntries < 0) throw new IllegalArgumentException("negative capacity: " + expectedEntries);
        this.clock = clock;
        this.valueHoldsKey = valueHoldsKey;
        this.initialBuckets = bucketsFor(expectedEntries);
        this.gen = new Generation(initialBuckets, clock);
    }

    // ---------------------------------------------------------------- subclass hooks

    /** Whether {@code storedKey} (a key object held by the table) equals the probe. */
    protected abstract boolean keyMatches(Object storedKey, Object probe, int off, int len);

    /** {@link #compareKeys} found no natural order between the two keys. */
    protected static final int INCOMPARABLE = 2;

    /**
     * Stash order of a stored key against the probe: -1, 0 or 1, or {@link #INCOMPARABLE} if the two have no natural
     * order. It should decide (-1, 0, 1) only between keys of one class and be a consistent total order there;
     * otherwise keys are still found, but a lookup searches both sides where it cannot decide (see {@link Stash}).
     */
    protected int compareKeys(Object storedKey, Object probe, int off, int len) {
        return INCOMPARABLE;
    }

    /** The spread hash of a key object held by the table (used when growing). */
    protected abstract int hashOfStored(Object storedKey);

    /** The key object to store when {@code value} is inserted for the probe. */
    protected abstract Object keyToStore(Object probe, int off, int len, Object value);

    /**
     * Decides a key's new value while its stripes are locked. Called only when the key is present, or absent with
     * a free slot held (and only for ops with {@link #MAY_INSERT}). Must not update or traverse this table; user
     * code it calls goes between {@link #enterUserCode} and {@link #exitUserCode}.
     *
     * @return the new value; {@code null} to remove (or stay absent); {@code current} itself for no change
     */
    protected abstract Object apply(int op, Object arg, Object storedKey, Object current);

    /**
     * What an insert does when the table is full; {@code growBytes} is what growing would add: the whole next
     * generation, since the current one stays live until writers have migrated it.
     */
    protected Full whenFull(long growBytes) {
        return Full.GROW;
    }

    /** Called under the stripe locks when {@link #evictForRoom} removes an entry. Must not touch this table. */
    protected void onEvict(Object storedKey, Object value) {
    }

    // ---------------------------------------------------------------- user code under the stripe locks (I7)

    /**
     * Marks the calling thread as running user code (a mapping function) under this table's stripe locks, until
     * {@link #exitUserCode}; meanwhile its own updates and traversals of this table throw (I7).
     */
    protected final void enterUserCode() {
        USER_CODE.get().push(this);
        INTS.getAndAdd(usersInCode, USERS_AT, 1);
    }

    /** Ends what {@link #enterUserCode} began; call it in a {@code finally}. */
    protected final void exitUserCode() {
        INTS.getAndAdd(usersInCode, USERS_AT, -1);
        USER_CODE.get().pop();
    }

    /**
     * Throws if the calling thread runs user code under this table's stripe locks: a stripe lock it would now wait
     * for may be its own, or held by a thread waiting for its own (stripes taken out of order), or be needed by a
     * growth. One opaque read of a counter written only around user code; the thread-local check only when it is
     * set (the thread's own increment is always visible to it, so an opaque read suffices).
     */
    final void checkNotInUserCode() {
        if ((int) INTS.getOpaque(usersInCode, USERS_AT) != 0 && USER_CODE.get().holds(this)) {
            throw new IllegalStateException("Recursive update: a mapping function updated or traversed its own map");
        }
    }

    /** The tables whose user code a thread is running, innermost last (a function may use another map). */
    private static final class UserCode {
        private CuckooTable[] tables = new CuckooTable[4];
        private int depth;

        void push(CuckooTable t) {
            if (depth == tables.length) tables = Arrays.copyOf(tables, depth * 2);
            tables[depth++] = t;
        }

        void pop() {
            tables[--depth] = null;
        }

        boolean holds(CuckooTable t) {
            for (int i = 0; i < depth; i++) {
                if (tables[i] == t) return true;
            }
            return false;
        }
    }

    // ---------------------------------------------------------------- hashing

    /** Spreads a 32-bit hash with a seed (a strong avalanche mixer; equal inputs still collide). */
    public static int spread(int h, int seed) {
        h ^= seed;
        h ^= h >>> 16;
        h *= 0x7feb352d;
        h ^= h >>> 15;
        h *= 0x846ca68b;
        h ^= h >>> 16;
        return h;
    }

    /** A seeded hash of {@code len} bytes; without the seed, colliding keys cannot be chosen in advance. */
    public static int hashBytes(byte[] b, int off, int len, long seed) {
        long h = seed ^ (len * 0x9E3779B97F4A7C15L);
        int i = off;
        int end = off + len;
        for (; i + 8 <= end; i += 8) {
            h = mix64(h ^ (long) LE_LONGS.get(b, i));
        }
        long tail = 0;
        for (int shift = 0; i < end; i++, shift += 8) {
            tail |= (b[i] & 0xFFL) << shift;
        }
        h = mix64(h ^ tail);
        return (int) (h ^ (h >>> 32));
    }

    private static long mix64(long x) {
        x *= 0xbf58476d1ce4e5b9L;
        x ^= x >>> 31;
        x *= 0x94d049bb133111ebL;
        return x ^ (x >>> 29);
    }

    static int tagOf(int h) {
        int t = h >>> 24;
        return t != 0 ? t : 1;
    }

    /** The other bucket of a key with this tag in bucket {@code b}; {@code alt(alt(b, t), t) == b}. */
    static int alt(int b, int tag, int mask) {
        return (b ^ ((tag + 1) * 0x5bd1e995)) & mask;
    }

    /** 0x80 in each byte of {@code word} that equals {@code tag} (exact: no borrow between bytes). */
    static int matching(int word, int tag) {
        int x = word ^ (tag * 0x01010101);
        return ~(((x & 0x7F7F7F7F) + 0x7F7F7F7F) | x | 0x7F7F7F7F);
    }

    static int bucketsFor(long entries) {
        long buckets = (long) Math.ceil(entries / (SLOTS * 0.9));
        if (buckets <= MIN_BUCKETS) return MIN_BUCKETS;
        if (buckets >= MAX_BUCKETS) return MAX_BUCKETS;
        return Integer.highestOneBit((int) buckets - 1) << 1;
    }

    // ---------------------------------------------------------------- reads

    /**
     * The value mapped to the probe, or {@code null}. Takes no lock and allocates nothing.
     *
     * @param h the spread hash of the probe
     */
    public final Object get(int h, Object probe, int off, int len) {
        int tag = tagOf(h);
        Generation g = gen;
        if (g.prev == null) {
            Object r = readOptimistic(g, h, tag, probe, off, len);
            if (r != RETRY && (r != null || !g.cleared)) return r;
        }
        return getRetrying(h, tag, probe, off, len);
    }

    /**
     * {@link #get} when the first attempt could not answer: a migration runs, a bucket was being written, or a clear
     * intervened. Kept out of {@code get} so that the JIT can inline the common path into its callers.
     */
    private Object getRetrying(int h, int tag, Object probe, int off, int len) {
        for (int tries = 0; ; tries++) {
            Generation g = gen;
            Object r = read(g, h, tag, probe, off, len);
            if (r != RETRY) return r;
            if (tries >= OPTIMISTIC_TRIES) {
                int b1 = h & g.mask;
                int s1 = b1 & g.stripeMask;
                int s2 = alt(b1, tag, g.mask) & g.stripeMask;
                if (tryLockPair(g, s1, s2)) {
                    try {
                        // Holding both stripes, no writer can mark our buckets DIRTY (I2): this validates unless a
                        // migration is filling them (I9) or a growth froze the generation (the next round reloads).
                        r = read(g, h, tag, probe, off, len);
                    } finally {
                        unlockPair(g, s1, s2);
                    }
                    if (r != RETRY) return r;
                }
            }
            backoff(tries);
        }
    }

    private Object read(Generation g, int h, int tag, Object probe, int off, int len) {
        Generation old = g.prev;
        Object r = old == null ? readOptimistic(g, h, tag, probe, off, len)
                : readMigrating(g, old, h, tag, probe, off, len);
        // A clear empties the stash before it publishes the next generation: a miss may not pair this generation's
        // buckets with that emptied stash (the caller reloads gen).
        return r == null && g.cleared ? RETRY : r;
    }

    /**
     * One validated attempt on a generation that is not being migrated into: the value, {@code null} for a
     * validated miss, or RETRY (a bucket DIRTY, changed meanwhile, or MOVED because the generation was frozen and
     * is being migrated: the caller reloads {@link #gen}).
     */
    private Object readOptimistic(Generation g, int h, int tag, Object probe, int off, int len) {
        int b1 = h & g.mask;
        int b2 = alt(b1, tag, g.mask);
        long x1 = (long) META.getAcquire(g.meta, b1);
        Object r = scan(g, b1, x1, tag, probe, off, len);
        if (r != null) return r;
        long x2 = x1;
        if (b2 != b1) {
            x2 = (long) META.getAcquire(g.meta, b2);
            r = scan(g, b2, x2, tag, probe, off, len);
            if (r != null) return r;
        }
        Stash st = stash;
        // b1 is re-read after b2's first read: both held what was scanned at one common instant (I1, I2).
        if (!validate(g, b1, x1) || !validate(g, b2, x2)) return RETRY;
        return stashValue(st, h, probe, off, len);
    }

    /**
     * A read while {@code old} is being migrated into {@code g} (I8, I9). The key's old buckets are read first: one
     * not yet MOVED still holds whatever of the key it held when the growth froze it, and no writer has touched the
     * key since (writers migrate its old buckets first). If neither is MOVED that is the whole answer; otherwise the
     * key may be in {@code g} (migrated there, or written there after its old buckets were), which is read next.
     * A key never goes back from {@code g} to {@code old}, so reading {@code old} first loses nothing.
     */
    private Object readMigrating(Generation g, Generation old, int h, int tag, Object probe, int off, int len) {
        int o1 = h & old.mask;
        int o2 = alt(o1, tag, old.mask);
        long y1 = (long) META.getAcquire(old.meta, o1);
        long y2 = (long) META.getAcquire(old.meta, o2);
        if ((y1 & MOVED) == 0) {
            Object r = scan(old, o1, y1, tag, probe, off, len);
            if (r != null) return r;
        }
        if ((y2 & MOVED) == 0 && o2 != o1) {
            Object r = scan(old, o2, y2, tag, probe, off, len);
            if (r != null) return r;
        }
        Stash st = stash;
        if (!validate(old, o1, y1) || !validate(old, o2, y2)) return RETRY;
        if (((y1 | y2) & MOVED) == 0) return stashValue(st, h, probe, off, len);
        return readOptimistic(g, h, tag, probe, off, len);
    }

    /**
     * Looks for the probe among the tag-matched slots of bucket {@code b} whose meta word read {@code x}: the value,
     * {@code null} if none matches, or RETRY. The bucket's first key is loaded as soon as some tag matches, from an
     * address that does not depend on the meta word: a CPU that predicts the match (as it learns to where most
     * lookups hit) issues that load, and so fetches the bucket's key/value line, while the meta word is still on its
     * way; where most lookups miss it predicts no match and fetches nothing (bench/RESULTS.md, "Engine hot spots").
     */
    private Object scan(Generation g, int b, long x, int tag, Object probe, int off, int len) {
        if ((x & (DIRTY | MOVED)) != 0) return RETRY;
        int m = matching((int) x, tag);
        if (m == 0) return null;
        int base = b * KV_PER_BUCKET;
        Object first = g.kv[base];
        do {
            int i = (Integer.numberOfTrailingZeros(m) >>> 3) << 1;
            Object k = i == 0 ? first : g.kv[base + i];
            Object v = g.kv[base + i + 1];
            if (!validate(g, b, x)) return RETRY;
            if (keyMatches(k, probe, off, len)) {
                int slot = (base + i) >>> 1;
                if (clock && g.refs[slot] == 0) REFS.setOpaque(g.refs, slot, (byte) 1);
                return v;
            }
            m &= m - 1;
        } while (m != 0);
        return null;
    }

    /** Whether bucket {@code b} still has meta word {@code x} (the loads before this are ordered first). */
    boolean validate(Generation g, int b, long x) {
        VarHandle.acquireFence();
        return (long) META.getAcquire(g.meta, b) == x;
    }

    private Object stashValue(Stash st, int h, Object probe, int off, int len) {
        return st.size() == 0 ? null : stashSearch(st, h, probe, off, len);
    }

    private Object stashSearch(Stash st, int h, Object probe, int off, int len) {
        Stash.Entry e = st.find(this, h, probe, off, len);
        return e == null ? null : e.value;
    }

    // ---------------------------------------------------------------- writes

    /**
     * Changes the mapping of the probe atomically: locks its two stripes, finds it, and stores what
     * {@link #apply} returns.
     *
     * @param h  the spread hash of the probe
     * @param op a subclass op code, with {@link #MAY_INSERT} if it may insert an absent key
     * @return the previous value ({@code null} if absent), or {@link #NO_ROOM}
     */
    public final Object update(int h, Object probe, int off, int len, int op, Object arg) {
        checkNotInUserCode();
        boolean useStash = false;
        int tag = tagOf(h);
        Generation helped = null;
        for (;;) {
            Generation g = gen;
            Generation old = g.prev;
            if (old != null && helped != g) {
                migrateFor(old, g, h, tag); // once per generation: a retry after making room does not add a share
                helped = g;
            }
            int b1 = h & g.mask;
            int s1 = b1 & g.stripeMask;
            if (!lock(g, s1)) {
                awaitGrowth(g);
                continue;
            }
            // The key found in its primary bucket needs no other lock: it cannot leave that bucket (a hop would need
            // this stripe too), and only that bucket changes.
            int slot;
            try {
                slot = findIn(g, b1, tag, probe, off, len);
            } catch (RuntimeException | Error e) {
                unlock(g, s1);
                throw e;
            }
            if (slot >= 0) {
                try {
                    return applyAt(g, slot, op, arg);
                } finally {
                    endWrite(g, b1, b1);
                    unlock(g, s1);
                }
            }
            int b2 = alt(b1, tag, g.mask);
            int s2 = b2 & g.stripeMask;
            // Both stripes: s2 after s1 is waited for (ascending order); s2 before it only tried, and if it is
            // taken, s1 is let go and both are taken in order (then b1 must be searched again).
            boolean kept = s2 == s1 || (s2 > s1 ? lock(g, s2) : tryLock(g, s2));
            if (!kept) {
                unlock(g, s1);
                if (!lockPair(g, s1, s2)) {
                    awaitGrowth(g);
                    continue;
                }
            }
            Object result;
            try {
                result = updateLocked(g, h, b1, b2, probe, off, len, op, arg, useStash, !kept);
            } finally {
                endWrite(g, b1, b2);
                unlockPair(g, s1, s2);
            }
            if (result != RETRY) return result;
            Object room = makeRoom(g, b1, b2);
            if (room == NO_ROOM) return NO_ROOM;
            useStash = room == Boolean.TRUE;
        }
    }

    /**
     * The part of {@link #update} under both stripes: searches the key's buckets ({@code b1} only if
     * {@code searchB1}) and the stash, then applies the op. RETRY means "no free slot: make room and come back".
     */
    private Object updateLocked(Generation g, int h, int b1, int b2, Object probe, int off, int len, int op,
                                Object arg, boolean useStash, boolean searchB1) {
        int tag = tagOf(h);
        // b1 need not be searched again when its stripe stayed locked since it was searched.
        int slot = searchB1 ? findIn(g, b1, tag, probe, off, len) : -1;
        if (slot < 0 && b2 != b1) slot = findIn(g, b2, tag, probe, off, len);
        if (slot >= 0) return applyAt(g, slot, op, arg);
        Stash st = stash;
        Stash.Entry e = st.size() == 0 ? null : st.find(this, h, probe, off, len);
        if (e != null) {
            Object current = e.value;
            Object next = apply(op, arg, e.key, current);
            if (next != current) {
                beginWrite(g, b1, b2);
                synchronized (stashLock) {
                    stash = next == null ? stash.minus(this, h, probe, off, len)
                            : stash.withEntry(this, h, probe, off, len, valueHoldsKey ? next : e.key, next);
                }
            }
            return current;
        }
        if ((op & MAY_INSERT) == 0) return null;
        int free = freeSlot(g, b1);
        if (free < 0) free = freeSlot(g, b2);
        if (free < 0 && !useStash) return RETRY;
        Object value = apply(op, arg, null, null);
        if (value != null) {
            Object key = keyToStore(probe, off, len, value);
            beginWrite(g, b1, b2);
            if (free >= 0) {
                fillSlot(g, free, key, value, tag);
                g.counts[(free / SLOTS) & g.stripeMask]++;
            } else {
                synchronized (stashLock) {
                    stash = stash.plus(this, h, probe, off, len, key, value);
                }
            }
        }
        return null;
    }

    /**
     * Applies the op to the key in {@code slot} (its stripe locked): only that bucket changes, inside its own DIRTY
     * window; the caller's {@code finally} ends it.
     */
    private Object applyAt(Generation g, int slot, int op, Object arg) {
        Object current = g.kv[2 * slot + 1];
        Object next = apply(op, arg, g.kv[2 * slot], current);
        if (next != current) {
            int b = slot / SLOTS;
            beginWrite(g, b, b);
            if (next == null) {
                clearSlot(g, slot);
                g.counts[b & g.stripeMask]--;
            } else {
                g.kv[2 * slot + 1] = next;
                if (valueHoldsKey) {
                    Object replaced = g.kv[2 * slot];
                    g.kv[2 * slot] = next;
                    if (g.cursors.length != 0) g.notifyReplaced(replaced, next);
                }
            }
        }
        return current;
    }

    /** The slot of the probe in bucket {@code b}, or -1. */
    private int findIn(Generation g, int b, int tag, Object probe, int off, int len) {
        for (int m = matching(tags(g, b), tag); m != 0; m &= m - 1) {
            int slot = b * SLOTS + (Integer.numberOfTrailingZeros(m) >>> 3);
            if (keyMatches(g.kv[2 * slot], probe, off, len)) return slot;
        }
        return -1;
    }

    private static int tags(Generation g, int b) {
        return (int) g.meta[b];
    }

    private static int freeSlot(Generation g, int b) {
        int empty = matching(tags(g, b), 0);
        return empty == 0 ? -1 : b * SLOTS + (Integer.numberOfTrailingZeros(empty) >>> 3);
    }

    private static int tagAt(Generation g, int slot) {
        return (tags(g, slot / SLOTS) >>> ((slot % SLOTS) * 8)) & 0xFF;
    }

    /** Inside a DIRTY window; opaque so that racing readers never see a torn word. */
    private static void setTag(Generation g, int slot, int tag) {
        int shift = (slot % SLOTS) * 8;
        int b = slot / SLOTS;
        META.setOpaque(g.meta, b, (g.meta[b] & ~(0xFFL << shift)) | ((long) tag << shift));
    }

    private static void fillSlot(Generation g, int slot, Object key, Object value, int tag) {
        g.kv[2 * slot] = key;
        g.kv[2 * slot + 1] = value;
        setTag(g, slot, tag);
    }

    private static void clearSlot(Generation g, int slot) {
        setTag(g, slot, 0);
        g.kv[2 * slot] = null;
        g.kv[2 * slot + 1] = null;
        if (g.refs != null) g.refs[slot] = 0;
    }

    // ---------------------------------------------------------------- making room: displacement, growth, eviction

    /**
     * Frees a slot for an insert into {@code b1}/{@code b2}. Returns {@link Boolean#TRUE} when the insert should use
     * the stash, {@link #NO_ROOM} when it must fail, anything else to retry.
     */
    private Object makeRoom(Generation g, int b1, int b2) {
        // While another thread allocates the next generation, displacement usually still finds room: use it
        // rather than queue behind that allocation.
        if (!overThreshold(g, b1) || growLock.isLocked()) {
            int r = displace(g, b1, b2);
            if (r != NO_PATH) return RETRY;
            if (entries(g) < g.slots() * MIN_GROW_LOAD) return Boolean.TRUE;
        }
        if (g.mask + 1 >= MAX_BUCKETS) return Boolean.TRUE;
        switch (whenFull(2 * g.bytes())) {
            case GROW:
                replaceGeneration(g, Math.min(MAX_BUCKETS, (g.mask + 1) * 2), true);
                return RETRY;
            case EVICT:
                evictForRoom(g, b1, b2);
                return RETRY;
            default:
                return NO_ROOM;
        }
    }

    /**
     * Load above {@value #GROW_LOAD}: a cheap per-stripe estimate first, and the exact count (a pass over every
     * stripe) only for one in {@value #COUNT_ONE_IN} of the calls the estimate lets through. Near the threshold most
     * inserts need room, and counting for each of them cost a fifth of a growing fill; deciding a little late only
     * means a few more displacements (and a failed one grows at once).
     */
    private boolean overThreshold(Generation g, int b) {
        long stripes = g.stripeMask + 1;
        if (g.base / stripes + g.counts[b & g.stripeMask] < g.slots() / stripes * GROW_LOAD) return false;
        if (ThreadLocalRandom.current().nextInt(COUNT_ONE_IN) != 0) return false;
        return entries(g) >= g.slots() * GROW_LOAD;
    }

    private static final int PATH_FOUND = 0;
    private static final int NO_PATH = 1;
    private static final int PATH_STALE = 2;

    /** Scratch for the breadth-first search, one per thread (the search runs without locks). */
    private static final class Search {
        static final int MAX_NODES = 2 * (1 + 4 + 16 + 64 + 256 + 1024);
        final int[] bucket = new int[MAX_NODES];
        final int[] parent = new int[MAX_NODES];
        final byte[] depth = new byte[MAX_NODES];
        final byte[] slotInParent = new byte[MAX_NODES];
        final int[] tagInParent = new int[MAX_NODES];
        int size;

        void add(int b, int parentNode, int d, int slot, int tag) {
            bucket[size] = b;
            parent[size] = parentNode;
            depth[size] = (byte) d;
            slotInParent[size] = (byte) slot;
            tagInParent[size] = tag;
            size++;
        }
    }

    /**
     * Breadth-first search for at most {@value #MAX_HOPS} moves ending at an empty slot, then runs them backwards. A
     * move into {@code b1} or {@code b2} is not followed: any path through them has a shorter one starting there, so
     * keys of one hash (whose alternates are each other's buckets) end the search after two nodes, not 2,730.
     */
    int displace(Generation g, int b1, int b2) {
        Search s = SEARCH.get();
        s.size = 0;
        s.add(b1, -1, 0, 0, 0);
        if (b2 != b1) s.add(b2, -1, 0, 0, 0);
        for (int n = 0; n < s.size; n++) {
            int b = s.bucket[n];
            int word = tags(g, b);
            int empty = matching(word, 0);
            if (empty != 0) {
                return executePath(g, s, n, b * SLOTS + (Integer.numberOfTrailingZeros(empty) >>> 3));
            }
            if (s.depth[n] == MAX_HOPS) continue;
            for (int i = 0; i < SLOTS; i++) {
                int t = (word >>> (i * 8)) & 0xFF;
                int next = alt(b, t, g.mask);
                if (next != b1 && next != b2) s.add(next, n, s.depth[n] + 1, i, t);
            }
        }
        return NO_PATH;
    }

    private int executePath(Generation g, Search s, int node, int freeSlot) {
        int to = freeSlot;
        for (int n = node; s.parent[n] >= 0; n = s.parent[n]) {
            int from = s.bucket[s.parent[n]] * SLOTS + s.slotInParent[n];
            if (!hop(g, from, to, s.tagInParent[n])) return PATH_STALE;
            to = from;
        }
        return PATH_FOUND;
    }

    /** Moves the key in slot {@code from} (with tag {@code tag}) to its other bucket's empty slot {@code to}. */
    boolean hop(Generation g, int from, int to, int tag) {
        Generation old = g.prev;
        if (old != null) {
            // The search saw these buckets without locks; one whose old bucket is not migrated yet is not ready
            // to be written (I9): migrate it, and the re-check below then sees what it really holds.
            migrateBucketOf(old, g, from / SLOTS);
            migrateBucketOf(old, g, to / SLOTS);
        }
        int sf = (from / SLOTS) & g.stripeMask;
        int st = (to / SLOTS) & g.stripeMask;
        if (!lockPair(g, sf, st)) return false;
        try {
            if (tagAt(g, from) != tag || tagAt(g, to) != 0) return false;
            Object key = g.kv[2 * from];
            Object value = g.kv[2 * from + 1];
            g.notifyCursors(key, value, from / SLOTS, to / SLOTS);
            beginWrite(g, from / SLOTS, to / SLOTS);
            fillSlot(g, to, key, value, tag);
            if (g.refs != null) g.refs[to] = g.refs[from];
            clearSlot(g, from);
            g.counts[sf]--;
            g.counts[st]++;
            hops.increment();
            return true;
        } finally {
            endWrite(g, from / SLOTS, to / SLOTS);
            unlockPair(g, sf, st);
        }
    }

    /** Removes one resident of the key's buckets, preferring one whose CLOCK byte is clear. */
    private void evictForRoom(Generation g, int b1, int b2) {
        int s1 = b1 & g.stripeMask;
        int s2 = b2 & g.stripeMask;
        if (!lockPair(g, s1, s2)) return;
        try {
            int victim = -1;
            for (int i = 0; i < 2 * SLOTS && victim < 0; i++) {
                int slot = (i < SLOTS ? b1 : b2) * SLOTS + i % SLOTS;
                if (tagAt(g, slot) == 0) return;
                if (g.refs == null || g.refs[slot] == 0) victim = slot;
                else g.refs[slot] = 0;
            }
            if (victim < 0) victim = b1 * SLOTS;
            Object key = g.kv[2 * victim];
            Object value = g.kv[2 * victim + 1];
            beginWrite(g, b1, b2);
            clearSlot(g, victim);
            g.counts[(victim / SLOTS) & g.stripeMask]--;
            onEvict(key, value);
        } finally {
            endWrite(g, b1, b2);
            unlockPair(g, s1, s2);
        }
    }

    // ---------------------------------------------------------------- growth and incremental migration

    /**
     * Starts a growth (or, with {@code copy} false, empties the table): allocates the next generation while writers
     * carry on, then briefly takes every stripe of {@code g} (no bucket DIRTY, readers carry on), freezes it,
     * publishes the successor with {@code g} as the generation to migrate from, and lets the locks go. No entry is
     * copied here: writers migrate stripe by stripe ({@link #migrateFor}). A migration still running is finished
     * first (I10).
     */
    private boolean replaceGeneration(Generation g, int buckets, boolean copy) {
        growLock.lock();
        try {
            if (gen != g) return false;
            Generation running = g.prev;
            if (running != null && copy) finishMigration(running, g);
            Generation next = new Generation(buckets, clock);
            for (int s = 0; s <= g.stripeMask; s++) {
                for (int spins = 0; !tryLock(g, s); spins++) backoff(spins);
            }
            g.frozen = true;
            if (copy) {
                next.base = entries(g);
                next.prev = g;
                growths++;
            } else {
                g.cleared = true;
                synchronized (stashLock) {
                    stash = Stash.EMPTY;
                }
            }
            gen = next;
            for (int s = 0; s <= g.stripeMask; s++) unlock(g, s);
            return true;
        } finally {
            growLock.unlock();
        }
    }

    /**
     * The migration share of a writer of the key with hash {@code h} while {@code old} is migrated into {@code g}:
     * the key's two old buckets, so that every bucket it may touch in {@code g} is ready (I9); if both were migrated
     * already, the next {@value #MIGRATE_CHUNK} old buckets from the shared claim counter. So every write moves the
     * migration on, by a bounded amount: its stall is microseconds, not a copy of the table.
     */
    private void migrateFor(Generation old, Generation g, int h, int tag) {
        int o1 = h & old.mask;
        int o2 = alt(o1, tag, old.mask);
        int moved = (migrateBucket(old, g, o1) ? 1 : 0) + (o2 != o1 && migrateBucket(old, g, o2) ? 1 : 0);
        if (moved == 0) {
            int from = (int) CLAIM.getAndAdd(old, MIGRATE_CHUNK);
            if (from <= old.mask) moved = migrateRange(old, g, from, Math.min(from + MIGRATE_CHUNK, old.mask + 1));
        }
        countMigrated(old, g, moved);
    }

    /** Adds {@code moved} migrated buckets to the count; whoever completes it drops the link to {@code old} (I10). */
    private static void countMigrated(Generation old, Generation g, int moved) {
        if (moved > 0 && (int) MOVED_BUCKETS.getAndAdd(old, moved) + moved == old.mask + 1) g.prev = null;
    }

    /** Migrates the old bucket feeding new bucket {@code nb}, if it is not migrated yet. */
    private void migrateBucketOf(Generation old, Generation g, int nb) {
        if (migrateBucket(old, g, nb & old.mask)) countMigrated(old, g, 1);
    }

    /** Migrates every old bucket not migrated yet (before a growth or a traversal). */
    private void finishMigration(Generation old, Generation g) {
        int moved = 0;
        for (int b = 0; b <= old.mask; b += MIGRATE_CHUNK) {
            moved += migrateRange(old, g, b, Math.min(b + MIGRATE_CHUNK, old.mask + 1));
            for (int c = b; c < Math.min(b + MIGRATE_CHUNK, old.mask + 1); c++) {
                if (migrateBucket(old, g, c)) moved++; // waits for a bucket another thread is migrating
            }
        }
        countMigrated(old, g, moved);
    }

    /**
     * Copies old bucket {@code b} into new buckets {@code b} and {@code b + n} unless it is MOVED already; returns
     * whether this call did it. The migrator claims the bucket by CAS-ing DIRTY into its meta word (a frozen
     * generation has no other writer, I8; readers retry meanwhile), copies inside the new buckets' DIRTY window (a
     * key in its primary bucket lands in its new primary bucket, one in its alternate in its new alternate, so every
     * key fits: nothing else writes those buckets before {@code b} is MOVED, I9), then marks {@code b} MOVED with a
     * version bump (release), which publishes the copies to every reader that sees the mark. The old slots keep
     * their contents: the frozen generation stays a snapshot for the cursors on it.
     */
    private boolean migrateBucket(Generation old, Generation g, int b) {
        long[] x = new long[1];
        for (int spins = 0; ; spins++) {
            long m = (long) META.getAcquire(old.meta, b);
            if ((m & MOVED) != 0) return false;
            if (claim(old, b, m, x, 0)) break;
            backoff(spins);
        }
        copyRun(old, g, b, b + 1, x);
        return true;
    }

    /**
     * Migrates the old buckets in {@code [from, to)} that no one else has claimed or migrated (a chunk: those are
     * skipped, their migrator finishes them); returns how many this call migrated. Claimed runs are copied with one
     * array copy per side ({@link #copyRun}).
     */
    private int migrateRange(Generation old, Generation g, int from, int to) {
        long[] x = new long[to - from];
        int moved = 0;
        for (int b = from; b < to; ) {
            int start = b;
            while (b < to && claim(old, b, (long) META.getAcquire(old.meta, b), x, b - start)) b++;
            if (b > start) {
                copyRun(old, g, start, b, x);
                moved += b - start;
            } else {
                b++;
            }
        }
        return moved;
    }

    /** Claims old bucket {@code b} (meta word {@code m}) for migration: CAS DIRTY in (I8); records {@code m}. */
    private static boolean claim(Generation old, int b, long m, long[] x, int at) {
        if ((m & (MOVED | DIRTY)) != 0 || !META.compareAndSet(old.meta, b, m, m | DIRTY)) return false;
        x[at] = m;
        return true;
    }

    /**
     * Copies the claimed old buckets {@code [from, to)} (their meta words in {@code x}) into new buckets
     * {@code [from, to)} and {@code [from + n, to + n)}, inside those buckets' DIRTY window (a key in its primary
     * bucket lands in its new primary bucket, one in its alternate in its new alternate, each in the slot it had: no
     * displacement, and the new buckets are empty, I9), then marks each old bucket MOVED with a version bump
     * (release), which publishes the copies to every reader that sees the mark. The references move in one array
     * copy per side, and the slots whose key went to the other side are nulled: G1 charges an array copy a card mark
     * per card, where each reference stored one by one into an old-generation array costs a StoreLoad fence (that
     * cost a third of a growing fill's CPU at 10M entries). The old slots keep their contents: the frozen generation
     * stays a snapshot for the cursors on it.
     */
    private void copyRun(Generation old, Generation g, int from, int to, long[] x) {
        int n = old.mask + 1;
        int[] low = new int[to - from];
        for (int b = from; b < to; b++) {
            for (int i = 0; i < SLOTS; i++) {
                int tag = ((int) x[b - from] >>> (i * 8)) & 0xFF;
                if (tag == 0) continue;
                int primary = hashOfStored(old.kv[2 * (b * SLOTS + i)]) & g.mask;
                int dest = (primary & old.mask) == b ? primary : alt(primary, tag, g.mask);
                if (dest == b) low[b - from] |= 0xFF << (i * 8);
            }
            beginWrite(g, b, b + n);
        }
        int len = (to - from) * KV_PER_BUCKET;
        System.arraycopy(old.kv, from * KV_PER_BUCKET, g.kv, from * KV_PER_BUCKET, len);
        System.arraycopy(old.kv, from * KV_PER_BUCKET, g.kv, (from + n) * KV_PER_BUCKET, len);
        for (int b = from; b < to; b++) {
            int tags = (int) x[b - from];
            int keep = low[b - from];
            keepSlots(old, b, g, b, tags & keep);
            keepSlots(old, b, g, b + n, tags & ~keep);
            endWrite(g, b, b + n);
            META.setRelease(old.meta, b, (x[b - from] | MOVED) + VERSION_UNIT);
        }
    }

    /** Sets new bucket {@code to}'s tags to {@code tags}, nulls the copied slots they leave empty, copies CLOCK bytes. */
    private static void keepSlots(Generation old, int from, Generation g, int to, int tags) {
        for (int i = 0; i < SLOTS; i++) {
            if (((tags >>> (i * 8)) & 0xFF) == 0) {
                g.kv[to * KV_PER_BUCKET + 2 * i] = null;
                g.kv[to * KV_PER_BUCKET + 2 * i + 1] = null;
            } else if (g.refs != null) {
                g.refs[to * SLOTS + i] = old.refs[from * SLOTS + i];
            }
        }
        META.setOpaque(g.meta, to, g.meta[to] | (tags & 0xFFFFFFFFL));
    }

    /** Blocks until the growth that froze {@code g} has published its successor. */
    private void awaitGrowth(Generation g) {
        while (gen == g) {
            growLock.lock();
            growLock.unlock();
        }
    }

    // ---------------------------------------------------------------- stripe locks

    private static boolean tryLock(Generation g, int s) {
        return g.locks[s] == 0 && INTS.compareAndSet(g.locks, s, 0, 1);
    }

    /** Locks a stripe for writing; false (holding nothing) if {@code g} is or becomes frozen (I4). */
    private static boolean lock(Generation g, int s) {
        for (int spins = 0; !tryLock(g, s); spins++) {
            if (g.frozen) return false;
            backoff(spins);
        }
        if (g.frozen) {
            unlock(g, s);
            return false;
        }
        return true;
    }

    /** Locks both stripes in ascending order, each once. */
    static boolean lockPair(Generation g, int s1, int s2) {
        int lo = Math.min(s1, s2);
        int hi = Math.max(s1, s2);
        if (!lock(g, lo)) return false;
        if (hi != lo && !lock(g, hi)) {
            unlock(g, lo);
            return false;
        }
        return true;
    }

    /** Non-blocking: both stripes or neither. Used by starved readers. */
    private static boolean tryLockPair(Generation g, int s1, int s2) {
        if (!tryLock(g, s1)) return false;
        if (s2 != s1 && !tryLock(g, s2)) {
            unlock(g, s1);
            return false;
        }
        return true;
    }

    /** Marks the buckets DIRTY before the first change (I2); the fence keeps the changes after the marks. */
    static void beginWrite(Generation g, int b1, int b2) {
        META.setOpaque(g.meta, b1, g.meta[b1] | DIRTY);
        META.setOpaque(g.meta, b2, g.meta[b2] | DIRTY);
        VarHandle.storeStoreFence();
    }

    /** Publishes the changes: a DIRTY bucket gets a new version (release store); a clean one is left alone. */
    static void endWrite(Generation g, int b1, int b2) {
        finish(g, b1);
        if (b2 != b1) finish(g, b2);
    }

    private static void finish(Generation g, int b) {
        long m = g.meta[b];
        if ((m & DIRTY) != 0) META.setRelease(g.meta, b, (m & ~DIRTY) + VERSION_UNIT);
    }

    static void unlock(Generation g, int s) {
        INTS.setRelease(g.locks, s, 0);
    }

    static void unlockPair(Generation g, int s1, int s2) {
        unlock(g, s1);
        if (s2 != s1) unlock(g, s2);
    }

    static void backoff(int spins) {
        if (spins < 8) Thread.onSpinWait();
        else if (spins < 16) Thread.yield();
        else LockSupport.parkNanos(1L << Math.min(spins - 16, 16));
    }

    // ---------------------------------------------------------------- whole-table operations and SPI

    /** Number of entries; exact when no writer runs. */
    public final long size() {
        return entries(gen) + stash.size();
    }

    /** Entries in the buckets of {@code g}: what it started with plus the changes counted per stripe since. */
    private static long entries(Generation g) {
        long n = g.base;
        for (int s = 0; s <= g.stripeMask; s++) {
            INTS.getAcquire(g.locks, s); // pairs with the last unlock, so its count update is visible
            n += g.counts[s];
        }
        return n;
    }

    /** Empties the table at once (an atomic swap to a fresh generation of the initial size). */
    public final void clear() {
        checkNotInUserCode();
        while (!replaceGeneration(gen, initialBuckets, false)) {
            Thread.onSpinWait();
        }
    }

    /** A weakly consistent cursor over all entries; see the overview. A migration still running is finished first. */
    public final Cursor cursor() {
        checkNotInUserCode();
        Generation g = gen;
        Generation old = g.prev;
        if (old != null) finishMigration(old, g);
        return new Cursor(this, g);
    }

    /** The stash as it is now (a traversal reads it after the buckets). */
    final Stash stash() {
        return stash;
    }

    /** Slots in the current generation (for a CLOCK hand). */
    public final int slotCount() {
        return gen.slots();
    }

    /** The value in a slot of the current generation, or null (racy: for eviction heuristics only). */
    public final Object valueAt(int slot) {
        Generation g = gen;
        return slot < g.slots() ? g.kv[2 * slot + 1] : null;
    }

    /** Clears a slot's CLOCK byte; returns whether it was set. */
    public final boolean clearReference(int slot) {
        Generation g = gen;
        if (g.refs == null || slot >= g.slots() || g.refs[slot] == 0) return false;
        REFS.setOpaque(g.refs, slot, (byte) 0);
        return true;
    }

    /**
     * Approximate bytes of the table's arrays (compressed references assumed): the current generation's, plus the
     * previous one's while it is being migrated (both are live then).
     */
    public final long tableBytes() {
        Generation g = gen;
        Generation old = g.prev;
        return g.bytes() + (old == null ? 0 : old.bytes());
    }

    /** Number of buckets in the current generation. */
    public final int buckets() {
        return gen.mask + 1;
    }

    /** Completed growths since construction (a growth counts once its new generation is published). */
    public final int growths() {
        return growths;
    }

    /** Displacement hops executed since construction. */
    public final long hops() {
        return hops.sum();
    }

    /** Entries in the stash (keys that fit neither bucket). */
    public final int stashSize() {
        return stash.size();
    }

    /** Old buckets still to migrate into the current generation (0 when no migration runs). */
    final int bucketsToMigrate() {
        Generation old = gen.prev;
        return old == null ? 0 : old.mask + 1 - (int) MOVED_BUCKETS.getVolatile(old);
    }

    /** Whether a growth is allocating or migrating right now. */
    public final boolean isGrowing() {
        return growLock.isLocked() || gen.prev != null;
    }

    // ---------------------------------------------------------------- generation

    /** One table generation: fixed-size arrays, their lock stripes and, once frozen, its migration state. */
    static final class Generation {
        @SuppressWarnings("unchecked")
        private static final WeakReference<Cursor>[] NO_CURSORS = new WeakReference[0];

        final int mask;
        final int stripeMask;
        final long[] meta;
        /** Slot {@code i}'s key at {@code 2i}, its value at {@code 2i + 1}: a bucket's eight references are 32 bytes. */
        final Object[] kv;
        final byte[] refs;
        final int[] locks;
        final int[] counts;
        volatile boolean frozen;
        /** Set (frozen too) by a {@link #clear} before it empties the stash. */
        volatile boolean cleared;
        /** The generation being migrated into this one; null once all of its stripes are (I10). */
        volatile Generation prev;
        /**
         * Entries this generation started with (those of the generation it migrates from): {@code counts} hold
         * only the changes made since, so a migration never touches them and needs no stripe lock of this
         * generation.
         */
        long base;
        /** Once frozen: the first old bucket not yet claimed for migration ({@link #CLAIM}). */
        int claim;
        /** Once frozen: buckets migrated so far ({@link #MOVED_BUCKETS}). */
        int movedBuckets;
        private volatile WeakReference<Cursor>[] cursors = NO_CURSORS;

        Generation(int buckets, boolean clock) {
            mask = buckets - 1;
            int stripes = Math.min(buckets, MAX_STRIPES);
            stripeMask = stripes - 1;
            meta = new long[buckets];
            kv = new Object[buckets * KV_PER_BUCKET];
            refs = clock ? new byte[buckets * SLOTS] : null;
            locks = new int[stripes];
            counts = new int[stripes];
        }

        int slots() {
            return kv.length / 2;
        }

        long bytes() {
            long slots = slots();
            long perSlot = 4 + 4 + 2 + (refs != null ? 1 : 0);
            return 5 * 16 + slots * perSlot + (stripeMask + 1) * 8L;
        }

        synchronized void register(Cursor c) {
            cursors = withCursors(c, null);
        }

        synchronized void deregister(Cursor c) {
            cursors = withCursors(null, c);
        }

        /** The live cursors, plus {@code add}, minus {@code remove} and any collected ones. */
        @SuppressWarnings("unchecked")
        private WeakReference<Cursor>[] withCursors(Cursor add, Cursor remove) {
            WeakReference<Cursor>[] old = cursors;
            WeakReference<Cursor>[] next = new WeakReference[old.length + 1];
            int n = 0;
            for (WeakReference<Cursor> ref : old) {
                Cursor c = ref.get();
                if (c != null && c != remove) next[n++] = ref;
            }
            if (add != null) next[n++] = new WeakReference<>(add);
            return n == 0 ? NO_CURSORS : Arrays.copyOf(next, n);
        }

        /** Called by an update holding the key's stripe lock when it replaces the key object (valueHoldsKey). */
        void notifyReplaced(Object from, Object to) {
            for (WeakReference<Cursor> ref : cursors) {
                Cursor c = ref.get();
                if (c != null) c.onReplace(from, to);
            }
        }

        /** Called by a hop holding both buckets' stripe locks, before it moves the key. */
        void notifyCursors(Object key, Object value, int fromBucket, int toBucket) {
            for (WeakReference<Cursor> ref : cursors) {
                Cursor c = ref.get();
                if (c != null) c.onMove(key, value, fromBucket, toBucket);
            }
        }
    }
}
