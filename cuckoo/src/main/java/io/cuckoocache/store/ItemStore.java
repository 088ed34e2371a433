package io.cuckoocache.store;

import io.cuckoocache.table.CuckooTable;
import io.cuckoocache.table.Cursor;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.ObjLongConsumer;

/**
 * The memcached item store: memcached 1.6.18's item semantics on one Cuckoo table, with no protocol in it. The
 * text/meta and binary protocols translate their bytes into these calls and the results back into their bytes.
 *
 * <h2>Implementation overview</h2>
 *
 * <h3>Table</h3>
 * An item is one {@code byte[]} holding its header, key and value ({@link Item} describes the layout), immutable
 * once published. One {@link CuckooTable} in cache mode holds the items; each item is also its own key object
 * (the table's {@code valueHoldsKey} mode: an update replaces the key reference with the item), so a lookup goes
 * from the slot to the bytes it compares and sends with one dependent load. Lookups hash the caller's bytes in place
 * ({@link CuckooTable#hashBytes} with a per-store random seed), so a get neither copies nor allocates. Every change
 * goes through {@link CuckooTable#update} with one of this class's op codes; {@link #apply} decides the key's next
 * item under the key's stripe locks, so each call is atomic per key, and a change is always a new item.
 *
 * <h3>Expiry and flush</h3>
 * An item is dead when past its expiry, or when stored before the last flush moment: each item carries the flush
 * epoch it was stored in, and {@link #epochAt} gives the epoch in force (a delayed flush_all advances it when its
 * moment comes). A dead item is treated as absent by every call and removed when a call meets it (lazy expiry) or
 * when the reclaimer ({@link #reclaim}) walks over it.
 *
 * <h3>Memory</h3>
 * Every item is charged its exact heap footprint ({@link Item#footprint}: its one array). The limit covers items
 * only, as memcached's -m covers its slab pages and not its hash table. Before a write that may add bytes,
 * {@link #ensureRoom} evicts until the bytes fit: a CLOCK hand ({@link #evictOne}) walks the slots, gives a slot
 * whose reference byte a reader set a second chance (clearing it), and evicts the first unreferenced item, or any
 * dead one it passes. The table's arrays ({@link CuckooTable#tableBytes}, {@code hash_bytes}) grow only while both
 * generations fit in a quarter of the limit ({@link #whenFull}); beyond that an insert into a full bucket pair evicts
 * a neighbour (only items of a few dozen bytes fill the table that far). Charges are summed in a {@link LongAdder},
 * so concurrent writers can overshoot by the sizes of the writes in flight; each writer that added bytes trims back
 * under the limit when it is done. With eviction off (memcached -M) only dead items are removed, and a write that
 * does not fit fails.
 *
 * <h3>CAS</h3>
 * Uniques come from one counter (writes only); with CAS off every item's unique is 0 and, as in memcached, a cas
 * against a present item always matches.
 *
 * <h3>Export and restore</h3>
 * {@link #forEachLive} walks the table with a {@link Cursor} (each bucket under its stripe lock, the callback outside
 * any lock), skips dead items and folds a pending delayed flush into the end time it reports. {@link #restore} is an
 * add of a sealed item with a given unique and expiry ({@code OP_RESTORE} under the key's locks); the counter is
 * raised before the item is published, so no write, even one racing the restore, can take a restored unique.
 * {@link #casCounter} reads the counter for a save and raises it after the restore, as memcached saves its
 * current_cas.
 */
public final class ItemStore implements AutoCloseable {
    /** The longest key, in bytes. */
    public static final int KEY_MAX_LENGTH = 250;
    /** Exptimes up to this (30 days, in seconds) are relative to now; larger ones are absolute Unix times. */
    public static final long RELATIVE_EXPTIME_MAX = 60L * 60 * 24 * 30;

    private static final int OP_STORE = 1;
    private static final int OP_DELETE = 2;
    private static final int OP_INVALIDATE = 3;
    private static final int OP_TOUCH = 4;
    private static final int OP_ARITH = 5;
    private static final int OP_META_GET = 6;
    /** Removes the given item if still current, dead or not (the CLOCK hand). */
    private static final int OP_EVICT = 7;
    /** Removes the given (dead) item if still current: a call met it. */
    private static final int OP_REAP = 8;
    /** Removes the given (dead) item if still current: the reclaimer met it. */
    private static final int OP_CRAWL = 9;
    /** Inserts a restored item unless the key has a live one. */
    private static final int OP_RESTORE = 10;

    /** Expiry meaning "already expired" (Unix second 1). */
    private static final int EXPIRED = 1;
    /**
     * The table is outside the limit, as memcached's hash table is, but grows only while both its generations fit
     * in 1/TABLE_SHARE of it: at 95 % load it costs 10.5 B per item, so only tiny items ever reach that.
     */
    private static final int TABLE_SHARE = 4;
    /** Slots a store with eviction off searches for a dead item before it answers out of memory. */
    private static final int DEAD_SEARCH = 256;

    private final Table table;
    private final long seed;
    private final Clock clock;
    /** The clock second that items' access times count from. */
    private final long base;
    private final boolean casEnabled;
    private final boolean evictions;
    private final int itemSizeMax;
    private final SlabClasses slabs;
    /** Per slab class, indexed by class number; [0] takes what no class holds (nothing, while -I is enforced). */
    private final ClassCounters[] classes;
    private final PrefixStats prefixes;
    /** "stats sizes": items per 32 bytes of memcached item size, or null while off (memcached's default). */
    private volatile AtomicLongArray sizeHistogram;
    /** Items with a CAS unique below this were stored before sizes were enabled: not in the histogram. */
    private volatile long sizesCasMin;
    private volatile long limit;
    private final AtomicLong casSeq = new AtomicLong();
    private final AtomicInteger hand = new AtomicInteger();
    private final AtomicInteger crawler = new AtomicInteger();
    /** Bytes charged for items (the table's arrays are added when comparing with the limit). */
    private final LongAdder memory = new LongAdder();
    private final Counters counters = new Counters();
    private final MetaOperations meta = new MetaOperations(this);
    private volatile Flush flush = new Flush(0, Long.MAX_VALUE);
    private ScheduledExecutorService reclaimer; // guarded by this

    /** Flush state: epoch {@code epoch} is in force before {@code at} (a Unix second), {@code epoch + 1} from then. */
    private static final class Flush {
        final int epoch;
        final long at;

        Flush(int epoch, long at) {
            this.epoch = epoch;
            this.at = at;
        }
    }

    private ItemStore(Builder b) {
        this.clock = b.clock;
        this.base = clock.seconds();
        this.casEnabled = b.casEnabled;
        this.evictions = b.evictions;
        this.itemSizeMax = b.itemSizeMax;
        this.slabs = b.slabs;
        this.classes = new ClassCounters[slabs.largest() + 1];
        for (int i = 0; i < classes.length; i++) classes[i] = new ClassCounters();
        this.prefixes = new PrefixStats((byte) b.prefixDelimiter, b.detailEnabled);
        this.limit = b.memoryLimit;
        this.seed = new SecureRandom().nextLong();
        this.table = new Table(b.initialCapacity);
    }

    /**
     * A builder with memcached's defaults: 64 MB, 1 MB items, CAS on, eviction on, the system clock.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The operations only the meta commands and the binary incr/decr need, whose optional numbers travel in a
     * {@link MetaRequest}.
     *
     * @return this store's meta view
     */
    public MetaOperations meta() {
        return meta;
    }

    // ---------------------------------------------------------------- reads

    /**
     * The key's live item, or {@code null}: get, gets and the binary gets. Takes no lock and allocates nothing;
     * records the access (see {@link Item}).
     *
     * @param key the array holding the key
     * @param off where the key starts in {@code key}
     * @param len the key's length in bytes, at most {@link #KEY_MAX_LENGTH}
     * @return the live item, or {@code null} on a miss
     */
    public byte[] get(byte[] key, int off, int len) {
        checkKey(len);
        int h = hash(key, off, len);
        byte[] it = (byte[]) table.get(h, key, off, len);
        if (it != null) {
            long now = clock.seconds();
            int epoch = epochAt(now);
            if (!dead(it, now, epoch)) {
                Item.access(it, accessWord(now, true));
                classOf(it).getHits.increment();
                if (prefixes.enabled) prefixes.get(key, off, len, true);
                return it;
            }
            countDeadFound(it, epoch);
            table.update(h, key, off, len, OP_REAP, it);
        }
        counters.getMisses.increment();
        if (prefixes.enabled) prefixes.get(key, off, len, false);
        return null;
    }

    /**
     * Sets a live item's expiry (keeping its CAS): touch, gat and gats, and the binary touch and gats. On
     * {@link Status#TOUCHED} {@code out.item()} is the touched item, which gat returns even when the new expiry is
     * already past (the item is then gone).
     *
     * @param key     the array holding the key
     * @param off     where the key starts in {@code key}
     * @param len     the key's length in bytes, at most {@link #KEY_MAX_LENGTH}
     * @param exptime memcached exptime: 0 never, up to 30 days relative, else absolute; negative is expired
     * @param out     receives the call's details beyond its status; reused by the caller
     * @return {@link Status#TOUCHED} or {@link Status#NOT_FOUND}
     */
    public Status touch(byte[] key, int off, int len, long exptime, Outcome out) {
        begin(out, key, off, len);
        out.expiry = expiry(exptime, out.now);
        out.status = Status.NOT_FOUND;
        update(OP_TOUCH, out);
        if (out.status == Status.TOUCHED) {
            classes[out.liveClass].touchHits.increment();
        } else {
            counters.touchMisses.increment();
        }
        if (prefixes.enabled) prefixes.get(key, off, len, out.status == Status.TOUCHED);
        return out.status;
    }

