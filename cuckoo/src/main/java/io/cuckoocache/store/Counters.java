package io.cuckoocache.store;

import java.util.concurrent.atomic.LongAdder;

/**
 * The store's event counters, named as memcached's {@code stats} names them. Striped ({@link LongAdder}) so that
 * threads counting hits never contend on one cache line. {@code cmd_get} and {@code cmd_touch} are not counted:
 * they are the sums of their hits and misses.
 */
final class Counters {
    final LongAdder cmdSet = new LongAdder();
    final LongAdder cmdFlush = new LongAdder();
    /** memcached 1.6.18 counts the meta debug command (me) here, no other meta command. */
    final LongAdder cmdMeta = new LongAdder();
    final LongAdder getHits = new LongAdder();
    final LongAdder getMisses = new LongAdder();
    final LongAdder getExpired = new LongAdder();
    final LongAdder getFlushed = new LongAdder();
    final LongAdder deleteMisses = new LongAdder();
    final LongAdder deleteHits = new LongAdder();
    final LongAdder incrMisses = new LongAdder();
    final LongAdder incrHits = new LongAdder();
    final LongAdder decrMisses = new LongAdder();
    final LongAdder decrHits = new LongAdder();
    final LongAdder casMisses = new LongAdder();
    final LongAdder casHits = new LongAdder();
    final LongAdder casBadval = new LongAdder();
    final LongAdder touchHits = new LongAdder();
    final LongAdder touchMisses = new LongAdder();
    final LongAdder storeTooLarge = new LongAdder();
    final LongAdder storeNoMemory = new LongAdder();
    final LongAdder totalItems = new LongAdder();
    final LongAdder expiredUnfetched = new LongAdder();
    final LongAdder evictedUnfetched = new LongAdder();
    final LongAdder evictions = new LongAdder();
    final LongAdder reclaimed = new LongAdder();
    final LongAdder crawlerReclaimed = new LongAdder();
    final LongAdder crawlerItemsChecked = new LongAdder();

    /** Gauge, not reset: items in the table, live or not yet reclaimed. */
    final LongAdder currItems = new LongAdder();

    /** memcached's "stats reset": every counter but the gauges. */
    void reset() {
        for (LongAdder a : new LongAdder[] {cmdSet, cmdFlush, cmdMeta, getHits, getMisses, getExpired, getFlushed,
                deleteMisses, deleteHits, incrMisses, incrHits, decrMisses, decrHits, casMisses, casHits, casBadval,
                touchHits, touchMisses, storeTooLarge, storeNoMemory, totalItems, expiredUnfetched, evictedUnfetched,
                evictions, reclaimed, crawlerReclaimed, crawlerItemsChecked}) {
            a.reset();
        }
    }
}
