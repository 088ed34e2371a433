package io.cuckoocache.server;

import io.cuckoocache.binproto.BinaryConfig;
import io.cuckoocache.binproto.BinarySession;
import io.cuckoocache.store.ItemStore;
import io.cuckoocache.textproto.TextConfig;
import io.cuckoocache.textproto.TextSession;
import io.netty.buffer.ByteBuf;

import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * Makes the protocol sessions of one server: the only place that knows the textproto and binproto APIs. Configs
 * are built once and shared (they are immutable); each connection gets its own session.
 */
final class Sessions {
    private final ItemStore store;
    private final TextConfig textConfig;
    private final BinaryConfig binaryConfig;
    private final Function<String, Map<String, String>> stats;

    Sessions(ItemStore store, CacheServer.Config config, Log log, Function<String, Map<String, String>> stats,
             BiPredicate<String, String> saslAuthenticator, BiPredicate<String, String> asciiAuthenticator) {
        this.store = store;
        this.stats = stats;
        this.textConfig = TextConfig.builder()
                .version(config.version)
                .shutdownEnabled(config.shutdownEnabled)
                .flushEnabled(config.flushEnabled)
                .onVerbosity(log::verbosity)
                .authenticator(asciiAuthenticator)
                .outputPerCall(ConnectionHandler.OUTPUT_PER_CALL)
                .build();
        this.binaryConfig = BinaryConfig.builder()
                .version(config.version)
                .authenticator(saslAuthenticator)
                .flushEnabled(config.flushEnabled)
                .outputPerCall(ConnectionHandler.OUTPUT_PER_CALL)
                .build();
    }

    ProtocolSession text() {
        TextSession s = new TextSession(store, textConfig, stats);
        return new ProtocolSession() {
            @Override
            public Result process(ByteBuf in, ByteBuf out) {
                io.cuckoocache.textproto.Action a = s.process(in, out);
                switch (a) {
                    case CONTINUE:
                        return Result.CONTINUE;
                    case CLOSE:
                        return Result.CLOSE;
                    default:
                        return Result.SHUTDOWN;
                }
            }

            @Override
            public String protocolName() {
                return "text";
            }
        };
    }

    ProtocolSession binary() {
        BinarySession s = new BinarySession(store, binaryConfig, stats);
        return new ProtocolSession() {
            @Override
            public Result process(ByteBuf in, ByteBuf out) {
                return s.process(in, out) == io.cuckoocache.binproto.Action.CONTINUE ? Result.CONTINUE : Result.CLOSE;
            }

            @Override
            public String protocolName() {
                return "binary";
            }
        };
    }
}
