package io.cuckoocache.store;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * memcached's "stats items" and "stats slabs" for a store that has no slab classes: one CLOCK over all items is
 * shown as class 1 holding everything, under memcached's names; names with nothing behind them here (LRU segments,
 * ages, chunk geometry) are 0 or left out. Nothing is listed for an empty cache, as memcached lists only classes
 * that hold items.
 */
final class SlabStats {
    private SlabStats() {
    }

    static Map<String, String> items(Map<String, Long> s) {
        Map<String, String> m = new LinkedHashMap<>();
        long items = s.getOrDefault("curr_items", 0L);
        if (items == 0) return m; // memcached lists only classes holding items
        String p = "items:1:";
        m.put(p + "number", Long.toString(items));
        m.put(p + "number_hot", "0");
        m.put(p + "number_warm", "0");
        m.put(p + "number_cold", Long.toString(items)); // one CLOCK: every item is in the one queue
        m.put(p + "age_hot", "0");
        m.put(p + "age_warm", "0");
        m.put(p + "age", "0");
        m.put(p + "mem_requested", value(s, "bytes"));
        m.put(p + "evicted", value(s, "evictions"));
        m.put(p + "evicted_nonzero", "0");
        m.put(p + "evicted_time", "0");
        m.put(p + "outofmemory", value(s, "store_no_memory"));
        m.put(p + "tailrepairs", "0");
        m.put(p + "reclaimed", value(s, "reclaimed"));
        m.put(p + "expired_unfetched", value(s, "expired_unfetched"));
        m.put(p + "evicted_unfetched", value(s, "evicted_unfetched"));
        m.put(p + "evicted_active", "0");
        m.put(p + "crawler_reclaimed", value(s, "crawler_reclaimed"));
        m.put(p + "crawler_items_checked", value(s, "crawler_items_checked"));
        m.put(p + "lrutail_reflocked", "0");
        m.put(p + "moves_to_cold", "0");
        m.put(p + "moves_to_warm", "0");
        m.put(p + "moves_within_lru", "0");
        m.put(p + "direct_reclaims", "0");
        m.put(p + "hits_to_hot", "0");
        m.put(p + "hits_to_warm", "0");
        m.put(p + "hits_to_cold", value(s, "get_hits"));
        m.put(p + "hits_to_temp", "0");
        return m;
    }

    static Map<String, String> slabs(Map<String, Long> s) {
        Map<String, String> m = new LinkedHashMap<>();
        long items = s.getOrDefault("curr_items", 0L);
        if (items > 0) {
            // No chunk sizes or pages: only what holds for the store as a whole.
            m.put("1:used_chunks", Long.toString(items));
            for (String name : new String[] {"get_hits", "cmd_set", "delete_hits", "incr_hits", "decr_hits",
                    "cas_hits", "cas_badval", "touch_hits"}) {
                m.put("1:" + name, value(s, name));
            }
        }
        m.put("active_slabs", items > 0 ? "1" : "0");
        m.put("total_malloced", value(s, "bytes"));
        return m;
    }

    private static String value(Map<String, Long> s, String name) {
        return Long.toString(s.getOrDefault(name, 0L));
    }
}
