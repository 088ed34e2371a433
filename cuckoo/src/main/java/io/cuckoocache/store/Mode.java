package io.cuckoocache.store;

/** How a store call treats the key's current item: memcached's storage commands, and the ms base modes. */
public enum Mode {
    /** Store unconditionally. */
    SET,
    /** Store only if the key has no live item. */
    ADD,
    /** Store only if the key has a live item. */
    REPLACE,
    /** Add the data after the current value; keeps the item's flags and expiry. A CAS other than 0 must match. */
    APPEND,
    /** Add the data before the current value; keeps the item's flags and expiry. A CAS other than 0 must match. */
    PREPEND,
    /** Store only if the key has a live item whose CAS unique equals the given one (even if that is 0). */
    CAS
}
