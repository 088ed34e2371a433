/**
 * The memcached item store: memcached 1.6.18's item semantics (get/set family, CAS, expiry, flush_all, incr/decr,
 * append/prepend, the meta commands' tokens, memory limit, eviction, stats counters) with no protocol in it.
 * <p>
 * The text/meta and binary protocol modules are thin translators: they parse a request, call one
 * {@link io.cuckoocache.store.ItemStore} method, and write the {@link io.cuckoocache.store.Status} and
 * {@link io.cuckoocache.store.Outcome} back in their own bytes. A rule both protocols need lives here, once.
 * <ul>
 * <li>{@link io.cuckoocache.store.ItemStore}: the operations; built with {@link io.cuckoocache.store.ItemStore#builder()}
 * (memory limit -m, item size limit -I, CAS on/off -C, eviction on/off -M, clock).</li>
 * <li>{@link io.cuckoocache.store.Item}: reads an item, one immutable {@code byte[]} holding its header, key and
 * value, which gets return without a copy (value offset and length, flags, CAS).</li>
 * <li>{@link io.cuckoocache.store.Outcome}: one per connection, reused: the details of a call beyond its status, so
 * calls allocate nothing for their results.</li>
 * <li>{@link io.cuckoocache.store.MetaOperations} ({@link io.cuckoocache.store.ItemStore#meta()}): the meta
 * commands' operations and the binary incr/decr, whose optional numbers are set by name on a
 * {@link io.cuckoocache.store.MetaRequest}, one per connection, reused like an {@code Outcome}.</li>
 * <li>{@link io.cuckoocache.store.Mode}, {@link io.cuckoocache.store.Status}: storage modes and results, which each
 * protocol maps to its own words and codes.</li>
 * <li>{@link io.cuckoocache.store.Clock}: whole Unix seconds; tests inject their own.</li>
 * </ul>
 * Keys are passed as (array, offset, length) so a protocol can look a key up in its network buffer; a value passed
 * to a store call is copied into the item. Every method is thread-safe; an {@code Outcome} is not.
 */
package io.cuckoocache.store;
