package io.cuckoocache.store;

/** The store's source of time: whole Unix seconds, as memcached's exptimes, flush delays and TTLs count them. */
@FunctionalInterface
public interface Clock {
    /** {@return the current Unix time in seconds} */
    long seconds();

    /** {@return the system clock, in whole seconds} */
    static Clock system() {
        return () -> System.currentTimeMillis() / 1000;
    }
}
