package io.cuckoocache.store;

/**
 * What a store call did. Each protocol maps these to its own bytes; the notes give memcached's text, meta and
 * binary answers.
 */
public enum Status {
    /** The item was stored, or incremented/decremented (text STORED or the number, meta HD, binary success). */
    STORED,
    /** A condition of the mode failed: add on a live key, replace/append/prepend on a missing one (NOT_STORED, NS). */
    NOT_STORED,
    /** The CAS unique did not match (EXISTS, EX, binary "key exists"). */
    EXISTS,
    /** No live item for the key (NOT_FOUND, NF or EN, binary "key not found"). */
    NOT_FOUND,
    /** A meta get found (or created) the item (VA or HD). */
    FOUND,
    /** The item was deleted, or marked stale by an invalidation (DELETED, HD). */
    DELETED,
    /** The item's expiry was changed (TOUCHED; gat returns the item). */
    TOUCHED,
    /** incr/decr on a value that is not a decimal number below 2^64 (CLIENT_ERROR cannot increment...). */
    NON_NUMERIC,
    /** The item exceeds the item size limit (SERVER_ERROR object too large for cache, binary E2BIG). */
    TOO_LARGE,
    /** No room under the memory limit and eviction is off or found nothing (SERVER_ERROR out of memory...). */
    OUT_OF_MEMORY
}
