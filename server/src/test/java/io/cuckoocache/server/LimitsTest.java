package io.cuckoocache.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** -c (both memcached behaviours), idle_timeout, and backpressure from a client that never reads. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LimitsTest {

    private static long stat(CacheServer server, String name) {
        return Long.parseLong(server.stats("").get(name));
    }

    /** Polls until the condition holds, at most {@code millis}. */
    private static boolean eventually(long millis, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) return true;
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }

    @ParameterizedTest
    @EnumSource(CacheServer.Mode.class)
    void connectionsOverTheLimitAreRefusedAsMemcachedDoes(CacheServer.Mode mode) throws Exception {
        try (CacheServer server = Servers.start(mode, b -> b.maxConnections(3))) {
            List<Raw> open = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Raw c = new Raw(server.port());
                    open.add(c);
                    c.send("version\r\n");
                    assertEquals("VERSION " + CacheServer.MEMCACHED_VERSION, c.line());
                }
                try (Raw extra = new Raw(server.port())) {
                    assertEquals("ERROR Too many open connections", extra.line());
                    assertTrue(extra.closedByServer(5000));
                }
                assertEquals(1, stat(server, "rejected_connections"));
                assertEquals(3, stat(server, "curr_connections"));
                open.remove(0).close();
                assertTrue(eventually(5000, () -> stat(server, "curr_connections") == 2));
                try (Raw again = new Raw(server.port())) {
                    again.send("version\r\n");
                    assertEquals("VERSION " + CacheServer.MEMCACHED_VERSION, again.line());
                }
            } finally {
                for (Raw c : open) c.close();
            }
        }
    }

    @Test
    void withoutMaxconnsFastTheServerStopsAcceptingInstead() throws Exception {
        try (CacheServer server = Servers.start(CacheServer.Mode.SMP,
                b -> b.maxConnections(2).maxConnectionsFast(false))) {
            Raw a = new Raw(server.port());
            Raw b = new Raw(server.port());
            a.send("version\r\n");
            a.line();
            b.send("version\r\n");
            b.line();
            try (Raw waiting = new Raw(server.port())) { // in the kernel's backlog: connected, not yet accepted
                waiting.send("version\r\n");
                assertTrue(waiting.silentFor(500), "not served while at the limit");
                assertEquals("0", server.stats("").get("accepting_conns"));
                a.close();
                assertEquals("VERSION " + CacheServer.MEMCACHED_VERSION, waiting.line(), "served once one left");
                assertTrue(stat(server, "listen_disabled_num") >= 1);
            } finally {
                b.close();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(CacheServer.Mode.class)
    void idleConnectionsAreClosed(CacheServer.Mode mode) throws Exception {
        try (CacheServer server = Servers.start(mode, b -> b.idleTimeoutSeconds(1));
             Raw idle = new Raw(server.port());
             Raw busy = new Raw(server.port())) {
            long start = System.nanoTime();
            // The busy one talks every 300 ms for 2.4 s and stays; the idle one is closed after about a second.
            for (int i = 0; i < 8; i++) {
                busy.send("version\r\n");
                assertEquals("VERSION " + CacheServer.MEMCACHED_VERSION, busy.line());
                Thread.sleep(300);
            }
            assertTrue(idle.closedByServer(5000), "idle connection closed");
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(900), "not before the timeout");
            busy.send("version\r\n");
            assertEquals("VERSION " + CacheServer.MEMCACHED_VERSION, busy.line());
        }
    }

    /**
     * A client pipelines "get big" (100 KB replies) and never reads. The server must stop reading it: what the
     * client manages to send, and what the server reads and queues, stay bounded by socket buffers and the
     * connection's limits, instead of growing with time. Meanwhile other clients are served.
     */
    @ParameterizedTest
    @EnumSource(CacheServer.Mode.class)
    void aClientThatDoesNotReadStopsBeingRead(CacheServer.Mode mode) throws Exception {
        try (CacheServer server = Servers.start(mode, b -> b.outputWaterMarks(16 * 1024, 64 * 1024));
             Raw other = new Raw(server.port())) {
            int valueSize = 100 * 1024;
            other.send("set big 0 0 " + valueSize + "\r\n").send(new byte[valueSize]).send("\r\n");
            assertEquals("STORED", other.line());
            long readBefore = server.stats.totalBytesRead();
            long writtenBefore = server.stats.totalBytesWritten();

            long sent = 0;
            try (SocketChannel ch = SocketChannel.open()) {
                ch.setOption(StandardSocketOptions.SO_RCVBUF, 64 * 1024);
                ch.connect(new InetSocketAddress("127.0.0.1", server.port()));
                ch.configureBlocking(false);
                byte[] one = "get big\r\n".getBytes(StandardCharsets.US_ASCII);
                ByteBuffer chunk = ByteBuffer.allocate(one.length * 1000);
                for (int i = 0; i < 1000; i++) chunk.put(one);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
                long lastProgress = System.nanoTime();
                // Bounded in time (4 s) and stopped early once nothing more goes out for a second.
                while (System.nanoTime() < deadline && System.nanoTime() - lastProgress < TimeUnit.SECONDS.toNanos(1)) {
                    chunk.rewind();
                    int n = ch.write(chunk);
                    if (n > 0) {
                        sent += n;
                        lastProgress = System.nanoTime();
                    } else {
                        Thread.sleep(5);
                    }
                }
                // Unbounded, the server would by now hold (sent / 9) x 100 KB of replies: gigabytes.
                assertTrue(sent < 64L << 20, "the client could send " + sent + " bytes");

                long read1 = server.stats.totalBytesRead();
                Thread.sleep(500);
                long read2 = server.stats.totalBytesRead();
                assertEquals(read1, read2, "the server stopped reading the client");
                long queued = server.stats.totalBytesWritten() - writtenBefore;
                assertTrue(queued < 64L << 20, "replies produced for the stalled client: " + queued);
                assertTrue(read2 - readBefore < 32L << 20, "bytes read from the stalled client: " + (read2 - readBefore));

                // Others are served meanwhile.
                other.send("version\r\n");
                assertEquals("VERSION " + CacheServer.MEMCACHED_VERSION, other.line());
                Map<String, String> conns = server.stats("conns");
                assertTrue(conns.containsValue("conn_mwrite"), "the stalled connection waits to write: " + conns);
            }
            // The stalled client is gone; its connection is cleaned up.
            assertTrue(eventually(5000, () -> stat(server, "curr_connections") == 1));
            other.send("get big\r\n");
            assertEquals("VALUE big 0 " + valueSize, other.line());
        }
    }

    @Test
    void connectionCountersAndBytes() throws Exception {
        try (CacheServer server = Servers.start(CacheServer.Mode.SINGLE)) {
            for (int i = 0; i < 5; i++) {
                try (Raw c = new Raw(server.port())) {
                    c.send("version\r\n");
                    c.line();
                }
                // Sequential as the server sees them: io_uring may report a close after the next accept.
                assertTrue(eventually(5000, () -> stat(server, "curr_connections") == 0));
            }
            assertEquals(5, stat(server, "total_connections"));
            assertEquals(5 * "version\r\n".length(), stat(server, "bytes_read"));
            assertEquals(5 * ("VERSION " + CacheServer.MEMCACHED_VERSION + "\r\n").length(),
                    stat(server, "bytes_written"));
            assertEquals(1, stat(server, "connection_structures"));
        }
    }
}
