package io.cuckoocache.server;

import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Starting real servers for tests: loopback, an ephemeral port, two event loops in SMP mode. */
final class Servers {
    /** No single test step may take longer (each client call has its own, shorter timeout too). */
    static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);

    private Servers() {
    }

    static CacheServer start(CacheServer.Mode mode) throws IOException {
        return start(mode, b -> { });
    }

    static CacheServer start(CacheServer.Mode mode, Consumer<ServerConfig.Builder> settings) throws IOException {
        ServerConfig.Builder b = CacheServer.builder()
                .listen("127.0.0.1")
                .port(0)
                .mode(mode)
                .threads(2)
                .memoryLimit(64L << 20);
        settings.accept(b);
        return b.start();
    }

    /** Runs a test step with {@link #STEP_TIMEOUT}. */
    static Executable timed(Executable step) {
        return () -> assertTimeoutPreemptively(STEP_TIMEOUT, step);
    }

    /** A value memoized on first use (clients are made when their first test runs). */
    static final class Lazy<T> {
        interface Maker<T> {
            T make() throws Exception;
        }

        private final Maker<T> maker;
        private T value;

        Lazy(Maker<T> maker) {
            this.maker = maker;
        }

        synchronized T get() throws Exception {
            if (value == null) value = maker.make();
            return value;
        }

        synchronized T getIfMade() {
            return value;
        }
    }
}