    /** {@link MetaOperations#get}. */
    Status metaGet(byte[] key, int off, int len, MetaRequest request, Outcome out) {
        begin(out, key, off, len, request);
        out.status = Status.NOT_FOUND;
        if (out.setExpiry || out.vivify || !lockFreeMetaGet(out)) {
            if (out.vivify && !ensureRoom(Item.footprint(len, 0, 0))) {
                out.status = Status.NOT_FOUND;
            } else {
                update(OP_META_GET | (out.vivify ? CuckooTable.MAY_INSERT : 0), out);
            }
        }
        if (out.status != Status.FOUND) {
            (out.setExpiry ? counters.touchMisses : counters.getMisses).increment();
        } else {
            ClassCounters c = classOf(out.item);
            (out.setExpiry ? c.touchHits : c.getHits).increment();
        }
        if (out.created) counters.totalItems.increment();
        trimIfGrew(out);
        return out.status;
    }

    /** {@link MetaOperations#peek}. */
    Status peek(byte[] key, int off, int len, Outcome out) {
        begin(out, key, off, len);
        out.bump = false;
        out.status = Status.NOT_FOUND;
        counters.cmdMeta.increment();
        byte[] it = liveItem(out);
        if (it != null) {
            report(it, it, out);
            out.status = Status.FOUND;
        }
        return out.status;
    }

    /** A meta get that changes nothing, without a lock; false if the item may change (a token to hand out). */
    private boolean lockFreeMetaGet(Outcome o) {
        byte[] it = liveItem(o);
        if (it == null) return true;
        if (mayWin(it, o)) return false;
        report(it, it, o);
        o.status = Status.FOUND;
        return true;
    }

    /** The key of {@code o}'s live item, without a lock; a dead item met is removed (and counted) and gives null. */
    private byte[] liveItem(Outcome o) {
        int h = hash(o.key, o.keyOff, o.keyLen);
        byte[] it = (byte[]) table.get(h, o.key, o.keyOff, o.keyLen);
        if (it == null || !dead(it, o.now, o.epoch)) return it;
        countDeadFound(it, o.epoch);
        table.update(h, o.key, o.keyOff, o.keyLen, OP_REAP, it);
        return null;
    }

    // ---------------------------------------------------------------- writes

    /**
     * Stores a value: set, add, replace, append and prepend, without a CAS. The value is copied into the new item,
     * so the caller may reuse its array. On {@link Status#STORED} {@code out.item()} is the new
     * item (its CAS is what binary responses carry).
     * <p>
     * A set that fails for size or memory also deletes the key's old item, as memcached does, so a stale value
     * does not outlive a failed update.
     *
     * @param mode    which of the storage commands; not {@link Mode#CAS}, which needs the CAS form of this call
     * @param key     the array holding the key
     * @param off     where the key starts in {@code key}
     * @param len     the key's length in bytes, at most {@link #KEY_MAX_LENGTH}
     * @param value   the value bytes
     * @param flags   the 32-bit client flags
     * @param exptime memcached exptime (ignored by append and prepend, which keep the item's own)
     * @param out     receives the call's details beyond its status; reused by the caller
     * @return STORED, NOT_STORED, TOO_LARGE or OUT_OF_MEMORY
     * @throws IllegalArgumentException for {@link Mode#CAS}
     */
    public Status store(Mode mode, byte[] key, int off, int len, byte[] value, int flags, long exptime, Outcome out) {
        if (mode == Mode.CAS) throw new IllegalArgumentException("Mode.CAS needs a CAS unique");
        return store(mode, key, off, len, 0, value, flags, exptime, out);
    }

    /**
     * Stores a value under a CAS condition: cas, and append/prepend with a CAS (binary). As
     * {@link #store(Mode, byte[], int, int, byte[], int, long, Outcome)} otherwise; a CAS given to set, add or
     * replace is ignored, so a protocol may pass its request's CAS (0 when absent) whatever the mode.
     *
     * @param mode    which of the storage commands
     * @param key     the array holding the key
     * @param off     where the key starts in {@code key}
     * @param len     the key's length in bytes, at most {@link #KEY_MAX_LENGTH}
     * @param cas     the unique to compare: always for {@link Mode#CAS}, for append/prepend unless 0, else ignored
     * @param value   the value bytes
     * @param flags   the 32-bit client flags
     * @param exptime memcached exptime (ignored by append and prepend, which keep the item's own)
     * @param out     receives the call's details beyond its status; reused by the caller
     * @return STORED, NOT_STORED, EXISTS, NOT_FOUND (cas on a missing key), TOO_LARGE or OUT_OF_MEMORY
     */
    public Status store(Mode mode, byte[] key, int off, int len, long cas, byte[] value, int flags, long exptime,
                        Outcome out) {
        if (!fits(len, value.length, flags)) return rejectTooLarge(mode, key, off, len, out);
        return store(mode, copied(key, off, len, flags, value), cas, exptime, out);
    }

    /**
     * A new item for a store whose value is still to come, as memcached allocates an item before it reads the value:
     * the key and flags written, room for {@code valueLength} bytes from {@link Item#valueOffset} to the end, which
     * the caller fills and then hands to {@link #store(Mode, byte[], long, long, Outcome)}. A protocol that reads the
     * value from the network straight into it copies the bytes once and allocates nothing else. Nothing is charged
     * to the memory limit until the store. Ask {@link #fits} first: a prepared item over the size limit is refused.
     *
     * @param key         the array holding the key
     * @param off         where the key starts in {@code key}
     * @param len         the key's length in bytes, at most {@link #KEY_MAX_LENGTH}
     * @param flags       the 32-bit client flags
     * @param valueLength the value's length in bytes
     * @return the item to fill; it belongs to the caller until it is passed to a store call, and to the store after
     */
    public byte[] prepare(byte[] key, int off, int len, int flags, int valueLength) {
        checkKey(len);
        return Item.create(key, off, len, valueLength, flags, 0, 0, 0, 0);
    }

    /**
     * As {@link #store(Mode, byte[], int, int, long, byte[], int, long, Outcome)}, for an item from {@link #prepare}
     * whose value the caller has filled; its key and flags are the item's. The store takes the array (it may publish
     * it as it is), so the caller must not write to it again.
     *
     * @param mode     which of the storage commands
     * @param prepared the filled item
     * @param cas      the unique to compare: always for {@link Mode#CAS}, for append/prepend unless 0, else ignored
     * @param exptime  memcached exptime (ignored by append and prepend, which keep the item's own)
     * @param out      receives the call's details beyond its status; reused by the caller
     * @return STORED, NOT_STORED, EXISTS, NOT_FOUND (cas on a missing key), TOO_LARGE or OUT_OF_MEMORY
     */
    public Status store(Mode mode, byte[] prepared, long cas, long exptime, Outcome out) {
        begin(out, prepared, Item.HEADER, Item.keyLength(prepared));
        out.cas = cas;
        out.expiry = expiry(exptime, out.now);
        return store(mode, prepared, false, out);
    }

    /** {@link MetaOperations#store(Mode, byte[], int, int, byte[], MetaRequest, Outcome)}. */
    Status metaStore(Mode mode, byte[] key, int off, int len, byte[] value, MetaRequest request, Outcome out) {
        if (!fits(len, value.length, request.flags)) {
            request.clear();
            return rejectTooLarge(true, key, off, len, out);
        }
        return metaStore(mode, copied(key, off, len, request.flags, value), request, out);
    }

    /** {@link MetaOperations#store(Mode, byte[], MetaRequest, Outcome)}. */
    Status metaStore(Mode mode, byte[] prepared, MetaRequest request, Outcome out) {
        begin(out, prepared, Item.HEADER, Item.keyLength(prepared), request);
        return store(mode, prepared, true, out);
    }

    private byte[] copied(byte[] key, int off, int len, int flags, byte[] value) {
        byte[] it = prepare(key, off, len, flags, value.length);
        System.arraycopy(value, 0, it, Item.valueOffset(it), value.length);
        return it;
    }

