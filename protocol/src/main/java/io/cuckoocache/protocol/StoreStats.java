package io.cuckoocache.protocol;

import io.cuckoocache.store.ItemStore;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A store's own stats: its counters as plain {@code stats}, its "items" and "slabs" view, and "sizes" (size
 * tracking is off). What a session answers when no server adds to it, and what a server's source builds on.
 */
public class StoreStats implements StatsSource {
    /** The store whose counters these are. */
    protected final ItemStore store;

    /**
     * The stats of {@code store}.
     *
     * @param store the store
     */
    public StoreStats(ItemStore store) {
        this.store = Objects.requireNonNull(store);
    }

    @Override
    public Map<String, String> section(String name) {
        switch (name) {
            case "":
                Map<String, String> m = new LinkedHashMap<>();
                store.stats().forEach((k, v) -> m.put(k, Long.toString(v)));
                return m;
            case "items":
                return store.itemStats();
            case "slabs":
                return store.slabStats();
            case "sizes":
                return Map.of("sizes_status", "disabled");
            default:
                return null;
        }
    }

    @Override
    public void reset() {
        store.resetStats();
    }
}
