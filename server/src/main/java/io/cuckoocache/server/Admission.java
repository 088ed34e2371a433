package io.cuckoocache.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;

/**
 * Who gets a connection (memcached's -c): each accepted channel is admitted (TLS, idle timeout, its handler), refused with
 * memcached's "ERROR Too many open connections", or, with maxconns_fast off, parked unread while accepting pauses
 * until a client leaves. Shared by every listener; any thread.
 */
@ChannelHandler.Sharable
final class Admission extends ChannelInitializer<Channel> {
    private static final byte[] TOO_MANY_CONNECTIONS =
            "ERROR Too many open connections\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final ChannelHandler REJECT = new RejectHandler();

    private final CacheServer server;
    private final ServerConfig config;
    private final ServerStats stats;
    private final Log log;
    private volatile boolean paused;
    /** When accepting paused (System.nanoTime), for time_in_listen_disabled_us. */
    private volatile long pausedAt;
    /** Connections accepted over the limit with maxconns_fast off, waiting unread for a slot. */
    private final ConcurrentLinkedDeque<Channel> waiting = new ConcurrentLinkedDeque<>();

    Admission(CacheServer server) {
        this.server = server;
        this.config = server.config;
        this.stats = server.stats;
        this.log = server.log;
    }

    @Override
    protected void initChannel(Channel ch) {
        boolean stopping = server.stopping.get();
        if (!stopping && stats.admit(config.maxConnections)) {
            install(ch);
            if (!config.maxConnectionsFast && stats.currConnections.get() >= config.maxConnections) pause();
        } else if (!config.maxConnectionsFast && !stopping) {
            // Accepted in the batch that reached the limit (pausing takes effect after the accept in progress): the
            // connection waits, unread, for a slot, as it would in the kernel's backlog.
            ch.config().setAutoRead(false);
            waiting.add(ch);
            pause();
        } else {
            stats.rejected();
            log.warn("Too many open connections (" + config.maxConnections + "): rejecting " + ch.remoteAddress());
            ch.pipeline().addLast(REJECT);
        }
    }

    /** Whether accepting is paused at the limit (maxconns_fast off). */
    boolean paused() {
        return paused;
    }

    /** Server stop: the parked connections close. */
    void closeWaiting() {
        for (Channel ch; (ch = waiting.poll()) != null; ) ch.close();
    }

    /** An admitted connection: counted until it closes; idle timeout; its handler. */
    private void install(Channel ch) {
        ch.closeFuture().addListener(f -> closed());
        if (server.tls != null && ch.hasAttr(Tls.ON)) server.tls.install(ch);
        if (config.idleTimeout > 0) {
            ch.pipeline().addLast(new IdleStateHandler(config.idleTimeout, 0, 0, TimeUnit.SECONDS));
        }
        ch.pipeline().addLast(new ConnectionHandler(server, server.ids.incrementAndGet()));
    }

    /** A slot is free: a waiting connection gets it, else (maxconns_fast off) accepting resumes. */
    private void closed() {
        stats.closed();
        if (config.maxConnectionsFast) return;
        Channel next;
        while ((next = waiting.poll()) != null) {
            if (!next.isOpen()) continue;
            if (server.stopping.get() || !stats.admit(config.maxConnections)) {
                waiting.addFirst(next);
                return;
            }
            install(next);
            next.config().setAutoRead(true);
            return;
        }
        resume();
    }

    /** maxconns_fast off: stop accepting at the limit (the kernel's backlog holds new clients). */
    private void pause() {
        if (paused) return;
        paused = true;
        pausedAt = System.nanoTime();
        stats.listenDisabled();
        log.warn("Too many open connections: accepting paused");
        for (Channel l : server.listenersSnapshot()) l.config().setAutoRead(false);
    }

    private void resume() {
        if (!paused || server.stopping.get() || stats.currConnections.get() >= config.maxConnections) return;
        paused = false;
        stats.listenEnabled((System.nanoTime() - pausedAt) / 1000);
        log.warn("accepting connections again");
        for (Channel l : server.listenersSnapshot()) l.config().setAutoRead(true);
    }

    /** Over the limit: memcached's one-line refusal, then close; whatever the client sent is dropped. */
    @ChannelHandler.Sharable
    private static final class RejectHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(TOO_MANY_CONNECTIONS)).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
