package io.cuckoocache.server;

import io.cuckoocache.protocol.Session;
import io.cuckoocache.protocol.Verdict;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One client connection: gathers its bytes, hands them to its protocol session, writes the replies, and keeps the
 * connection's memory bounded. Every method runs on the connection's event loop.
 *
 * <h2>Protocol</h2>
 * With {@code -B auto} (the default) the first byte decides: 0x80, the binary request magic, makes a binary session,
 * anything else a text one; {@code -B ascii} and {@code -B binary} fix it, as in memcached.
 *
 * <h2>Input</h2>
 * Reads are gathered in one buffer ({@code in}) that is released as soon as it is empty, so an idle connection holds
 * no buffer. The session consumes the complete requests at its front and leaves a partial one; the binary session
 * also consumes a value as it arrives. A partial request that grows past the input limit (the item size limit plus
 * 64 KB: no legal request is larger) closes the connection.
 *
 * <h2>Bounded work per call, per event</h2>
 * The session is called on a window of the input ({@value #WINDOW} bytes), not on all of it, and returns once its
 * replies pass {@value #OUTPUT_PER_CALL} bytes (the request that passes it finished, a multi-get split between
 * keys), leaving the rest of the input for the next call. A call's replies are written to the channel, and only then,
 * if the channel is still writable, is the next call made. A window that holds no complete request (a line longer
 * than it) is widened fourfold until one fits. After {@code -R} calls in one event the connection yields: the rest
 * waits for a task queued behind the other connections' events (memcached's reqs_per_event, counted in calls rather
 * than single requests; stats conn_yields). So one turn of a connection costs the loop at most {@code -R} windows
 * of requests, and its replies stop at the high water mark plus one call's.
 *
 * <h2>Backpressure</h2>
 * When the channel's outbound buffer passes its high water mark (the client does not read its replies fast enough)
 * the connection stops processing and stops reading (auto-read off); the kernel's socket buffers then fill and
 * the client's sends block. When the buffer drains below the low mark, processing resumes with what was already
 * read, then reading. So a connection holds at most: the input limit, one call's output and the high water mark.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
    /** Input bytes offered to one session call. */
    static final int WINDOW = 64 * 1024;
    /** Reply bytes after which a session call returns (it may pass them by one reply). */
    static final int OUTPUT_PER_CALL = 256 * 1024;
    /** Input beyond the item size limit that a partial request may hold (command line, headers, key). */
    static final int INPUT_SLACK = 64 * 1024;

    private static final VarHandle LAST_COMMAND;

    static {
        try {
            LAST_COMMAND = MethodHandles.lookup().findVarHandle(ConnectionHandler.class, "lastCommandMillis",
                    long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final CacheServer server;
    private final Log log;
    /** The connection's number, as logs and "stats conns" show it (memcached shows its file descriptor). */
    final int id;
    private final int reqsPerEvent;
    private final long maxInput;

    private Channel channel;
    private ServerStats.LoopStats loop;
    private Session session;
    /** Bytes read and not yet consumed; null when there are none. */
    private ByteBuf in;
    /** The output buffer of the next call; handed to the channel when a call writes to it. */
    private ByteBuf out;
    /** Initial capacity of the next output buffer: the last call's output, rounded up (saves regrowing it). */
    private int outCapacity = 256;
    private boolean closing;
    /** A continuation is queued (the connection used its -R calls). */
    private boolean yielded;
    private boolean flushPending;
    /** Written by this loop's thread, read by "stats conns" from another (opaque). */
    @SuppressWarnings("unused")
    private long lastCommandMillis;

    ConnectionHandler(CacheServer server, int id) {
        this.server = server;
        this.log = server.log;
        this.id = id;
        this.reqsPerEvent = server.config.reqsPerEvent;
        this.maxInput = (long) server.config.itemSizeMax + INPUT_SLACK;
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        loop = server.stats.loop(channel.eventLoop());
        LAST_COMMAND.setOpaque(this, System.currentTimeMillis());
        server.connections.add(this);
        switch (server.config.protocol) {
            case ASCII:
                session = server.sessions.text();
                break;
            case BINARY:
                session = server.sessions.binary();
                break;
            default:
                break; // decided by the first byte
        }
        if (log.verbose()) {
            log.verbose("<" + id + " new " + (session == null ? "auto-negotiating" : session.name())
                    + " client connection from " + channel.remoteAddress());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        release();
        server.connections.remove(this);
        if (log.verbose()) log.verbose("<" + id + " connection closed.");
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }

    private void release() {
        if (in != null) {
            in.release();
            in = null;
        }
        if (out != null) {
            out.release();
            out = null;
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            log.warn("<" + id + " closing idle connection (idle_timeout " + server.config.idleTimeout + "s)");
            server.stats.idleKick();
            closing = true;
            release();
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            // Resets and broken pipes: the client went away.
            if (log.verbose()) log.verbose("<" + id + " " + cause);
        } else {
            log.warn("<" + id + " error, closing the connection: " + cause);
            if (log.trace()) cause.printStackTrace();
        }
        closing = true;
        release();
        ctx.close();
    }

    // ---------------------------------------------------------------- reading and processing

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        loop.addRead(buf.readableBytes());
        if (closing) {
            buf.release();
            return;
        }
        LAST_COMMAND.setOpaque(this, System.currentTimeMillis());
        in = in == null ? buf : cumulate(ctx.alloc(), in, buf);
        if (!yielded) drive(ctx);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flush(ctx);
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (channel.isWritable()) {
            if (log.trace()) log.trace("<" + id + " writable again: resuming");
            if (!yielded) drive(ctx);
            flush(ctx);
        } else if (log.trace()) {
            log.trace("<" + id + " output above the high water mark: pausing");
        }
        updateAutoRead();
        ctx.fireChannelWritabilityChanged();
    }

    /** Appends {@code buf} to {@code cum}, in place when it can, and releases {@code buf}. */
    private static ByteBuf cumulate(ByteBufAllocator alloc, ByteBuf cum, ByteBuf buf) {
        try {
            int need = buf.readableBytes();
            if (cum.refCnt() == 1 && !cum.isReadOnly() && cum.maxWritableBytes() >= need) {
                if (cum.writableBytes() < need && cum.readerIndex() > 0) cum.discardReadBytes();
                cum.writeBytes(buf);
                return cum;
            }
            ByteBuf merged = alloc.ioBuffer(cum.readableBytes() + need);
            merged.writeBytes(cum).writeBytes(buf);
            cum.release();
            return merged;
        } finally {
            buf.release();
        }
    }

    /**
     * Processes buffered requests until the input holds no complete one, the channel is unwritable, or this event's
     * -R calls are used up; then sets auto-read to match.
     */
    private void drive(ChannelHandlerContext ctx) {
        int calls = 0;
        while (!closing && in != null && in.isReadable()) {
            if (!channel.isWritable()) break; // resumed by channelWritabilityChanged
            if (calls == reqsPerEvent) {
                yieldTurn(ctx);
                break;
            }
            calls++;
            if (session == null) {
                session = in.getUnsignedByte(in.readerIndex()) == 0x80
                        ? server.sessions.binary() : server.sessions.text();
                if (log.trace()) log.trace("<" + id + " speaks the " + session.name() + " protocol");
            }
            int consumed = call(ctx);
            if (consumed < 0) return; // closing
            if (consumed == 0) {
                if (in.readableBytes() > maxInput) {
                    tooLarge(ctx);
                    return;
                }
                break; // an incomplete request: wait for more bytes
            }
        }
        if (in != null && !in.isReadable()) {
            in.release();
            in = null;
        }
        updateAutoRead();
    }

    /** One session call on a window of the input; the bytes it consumed, or -1 if the connection is closing. */
    private int call(ChannelHandlerContext ctx) {
        if (out == null) out = ctx.alloc().ioBuffer(outCapacity);
        int start = in.readerIndex();
        int available = in.readableBytes();
        int outStart = out.writerIndex();
        Verdict result;
        int consumed;
        try {
            if (available > WINDOW) {
                // A window that holds no complete request (a long line) is widened until one fits.
                int w = WINDOW;
                do {
                    ByteBuf view = in.slice(start, w);
                    result = session.process(view, out);
                    consumed = view.readerIndex();
                    w = (int) Math.min(available, 4L * w);
                } while (consumed == 0 && result == Verdict.CONTINUE && w < available
                        && out.writerIndex() == outStart);
                in.readerIndex(start + consumed);
                if (consumed == 0 && result == Verdict.CONTINUE && out.writerIndex() == outStart) {
                    result = session.process(in, out);
                    consumed = in.readerIndex() - start;
                }
            } else {
                result = session.process(in, out);
                consumed = in.readerIndex() - start;
            }
        } catch (RuntimeException e) {
            // A protocol bug must cost one connection, not the event loop.
            log.notice("<" + id + " internal error in the " + session.name() + " session, closing: " + e);
            if (log.warnings()) e.printStackTrace();
            closeAfterFlush(ctx);
            return -1;
        }
        int produced = out.writerIndex() - outStart;
        if (log.verbose()) traceCall(start, consumed, outStart, produced);
        if (produced > 0) {
            outCapacity = Math.max(256, Math.min(WINDOW, Integer.highestOneBit(produced - 1) << 1));
            loop.addWritten(produced);
            ctx.write(out, ctx.voidPromise());
            out = null;
            flushPending = true;
        }
        if (result != Verdict.CONTINUE) {
            if (result == Verdict.SHUTDOWN || result == Verdict.SHUTDOWN_GRACEFUL) {
                boolean save = result == Verdict.SHUTDOWN_GRACEFUL;
                log.notice((save ? "graceful " : "") + "shutdown requested by connection " + id + " ("
                        + channel.remoteAddress() + ")");
                closeAfterFlush(ctx).addListener(f -> {
                    if (save) {
                        server.closeAndSaveAsync();
                    } else {
                        server.closeAsync();
                    }
                });
            } else {
                closeAfterFlush(ctx);
            }
            return -1;
        }
        return consumed;
    }

    /** Used up this event's calls: continue after the loop has served the other connections' events. */
    private void yieldTurn(ChannelHandlerContext ctx) {
        yielded = true;
        loop.addYield();
        if (log.trace()) log.trace("<" + id + " yields after " + reqsPerEvent + " calls");
        ctx.executor().execute(() -> {
            yielded = false;
            drive(ctx);
            flush(ctx);
        });
    }

    /** A partial request larger than any legal one: answer if the protocol has a way, then close. */
    private void tooLarge(ChannelHandlerContext ctx) {
        log.warn("<" + id + " request larger than " + maxInput + " bytes, closing the connection");
        ByteBuf answer = ctx.alloc().ioBuffer(64);
        session.inputTooLarge(answer);
        loop.addWritten(answer.readableBytes());
        ctx.write(answer, ctx.voidPromise());
        closeAfterFlush(ctx);
    }

    private io.netty.channel.ChannelFuture closeAfterFlush(ChannelHandlerContext ctx) {
        closing = true;
        flushPending = false;
        release();
        updateAutoRead();
        return ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    private void flush(ChannelHandlerContext ctx) {
        if (flushPending) {
            flushPending = false;
            ctx.flush();
        }
    }

    /** Read while there is room for replies and no continuation is queued. */
    private void updateAutoRead() {
        boolean want = !closing && !yielded && channel.isWritable();
        if (channel.config().isAutoRead() != want) {
            channel.config().setAutoRead(want);
            if (log.trace()) log.trace("<" + id + " auto-read " + (want ? "on" : "off"));
        }
    }

    /** Server shutdown: write what is pending and close. */
    void shutdown() {
        if (channel.eventLoop().inEventLoop()) {
            closing = true;
            release();
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.eventLoop().execute(this::shutdown);
        }
    }

    // ---------------------------------------------------------------- "stats conns" and -vv

    Channel channel() {
        return channel;
    }

    long secondsSinceLastCommand() {
        return Math.max(0, (System.currentTimeMillis() - (long) LAST_COMMAND.getOpaque(this)) / 1000);
    }

    private static final String PARSING = "conn_parse_cmd";
    private static final String WRITING = "conn_mwrite";
    /** Every name {@link #state} returns, so metrics can show a state that no connection is in now. */
    static final java.util.List<String> STATES = java.util.List.of(PARSING, WRITING);

    /** memcached's connection state name, roughly: waiting for a command, or waiting to write. */
    String state() {
        Channel ch = channel;
        return ch != null && !ch.isWritable() ? WRITING : PARSING;
    }

    /** -vv: the requests a call consumed and the replies it produced. */
    private void traceCall(int start, int consumed, int outStart, int produced) {
        ByteBuf src = in != null ? in : null;
        if (src != null && consumed > 0) Trace.print(log, "<" + id + " ", src, start, consumed, true);
        if (produced > 0) Trace.print(log, ">" + id + " ", out, outStart, produced, false);
    }
}
