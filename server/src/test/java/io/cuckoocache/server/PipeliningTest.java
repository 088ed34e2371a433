package io.cuckoocache.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests pipelined in one write, split at every byte, large enough to need several calls and yields; protocol
 * auto-detection and memcached's -B; values up to the item size limit. Raw sockets, byte-exact.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PipeliningTest {

    @ParameterizedTest
    @EnumSource(CacheServer.Mode.class)
    void textPipelineInOneWrite(CacheServer.Mode mode) throws Exception {
        try (CacheServer server = Servers.start(mode); Raw c = new Raw(server.port())) {
            StringBuilder req = new StringBuilder();
            int n = 300;
            for (int i = 0; i < n; i++) {
                req.append("set p").append(i).append(" ").append(i).append(" 0 ").append(("v" + i).length())
                        .append("\r\nv").append(i).append("\r\n");
                req.append("get p").append(i).append("\r\n");
            }
            req.append("version\r\n");
            c.send(req.toString());
            for (int i = 0; i < n; i++) {
                assertEquals("STORED", c.line());
                assertEquals("VALUE p" + i + " " + i + " " + ("v" + i).length(), c.line());
                assertEquals("v" + i, c.line());
                assertEquals("END", c.line());
            }
            assertEquals("VERSION " + CacheServer.MEMCACHED_VERSION, c.line());
        }
    }

    /**
     * Big replies shrink the input window to a few bytes; a long multi-get line after them must still be read whole
     * (the window widens until the line fits) and answered in order.
     */
    @ParameterizedTest
    @EnumSource(CacheServer.Mode.class)
    void longLineAfterLargeReplies(CacheServer.Mode mode) throws Exception {
        try (CacheServer server = Servers.start(mode); Raw c = new Raw(server.port())) {
            int big = 300 * 1024;
            c.send("set big 0 0 " + big + "\r\n").send(new byte[big]).send("\r\n");
            assertEquals("STORED", c.line());
            StringBuilder keys = new StringBuilder();
            for (int i = 0; i < 300; i++) {
                c.send("set key-number-" + i + " 0 0 1\r\nx\r\n");
                assertEquals("STORED", c.line());
                keys.append(" key-number-").append(i);
            }
            StringBuilder req = new StringBuilder();
            for (int i = 0; i < 8; i++) req.append("get big\r\n");
            req.append("get").append(keys).append("\r\nversion\r\n");
            assertTrue(req.length() > 4096);
            CountDownLatch done = new CountDownLatch(1);
            List<Throwable> failure = new ArrayList<>();
            Thread reader = new Thread(() -> {
                try {
                    for (int i = 0; i < 8; i++) {
                        assertEquals("VALUE big 0 " + big, c.line());
                        c.read(big + 2);
                        assertEquals("END", c.line());
                    }
                    for (int i = 0; i < 300; i++) {
                        assertEquals("VALUE key-number-" + i + " 0 1", c.line());
                        assertEquals("x", c.line());
                    }
                    assertEquals("END", c.line());
                    assertEquals("VERSION " + CacheServer.MEMCACHED_VERSION, c.line());
                } catch (Throwable t) {
                    failure.add(t);
                } finally {
                    done.countDown();
                }
            });
            reader.start();
            c.send(req.toString());
            assertTrue(done.await(30, TimeUnit.SECONDS), "all replies within 30 s");
            assertTrue(failure.isEmpty(), () -> failure.get(0).toString());
        }
    }

    @ParameterizedTest
    @EnumSource(CacheServer.Mode.class)
    void textRequestsSplitAtEveryByte(CacheServer.Mode mode) throws Exception {
        try (CacheServer server = Servers.start(mode); Raw c = new Raw(server.port())) {
            byte[] req = "set split 7 0 11\r\nhello world\r\nget split\r\ngets split\r\nincr nope 1\r\n"
                    .getBytes(StandardCharsets.US_ASCII);
            for (byte b : req) c.send(new byte[] {b});
            assertEquals("STORED", c.line());
            assertEquals("VALUE split 7 11", c.line());
            assertEquals("hello world", c.line());
            assertEquals("END", c.line());
            assertTrue(c.line().startsWith("VALUE split 7 11 "));
            assertEquals("hello world", c.line());
            assertEquals("END", c.line());
            assertEquals("NOT_FOUND", c.line());
        }
    }

    @ParameterizedTest
    @EnumSource(CacheServer.Mode.class)
    void binaryQuietPipelineEndedByNoop(CacheServer.Mode mode) throws Exception {
        try (CacheServer server = Servers.start(mode); Raw c = new Raw(server.port())) {
            ByteArrayOutputStream req = new ByteArrayOutputStream();
            int n = 200;
            byte[] setExtras = new byte[8];
            for (int i = 0; i < n; i++) {
                req.write(Raw.packet(0x11, setExtras, Raw.ascii("q" + i), Raw.ascii("value" + i), 0)); // SETQ
            }
            for (int i = 0; i < n + 5; i++) {
                req.write(Raw.packet(0x0d, new byte[0], Raw.ascii("q" + i), new byte[0], 0)); // GETKQ
            }
            req.write(Raw.packet(0x0a, new byte[0], new byte[0], new byte[0], 0)); // NOOP
            c.send(req.toByteArray());
            for (int i = 0; i < n; i++) {
                Raw.Response r = c.response();
                assertEquals(0x0d, r.opcode, "GETKQ hits only, in order");
                assertEquals(0, r.status);
                assertEquals("q" + i, new String(r.key, StandardCharsets.US_ASCII));
                assertEquals("value" + i, r.valueString());
            }
            Raw.Response noop = c.response();
            assertEquals(0x0a, noop.opcode);
        }
    }

    /**
     * 20,000 gets in one write: far more than one window, and with -R 1 the connection yields after every call.
     * Every reply arrives, in order, and the yields show in stats.
     */
    @ParameterizedTest
    @EnumSource(CacheServer.Mode.class)
    void longPipelineYieldsAndCompletes(CacheServer.Mode mode) throws Exception {
        try (CacheServer server = Servers.start(mode, b -> b.reqsPerEvent(1)); Raw c = new Raw(server.port())) {
            c.send("set y 0 0 3\r\nabc\r\n");
            assertEquals("STORED", c.line());
            int n = 20_000;
            byte[] one = "get y\r\n".getBytes(StandardCharsets.US_ASCII);
            ByteBuffer all = ByteBuffer.allocate(one.length * n);
            for (int i = 0; i < n; i++) all.put(one);
            // Read concurrently: the replies (~22 bytes each) outgrow the socket buffers while we write.
            CountDownLatch done = new CountDownLatch(1);
            List<Throwable> failure = new ArrayList<>();
            Thread reader = new Thread(() -> {
                try {
                    byte[] reply = "VALUE y 0 3\r\nabc\r\nEND\r\n".getBytes(StandardCharsets.US_ASCII);
                    for (int i = 0; i < n; i++) assertArrayEquals(reply, c.read(reply.length), "reply " + i);
                } catch (Throwable t) {
                    failure.add(t);
                } finally {
                    done.countDown();
                }
            });
            reader.start();
            c.send(all.array());
            assertTrue(done.await(30, TimeUnit.SECONDS), "all replies within 30 s");
            assertTrue(failure.isEmpty(), () -> failure.get(0).toString());
            try (Raw s = new Raw(server.port())) {
                s.send("stats\r\n");
                long yields = -1;
                for (String l = s.line(); !l.equals("END"); l = s.line()) {
                    if (l.startsWith("STAT conn_yields ")) yields = Long.parseLong(l.substring(17));
                }
                assertTrue(yields > 0, "conn_yields " + yields);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(CacheServer.Mode.class)
    void textAndBinaryConnectionsSideBySide(CacheServer.Mode mode) throws Exception {
        try (CacheServer server = Servers.start(mode);
             Raw text = new Raw(server.port());
             Raw bin = new Raw(server.port());
             Raw slowBin = new Raw(server.port())) {
            text.send("set shared 3 0 4\r\ndata\r\n");
            assertEquals("STORED", text.line());
            bin.send(Raw.packet(0x00, new byte[0], Raw.ascii("shared"), new byte[0], 0));
            Raw.Response r = bin.response();
            assertEquals(0x81, r.magic);
            assertEquals(0, r.status);
            assertEquals("data", r.valueString());
            assertEquals(3, ByteBuffer.wrap(r.extras).getInt(), "flags");
            // The first byte alone decides: send the magic, then the rest.
            byte[] get = Raw.packet(0x00, new byte[0], Raw.ascii("shared"), new byte[0], 0);
            slowBin.send(new byte[] {get[0]});
            Thread.sleep(50);
            slowBin.send(java.util.Arrays.copyOfRange(get, 1, get.length));
            assertEquals("data", slowBin.response().valueString());
            text.send("get shared\r\n");
            assertEquals("VALUE shared 3 4", text.line());
        }
    }

    @Test
    void asciiOnlyServerDoesNotSpeakBinary() throws Exception {
        try (CacheServer server = Servers.start(CacheServer.Mode.SMP, b -> b.protocol(CacheServer.Protocol.ASCII));
             Raw text = new Raw(server.port());
             Raw bin = new Raw(server.port())) {
            text.send("version\r\n");
            assertEquals("VERSION " + CacheServer.MEMCACHED_VERSION, text.line());
            bin.send(Raw.packet(0x0b, new byte[0], new byte[0], new byte[0], 0)); // binary VERSION
            bin.socket.shutdownOutput();
            byte[] reply = bin.socket.getInputStream().readAllBytes();
            assertTrue(reply.length == 0 || (reply[0] & 0xff) != 0x81, "no binary answer from -B ascii");
        }
    }

    @Test
    void binaryOnlyServerClosesTextConnections() throws Exception {
        try (CacheServer server = Servers.start(CacheServer.Mode.SMP, b -> b.protocol(CacheServer.Protocol.BINARY));
             Raw text = new Raw(server.port());
             Raw bin = new Raw(server.port())) {
            bin.send(Raw.packet(0x0b, new byte[0], new byte[0], new byte[0], 0));
            assertEquals(CacheServer.MEMCACHED_VERSION, bin.response().valueString());
            // Like memcached, the server judges a binary header once it has all 24 bytes of it.
            text.send("version\r\nversion\r\nversion\r\n");
            assertTrue(text.closedByServer(5000), "a text request to -B binary: bad magic, closed");
        }
    }

    @ParameterizedTest
    @EnumSource(CacheServer.Mode.class)
    void valuesUpToTheItemSizeLimit(CacheServer.Mode mode) throws Exception {
        try (CacheServer server = Servers.start(mode, b -> b.itemSizeMax(1 << 20)); Raw c = new Raw(server.port())) {
            int size = 1000 * 1000; // within 1 MB with the item's overhead
            byte[] value = new byte[size];
            for (int i = 0; i < size; i++) value[i] = (byte) ('a' + i % 26);
            c.send("set big 0 0 " + size + "\r\n");
            // In pieces, as a slow client would send it.
            for (int off = 0; off < size; off += 70_000) {
                c.send(java.util.Arrays.copyOfRange(value, off, Math.min(size, off + 70_000)));
            }
            c.send("\r\n");
            assertEquals("STORED", c.line());
            c.send("get big\r\n");
            assertEquals("VALUE big 0 " + size, c.line());
            assertArrayEquals(value, c.read(size));
            assertEquals("", c.line());
            assertEquals("END", c.line());
            // Over the limit: memcached's error, the value is swallowed, the connection goes on.
            int tooBig = 2 << 20;
            c.send("set huge 0 0 " + tooBig + "\r\n");
            c.send(new byte[tooBig]);
            c.send("\r\n");
            assertEquals("SERVER_ERROR object too large for cache", c.line());
            c.send("version\r\n");
            assertEquals("VERSION " + CacheServer.MEMCACHED_VERSION, c.line());
            assertNotEquals(0, server.stats("").get("bytes_read").length());
        }
    }
}
