package io.cuckoocache.store;

/** The store's source of time: whole Unix seconds, as memcached's exptimes, flush delays and TTLs count them. */
@FunctionalInterface
public interface Clock {
    /** The current Unix time in seconds. */
    long seconds();

    /** The system clock. */
    static Clock system() {
        return () -> System.currentTimeMillis() / 1000;
    }
}