    /** A store of a prepared item, whose CAS and expiry {@code out} holds; {@code meta}: from ms. */
    private Status store(Mode mode, byte[] prepared, boolean meta, Outcome out) {
        byte[] key = out.key;
        int off = out.keyOff;
        int len = out.keyLen;
        int vlen = Item.valueLength(prepared);
        out.flags = Item.flags(prepared);
        boolean dropOld = mode == Mode.SET || meta;
        if (!meta && prefixes.enabled) prefixes.set(key, off, len);
        if (!fits(len, vlen, out.flags)) {
            counters.storeTooLarge.increment();
            return failedStore(Status.TOO_LARGE, dropOld, out);
        }
        ClassCounters cls = classOf(len, out.flags, vlen);
        if (!ensureRoom(Item.footprint(prepared))) {
            outOfMemory(cls);
            return failedStore(Status.OUT_OF_MEMORY, dropOld, out);
        }
        cls.cmdSet.increment();
        if (mode == Mode.APPEND || mode == Mode.PREPEND) {
            // memcached allocates the joined item while the old one still exists; no room is NOT_STORED.
            byte[] current = (byte[]) table.get(hash(key, off, len), key, off, len);
            if (current != null
                    && !ensureRoom(Item.footprint(len, Item.flags(current), vlen + Item.valueLength(current)))) {
                out.status = Status.NOT_STORED;
                return out.status;
            }
        }
        out.mode = mode;
        out.prepared = prepared;
        // With CAS off a new item carries no unique, so memcached compares 0 with the item's 0.
        if (!casEnabled) out.cas = 0;
        boolean insert = mode == Mode.SET || mode == Mode.ADD;
        // The answer if the key is absent and the op does not run: an item dead on arrival is "stored" and gone.
        out.status = mode == Mode.CAS ? Status.NOT_FOUND : insert ? Status.STORED : Status.NOT_STORED;
        boolean mayInsert = insert && !deadOnArrival(out.expiry, out.now);
        if (update(OP_STORE | (mayInsert ? CuckooTable.MAY_INSERT : 0), out) == CuckooTable.NO_ROOM
                || out.status == Status.OUT_OF_MEMORY) {
            outOfMemory(cls);
            return failedStore(Status.OUT_OF_MEMORY, dropOld, out);
        }
        if (!mayInsert && insert && out.status == Status.STORED && out.item == null) {
            // Absent and dead on arrival: never placed, yet STORED with a CAS unique of its own, as in memcached.
            Item.seal(prepared, out.expiry, nextCas(out.newCas), out.epoch, accessWord(out.now, false));
            out.item = prepared;
        }
        if (out.status == Status.STORED) counters.totalItems.increment();
        if (mode == Mode.CAS) {
            switch (out.status) {
                case STORED: classes[out.liveClass].casHits.increment(); break;
                case EXISTS: classes[out.liveClass].casBadval.increment(); break;
                case NOT_FOUND: counters.casMisses.increment(); break;
                default: break;
            }
        }
        trimIfGrew(out);
        return out.status;
    }

    /**
     * A store whose value the protocol will not read because {@link #fits} said no (it discards the bytes as they
     * arrive): counted as {@code store_too_large}, and, as for any store that could not allocate, a set drops the
     * key's old item (for ms, see {@link MetaOperations#rejectTooLarge}).
     *
     * @param mode the storage command that was refused
     * @param key  the array holding the key
     * @param off  where the key starts in {@code key}
     * @param len  the key's length in bytes, at most {@link #KEY_MAX_LENGTH}
     * @param out  receives the call's details beyond its status; reused by the caller
     * @return TOO_LARGE
     */
    public Status rejectTooLarge(Mode mode, byte[] key, int off, int len, Outcome out) {
        if (prefixes.enabled) prefixes.set(key, off, len); // ms is not a set for stats detail, as in memcached
        return rejectTooLarge(mode == Mode.SET, key, off, len, out);
    }

    /** A refused store; {@code dropOld}: whether the key's old item goes too. */
    Status rejectTooLarge(boolean dropOld, byte[] key, int off, int len, Outcome out) {
        begin(out, key, off, len);
        counters.storeTooLarge.increment();
        return failedStore(Status.TOO_LARGE, dropOld, out);
    }

    /** A store that could not allocate: memcached drops the old item (text and binary set; ms in any mode). */
    private Status failedStore(Status status, boolean dropOld, Outcome out) {
        if (dropOld) {
            out.cas = 0;
            update(OP_DELETE, out);
        }
        out.status = status;
        out.item = null;
        return status;
    }

    /**
     * Deletes the key's item: delete.
     *
     * @param key the array holding the key
     * @param off where the key starts in {@code key}
     * @param len the key's length in bytes, at most {@link #KEY_MAX_LENGTH}
     * @param out receives the call's details beyond its status; reused by the caller
     * @return DELETED or NOT_FOUND
     */
    public Status delete(byte[] key, int off, int len, Outcome out) {
        return delete(key, off, len, 0, out);
    }

    /**
     * Deletes the key's item if its CAS matches: binary delete.
     *
     * @param key the array holding the key
     * @param off where the key starts in {@code key}
     * @param len the key's length in bytes, at most {@link #KEY_MAX_LENGTH}
     * @param cas the unique the item must have, or 0 for any
     * @param out receives the call's details beyond its status; reused by the caller
     * @return DELETED, NOT_FOUND or EXISTS (CAS mismatch)
     */
    public Status delete(byte[] key, int off, int len, long cas, Outcome out) {
        begin(out, key, off, len);
        out.cas = cas;
        return delete(out);
    }

    private Status delete(Outcome out) {
        out.status = Status.NOT_FOUND;
        update(OP_DELETE, out);
        if (prefixes.enabled) prefixes.delete(out.key, out.keyOff, out.keyLen);
        if (out.status == Status.DELETED) {
            classes[out.liveClass].deleteHits.increment();
        } else {
            counters.deleteMisses.increment();
        }
        return out.status;
    }

    /** {@link MetaOperations#delete}; the request's I is {@code out.staleOk}. */
    Status metaDelete(byte[] key, int off, int len, MetaRequest request, Outcome out) {
        begin(out, key, off, len, request);
        if (!out.staleOk) return delete(out);
        out.status = Status.NOT_FOUND;
        update(OP_INVALIDATE, out);
        if (out.status != Status.DELETED) counters.deleteMisses.increment();
        return out.status;
    }

    /**
     * Adds {@code delta} to a decimal value, wrapping at 2^64: incr. See {@link #decr} for the results;
     * {@link MetaOperations#incr} takes a CAS, create-on-miss and a new exptime.
     *
     * @param key   the array holding the key
     * @param off   where the key starts in {@code key}
     * @param len   the key's length in bytes, at most {@link #KEY_MAX_LENGTH}
     * @param delta unsigned 64-bit amount
     * @param out   receives the call's details beyond its status; reused by the caller
     * @return STORED, NOT_FOUND, NON_NUMERIC or OUT_OF_MEMORY
     */
    public Status incr(byte[] key, int off, int len, long delta, Outcome out) {
        begin(out, key, off, len);
        out.delta = delta;
        return arithmetic(true, out);
    }

    /**
     * Subtracts {@code delta} from a decimal value, stopping at 0: decr. The value must read as an unsigned 64-bit
     * decimal; the result is written back in the value's old width when it fits (padded with spaces, as memcached
     * rewrites in place), else in its own. {@code out.number()} is the result and {@code out.item()} the new item.
     * {@link MetaOperations#decr} takes a CAS, create-on-miss and a new exptime.
     *
     * @param key   the array holding the key
     * @param off   where the key starts in {@code key}
     * @param len   the key's length in bytes, at most {@link #KEY_MAX_LENGTH}
     * @param delta unsigned 64-bit amount
     * @param out   receives the call's details beyond its status; reused by the caller
     * @return STORED, NOT_FOUND, NON_NUMERIC or OUT_OF_MEMORY
     */
    public Status decr(byte[] key, int off, int len, long delta, Outcome out) {
        begin(out, key, off, len);
        out.delta = delta;
        return arithmetic(false, out);
    }

    /** {@link MetaOperations#incr} and {@link MetaOperations#decr}. */
    Status arithmetic(boolean incr, byte[] key, int off, int len, MetaRequest request, Outcome out) {
        long initial = request.initial; // read before begin clears the request
        begin(out, key, off, len, request);
        out.number = initial;
        return arithmetic(incr, out);
    }

    private Status arithmetic(boolean incr, Outcome out) {
        out.incr = incr;
        out.status = Status.NOT_FOUND;
        // Room for an item it may create; a number that outgrows its value is checked under the lock (eviction
        // off) or trimmed after (on): memcached rewrites in place and allocates only then.
        if (out.vivify && !ensureRoom(Item.footprint(out.keyLen, 0, 20))) {
            out.status = Status.OUT_OF_MEMORY;
        } else if (update(OP_ARITH | (out.vivify ? CuckooTable.MAY_INSERT : 0), out) == CuckooTable.NO_ROOM) {
            out.status = Status.OUT_OF_MEMORY;
        }
        if (out.created) {
            counters.totalItems.increment();
        } else if (out.status == Status.STORED) {
            ClassCounters c = classes[out.liveClass];
            (incr ? c.incrHits : c.decrHits).increment();
        } else if (out.status == Status.NOT_FOUND) {
            (incr ? counters.incrMisses : counters.decrMisses).increment();
        }
        trimIfGrew(out);
        return out.status;
    }

    /**
     * flush_all: every item stored before the flush moment becomes invalid from that moment. A later flush_all
     * replaces a delayed one that has not come yet, as in memcached.
     *
     * @param delay 0 or negative for now; else a memcached exptime (relative up to 30 days, else absolute)
     */
    public synchronized void flushAll(long delay) {
        long now = clock.seconds();
        long at = delay <= 0 ? now : delay <= RELATIVE_EXPTIME_MAX ? now + delay : delay;
        flush = new Flush(epochAt(now), at <= now ? Long.MIN_VALUE : at);
        // memcached marks an immediate flush with a CAS unique of its own; CAS values keep its numbering.
        if (at <= now) nextCas(0);
        counters.cmdFlush.increment();
    }

    // ---------------------------------------------------------------- export and restore

