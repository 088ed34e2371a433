package io.cuckoocache.protocol;

import io.cuckoocache.store.ItemStore;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A store's own stats: its counters as plain {@code stats}, its "items" and "slabs" view, "sizes" with
 * "sizes_enable" and "sizes_disable", and per-prefix stats ("detail on", "detail off", "detail dump", matched by prefix as memcached's binary
 * stat matches them). What a session answers when no server adds to it, and what a server's source builds on.
 */
public class StoreStats implements StatsSource {
    /** The one entry of "detail dump": the dump as memcached's text protocol writes it, END line included. */
    public static final String DETAILED = "detailed";

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
                return store.sizeStats();
            case "sizes_enable":
                return store.sizesEnable();
            case "sizes_disable":
                store.sizesDisable();
                return Map.of("sizes_status", "disabled");
            default:
                return name.startsWith("detail") ? detail(name.substring("detail".length())) : null;
        }
    }

    /**
     * " dump": one entry, "detailed", holding memcached's dump text and its END line; " on" and " off": no entries;
     * anything else: null (unknown).
     */
    private Map<String, String> detail(String sub) {
        if (sub.startsWith(" dump")) return Map.of(DETAILED, store.detailDump() + "END\r\n");
        if (sub.startsWith(" on")) {
            store.detailEnabled(true);
        } else if (sub.startsWith(" off")) {
            store.detailEnabled(false);
        } else {
            return null;
        }
        return Map.of();
    }

    @Override
    public void reset() {
        store.resetStats();
    }
}
