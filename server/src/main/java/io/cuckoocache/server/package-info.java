/**
 * The memcached-compatible server: Netty transports, single and SMP modes, memcached 1.6.18's command line, stats and
 * limits. {@link io.cuckoocache.server.Main} is the command-line entry point; {@link io.cuckoocache.server.CacheServer}
 * embeds the server in a JVM (tests, applications). Everything else is package-private.
 */
package io.cuckoocache.server;
