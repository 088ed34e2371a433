package io.cuckoocache.store;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One slab class's counters, under memcached's "stats items" and "stats slabs" names. The store's own totals of the
 * same events (get_hits, evictions, ...) are the sums over the classes, as memcached's are, so a hit still costs one
 * striped increment. Events that a CLOCK over one table cannot have (moves between LRU segments, tail repairs,
 * reflocked tails) have no counter here.
 */
final class ClassCounters {
    // ---- "stats slabs": per-class command counts (memcached's slab_stats)
    final LongAdder getHits = new LongAdder();
    final LongAdder cmdSet = new LongAdder();
    final LongAdder deleteHits = new LongAdder();
    final LongAdder incrHits = new LongAdder();
    final LongAdder decrHits = new LongAdder();
    final LongAdder casHits = new LongAdder();
    final LongAdder casBadval = new LongAdder();
    final LongAdder touchHits = new LongAdder();

    // ---- "stats items": per-class item events (memcached's itemstats)
    final LongAdder evicted = new LongAdder();
    /** Evicted items that had an expiry. */
    final LongAdder evictedNonzero = new LongAdder();
    final LongAdder outOfMemory = new LongAdder();
    final LongAdder reclaimed = new LongAdder();
    final LongAdder expiredUnfetched = new LongAdder();
    final LongAdder evictedUnfetched = new LongAdder();
    final LongAdder crawlerReclaimed = new LongAdder();
    final LongAdder crawlerItemsChecked = new LongAdder();
    /** Seconds between the last eviction's item's last access and its eviction (memcached keeps the last one). */
    volatile long evictedTime;

    // ---- gauges, not reset
    final LongAdder number = new LongAdder();
    /** memcached's item sizes summed (mem_requested). */
    final LongAdder memRequested = new LongAdder();
    /** Chunks in use: one per item, more for an item chained from several largest chunks. */
    final AtomicLong usedChunks = new AtomicLong();
    /**
     * Pages memcached would have taken: enough for the most chunks ever in use at once, never fewer, since memcached
     * keeps a class's pages (without slab moves, which need evictions under memory pressure).
     */
    private final AtomicLong pages = new AtomicLong();

    /** Takes or returns {@code chunks} chunks; taking past the pages held takes another page. */
    void chunks(long chunks, int perPage) {
        long used = usedChunks.addAndGet(chunks);
        if (chunks <= 0) return;
        long need = (used + perPage - 1) / perPage;
        for (long p = pages.get(); p < need && !pages.compareAndSet(p, need); p = pages.get()) {
            // another writer raised it; check again
        }
    }

    long pages() {
        return pages.get();
    }

    /** memcached's "stats reset": the event counts, not the gauges. */
    void reset() {
        for (LongAdder a : new LongAdder[] {getHits, cmdSet, deleteHits, incrHits, decrHits, casHits, casBadval,
                touchHits, evicted, evictedNonzero, outOfMemory, reclaimed, expiredUnfetched, evictedUnfetched,
                crawlerReclaimed, crawlerItemsChecked}) {
            a.reset();
        }
        evictedTime = 0;
    }
}
