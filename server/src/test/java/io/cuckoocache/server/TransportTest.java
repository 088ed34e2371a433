package io.cuckoocache.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every transport Netty offers here serves in both modes; the unavailable ones fall back; SO_REUSEPORT. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TransportTest {

    private static void exercise(CacheServer server) throws Exception {
        for (int i = 0; i < 4; i++) {
            try (Raw c = new Raw(server.port())) {
                c.send("set t" + i + " 0 0 2\r\nok\r\nget t" + i + "\r\n");
                assertEquals("STORED", c.line());
                assertEquals("VALUE t" + i + " 0 2", c.line());
                assertEquals("ok", c.line());
                assertEquals("END", c.line());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(CacheServer.Transport.class)
    void eachTransportServesOrFallsBack(CacheServer.Transport transport) throws Exception {
        for (CacheServer.Mode mode : CacheServer.Mode.values()) {
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            try (CacheServer server = Servers.start(mode, b -> b.transport(transport).logTo(new PrintStream(log)))) {
                assertNotEquals(CacheServer.Transport.AUTO, server.transport());
                if (transport != CacheServer.Transport.AUTO) {
                    boolean available = NetTransport.unavailability(transport) == null;
                    assertEquals(available, server.transport() == transport, log.toString());
                    if (!available) assertTrue(log.toString().contains("not available"), log.toString());
                } else if (System.getProperty("os.name").toLowerCase().contains("linux")) {
                    // Linux: io_uring where the kernel allows it, else epoll unless its native library cannot load.
                    CacheServer.Transport expected =
                            NetTransport.unavailability(CacheServer.Transport.IO_URING) == null
                                    ? CacheServer.Transport.IO_URING
                                    : NetTransport.unavailability(CacheServer.Transport.EPOLL) == null
                                            ? CacheServer.Transport.EPOLL : CacheServer.Transport.NIO;
                    assertEquals(expected, server.transport());
                }
                assertTrue(server.describe().contains("transport " + server.transport().name().toLowerCase()));
                assertTrue(server.describe().contains(" | java " + System.getProperty("java.version") + " "),
                        server.describe());
                exercise(server);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = CacheServer.Transport.class, names = {"EPOLL", "IO_URING", "NIO"})
    void reusePortGivesEveryLoopItsOwnListener(CacheServer.Transport transport) throws Exception {
        try (CacheServer server = Servers.start(CacheServer.Mode.SMP,
                b -> b.transport(transport).reusePort(true).threads(3).logTo(new PrintStream(
                        new ByteArrayOutputStream())))) {
            List<InetSocketAddress> as = server.addresses();
            if (NetTransport.unavailability(transport) == null
                    && !(transport == CacheServer.Transport.NIO && NetTransport.choose(transport,
                    new StringBuilder()).reusePort == null)) {
                assertEquals(3, as.size(), as.toString());
                Set<Integer> ports = new HashSet<>();
                for (InetSocketAddress a : as) ports.add(a.getPort());
                assertEquals(1, ports.size(), "one port: " + as);
                assertEquals("yes", server.stats("settings").get("reuseport"));
            }
            exercise(server);
        }
    }

    @Test
    void singleModeIsOneThread() throws Exception {
        try (CacheServer server = Servers.start(CacheServer.Mode.SINGLE, b -> b.threads(8))) {
            assertEquals(1, server.eventLoops());
            assertEquals("1", server.stats("").get("threads"));
            exercise(server);
        }
    }
}