    /**
     * Calls {@code action} with every live item and the Unix second it stops being live (0: never), for a caller
     * that saves the store (the server's warm restart, -e): read each item with {@link Item}'s methods (key, flags,
     * value, CAS) and never modify it. The second is the item's own expiry ({@link Item#expiresAt}), or the moment
     * of a delayed flush_all still to come if that is sooner, since the flush will end every item alive now; pass it
     * to {@link #restore}. Weakly consistent, like a map's iterator: an item present and live for the whole walk is
     * passed exactly once; one written, deleted or expiring during the walk may or may not be. A quiet store (no
     * writers, as when the server has stopped serving) is passed exactly. Runs on the caller's thread, holding no
     * lock while {@code action} runs, so the action may call the store.
     *
     * @param action receives each live item and when it ends
     */
    public void forEachLive(ObjLongConsumer<byte[]> action) {
        long now = clock.seconds();
        int epoch = epochAt(now);
        Flush f = flush;
        // a flush to come ends every item alive now (all of them are in the epoch it closes)
        long flushAt = now < f.at && f.at != Long.MAX_VALUE ? Math.min(f.at, 0xFFFF_FFFFL) : 0;
        for (Cursor c = table.cursor(); c.advance(); ) {
            byte[] it = (byte[]) c.value();
            if (dead(it, now, epoch)) continue;
            long expiresAt = Item.expiresAt(it);
            action.accept(it, flushAt != 0 && (expiresAt == 0 || flushAt < expiresAt) ? flushAt : expiresAt);
        }
    }

    /**
     * Inserts a saved item with its own CAS unique and absolute expiry: the inverse of {@link #forEachLive}, for a
     * caller that loads a saved store. {@code prepared} comes from {@link #prepare} (key, flags and value filled);
     * the store takes the array. The CAS counter moves up to {@code cas} before the item is published, so every
     * later write gets a larger unique than any restored item has; to keep the uniques of items deleted before the
     * save from coming back too, pass the saved counter to {@link #casCounter}.
     * <p>
     * The item is inserted only if the key has no live item (as add): meant for an empty store before it serves,
     * where every key is absent; restoring into a store that is serving is safe (each call is atomic per key, and
     * readers see the item only whole), and a live item there is newer than the saved one, so it wins. An item
     * whose expiry has passed is not stored. The memory limit applies as to a set: with eviction on, restoring more
     * than fits evicts. Counted in {@code curr_items} and {@code bytes}, not as a set.
     *
     * @param prepared  an item from {@link #prepare}, filled
     * @param cas       its CAS unique (ignored with CAS off, where every unique is 0); 0 takes the next unique
     * @param expiresAt the Unix second it expires at, 0 for never (as {@link Item#expiresAt} reads it)
     * @param out       receives the call's details beyond its status; reused by the caller
     * @return STORED; NOT_STORED if the key has a live item or the expiry has passed; TOO_LARGE over the item size
     *         limit; OUT_OF_MEMORY if no room could be made
     * @throws IllegalArgumentException if {@code expiresAt} is not an unsigned 32-bit second
     */
    public Status restore(byte[] prepared, long cas, long expiresAt, Outcome out) {
        if (expiresAt < 0 || expiresAt > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("expiry is not an unsigned 32-bit Unix second: " + expiresAt);
        }
        begin(out, prepared, Item.HEADER, Item.keyLength(prepared));
        out.flags = Item.flags(prepared);
        out.status = Status.NOT_STORED;
        if (!fits(out.keyLen, Item.valueLength(prepared), out.flags)) {
            out.status = Status.TOO_LARGE;
            return out.status;
        }
        if (deadOnArrival((int) expiresAt, out.now)) return out.status;
        if (!ensureRoom(Item.footprint(prepared))) {
            out.status = Status.OUT_OF_MEMORY;
            return out.status;
        }
        if (casEnabled) {
            // Raised first: a write racing this restore must not take the restored unique for the same key.
            if (cas == 0) {
                out.cas = casSeq.incrementAndGet();
            } else {
                casCounter(cas);
                out.cas = cas;
            }
        }
        out.expiry = (int) expiresAt;
        out.prepared = prepared;
        if (update(OP_RESTORE | CuckooTable.MAY_INSERT, out) == CuckooTable.NO_ROOM) {
            out.status = Status.OUT_OF_MEMORY;
            out.item = null;
        }
        trimIfGrew(out);
        return out.status;
    }

    /**
     * The CAS counter, for a caller that saves and restores the store: moves it up to {@code atLeast} (never down)
     * and returns the last unique handed out, so {@code casCounter(0)} only reads it. Saved with the items and given
     * back after they are restored, it keeps every unique handed out before the save, also those of items deleted
     * since, from being handed out again (memcached saves its counter the same way).
     *
     * @param atLeast the lowest value the counter may have after the call (unsigned); 0 to only read it
     * @return the last unique handed out, after the call; 0 with CAS off
     */
    public long casCounter(long atLeast) {
        if (!casEnabled) return 0;
        return casSeq.accumulateAndGet(atLeast, (seq, floor) -> Long.compareUnsigned(seq, floor) >= 0 ? seq : floor);
    }

    // ---------------------------------------------------------------- the locked section

    private int hash(byte[] key, int off, int len) {
        return CuckooTable.hashBytes(key, off, len, seed);
    }

    private void begin(Outcome out, byte[] key, int off, int len) {
        checkKey(len);
        long now = clock.seconds();
        out.begin(key, off, len, now, epochAt(now));
        out.liveClass = 0;
    }

    /**
     * {@link #begin}, then the request's options into {@code out}, where each operation reads those it takes; the
     * request is cleared for the caller's next one.
     */
    private void begin(Outcome out, byte[] key, int off, int len, MetaRequest r) {
        try {
            begin(out, key, off, len);
            out.setExpiry = r.hasExptime;
            out.expiry = r.hasExptime ? expiry(r.exptime, out.now) : 0;
            out.vivify = r.hasVivify;
            out.vivifyExpiry = r.hasVivify ? expiry(r.vivify, out.now) : 0;
            out.recache = r.hasRecache;
            out.recacheAt = r.hasRecache ? Integer.toUnsignedLong(expiry(r.recache, out.now)) : 0;
            out.bump = r.bump;
            out.cas = r.cas;
            out.newCas = r.newCas;
            out.staleOk = r.invalidate;
            out.flags = r.flags;
            out.delta = r.delta;
        } finally {
            r.clear();
        }
    }

    private Object update(int op, Outcome o) {
        return table.update(hash(o.key, o.keyOff, o.keyLen), o.key, o.keyOff, o.keyLen, op, o);
    }

    /** Decides the key's next item (see {@link CuckooTable#update}); runs under the key's stripe locks. */
    private Object apply(int op, Object arg, byte[] current) {
        int code = op & ~CuckooTable.MAY_INSERT;
        if (code == OP_EVICT || code == OP_REAP || code == OP_CRAWL) return remove(code, (byte[]) arg, current);
        Outcome o = (Outcome) arg;
        byte[] live = current;
        if (current != null && dead(current, o.now, o.epoch)) {
            countDeadFound(current, o.epoch);
            live = null;
        }
        o.liveClass = live == null ? 0 : slabClass(live);
        byte[] next;
        switch (code) {
            case OP_STORE: next = storeLocked(o, live); break;
            case OP_DELETE: next = deleteLocked(o, live); break;
            case OP_INVALIDATE: next = invalidateLocked(o, live); break;
            case OP_TOUCH: next = touchLocked(o, live); break;
            case OP_ARITH: next = arithLocked(o, live); break;
            case OP_META_GET: next = metaGetLocked(o, live); break;
            case OP_RESTORE: next = restoreLocked(o, live); break;
            default: throw new AssertionError(op);
        }
        if (next == live) {
            if (live == current) return current;
            next = null; // the op left the key absent: drop the dead item
        } else if (next != null && deadOnArrival(Item.expiry(next), o.now)) {
            next = null;
        }
        long delta = bytes(next) - bytes(current);
        if (delta > 0 && !evictions && charged() + delta > limit) {
            // memcached: an append that cannot allocate is NOT_STORED, a vivify that cannot is a miss.
            o.status = code == OP_META_GET ? Status.NOT_FOUND
                    : o.mode == Mode.APPEND || o.mode == Mode.PREPEND ? Status.NOT_STORED : Status.OUT_OF_MEMORY;
            o.item = null;
            o.created = false;
            o.won = false;
            return current;
        }
        if (live != current) countGone(current, true, false);
        charge(current, next, delta);
        o.grew = delta > 0;
        return next;
    }

    private byte[] storeLocked(Outcome o, byte[] live) {
        int expiry = o.expiry;
        int stamp = o.epoch;
        byte[] prepared = o.prepared;
        switch (o.mode) {
            case SET:
                break;
            case ADD:
                if (live != null) return notStored(o, live);
                break;
            case REPLACE:
                if (live == null) return notStored(o, null);
                break;
            case APPEND:
            case PREPEND:
                if (live == null) return notStored(o, null);
                if (o.cas != 0 && Item.cas(live) != o.cas) {
                    o.status = Status.EXISTS;
                    return live;
                }
                if (!fits(o.keyLen, Item.valueLength(live) + Item.valueLength(prepared), Item.flags(live))) {
                    return notStored(o, live);
                }
                o.status = Status.STORED;
                o.item = joined(live, prepared, o.mode == Mode.APPEND, nextCas(o.newCas), stamp,
                        accessWord(o.now, false));
                return o.item;
            case CAS:
                if (live == null) {
                    o.status = Status.NOT_FOUND;
                    return null;
                }
                if (Item.cas(live) == o.cas) break;
                if (!o.staleOk || Long.compareUnsigned(o.cas, Item.cas(live)) >= 0) {
                    o.status = Status.EXISTS;
                    return live;
                }
                expiry = Item.expiry(live);
                stamp |= Item.STALE | (Item.stamp(live) & Item.WON);
                break;
            default:
                throw new AssertionError(o.mode);
        }
        o.status = Status.STORED;
        Item.seal(prepared, expiry, nextCas(o.newCas), stamp, accessWord(o.now, false));
        o.item = prepared;
        return prepared;
    }

