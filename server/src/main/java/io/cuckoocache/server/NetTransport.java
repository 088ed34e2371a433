package io.cuckoocache.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.kqueue.KQueue;
import io.netty.channel.kqueue.KQueueIoHandler;
import io.netty.channel.kqueue.KQueueServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.unix.UnixChannelOption;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringBufferRingConfig;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringFixedBufferRingAllocator;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringIoHandlerConfig;
import io.netty.channel.uring.IoUringServerSocketChannel;

import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.util.function.Supplier;

/**
 * The Netty transport a server runs on: its I/O handler, its server channel and how it asks for SO_REUSEPORT.
 * Native ones first: io_uring where the kernel allows it (Linux 5.x+), then epoll, then kqueue (macOS/BSD), NIO when
 * nothing native loads. io_uring comes first because it measured fewer server cycles per request than epoll against
 * memcached (bench/RESULTS.md, "Server speed v2").
 * <p>
 * io_uring receives into a ring of provided buffers where the kernel has them (5.19+, multishot recv 6.0+): each
 * connection's recv is armed once and stays armed, so a request costs one completion and is handled in one pass of
 * the loop. Without the ring Netty arms a poll, then submits a recv when it fires, and only the next pass sees the
 * data: at 15,000 requests/s that second pass cost p99 1.2x memcached's against 0.75x with the ring, at the same CPU.
 */
final class NetTransport {
    /** io_uring's buffer group for received data: one ring per event loop, shared by its connections. */
    private static final short RECEIVE_GROUP = 0;
    /**
     * The ring's most buffers. Netty starts it with one batch (1 MB per loop) and adds a batch when a burst empties
     * it; a used buffer is replaced at once, so this bounds a burst, not the connections.
     */
    private static final short RECEIVE_RING_BUFFERS = 1024;
    private static final int RECEIVE_RING_BATCH = 64;
    private static final int RECEIVE_BUFFER_BYTES = 16 * 1024;

    final CacheServer.Transport kind;
    final Supplier<IoHandlerFactory> handler;
    final Class<? extends ServerChannel> serverChannel;
    /** The SO_REUSEPORT option for this transport's server channel, or null if it has none. */
    final ChannelOption<Boolean> reusePort;
    /** Whether connections receive into the loop's buffer ring (io_uring only). */
    final boolean receiveRing;

    private NetTransport(CacheServer.Transport kind, Supplier<IoHandlerFactory> handler,
                         Class<? extends ServerChannel> serverChannel, ChannelOption<Boolean> reusePort,
                         boolean receiveRing) {
        this.kind = kind;
        this.handler = handler;
        this.serverChannel = serverChannel;
        this.reusePort = reusePort;
        this.receiveRing = receiveRing;
    }

    /** Netty's name for the transport, as the startup line shows it. */
    String displayName() {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Sets the options this transport wants on every accepted connection. */
    void configureConnections(ServerBootstrap b) {
        if (receiveRing) b.childOption(IoUringChannelOption.IO_URING_BUFFER_GROUP_ID, RECEIVE_GROUP);
    }

    /**
     * The transport to use: the requested one if it loads here; for {@link CacheServer.Transport#AUTO}, or when the
     * requested one does not load (then {@code warnings} gets why), the best one that does.
     */
    static NetTransport choose(CacheServer.Transport requested, StringBuilder warnings) {
        if (requested != CacheServer.Transport.AUTO) {
            Throwable cause = unavailability(requested);
            if (cause == null) return of(requested);
            warnings.append("transport ").append(requested.name().toLowerCase(java.util.Locale.ROOT))
                    .append(" is not available here (").append(cause).append("); choosing automatically\n");
        }
        if (unavailability(CacheServer.Transport.IO_URING) == null) return of(CacheServer.Transport.IO_URING);
        if (unavailability(CacheServer.Transport.EPOLL) == null) return of(CacheServer.Transport.EPOLL);
        if (unavailability(CacheServer.Transport.KQUEUE) == null) return of(CacheServer.Transport.KQUEUE);
        return of(CacheServer.Transport.NIO);
    }

    /** Why the transport cannot be used here, or null if it can. */
    static Throwable unavailability(CacheServer.Transport t) {
        try {
            switch (t) {
                case EPOLL:
                    return Epoll.isAvailable() ? null : Epoll.unavailabilityCause();
                case KQUEUE:
                    return KQueue.isAvailable() ? null : KQueue.unavailabilityCause();
                case IO_URING:
                    return IoUring.isAvailable() ? null : IoUring.unavailabilityCause();
                case NIO:
                    return null;
                default:
                    return new IllegalArgumentException("not a transport: " + t);
            }
        } catch (LinkageError e) {
            // The transport's classes or native library are missing from this build.
            return e;
        }
    }

    /**
     * The ring's buffers come from the pooled allocator, not the adaptive one the channels use: Netty hands each read
     * on as the buffer's retainedSlice, which a pooled buffer takes from its recycler and any other makes anew, one
     * object per read (JFR, bench/RESULTS.md). The price is the pool's chunk per event loop, about 4 MB.
     */
    private static IoHandlerFactory ioUringWithReceiveRing() {
        IoUringBufferRingConfig ring = IoUringBufferRingConfig.builder()
                .bufferGroupId(RECEIVE_GROUP)
                .bufferRingSize(RECEIVE_RING_BUFFERS)
                .batchSize(RECEIVE_RING_BATCH)
                .allocator(new IoUringFixedBufferRingAllocator(PooledByteBufAllocator.DEFAULT, RECEIVE_BUFFER_BYTES))
                .build();
        return IoUringIoHandler.newFactory(new IoUringIoHandlerConfig().setBufferRingConfig(ring));
    }

    /** Whether the JDK's server sockets take SO_REUSEPORT on this OS (Linux and macOS do, Windows does not). */
    private static boolean nioReusePort() {
        try (ServerSocketChannel ch = ServerSocketChannel.open()) {
            return ch.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    private static NetTransport of(CacheServer.Transport t) {
        switch (t) {
            case EPOLL:
                return new NetTransport(t, EpollIoHandler::newFactory, EpollServerSocketChannel.class,
                        UnixChannelOption.SO_REUSEPORT, false);
            case KQUEUE:
                return new NetTransport(t, KQueueIoHandler::newFactory, KQueueServerSocketChannel.class,
                        UnixChannelOption.SO_REUSEPORT, false);
            case IO_URING:
                if (IoUring.isRegisterBufferRingSupported() && IoUring.isRecvMultishotEnabled()) {
                    return new NetTransport(t, NetTransport::ioUringWithReceiveRing, IoUringServerSocketChannel.class,
                            UnixChannelOption.SO_REUSEPORT, true);
                }
                return new NetTransport(t, IoUringIoHandler::newFactory, IoUringServerSocketChannel.class,
                        UnixChannelOption.SO_REUSEPORT, false);
            case NIO:
                return new NetTransport(t, NioIoHandler::newFactory, NioServerSocketChannel.class,
                        nioReusePort() ? NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT) : null, false);
            default:
                throw new IllegalArgumentException("not a transport: " + t);
        }
    }
}
