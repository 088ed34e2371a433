package io.cuckoocache.table;

import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * A weakly consistent traversal of one {@link CuckooTable.Generation}: every key present for the whole traversal is
 * returned exactly once, even while hops move keys between their two buckets or the table grows.
 * <p>
 * Buckets are visited in index order, each under its stripe lock; {@code position} is the first unvisited bucket
 * and only changes under the lock of the bucket just visited. A hop holds the locks of both buckets it touches, so
 * while it runs, whether each of them was visited is fixed, and it reports moves across the position
 * ({@link #onMove}). Keys moved behind the position before being returned are queued in {@code pending}; keys moved
 * ahead after being returned are put in {@code skip} and dropped when their bucket is visited. Once the generation
 * is frozen nothing moves in it any more, and the traversal finishes on that snapshot. The table's stash (which
 * growth leaves alone) is read once after the last bucket and returned from that snapshot. A visit from user code that
 * runs under the table's locks throws instead of waiting (I7, {@link CuckooTable#checkNotInUserCode}).
 */
public final class Cursor {
    private final CuckooTable table;
    private final CuckooTable.Generation g;
    private volatile int position;
    private final Object[] batch = new Object[2 * CuckooTable.SLOTS];
    private Object[] stashed;
    private int batchSize;
    private int batchIndex;
    private boolean stashVisited;
    private boolean done;
    private Object key;
    private Object value;

    // Both guarded by this; allocated by the first move that crosses the position.
    private IdentityHashMap<Object, Boolean> skip;
    private IdentityHashMap<Object, Object> pending;

    Cursor(CuckooTable table, CuckooTable.Generation g) {
        this.table = table;
        this.g = g;
        g.register(this);
    }

    /** Moves to the next entry; false when the traversal is over. */
    public boolean advance() {
        while (!done) {
            if (takePending()) return true;
            if (batchIndex < batchSize) {
                key = batch[batchIndex++];
                value = batch[batchIndex++];
                return true;
            }
            int b = position;
            if (b <= g.mask) {
                visit(b);
            } else if (!stashVisited) {
                stashVisited = true;
                stashed = table.stash().entries();
                batchIndex = 0;
                batchSize = 0;
            } else if (batchIndex < stashed.length) {
                key = stashed[batchIndex++];
                value = stashed[batchIndex++];
                return true;
            } else {
                done = true;
                g.deregister(this);
            }
        }
        return false;
    }

    /** The current entry's key (the object held by the table). */
    public Object key() {
        return key;
    }

    /** The current entry's value as it was when its bucket was visited. */
    public Object value() {
        return value;
    }

    private synchronized boolean takePending() {
        if (pending == null || pending.isEmpty()) return false;
        Iterator<Map.Entry<Object, Object>> it = pending.entrySet().iterator();
        Map.Entry<Object, Object> e = it.next();
        key = e.getKey();
        value = e.getValue();
        it.remove();
        return true;
    }

    private void visit(int b) {
        table.checkNotInUserCode();
        int s = b & g.stripeMask;
        boolean locked = lockUnlessFrozen(s);
        try {
            batchIndex = 0;
            batchSize = 0;
            int word = (int) g.meta[b];
            for (int i = 0; i < CuckooTable.SLOTS; i++) {
                if (((word >>> (i * 8)) & 0xFF) == 0) continue;
                int slot = b * CuckooTable.SLOTS + i;
                Object k = g.kv[2 * slot];
                if (wasSkipped(k)) continue;
                batch[batchSize++] = k;
                batch[batchSize++] = g.kv[2 * slot + 1];
            }
            position = b + 1;
        } finally {
            if (locked) CuckooTable.unlock(g, s);
        }
    }

    /** Takes the stripe lock, or returns false when the generation is frozen (then no lock is needed). */
    private boolean lockUnlessFrozen(int s) {
        for (int spins = 0; ; spins++) {
            if (g.frozen) return false;
            if (CuckooTable.lockPair(g, s, s)) return true;
            CuckooTable.backoff(spins);
        }
    }

    private synchronized boolean wasSkipped(Object k) {
        return skip != null && skip.remove(k) != null;
    }

    /**
     * An update holding the key's stripe lock replaced its key object {@code from} by {@code to} (a table whose
     * values hold their keys): what the cursor recorded of the key follows it. A queued key is returned with its
     * new value, which there is the new key object itself.
     */
    synchronized void onReplace(Object from, Object to) {
        if (skip != null && skip.remove(from) != null) skip.put(to, Boolean.TRUE);
        if (pending != null && pending.remove(from) != null) pending.put(to, to);
    }

    /** A hop holding both buckets' locks is about to move {@code k} from bucket {@code from} to bucket {@code to}. */
    void onMove(Object k, Object v, int from, int to) {
        int p = position;
        boolean fromVisited = from < p;
        if (fromVisited == (to < p)) return;
        synchronized (this) {
            if (fromVisited) {
                if (pending == null || pending.remove(k) == null) {
                    if (skip == null) skip = new IdentityHashMap<>();
                    skip.put(k, Boolean.TRUE);
                }
            } else if (skip == null || skip.remove(k) == null) {
                if (pending == null) pending = new IdentityHashMap<>();
                pending.put(k, v);
            }
        }
    }
}