    private byte[] restoreLocked(Outcome o, byte[] live) {
        if (live != null) return notStored(o, live);
        o.status = Status.STORED;
        Item.seal(o.prepared, o.expiry, o.cas, o.epoch, accessWord(o.now, false));
        o.item = o.prepared;
        return o.prepared;
    }

    private static byte[] notStored(Outcome o, byte[] live) {
        o.status = Status.NOT_STORED;
        return live;
    }

    /** {@code live} with {@code more}'s value appended (or prepended): its key, flags and expiry, a new CAS, stamp. */
    private static byte[] joined(byte[] live, byte[] more, boolean append, long cas, int stamp, int access) {
        int old = Item.valueLength(live);
        int add = Item.valueLength(more);
        byte[] it = Item.withValue(live, old + add, Item.expiry(live), cas, stamp, access);
        int at = Item.valueOffset(it);
        System.arraycopy(live, Item.valueOffset(live), it, append ? at : at + add, old);
        System.arraycopy(more, Item.valueOffset(more), it, append ? at + old : at, add);
        return it;
    }

    private byte[] deleteLocked(Outcome o, byte[] live) {
        if (live == null) return null;
        if (o.cas != 0 && Item.cas(live) != o.cas) {
            o.status = Status.EXISTS;
            return live;
        }
        o.status = Status.DELETED;
        return null;
    }

    private byte[] invalidateLocked(Outcome o, byte[] live) {
        if (live == null) return null;
        if (o.cas != 0 && Item.cas(live) != o.cas) {
            o.status = Status.EXISTS;
            return live;
        }
        o.status = Status.DELETED;
        return Item.with(live, o.setExpiry ? o.expiry : Item.expiry(live), nextCas(0),
                (Item.stamp(live) & ~Item.WON) | Item.STALE, Item.access(live));
    }

    private byte[] touchLocked(Outcome o, byte[] live) {
        if (live == null) return null;
        o.status = Status.TOUCHED;
        o.item = Item.with(live, o.expiry, Item.cas(live), Item.stamp(live), accessWord(o.now, true));
        return o.item;
    }

    private byte[] arithLocked(Outcome o, byte[] live) {
        if (live == null) {
            if (!o.vivify) return null;
            o.created = true;
            o.status = Status.STORED;
            int width = Decimal.width(o.number, 0);
            o.item = Item.create(o.key, o.keyOff, o.keyLen, width, 0, o.setExpiry ? o.expiry : o.vivifyExpiry,
                    nextCas(0), o.epoch, accessWord(o.now, false));
            Decimal.write(o.number, o.item, Item.valueOffset(o.item), width);
            o.ttl = ttl(o.item, o.now);
            return o.item;
        }
        if (Item.valueLength(live) == 0) {
            o.status = Status.NON_NUMERIC;
            return live;
        }
        if (o.cas != 0 && Item.cas(live) != o.cas) {
            o.status = Status.EXISTS;
            return live;
        }
        if (!Decimal.parse(live, Item.valueOffset(live), live.length, o)) {
            o.status = Status.NON_NUMERIC;
            return live;
        }
        long n = o.number;
        o.number = o.incr ? n + o.delta : Long.compareUnsigned(o.delta, n) >= 0 ? 0 : n - o.delta;
        o.status = Status.STORED;
        int width = Decimal.width(o.number, Item.valueLength(live));
        o.item = Item.withValue(live, width, o.setExpiry ? o.expiry : Item.expiry(live), nextCas(0), Item.stamp(live),
                accessWord(o.now, false) | (Item.access(live) & Item.FETCHED));
        Decimal.write(o.number, o.item, Item.valueOffset(o.item), width);
        o.ttl = ttl(o.item, o.now);
        return o.item;
    }

    private byte[] metaGetLocked(Outcome o, byte[] live) {
        byte[] base = live;
        if (base == null) {
            if (!o.vivify) return null;
            base = Item.create(o.key, o.keyOff, o.keyLen, 0, 0, o.vivifyExpiry, nextCas(0), o.epoch,
                    accessWord(o.now, false));
            o.created = true;
        }
        boolean win = o.created || mayWin(base, o);
        int expiry = o.setExpiry ? o.expiry : Item.expiry(base);
        int stamp = win ? Item.stamp(base) | Item.WON : Item.stamp(base);
        byte[] next = expiry == Item.expiry(base) && stamp == Item.stamp(base) ? base
                : Item.with(base, expiry, Item.cas(base), stamp, Item.access(base));
        report(base, next, o);
        o.won = win;
        o.status = Status.FOUND;
        return next;
    }

    /** Whether a meta get may win the recache token for {@code it} (never twice: the token sticks). */
    private static boolean mayWin(byte[] it, Outcome o) {
        if (Item.won(it)) return false;
        int expiry = Item.expiry(it);
        return Item.stale(it) || (o.recache && expiry != 0 && Integer.toUnsignedLong(expiry) < o.recacheAt);
    }

    /** Fills a meta get's report: {@code before} is the item as found, {@code after} what the call leaves. */
    private void report(byte[] before, byte[] after, Outcome o) {
        int access = Item.access(before);
        o.hitBefore = !o.created && (access & Item.FETCHED) != 0;
        o.lastAccess = o.created ? 0 : Math.max(0, o.now - base - (access & ~Item.FETCHED));
        o.alreadyWon = Item.won(before);
        o.stale = Item.stale(before);
        o.item = after;
        o.ttl = ttl(after, o.now);
        if (o.bump) Item.access(after, accessWord(o.now, true));
    }

    /** Seconds the item has to live at {@code now}; -1 if it never expires. */
    private static long ttl(byte[] it, long now) {
        int expiry = Item.expiry(it);
        return expiry == 0 ? -1 : Integer.toUnsignedLong(expiry) - now;
    }

    /**
     * The CLOCK hand's, a call's or the reclaimer's removal of {@code expected}, if it is still the key's item (a
     * dead item stays dead: expiry and flush only move forward).
     */
    private byte[] remove(int code, byte[] expected, byte[] current) {
        if (current != expected) return current;
        long now = clock.seconds();
        countGone(current, dead(current, now, epochAt(now)), code == OP_CRAWL);
        charge(current, null, -Item.footprint(current));
        return null;
    }

    private void charge(byte[] current, byte[] next, long delta) {
        if (delta != 0) memory.add(delta);
        if (current == null) {
            if (next != null) counters.currItems.increment();
        } else if (next == null) {
            counters.currItems.decrement();
        }
        long from = current == null ? 0 : itemSize(current);
        long to = next == null ? 0 : itemSize(next);
        if (from != to) { // else the same class holds it (a touch, a meta token): nothing moves
            if (from != 0) place(from, Item.valueLength(current), -1);
            if (to != 0) place(to, Item.valueLength(next), 1);
        }
        AtomicLongArray h = sizeHistogram;
        if (h != null && current != next && (current == null || next == null || Item.cas(current) != Item.cas(next))) {
            // memcached counts an item when linked, and uncounts it when unlinked unless stored before enabling
            if (current != null && Long.compareUnsigned(Item.cas(current), sizesCasMin) >= 0) sizeBucket(h, from, -1);
            if (next != null) sizeBucket(h, to, 1);
        }
    }

    private static void sizeBucket(AtomicLongArray h, long size, int sign) {
        long bucket = (size + 31) / 32;
        if (bucket < h.length()) h.addAndGet((int) bucket, sign);
    }

    private static long bytes(byte[] it) {
        return it == null ? 0 : Item.footprint(it);
    }

    private long nextCas(long explicit) {
        if (!casEnabled) return 0;
        return explicit != 0 ? explicit : casSeq.incrementAndGet();
    }

    // ---------------------------------------------------------------- expiry

    /** memcached's exptime rule, as an absolute unsigned Unix second (0 = never). */
    private static int expiry(long exptime, long now) {
        if (exptime == 0) return 0;
        if (exptime < 0) return EXPIRED;
        long at = exptime <= RELATIVE_EXPTIME_MAX ? now + exptime : exptime;
        return (int) Math.min(Math.max(at, EXPIRED), 0xFFFF_FFFFL);
    }

    private static boolean deadOnArrival(int expiry, long now) {
        return expiry != 0 && Integer.toUnsignedLong(expiry) <= now;
    }

    /** The flush epoch in force at {@code now}. */
    private int epochAt(long now) {
        Flush f = flush;
        return (now >= f.at ? f.epoch + 1 : f.epoch) & Item.EPOCH;
    }

    private static boolean dead(byte[] it, long now, int epoch) {
        return Item.epoch(it) != epoch || Item.expiredAt(it, now);
    }

    /** get_flushed or get_expired, for a call that met a dead item (flushed wins, as in memcached). */
    private void countDeadFound(byte[] it, int epoch) {
        (Item.epoch(it) != epoch ? counters.getFlushed : counters.getExpired).increment();
    }

