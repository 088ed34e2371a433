package io.cuckoocache.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code -o metrics_port}: an HTTP server with one resource, {@code GET /metrics} ({@link MetricsReport}), on the
 * cache's addresses (-l) and its own port. It runs on its own single NIO event loop thread, "cuckoocache-metrics",
 * never on the cache's loops: a scrape costs the cache's threads nothing but the counter reads.
 * <p>
 * Every request is bounded: request line 4 KB (414 beyond), headers 8 KB (431), body 8 KB (413, from the
 * aggregator); anything the decoder cannot parse gets 400; each of these closes the connection. A connection that
 * sends nothing for 30 s is closed. Other paths get 404, other methods on /metrics 405.
 */
final class MetricsServer implements AutoCloseable {
    static final String PATH = "/metrics";
    static final String TEXT_0_0_4 = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    private static final int MAX_LINE = 4096;
    private static final int MAX_HEADERS = 8192;
    private static final int MAX_BODY = 8192;
    private static final int IDLE_SECONDS = 30;

    private final EventLoopGroup group;
    private final List<Channel> listeners = new ArrayList<>();

    /** Binds {@code port} on each of {@code hosts}' addresses (their ports ignored); a port 0 is chosen once. */
    MetricsServer(MetricsReport report, List<InetSocketAddress> hosts, int port, Log log) throws IOException {
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("cuckoocache-metrics", true),
                NioIoHandler.newFactory());
        Handler handler = new Handler(report, log);
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(
                                new ReadTimeoutHandler(IDLE_SECONDS),
                                new HttpServerCodec(new HttpDecoderConfig()
                                        .setMaxInitialLineLength(MAX_LINE)
                                        .setMaxHeaderSize(MAX_HEADERS)),
                                new HttpObjectAggregator(MAX_BODY),
                                handler);
                    }
                });
        try {
            List<InetSocketAddress> bound = new ArrayList<>();
            int p = port;
            for (InetSocketAddress h : coveringAddresses(hosts)) {
                InetSocketAddress address = new InetSocketAddress(h.getAddress(), p);
                if (bound.contains(address)) continue;
                bound.add(address);
                ChannelFuture f = b.bind(address).awaitUninterruptibly();
                if (!f.isSuccess()) {
                    Throwable c = f.cause();
                    BindException e = new BindException("failed to listen on metrics port " + p + " of "
                            + address.getAddress().getHostAddress() + ": "
                            + (c == null ? "unknown error" : c.getMessage()));
                    if (c != null) e.initCause(c);
                    throw e;
                }
                listeners.add(f.channel());
                p = ((InetSocketAddress) f.channel().localAddress()).getPort();
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * The cache's addresses to bind: a wildcard one (-l 0.0.0.0 or ::) already covers every specific one, which could
     * not take the same port beside it (-l 0.0.0.0 -l notls:127.0.0.1:11212 is memcached's usual TLS setup).
     */
    static List<InetSocketAddress> coveringAddresses(List<InetSocketAddress> hosts) {
        List<InetSocketAddress> wildcards = new ArrayList<>();
        for (InetSocketAddress h : hosts) if (h.getAddress().isAnyLocalAddress()) wildcards.add(h);
        return wildcards.isEmpty() ? hosts : wildcards;
    }

    /** The bound addresses (the chosen port, when asked for 0). */
    List<InetSocketAddress> addresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (Channel ch : listeners) out.add((InetSocketAddress) ch.localAddress());
        return out;
    }

    @Override
    public void close() {
        for (Channel ch : listeners) ch.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

    @ChannelHandler.Sharable
    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final MetricsReport report;
        private final Log log;

        Handler(MetricsReport report, Log log) {
            this.report = report;
            this.log = log;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            if (!req.decoderResult().isSuccess()) {
                Throwable cause = req.decoderResult().cause();
                HttpResponseStatus status = cause instanceof TooLongHttpLineException
                        ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                        : cause instanceof TooLongHttpHeaderException
                        ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE : HttpResponseStatus.BAD_REQUEST;
                // The decoder discards the rest of the connection's input after a bad request: close it.
                send(ctx, false, status, "text/plain; charset=utf-8", status + "\n");
                return;
            }
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            if (!PATH.equals(new QueryStringDecoder(req.uri()).path())) {
                send(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, "text/plain; charset=utf-8",
                        "404 Not Found: metrics are at " + PATH + "\n");
                return;
            }
            if (!HttpMethod.GET.equals(req.method())) {
                FullHttpResponse r = response(HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain; charset=utf-8",
                        ctx, "405 Method Not Allowed: " + PATH + " takes GET\n");
                r.headers().set(HttpHeaderNames.ALLOW, HttpMethod.GET.name());
                write(ctx, keepAlive, r);
                return;
            }
            String accept = req.headers().get(HttpHeaderNames.ACCEPT, "");
            boolean openMetrics = accept.contains("application/openmetrics-text");
            String body;
            try {
                body = report.render(openMetrics);
            } catch (RuntimeException e) {
                log.notice("cuckoocache: metrics: cannot render: " + e);
                send(ctx, false, HttpResponseStatus.INTERNAL_SERVER_ERROR, "text/plain; charset=utf-8",
                        "500 Internal Server Error: " + e + "\n");
                return;
            }
            send(ctx, keepAlive, HttpResponseStatus.OK, openMetrics ? OPENMETRICS : TEXT_0_0_4, body);
        }

        private static void send(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status,
                                 String type, String body) {
            write(ctx, keepAlive, response(status, type, ctx, body));
        }

        private static FullHttpResponse response(HttpResponseStatus status, String type, ChannelHandlerContext ctx,
                                                 String body) {
            ByteBuf content = ByteBufUtil.writeUtf8(ctx.alloc(), body);
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
            r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
            return r;
        }

        private static void write(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse r) {
            if (keepAlive) {
                r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                ctx.writeAndFlush(r);
            } else {
                r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A reset, or the idle timeout: nothing to answer.
            ctx.close();
        }
    }
}
