/**
 * memcached 1.6.18's text and meta protocol over Netty {@code ByteBuf}s: {@link io.cuckoocache.textproto.TextSession}
 * (one per connection), an {@link io.cuckoocache.protocol.Session}.
 * Everything else is package-private; memcached's item semantics live in {@code io.cuckoocache.store}.
 */
package io.cuckoocache.textproto;