    private void countGone(byte[] it, boolean dead, boolean byReclaimer) {
        boolean unfetched = !Item.fetched(it);
        ClassCounters c = classOf(it);
        if (dead) {
            (byReclaimer ? c.crawlerReclaimed : c.reclaimed).increment();
            if (unfetched) c.expiredUnfetched.increment();
        } else {
            c.evicted.increment();
            if (Item.expiry(it) != 0) c.evictedNonzero.increment();
            if (unfetched) c.evictedUnfetched.increment();
            c.evictedTime = Math.max(0, clock.seconds() - base - (Item.access(it) & ~Item.FETCHED));
        }
    }

    /** An access word for an item: seconds since {@link #base}, and the fetched bit. */
    private int accessWord(long now, boolean fetched) {
        int seconds = (int) Math.min(Math.max(now - base, 0), Integer.MAX_VALUE);
        return fetched ? seconds | Item.FETCHED : seconds;
    }

    /**
     * Removes up to {@code slots} slots' worth of dead items, continuing where the last pass stopped: the
     * background reclaimer's bounded unit of work (memcached's LRU crawler). Safe to call from any thread.
     *
     * @param slots how many table slots to look at
     * @return the number of items removed
     */
    public int reclaim(int slots) {
        long now = clock.seconds();
        int epoch = epochAt(now);
        int removed = 0;
        for (int i = 0; i < slots; i++) {
            int slot = crawler.getAndIncrement() & (table.slotCount() - 1);
            byte[] it = (byte[]) table.valueAt(slot);
            if (it == null) continue;
            classOf(it).crawlerItemsChecked.increment();
            if (dead(it, now, epoch) && removeIfSame(it, OP_CRAWL)) removed++;
        }
        return removed;
    }

