package io.cuckoocache.store;

import java.util.concurrent.atomic.LongAdder;

/**
 * The store's event counters that belong to no slab class, named as memcached's {@code stats} names them. Striped
 * ({@link LongAdder}) so that threads counting never contend on one cache line. Hits, sets and item events are
 * counted per class ({@link ClassCounters}) and summed; {@code cmd_get} and {@code cmd_touch} are the sums of
 * their hits and misses.
 */
final class Counters {
    final LongAdder cmdFlush = new LongAdder();
    /** memcached 1.6.18 counts the meta debug command (me) here, no other meta command. */
    final LongAdder cmdMeta = new LongAdder();
    final LongAdder getMisses = new LongAdder();
    final LongAdder getExpired = new LongAdder();
    final LongAdder getFlushed = new LongAdder();
    final LongAdder deleteMisses = new LongAdder();
    final LongAdder incrMisses = new LongAdder();
    final LongAdder decrMisses = new LongAdder();
    final LongAdder casMisses = new LongAdder();
    final LongAdder touchMisses = new LongAdder();
    final LongAdder storeTooLarge = new LongAdder();
    final LongAdder storeNoMemory = new LongAdder();
    final LongAdder totalItems = new LongAdder();

    /** Gauge, not reset: items in the table, live or not yet reclaimed. */
    final LongAdder currItems = new LongAdder();

    /** memcached's "stats reset": every counter but the gauges. */
    void reset() {
        for (LongAdder a : new LongAdder[] {cmdFlush, cmdMeta, getMisses, getExpired, getFlushed, deleteMisses,
                incrMisses, decrMisses, casMisses, touchMisses, storeTooLarge, storeNoMemory, totalItems}) {
            a.reset();
        }
    }
}
