package io.cuckoocache.protocol;

import java.util.Map;

/**
 * Where {@code stats} answers come from, one section at a time, for both protocols. {@link StoreStats} is the
 * store's own source (what an embedded session answers); a server extends it with its sections (connections,
 * settings, traffic) and keeps the store's numbers where memcached prints them.
 */
public interface StatsSource {
    /**
     * One section of {@code stats}: {@code ""} for plain {@code stats}, else the sub-command ("settings", "items",
     * "slabs", "sizes", "conns", ...).
     *
     * @param name the section
     * @return its names and values in memcached's order (values without spaces), or null if there is no such section
     */
    Map<String, String> section(String name);

    /** {@code stats reset}: zeroes the counters (not the gauges: items, bytes, connections), once per request. */
    void reset();
}
