package io.cuckoocache.server;

import io.cuckoocache.binproto.BinarySession;
import io.cuckoocache.protocol.ProtocolConfig;
import io.cuckoocache.protocol.Session;
import io.cuckoocache.protocol.StatsSource;
import io.cuckoocache.store.ItemStore;
import io.cuckoocache.textproto.TextSession;

import java.util.function.BiPredicate;

/**
 * Makes the protocol sessions of one server: the only place that names the text and binary protocols. The config
 * is built once and shared (it is immutable); each connection gets its own session.
 */
final class Sessions {
    private final ItemStore store;
    private final ProtocolConfig config;
    private final StatsSource stats;

    /**
     * {@code authenticator}: -Y's check for text, -S's for binary (a server that authenticates runs one of them);
     * {@code tls}: what refresh_certs reloads, null when TLS is off.
     */
    Sessions(ItemStore store, ServerConfig config, Log log, StatsSource stats,
             BiPredicate<String, String> authenticator, Tls tls) {
        this.store = store;
        this.stats = stats;
        ProtocolConfig.Builder b = ProtocolConfig.builder()
                .version(config.version)
                .shutdownEnabled(config.shutdownEnabled)
                .flushEnabled(config.flushEnabled)
                .dumpEnabled(config.dumpEnabled)
                .onVerbosity(log::verbosity)
                .authenticator(authenticator)
                .outputPerCall(ConnectionHandler.OUTPUT_PER_CALL);
        if (tls != null) b.certRefresher(tls::refresh); // else ProtocolConfig's: memcached's answer without TLS
        this.config = b.build();
    }

    Session text() {
        return new TextSession(store, config, stats);
    }

    Session binary() {
        return new BinarySession(store, config, stats);
    }
}
