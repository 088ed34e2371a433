package io.cuckoocache.store;

import java.util.Map;

/**
 * Checks a quiet store's books against its table: {@code curr_items} and {@code bytes} must be what a walk over the
 * table finds. Shared with the protocol modules' fuzz tests through this module's test jar.
 */
public final class StoreAudit {
    private StoreAudit() {
    }

    /** Throws {@link AssertionError} when the counters and the table disagree; call while no writer runs. */
    public static void assertBooksBalance(ItemStore store) {
        long[] found = store.walk();
        Map<String, Long> stats = store.stats();
        long items = stats.get("curr_items");
        long bytes = stats.get("bytes");
        if (found[0] != items || found[1] != bytes) {
            throw new AssertionError("store counters say curr_items=" + items + " bytes=" + bytes
                    + ", the table holds " + found[0] + " items of " + found[1] + " bytes");
        }
        if (store.evictionsEnabled() && store.charged() > store.memoryLimit()) {
            throw new AssertionError("store charges " + store.charged() + " bytes over its limit "
                    + store.memoryLimit());
        }
    }
}
