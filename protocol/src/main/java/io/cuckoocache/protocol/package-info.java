/**
 * What the memcached protocols share, so that a command, a stat or a setting has one place: the {@link
 * io.cuckoocache.protocol.Session} contract the server drives (with its {@link io.cuckoocache.protocol.Verdict}),
 * the {@link io.cuckoocache.protocol.StatsSource} contract with the store's default {@link
 * io.cuckoocache.protocol.StoreStats}, and {@link io.cuckoocache.protocol.ProtocolConfig}. The protocols themselves
 * are {@code io.cuckoocache.textproto} and {@code io.cuckoocache.binproto}; memcached's item semantics live below
 * both, in {@code io.cuckoocache.store}.
 */
package io.cuckoocache.protocol;
