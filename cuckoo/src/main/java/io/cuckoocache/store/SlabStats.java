package io.cuckoocache.store;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * memcached 1.6.18's "stats items" and "stats slabs" from the store's slab classes ({@link SlabClasses}) and their
 * counters ({@link ClassCounters}), with memcached's names, order and rules for which classes are listed (items: a
 * class holding items; slabs: a class that has had pages). One CLOCK over all items stands for memcached's LRUs:
 * every item is in the cold queue and every hit a hit to cold; names with nothing behind them here (hot and warm
 * queues, moves between them, tail repairs, reflocked tails, evicted_active, ages) are 0, never left out.
 */
final class SlabStats {
    private SlabStats() {
    }

    static Map<String, String> items(ClassCounters[] classes) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 1; i < classes.length; i++) {
            ClassCounters c = classes[i];
            long number = c.number.sum();
            if (number <= 0) continue; // memcached lists only classes holding items
            String p = "items:" + i + ":";
            m.put(p + "number", Long.toString(number));
            m.put(p + "number_hot", "0");
            m.put(p + "number_warm", "0");
            m.put(p + "number_cold", Long.toString(number));
            m.put(p + "age_hot", "0");
            m.put(p + "age_warm", "0");
            m.put(p + "age", "0");
            m.put(p + "mem_requested", Long.toString(c.memRequested.sum()));
            m.put(p + "evicted", Long.toString(c.evicted.sum()));
            m.put(p + "evicted_nonzero", Long.toString(c.evictedNonzero.sum()));
            m.put(p + "evicted_time", Long.toString(c.evictedTime));
            m.put(p + "outofmemory", Long.toString(c.outOfMemory.sum()));
            m.put(p + "tailrepairs", "0");
            m.put(p + "reclaimed", Long.toString(c.reclaimed.sum()));
            m.put(p + "expired_unfetched", Long.toString(c.expiredUnfetched.sum()));
            m.put(p + "evicted_unfetched", Long.toString(c.evictedUnfetched.sum()));
            m.put(p + "evicted_active", "0");
            m.put(p + "crawler_reclaimed", Long.toString(c.crawlerReclaimed.sum()));
            m.put(p + "crawler_items_checked", Long.toString(c.crawlerItemsChecked.sum()));
            m.put(p + "lrutail_reflocked", "0");
            m.put(p + "moves_to_cold", "0");
            m.put(p + "moves_to_warm", "0");
            m.put(p + "moves_within_lru", "0");
            m.put(p + "direct_reclaims", "0");
            m.put(p + "hits_to_hot", "0");
            m.put(p + "hits_to_warm", "0");
            m.put(p + "hits_to_cold", Long.toString(c.getHits.sum()));
            m.put(p + "hits_to_temp", "0");
        }
        return m;
    }

    static Map<String, String> slabs(SlabClasses geometry, ClassCounters[] classes) {
        Map<String, String> m = new LinkedHashMap<>();
        long active = 0;
        long pagesTotal = 0;
        for (int i = 1; i < classes.length; i++) {
            ClassCounters c = classes[i];
            long pages = c.pages();
            if (pages == 0) continue; // memcached lists classes that have pages
            active++;
            pagesTotal += pages;
            long perPage = geometry.perPage(i);
            long used = Math.max(0, c.usedChunks.get());
            String p = i + ":";
            m.put(p + "chunk_size", Integer.toString(geometry.size(i)));
            m.put(p + "chunks_per_page", Long.toString(perPage));
            m.put(p + "total_pages", Long.toString(pages));
            m.put(p + "total_chunks", Long.toString(pages * perPage));
            m.put(p + "used_chunks", Long.toString(used));
            m.put(p + "free_chunks", Long.toString(Math.max(0, pages * perPage - used)));
            m.put(p + "free_chunks_end", "0");
            m.put(p + "get_hits", Long.toString(c.getHits.sum()));
            m.put(p + "cmd_set", Long.toString(c.cmdSet.sum()));
            m.put(p + "delete_hits", Long.toString(c.deleteHits.sum()));
            m.put(p + "incr_hits", Long.toString(c.incrHits.sum()));
            m.put(p + "decr_hits", Long.toString(c.decrHits.sum()));
            m.put(p + "cas_hits", Long.toString(c.casHits.sum()));
            m.put(p + "cas_badval", Long.toString(c.casBadval.sum()));
            m.put(p + "touch_hits", Long.toString(c.touchHits.sum()));
        }
        m.put("active_slabs", Long.toString(active));
        m.put("total_malloced", Long.toString(pagesTotal * SlabClasses.PAGE_SIZE));
        return m;
    }
}
