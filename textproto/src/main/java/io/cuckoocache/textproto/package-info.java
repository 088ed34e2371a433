/**
 * memcached 1.6.18's text and meta protocol over Netty {@code ByteBuf}s: {@link io.cuckoocache.textproto.TextSession}
 * (one per connection), {@link io.cuckoocache.textproto.TextConfig} and {@link io.cuckoocache.textproto.Action}.
 * Everything else is package-private; memcached's item semantics live in {@code io.cuckoocache.store}.
 */
package io.cuckoocache.textproto;
