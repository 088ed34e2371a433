package io.cuckoocache.textproto;

import io.cuckoocache.store.ItemStore;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The stats a session answers when the server gives none: plain stats are the store's counters, "items" and "slabs"
 * the store's one-class view ({@link ItemStore#itemStats}, {@link ItemStore#slabStats}); "sizes" says size tracking
 * is off.
 */
final class StatsEmulation {
    private StatsEmulation() {
    }

    /** The stats for {@code sub}, or null if there is no built-in answer. */
    static Map<String, String> of(String sub, ItemStore store) {
        switch (sub) {
            case "": return general(store.stats());
            case "items": return store.itemStats();
            case "slabs": return store.slabStats();
            case "sizes": return Map.of("sizes_status", "disabled");
            default: return null;
        }
    }

    private static Map<String, String> general(Map<String, Long> s) {
        Map<String, String> m = new LinkedHashMap<>();
        s.forEach((k, v) -> m.put(k, Long.toString(v)));
        return m;
    }
}