    /**
     * Starts a daemon thread that calls {@link #reclaim} every {@code period}; {@link #close} stops it.
     *
     * @param period       the pause between two passes, at least a millisecond
     * @param slotsPerPass the slots each pass looks at (see {@link #reclaim})
     * @throws IllegalStateException if already started
     */
    public synchronized void startReclaimer(Duration period, int slotsPerPass) {
        long periodMillis = period.toMillis();
        if (reclaimer != null) throw new IllegalStateException("reclaimer already running");
        reclaimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cuckoocache-reclaimer");
            t.setDaemon(true);
            return t;
        });
        reclaimer.scheduleWithFixedDelay(() -> reclaim(slotsPerPass), periodMillis, periodMillis,
                TimeUnit.MILLISECONDS);
    }

    /** Stops the reclaimer, if running. The store stays usable. */
    @Override
    public synchronized void close() {
        if (reclaimer != null) {
            reclaimer.shutdownNow();
            reclaimer = null;
        }
    }

    // ---------------------------------------------------------------- memory

    /**
     * Whether an item is within the item size limit (-I), measured as memcached measures it (its 48-byte header, the
     * key and a NUL, 4 bytes of flags unless they are 0, the value and CRLF, and 8 bytes of CAS unless CAS is off),
     * so that the largest value memcached 1.6.18 takes for a key and flags is the largest one taken here. The memory
     * limit (-m) counts this store's own heap footprint instead.
     *
     * @param keyLength   the key's length in bytes
     * @param valueLength the value's length in bytes, as the protocol announced it
     * @param flags       the item's client flags
     * @return whether such an item may be stored
     */
    public boolean fits(int keyLength, long valueLength, int flags) {
        return itemSize(keyLength, flags, valueLength) <= itemSizeMax;
    }

    /**
     * memcached's size of an item (64-bit build): its 48-byte header, the key and a NUL, 4 bytes of flags unless they
     * are 0, the value and CRLF, and 8 bytes of CAS unless CAS is off. What -I limits, what {@code me} reports and
     * what places an item in its slab class; the memory limit (-m) counts this store's own heap footprint instead.
     */
    long itemSize(int keyLength, int flags, long valueLength) {
        return SlabClasses.ITEM_HEADER + keyLength + 1 + (flags != 0 ? 4 : 0) + valueLength + 2 + (casEnabled ? 8 : 0);
    }

    /** {@link #itemSize(int, int, long)} of an item. */
    long itemSize(byte[] it) {
        return itemSize(Item.keyLength(it), Item.flags(it), Item.valueLength(it));
    }

    /**
     * The memory limit in bytes (-m).
     *
     * @return the memory limit in bytes
     */
    public long memoryLimit() {
        return limit;
    }

    /**
     * Changes the memory limit (cache_memlimit). Lowering it evicts at once (or, with eviction off, reclaims dead
     * items) until the charges fit, or nothing more can go.
     *
     * @param bytes the new limit, in bytes; positive
     */
    public void memoryLimit(long bytes) {
        if (bytes <= 0) throw new IllegalArgumentException("memory limit must be positive: " + bytes);
        limit = bytes;
        trim();
    }

    /**
     * The item size limit in bytes (-I).
     *
     * @return the item size limit in bytes
     */
    public int itemSizeMax() {
        return itemSizeMax;
    }

    /**
     * memcached's -n, as given (its {@code stats settings} chunk_size).
     *
     * @return the minimum chunk space beyond the item header, in bytes
     */
    public int slabMinSize() {
        return slabs.minSize;
    }

    /**
     * memcached's -f (its {@code stats settings} growth_factor).
     *
     * @return the slab growth factor
     */
    public double slabGrowthFactor() {
        return slabs.factor;
    }

    /**
     * memcached's slab_chunk_max (its {@code stats settings} slab_chunk_max).
     *
     * @return the largest slab chunk, in bytes
     */
    public int slabChunkMax() {
        return slabs.chunkMax;
    }

    /**
     * The slab class memcached 1.6.18 would put an item of this size in (see {@link #itemSize}): what me reports
     * as {@code cls}, and where "stats items" and "stats slabs" count the item.
     *
     * @param itemSize memcached's size of the item, in bytes
     * @return the class, from 1; 0 if the item is over the item size limit
     */
    public int slabClass(long itemSize) {
        return slabs.classOf(itemSize);
    }

    /**
     * Whether CAS uniques are kept (false: memcached -C, every CAS is 0).
     *
     * @return whether CAS uniques are kept
     */
    public boolean casEnabled() {
        return casEnabled;
    }

    /**
     * Whether a full store evicts (false: memcached -M, it answers out of memory).
     *
     * @return whether a full store evicts
     */
    public boolean evictionsEnabled() {
        return evictions;
    }

    /**
     * What a walk over the table finds: {items, bytes}, dead items not yet reaped included, as {@code curr_items}
     * and {@code bytes} count them. Tests compare the two; while no writer runs they must agree.
     */
    long[] walk() {
        long items = 0;
        long bytes = 0;
        for (Cursor c = table.cursor(); c.advance(); ) {
            items++;
            bytes += Item.footprint((byte[]) c.value());
        }
        return new long[] {items, bytes};
    }

    /** The table itself, for tests that check its shape (size, buckets, stash) under hostile keys. */
    CuckooTable table() {
        return table;
    }

    /** Bytes charged to the limit now: the items' arrays (the table is outside the limit, see the overview). */
    long charged() {
        return memory.sum();
    }

    private boolean overLimit() {
        return charged() > limit;
    }

    /** Evicts until {@code bytes} more fit; false if they cannot (too big for the limit, or nothing to evict). */
    private boolean ensureRoom(long bytes) {
        if (bytes > limit) return false;
        while (charged() + bytes > limit) {
            if (!evictOne()) return false;
        }
        return true;
    }

    /** After a write that added bytes: back under the limit, in case concurrent writes or growth overshot. */
    private void trimIfGrew(Outcome o) {
        if (o.grew && evictions) trim();
    }

    /** Evicts (or, with eviction off, reclaims) until the charges fit the limit or nothing more can go. */
    private void trim() {
        while (overLimit()) {
            if (!evictOne()) return;
        }
    }

    /**
     * Moves the CLOCK hand until one item is removed: a dead one whenever the hand passes it; with eviction on, the
     * first live one whose reference byte is clear (a set byte is cleared: a second chance). Gives up after two
     * turns (every byte cleared and still nothing), or, with eviction off, after {@value #DEAD_SEARCH} slots.
     */
    private boolean evictOne() {
        long now = clock.seconds();
        int epoch = epochAt(now);
        long budget = evictions ? 2L * table.slotCount() : DEAD_SEARCH;
        for (long i = 0; i < budget; i++) {
            int slot = hand.getAndIncrement() & (table.slotCount() - 1);
            byte[] it = (byte[]) table.valueAt(slot);
            if (it == null) continue;
            if (!dead(it, now, epoch) && (!evictions || table.clearReference(slot))) continue;
            if (removeIfSame(it, OP_EVICT)) return true;
        }
        return false;
    }

    /**
     * Removes {@code it} if it is still its key's item; callers pass only items they saw dead or chose to evict (a
     * racy read: if another item has replaced it meanwhile, nothing is removed).
     */
    private boolean removeIfSame(byte[] it, int op) {
        return table.update(keyHash(it), it, Item.HEADER, Item.keyLength(it), op, it) == it;
    }

    /** The hash of an item's key, read in place (the table's {@code hashOfStored}). */
    private int keyHash(byte[] it) {
        return hash(it, Item.HEADER, Item.keyLength(it));
    }

    private CuckooTable.Full whenFull(long growBytes) {
        if (table.tableBytes() + growBytes <= limit / TABLE_SHARE) return CuckooTable.Full.GROW;
        return evictions ? CuckooTable.Full.EVICT : CuckooTable.Full.FAIL;
    }

    private void onEvict(byte[] it) {
        long now = clock.seconds();
        countGone(it, dead(it, now, epochAt(now)), false);
        charge(it, null, -Item.footprint(it));
    }

    // ---------------------------------------------------------------- stats

    /**
     * memcached's "stats items": per slab class holding items, its counts and events under memcached's names.
     *
     * @return the "stats items" lines, name to value
     */
    public Map<String, String> itemStats() {
        return SlabStats.items(classes);
    }

    /**
     * memcached's "stats slabs": per slab class with pages, its chunk geometry and command counts, then
     * active_slabs and total_malloced.
     *
     * @return the "stats slabs" lines, name to value
     */
    public Map<String, String> slabStats() {
        return SlabStats.slabs(slabs, classes);
    }

    /**
     * The store's counters under memcached's {@code stats} names, in memcached's order. {@code bytes} counts items
     * only, and the limit counts those; {@code hash_bytes} is the table, outside the limit as in memcached.
     *
     * @return the counters, name to value, in memcached's order
     */
    public Map<String, Long> stats() {
        Counters c = counters;
        Map<String, Long> m = new LinkedHashMap<>();
        long getHits = sum(k -> k.getHits);
        long getMisses = c.getMisses.sum();
        long touchHits = sum(k -> k.touchHits);
        long touchMisses = c.touchMisses.sum();
        m.put("cmd_get", getHits + getMisses);
        m.put("cmd_set", sum(k -> k.cmdSet));
        m.put("cmd_flush", c.cmdFlush.sum());
        m.put("cmd_touch", touchHits + touchMisses);
        m.put("cmd_meta", c.cmdMeta.sum());
        m.put("get_hits", getHits);
        m.put("get_misses", getMisses);
        m.put("get_expired", c.getExpired.sum());
        m.put("get_flushed", c.getFlushed.sum());
        m.put("delete_misses", c.deleteMisses.sum());
        m.put("delete_hits", sum(k -> k.deleteHits));
        m.put("incr_misses", c.incrMisses.sum());
        m.put("incr_hits", sum(k -> k.incrHits));
        m.put("decr_misses", c.decrMisses.sum());
        m.put("decr_hits", sum(k -> k.decrHits));
        m.put("cas_misses", c.casMisses.sum());
        m.put("cas_hits", sum(k -> k.casHits));
        m.put("cas_badval", sum(k -> k.casBadval));
        m.put("touch_hits", touchHits);
        m.put("touch_misses", touchMisses);
        m.put("store_too_large", c.storeTooLarge.sum());
        m.put("store_no_memory", c.storeNoMemory.sum());
        m.put("limit_maxbytes", limit);
        m.put("hash_power_level", (long) Integer.numberOfTrailingZeros(table.buckets()));
        m.put("hash_bytes", table.tableBytes());
        m.put("hash_is_expanding", table.isGrowing() ? 1L : 0L);
        m.put("bytes", memory.sum());
        m.put("curr_items", c.currItems.sum());
        m.put("total_items", c.totalItems.sum());
        m.put("slab_global_page_pool", 0L); // pages are never given back to a pool (no slab mover)
        m.put("expired_unfetched", sum(k -> k.expiredUnfetched));
        m.put("evicted_unfetched", sum(k -> k.evictedUnfetched));
        m.put("evicted_active", 0L);
        m.put("evictions", sum(k -> k.evicted));
        m.put("reclaimed", sum(k -> k.reclaimed));
        m.put("crawler_reclaimed", sum(k -> k.crawlerReclaimed));
        m.put("crawler_items_checked", sum(k -> k.crawlerItemsChecked));
        // memcached's segmented LRU; one CLOCK has no segments to move between (cuckoo README, "Stats")
        for (String name : new String[] {"lrutail_reflocked", "moves_to_cold", "moves_to_warm", "moves_within_lru",
                "direct_reclaims", "lru_bumps_dropped"}) {
            m.put(name, 0L);
        }
        return m;
    }

    private long sum(Function<ClassCounters, LongAdder> counter) {
        long n = 0;
        for (ClassCounters k : classes) n += counter.apply(k).sum();
        return n;
    }

    /** "stats reset": zeroes the counters, not the gauges (curr_items, bytes, limit, table, slab pages). */
    public void resetStats() {
        counters.reset();
        for (ClassCounters k : classes) k.reset();
        prefixes.clear();
    }

    /**
     * memcached's "stats cachedump CLASS LIMIT" without its END: a line "ITEM &lt;key&gt; [&lt;value bytes&gt; b;
     * &lt;expiry&gt; s]" and CRLF per live item of the slab class, the expiry as a Unix time (0: never), at most
     * {@code limit} lines (0: no limit) and, as memcached, never more than 2 MB with the END. Newest first, by CAS
     * unique (memcached lists its class's cold LRU from the head: most recently stored first); with CAS off, in
     * table order.
     *
     * @param slabClass the class number; classes that do not exist list nothing
     * @param limit     the most lines, 0 for all (unsigned)
     * @return the lines
     */
    public String cachedump(int slabClass, long limit) {
        final int memLimit = 2 << 20;
        // The newest lines that can fit: each is at least "ITEM  [0 b; 0 s]\r\n" plus a one-byte key.
        int most = (int) Math.min(limit == 0 ? Long.MAX_VALUE : limit, memLimit / 19);
        PriorityQueue<byte[]> newest = new PriorityQueue<>(
                Comparator.comparing(Item::cas, Long::compareUnsigned));
        long now = clock.seconds();
        int epoch = epochAt(now);
        for (Cursor c = table.cursor(); c.advance(); ) {
            byte[] it = (byte[]) c.value();
            if (dead(it, now, epoch) || slabClass(it) != slabClass) continue;
            newest.add(it);
            if (newest.size() > most) newest.poll();
        }
        List<byte[]> lines = new ArrayList<>(newest);
        lines.sort(newest.comparator().reversed());
        StringBuilder b = new StringBuilder();
        for (byte[] it : lines) {
            String line = "ITEM " + new String(it, Item.HEADER, Item.keyLength(it), StandardCharsets.ISO_8859_1) + " ["
                    + Item.valueLength(it) + " b; " + Integer.toUnsignedLong(Item.expiry(it)) + " s]\r\n";
            if (b.length() + line.length() + 6 > memLimit) break; // 6: END, CRLF and memcached's NUL
            b.append(line);
        }
        return b.toString();
    }

    /**
     * memcached's "stats sizes_enable": starts the item size histogram of "stats sizes", counting items stored from
     * now on (memcached -o track_sizes starts it with the store). It needs CAS uniques, as memcached's does.
     *
     * @return the answer, name to value: sizes_status enabled, or error with sizes_error cas_support_disabled
     */
    public synchronized Map<String, String> sizesEnable() {
        Map<String, String> m = new LinkedHashMap<>();
        if (!casEnabled) {
            m.put("sizes_status", "error");
            m.put("sizes_error", "cas_support_disabled");
            return m;
        }
        if (sizeHistogram == null) {
            sizesCasMin = nextCas(0); // memcached takes a unique of its own as the boundary
            sizeHistogram = new AtomicLongArray(itemSizeMax / 32 + 1);
        }
        m.put("sizes_status", "enabled");
        return m;
    }

    /**
     * Whether the item size histogram is on ({@code stats settings} track_sizes).
     *
     * @return whether "stats sizes" counts
     */
    public boolean sizesEnabled() {
        return sizeHistogram != null;
    }

    /** memcached's "stats sizes_disable": stops and forgets the histogram. */
    public synchronized void sizesDisable() {
        sizeHistogram = null;
    }

    /**
     * memcached's "stats sizes": per 32-byte bucket of memcached item size (its upper bound, in bytes), the items
     * in it, for buckets holding any; "sizes_status disabled" while off.
     *
     * @return the "stats sizes" lines, name to value
     */
    public Map<String, String> sizeStats() {
        AtomicLongArray h = sizeHistogram;
        Map<String, String> m = new LinkedHashMap<>();
        if (h == null) {
            m.put("sizes_status", "disabled");
            return m;
        }
        for (int i = 0; i < h.length(); i++) {
            long n = h.get(i);
            if (n != 0) m.put(Integer.toString(i * 32), Long.toString(n & 0xFFFF_FFFFL)); // memcached's unsigned
        }
        return m;
    }

    // ---------------------------------------------------------------- per-prefix stats (stats detail)

    /**
     * Turns per-prefix counting on or off ("stats detail on|off"); what was counted stays until "stats reset".
     *
     * @param on whether to count
     */
    public void detailEnabled(boolean on) {
        prefixes.enabled = on;
    }

    /**
     * Whether per-prefix counting is on ({@code stats settings} detail_enabled).
     *
     * @return whether per-prefix counting is on
     */
    public boolean detailEnabled() {
        return prefixes.enabled;
    }

    /**
     * The prefix delimiter (memcached's -D; {@code stats settings} stat_key_prefix).
     *
     * @return the delimiter
     */
    public char prefixDelimiter() {
        return (char) (prefixes.delimiter & 0xff);
    }

    /**
     * "stats detail dump": a line "PREFIX &lt;prefix&gt; get N hit N set N del N" and CRLF per prefix, in memcached's
     * order, without the END. Counted: get, gets, gat, gats and the binary gets, touches and gats (get, hit);
     * set, add, replace, append, prepend and cas in text and binary (set, even when too large); delete (del).
     *
     * @return the dump lines
     */
    public String detailDump() {
        return prefixes.dump();
    }

    // ---------------------------------------------------------------- slab classes

    /** The slab class memcached would place {@code it} in. */
    private int slabClass(byte[] it) {
        return slabs.classOf(itemSize(it));
    }

    private ClassCounters classOf(byte[] it) {
        return classes[slabClass(it)];
    }

    private ClassCounters classOf(int keyLen, int flags, int valueLen) {
        return classes[slabs.classOf(itemSize(keyLen, flags, valueLen))];
    }

    /**
     * Counts an item of memcached size {@code size} into (sign 1) or out of (-1) its class, and its chunks into
     * theirs: one chunk, or for an item over slab_chunk_max memcached's chain (a header chunk, largest chunks, and
     * a last chunk sized to what is left).
     */
    private void place(long size, int valueLength, int sign) {
        int cls = slabs.classOf(size);
        ClassCounters c = classes[cls];
        c.number.add(sign);
        c.memRequested.add(sign * size);
        if (size <= slabs.chunkMax) {
            takeChunk(cls, sign);
            return;
        }
        long data = valueLength + 2L; // the value and its CRLF
        takeChunk(slabs.classOf(size - data + SlabClasses.CHUNK_HEADER), sign);
        while (data > 0) {
            long chunk = Math.min(data + SlabClasses.CHUNK_HEADER, slabs.chunkMax);
            takeChunk(slabs.classOf(chunk), sign);
            data -= chunk - SlabClasses.CHUNK_HEADER;
        }
    }

    private void takeChunk(int cls, int sign) {
        classes[cls].chunks(sign, cls == 0 ? 1 : slabs.perPage(cls));
    }

    /** A store that found no memory: memcached's store_no_memory and its class's outofmemory. */
    private void outOfMemory(ClassCounters cls) {
        counters.storeNoMemory.increment();
        cls.outOfMemory.increment();
    }

    private static void checkKey(int len) {
        if (len < 0 || len > KEY_MAX_LENGTH) throw new IllegalArgumentException("key length " + len);
    }

    // ---------------------------------------------------------------- table and builder

    /** The table in cache mode: {@link Item} arrays as values and as their own keys, this store's op codes. */
    private final class Table extends CuckooTable {
        Table(int expectedItems) {
            super(expectedItems, true, true);
        }

        @Override
        protected boolean keyMatches(Object storedKey, Object probe, int off, int len) {
            return Item.keyEquals((byte[]) storedKey, (byte[]) probe, off, len);
        }

        @Override
        protected int hashOfStored(Object storedKey) {
            return keyHash((byte[]) storedKey);
        }

        /** Unsigned lexicographic order of the key bytes: any two keys are comparable. */
        @Override
        protected int compareKeys(Object storedKey, Object probe, int off, int len) {
            return Item.compareKey((byte[]) storedKey, (byte[]) probe, off, len);
        }

        @Override
        protected Object keyToStore(Object probe, int off, int len, Object value) {
            return value;
        }

        @Override
        protected Object apply(int op, Object arg, Object storedKey, Object current) {
            return ItemStore.this.apply(op, arg, (byte[]) current);
        }

        @Override
        protected Full whenFull(long growBytes) {
            return ItemStore.this.whenFull(growBytes);
        }

        @Override
        protected void onEvict(Object storedKey, Object value) {
            ItemStore.this.onEvict((byte[]) value);
        }
    }

    /** Settings for a new store; defaults are memcached's. */
    public static final class Builder {
        private long memoryLimit = 64L << 20;
        private int itemSizeMax = 1 << 20;
        private boolean casEnabled = true;
        private boolean evictions = true;
        private Clock clock = Clock.system();
        private int initialCapacity = 1 << 12;
        private int slabMinSize = SlabClasses.DEFAULT_MIN_SIZE;
        private double slabGrowthFactor = SlabClasses.DEFAULT_FACTOR;
        /** 0: not given, see {@link SlabClasses#defaultChunkMax}. */
        private int slabChunkMax;
        private SlabClasses slabs;
        private char prefixDelimiter = ':';
        private boolean detailEnabled;

        private Builder() {
        }

        /**
         * The memory limit in bytes (-m): what items may take; the table is outside it. Default 64 MB.
         *
         * @param bytes the new limit, in bytes; positive
         * @return this builder
         */
        public Builder memoryLimit(long bytes) {
            if (bytes <= 0) throw new IllegalArgumentException("memory limit must be positive: " + bytes);
            memoryLimit = bytes;
            return this;
        }

        /**
         * The largest item in bytes, overhead included (-I). Default 1 MB; at least 1 KB.
         *
         * @param bytes the limit in bytes
         * @return this builder
         */
        public Builder itemSizeMax(int bytes) {
            if (bytes < 1024) throw new IllegalArgumentException("item size limit below 1 KB: " + bytes);
            itemSizeMax = bytes;
            return this;
        }

        /**
         * Whether to keep CAS uniques (false: memcached -C). Default true.
         *
         * @param on false for memcached -C
         * @return this builder
         */
        public Builder casEnabled(boolean on) {
            casEnabled = on;
            return this;
        }

        /**
         * Whether a full store evicts (false: memcached -M, answer out of memory). Default true.
         *
         * @param on false for memcached -M
         * @return this builder
         */
        public Builder evictionsEnabled(boolean on) {
            evictions = on;
            return this;
        }

        /**
         * The clock (tests inject their own). Default {@link Clock#system()}.
         *
         * @param c the clock to read
         * @return this builder
         */
        public Builder clock(Clock c) {
            clock = Objects.requireNonNull(c);
            return this;
        }

        /**
         * Items the table holds before it first grows. Default 4096.
         *
         * @param items the number of items to make room for
         * @return this builder
         */
        public Builder initialCapacity(int items) {
            if (items < 0) throw new IllegalArgumentException("negative capacity: " + items);
            initialCapacity = items;
            return this;
        }

        /**
         * memcached's -n: the smallest slab chunk is this plus its 48-byte item header, 8-aligned. Default 48.
         * Slab classes are what the stats report and how items are grouped in them; memory is not cut into chunks.
         *
         * @param bytes the minimum space for key, value and flags; not 0 (memcached's rule)
         * @return this builder
         * @throws IllegalArgumentException with memcached's message, for 0
         */
        public Builder slabMinSize(int bytes) {
            if (bytes == 0) throw new IllegalArgumentException("Chunk size must be greater than 0");
            slabMinSize = bytes;
            return this;
        }

        /**
         * memcached's -f: each slab class's chunk is this much larger than the one before. Default 1.25.
         *
         * @param factor the growth factor; greater than 1
         * @return this builder
         * @throws IllegalArgumentException with memcached's message, for 1 or less
         */
        public Builder slabGrowthFactor(double factor) {
            if (!(factor > 1.0)) throw new IllegalArgumentException("Factor must be greater than 1");
            slabGrowthFactor = factor;
            return this;
        }

        /**
         * memcached's -o slab_chunk_max: the largest slab chunk; larger items are chained from such chunks.
         * Default half of memcached's 1 MB page, or the item size limit if that is smaller (which memcached would
         * refuse). Checked against the item size limit by {@link #build()}.
         *
         * @param bytes the largest chunk, in bytes; positive
         * @return this builder
         */
        public Builder slabChunkMax(int bytes) {
            if (bytes <= 0) throw new IllegalArgumentException("slab_chunk_max must be positive: " + bytes);
            slabChunkMax = bytes;
            return this;
        }

        /**
         * memcached's -D: the character that ends a key's prefix for per-prefix stats. Default ':'.
         *
         * @param delimiter a single-byte character
         * @return this builder
         */
        public Builder statsPrefixDelimiter(char delimiter) {
            if (delimiter > 0xff) throw new IllegalArgumentException("not a single-byte delimiter: " + delimiter);
            prefixDelimiter = delimiter;
            return this;
        }

        /**
         * Whether per-prefix stats are counted from the start (memcached's -D turns them on). Default false.
         *
         * @param on whether to count
         * @return this builder
         */
        public Builder detailEnabled(boolean on) {
            detailEnabled = on;
            return this;
        }

        /**
         * A new, empty store.
         *
         * @return the store
         * @throws IllegalArgumentException with memcached's message if slab_chunk_max does not fit the item size
         *                                  limit or the 1 MB page
         */
        public ItemStore build() {
            validate();
            int chunkMax = slabChunkMax > 0 ? slabChunkMax : SlabClasses.defaultChunkMax(itemSizeMax);
            slabs = new SlabClasses(slabMinSize, slabGrowthFactor, chunkMax, itemSizeMax);
            return new ItemStore(this);
        }

        /**
         * The checks {@link #build()} makes of settings that depend on each other (slab_chunk_max against the
         * item size limit and the 1 MB page), without building: for a caller that checks its settings up front.
         *
         * @return this builder
         * @throws IllegalArgumentException with memcached's message
         */
        public Builder validate() {
            int chunkMax = slabChunkMax > 0 ? slabChunkMax : SlabClasses.defaultChunkMax(itemSizeMax);
            String problem = SlabClasses.checkChunkMax(chunkMax, itemSizeMax);
            if (problem != null) throw new IllegalArgumentException(problem);
            return this;
        }
    }
}
