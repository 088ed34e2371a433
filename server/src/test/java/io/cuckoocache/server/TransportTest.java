package io.cuckoocache.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.WrappedByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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

    /** io_uring with its receive ring; the test is skipped where the kernel has no io_uring or no ring. */
    private static NetTransport ioUringWithRing() {
        assumeTrue(NetTransport.unavailability(CacheServer.Transport.IO_URING) == null, "no io_uring here");
        NetTransport uring = NetTransport.choose(CacheServer.Transport.IO_URING, new StringBuilder());
        assumeTrue(uring.receiveRing, "this kernel has no provided-buffer rings or multishot recv");
        return uring;
    }

    @Test
    void ioUringConnectionsReceiveIntoTheLoopsBufferRing() throws Exception {
        NetTransport uring = ioUringWithRing();
        ServerBootstrap b = new ServerBootstrap();
        uring.configureConnections(b);
        assertEquals((short) 0, b.config().childOptions().get(IoUringChannelOption.IO_URING_BUFFER_GROUP_ID));
        try (CacheServer server = Servers.start(CacheServer.Mode.SINGLE,
                c -> c.transport(CacheServer.Transport.IO_URING))) {
            assertTrue(server.describe().contains("transport io_uring (multishot recv, buffer ring)"),
                    server.describe());
            exercise(server);
            // A value spanning many of the ring's 16 KB buffers, and pipelined requests spanning buffer edges.
            String big = "v".repeat(300_000);
            StringBuilder pipelined = new StringBuilder("set big 0 0 " + big.length() + "\r\n" + big + "\r\n");
            for (int i = 0; i < 2000; i++) {
                pipelined.append(i % 200 == 0 ? "get big\r\n" : "get t" + (i % 4) + "\r\n");
            }
            try (Raw c = new Raw(server.port())) {
                c.send(pipelined.toString());
                assertEquals("STORED", c.line());
                for (int i = 0; i < 2000; i++) {
                    boolean isBig = i % 200 == 0;
                    assertEquals(isBig ? "VALUE big 0 " + big.length() : "VALUE t" + (i % 4) + " 0 2", c.line());
                    assertEquals(isBig ? big : "ok", c.line());
                    assertEquals("END", c.line());
                }
            }
            for (CacheServer.Transport other : CacheServer.Transport.values()) {
                if (other == CacheServer.Transport.IO_URING || other == CacheServer.Transport.AUTO) continue;
                if (NetTransport.unavailability(other) != null) continue;
                ServerBootstrap plain = new ServerBootstrap();
                NetTransport.choose(other, new StringBuilder()).configureConnections(plain);
                assertTrue(plain.config().childOptions().isEmpty(), other + " sets no per-connection option");
            }
        }
    }

    /**
     * A read from the ring reaches the pipeline as a slice of the ring's buffer. Netty makes that slice with the
     * buffer's own retainedSlice: a pooled buffer's comes from Netty's recycler, any other buffer's is a new object
     * per read (the adaptive allocator's were, in a JFR allocation profile). So the ring's buffers must be pooled.
     */
    @Test
    void ioUringRingReadsAllocateNoSlice() throws Exception {
        NetTransport uring = ioUringWithRing();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, uring.handler.get());
        Set<String> received = ConcurrentHashMap.newKeySet();
        AtomicLong bytes = new AtomicLong();
        try {
            ServerBootstrap b = new ServerBootstrap().group(group).channel(uring.serverChannel)
                    .childHandler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            // The tests' leak detector wraps a sample of buffers: look through its wrapper.
                            Object read = msg instanceof WrappedByteBuf ? ((ByteBuf) msg).unwrap() : msg;
                            received.add(read.getClass().getName());
                            bytes.addAndGet(((ByteBuf) msg).readableBytes());
                            ReferenceCountUtil.release(msg);
                        }
                    });
            uring.configureConnections(b);
            Channel listener = b.bind("127.0.0.1", 0).sync().channel();
            int sent = 0;
            try (Socket client = new Socket("127.0.0.1", ((InetSocketAddress) listener.localAddress()).getPort())) {
                client.setTcpNoDelay(true);
                for (int i = 0; i < 200; i++) {
                    byte[] chunk = new byte[1 + i * 97];
                    client.getOutputStream().write(chunk);
                    sent += chunk.length;
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (bytes.get() < sent && System.nanoTime() < deadline) Thread.sleep(10);
            }
            listener.close().sync();
            assertEquals(sent, bytes.get());
            assertEquals(Set.of("io.netty.buffer.PooledSlicedByteBuf"), received);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
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
