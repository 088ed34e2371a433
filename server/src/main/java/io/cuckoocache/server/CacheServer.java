package io.cuckoocache.server;

import io.cuckoocache.store.ItemStore;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;

/**
 * A running memcached-compatible server: an {@link ItemStore} served over TCP by Netty, speaking memcached's text,
 * meta and binary protocols. {@link Main} runs one from the command line; tests and applications embed one:
 * <pre>{@code
 * try (CacheServer server = CacheServer.builder().port(0).memoryLimit(64 << 20).start()) {
 *     int port = server.port();
 *     ...
 * }
 * }</pre>
 *
 * <h2>Modes</h2>
 * {@link Mode#SINGLE}: one event loop accepts and serves every connection; nothing crosses threads. {@link Mode#SMP}:
 * {@code threads} event loops; one of them accepts and hands each connection to the next loop in turn (memcached's
 * model), or, with {@link Builder#reusePort}, every loop has its own listening socket on the same port
 * (SO_REUSEPORT) and serves what it accepts, so the kernel spreads connections and no connection changes thread.
 *
 * <h2>Limits</h2>
 * More than {@code maxConnections} clients: the extra ones get memcached's "ERROR Too many open connections" and are
 * closed (or, with maxconns_fast off, the server stops accepting until one leaves). Idle connections close after the
 * idle timeout, if set. A client that does not read its replies stops being read (see {@link ConnectionHandler}).
 */
public final class CacheServer implements AutoCloseable {
    /** The memcached release whose behaviour and version string the server presents. */
    public static final String MEMCACHED_VERSION = "1.6.18";

    /** How connections map to threads. */
    public enum Mode {
        /** One event loop for everything: no cross-thread handoff. */
        SINGLE,
        /** One event loop per thread ({@code -t}). */
        SMP
    }

    /** memcached's {@code -B}: which protocol connections speak. */
    public enum Protocol {
        /** Decided per connection by its first byte. */
        AUTO,
        /** Text (and meta) only. */
        ASCII,
        /** Binary only. */
        BINARY
    }

    /** The Netty transport. */
    public enum Transport {
        /** epoll on Linux, kqueue on macOS/BSD, else NIO. */
        AUTO,
        EPOLL,
        KQUEUE,
        /** Linux io_uring: only when asked for. */
        IO_URING,
        NIO
    }

    private static final byte[] TOO_MANY_CONNECTIONS =
            "ERROR Too many open connections\r\n".getBytes(StandardCharsets.US_ASCII);

    final Config config;
    final Log log;
    final ServerStats stats = new ServerStats();
    final ItemStore store;
    private final boolean ownsStore;
    final Sessions sessions;
    private final NetTransport transport;
    private final EventLoopGroup group;
    private final int loops;
    private final List<Channel> listeners = new ArrayList<>();
    private final List<Integer> listenerIds = new ArrayList<>();
    final Set<ConnectionHandler> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private volatile boolean acceptPaused;
    /** Connections accepted over the limit with maxconns_fast off, waiting unread for a slot. */
    private final java.util.concurrent.ConcurrentLinkedDeque<Channel> waiting =
            new java.util.concurrent.ConcurrentLinkedDeque<>();

    private CacheServer(Config config, ItemStore givenStore) throws IOException {
        this.config = config;
        this.log = new Log(config.verbosity, config.logStream);
        StringBuilder warnings = new StringBuilder();
        this.transport = NetTransport.choose(config.transport, warnings);
        if (warnings.length() > 0) log.notice(warnings.toString().trim());
        if (givenStore != null) {
            this.store = givenStore;
            this.ownsStore = false;
        } else {
            ItemStore.Builder b = ItemStore.builder()
                    .memoryLimit(config.memoryLimit)
                    .itemSizeMax(config.itemSizeMax)
                    .casEnabled(config.casEnabled)
                    .evictionsEnabled(config.evictions);
            if (config.hashPower > 0) b.initialCapacity(1 << Math.min(config.hashPower, 30));
            this.store = b.build();
            this.ownsStore = true;
            if (config.lruCrawler) {
                // memcached's crawler sleeps lru_crawler_sleep µs per item: as many slots, in 100 ms passes.
                int perPass = (int) Math.max(1, Math.min(1 << 20, 100_000L / Math.max(1, config.crawlerSleepMicros)));
                if (config.crawlerToCrawl > 0) perPass = Math.min(perPass, config.crawlerToCrawl);
                store.startReclaimer(Duration.ofMillis(100), perPass);
            }
        }
        this.sessions = new Sessions(store, config, log, this::statsFor, counted(config.authenticator),
                counted(config.asciiAuthenticator));
        this.loops = config.mode == Mode.SINGLE ? 1 : config.threads;
        this.group = new MultiThreadIoEventLoopGroup(loops,
                new DefaultThreadFactory("cuckoocache-" + config.mode.name().toLowerCase(Locale.ROOT)),
                transport.handler.get());
        try {
            bind();
        } catch (IOException | RuntimeException e) {
            for (Channel ch : listeners) ch.close();
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            if (ownsStore) store.close();
            throw e;
        }
    }

    /** The check, counting its calls and refusals in auth_cmds and auth_errors; null stays null. */
    private BiPredicate<String, String> counted(BiPredicate<String, String> check) {
        if (check == null) return null;
        return (user, password) -> {
            boolean ok = check.test(user, password);
            stats.auth(ok);
            return ok;
        };
    }

    /** A builder with memcached's defaults, except the address (127.0.0.1) and the threads (one per core). */
    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- binding

    private void bind() throws IOException {
        boolean reusePort = config.reusePort && config.mode == Mode.SMP;
        if (config.reusePort && config.mode == Mode.SINGLE) {
            log.notice("--reuseport has no effect in single mode (one event loop, one listening socket)");
        }
        if (reusePort && transport.reusePort == null) {
            log.notice("--reuseport: the " + transport.displayName()
                    + " transport cannot set SO_REUSEPORT here; one listening socket instead");
            reusePort = false;
        }
        List<EventLoop> loopList = new ArrayList<>();
        for (EventExecutor e : group) loopList.add((EventLoop) e);
        for (InetSocketAddress wanted : resolve(config.listen, config.port)) {
            if (config.mode == Mode.SINGLE) {
                bindOne(loopList.get(0), loopList.get(0), wanted, false);
            } else if (!reusePort) {
                bindOne(group, group, wanted, false);
            } else {
                InetSocketAddress address = wanted;
                for (EventLoop l : loopList) {
                    Channel ch = bindOne(l, l, address, true);
                    // An ephemeral port (0) is chosen by the first bind; the other loops join it.
                    address = new InetSocketAddress(wanted.getAddress(), ((InetSocketAddress) ch.localAddress()).getPort());
                }
            }
        }
    }

    private Channel bindOne(EventLoopGroup parent, EventLoopGroup child, InetSocketAddress address, boolean reusePort)
            throws IOException {
        ServerBootstrap b = new ServerBootstrap()
                .group(parent, child)
                .channel(transport.serverChannel)
                .option(ChannelOption.SO_BACKLOG, config.backlog)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(config.outputLowWater, config.outputHighWater))
                .childHandler(new Initializer());
        if (reusePort) b.option(transport.reusePort, true);
        ChannelFuture f = b.bind(address).awaitUninterruptibly();
        if (!f.isSuccess()) {
            Throwable c = f.cause();
            String why = c == null ? "unknown error" : c.getMessage();
            BindException e = new BindException("failed to listen on TCP port " + address.getPort() + " of "
                    + address.getAddress().getHostAddress() + ": " + why);
            if (c != null) e.initCause(c);
            throw e;
        }
        synchronized (listeners) {
            listeners.add(f.channel());
            listenerIds.add(ids.incrementAndGet());
        }
        return f.channel();
    }

    /**
     * memcached's -l entries: "host", "host:port", "[v6]:port" or a bare IPv6 address; each may list several,
     * comma-separated. A missing port is {@code port}.
     */
    static List<InetSocketAddress> resolve(List<String> entries, int port) throws UnknownHostException {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String entry : entries) {
            for (String raw : entry.split(",")) {
                String s = raw.trim();
                if (s.isEmpty()) continue;
                if (s.startsWith("notls:")) s = s.substring("notls:".length());
                String host = s;
                int p = port;
                if (s.startsWith("[")) {
                    int close = s.indexOf(']');
                    if (close < 0) throw new UnknownHostException("bad address: " + raw);
                    host = s.substring(1, close);
                    if (s.length() > close + 1) {
                        if (s.charAt(close + 1) != ':') throw new UnknownHostException("bad address: " + raw);
                        p = parsePort(s.substring(close + 2), raw);
                    }
                } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
                    host = s.substring(0, s.indexOf(':'));
                    p = parsePort(s.substring(s.indexOf(':') + 1), raw);
                }
                InetSocketAddress a = new InetSocketAddress(InetAddress.getByName(host), p);
                if (!out.contains(a) || p == 0) out.add(a);
            }
        }
        if (out.isEmpty()) out.add(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
        return out;
    }

    private static int parsePort(String s, String raw) throws UnknownHostException {
        try {
            int p = Integer.parseInt(s);
            if (p < 0 || p > 65535) throw new NumberFormatException();
            return p;
        } catch (NumberFormatException e) {
            throw new UnknownHostException("bad port in address: " + raw);
        }
    }

    /** Sets up each accepted connection: admission (-c), idle timeout, the connection handler. */
    private final class Initializer extends ChannelInitializer<Channel> {
        @Override
        protected void initChannel(Channel ch) {
            if (!stopping.get() && stats.admit(config.maxConnections)) {
                install(ch);
                if (!config.maxConnectionsFast && stats.currConnections.get() >= config.maxConnections) pauseAccept();
            } else if (!config.maxConnectionsFast && !stopping.get()) {
                // Accepted in the batch that reached the limit (pausing takes effect after the accept in
                // progress): the connection waits, unread, for a slot, as it would in the kernel's backlog.
                ch.config().setAutoRead(false);
                waiting.add(ch);
                pauseAccept();
            } else {
                stats.rejected();
                log.warn("Too many open connections (" + config.maxConnections + "): rejecting " + ch.remoteAddress());
                ch.pipeline().addLast(REJECT);
            }
        }
    }

    /** An admitted connection: counted until it closes; idle timeout; its handler. Any thread. */
    private void install(Channel ch) {
        ch.closeFuture().addListener(f -> connectionClosed());
        if (config.idleTimeout > 0) {
            ch.pipeline().addLast(new IdleStateHandler(config.idleTimeout, 0, 0, TimeUnit.SECONDS));
        }
        ch.pipeline().addLast(new ConnectionHandler(CacheServer.this, ids.incrementAndGet()));
    }

    /** A slot is free: a waiting connection gets it, else (maxconns_fast off) accepting resumes. */
    private void connectionClosed() {
        stats.closed();
        if (config.maxConnectionsFast) return;
        Channel next;
        while ((next = waiting.poll()) != null) {
            if (!next.isOpen()) continue;
            if (stopping.get() || !stats.admit(config.maxConnections)) {
                waiting.addFirst(next);
                return;
            }
            install(next);
            next.config().setAutoRead(true);
            return;
        }
        resumeAccept();
    }

    /** Over the connection limit: memcached's one-line refusal, then close; whatever the client sent is dropped. */
    private static final ChannelHandler REJECT = new RejectHandler();

    @ChannelHandler.Sharable
    private static final class RejectHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ByteBuf msg = Unpooled.wrappedBuffer(TOO_MANY_CONNECTIONS);
            ctx.writeAndFlush(msg).addListener(ChannelFutureListener.CLOSE);
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

    /** maxconns_fast off: stop accepting at the limit (the kernel's backlog holds new clients). */
    private void pauseAccept() {
        if (acceptPaused) return;
        acceptPaused = true;
        stats.listenDisabled();
        log.warn("Too many open connections: accepting paused");
        for (Channel l : listenersSnapshot()) l.config().setAutoRead(false);
    }

    private void resumeAccept() {
        if (!acceptPaused || stopping.get() || stats.currConnections.get() >= config.maxConnections) return;
        acceptPaused = false;
        log.warn("accepting connections again");
        for (Channel l : listenersSnapshot()) l.config().setAutoRead(true);
    }

    private List<Channel> listenersSnapshot() {
        synchronized (listeners) {
            return new ArrayList<>(listeners);
        }
    }

    // ---------------------------------------------------------------- what it is

    /** The addresses the server listens on (one per listening socket). */
    public List<InetSocketAddress> addresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (Channel ch : listenersSnapshot()) out.add((InetSocketAddress) ch.localAddress());
        return Collections.unmodifiableList(out);
    }

    /** The port of the first listening socket (the chosen one, when the server was asked for port 0). */
    public int port() {
        return addresses().get(0).getPort();
    }

    /** The transport in use (never AUTO). */
    public Transport transport() {
        return transport.kind;
    }

    public Mode mode() {
        return config.mode;
    }

    /** The number of event loops: 1 in single mode. */
    public int eventLoops() {
        return loops;
    }

    /** The store behind the server. */
    public ItemStore store() {
        return store;
    }

    /** The startup line: what listens where, on which transport and mode. */
    String describe() {
        StringBuilder sb = new StringBuilder("cuckoocache ").append(Versions.project())
                .append(" (memcached ").append(config.version).append(" protocol) listening on ");
        List<InetSocketAddress> as = new ArrayList<>();
        for (InetSocketAddress a : addresses()) if (!as.contains(a)) as.add(a);
        for (int i = 0; i < as.size(); i++) {
            if (i > 0) sb.append(", ");
            InetSocketAddress a = as.get(i);
            String host = a.getAddress().getHostAddress();
            sb.append(host.indexOf(':') >= 0 ? "[" + host + "]" : host).append(':').append(a.getPort());
        }
        sb.append(" | transport ").append(transport.displayName())
                .append(" | mode ").append(config.mode.name().toLowerCase(Locale.ROOT));
        if (config.mode == Mode.SMP) {
            sb.append(" (").append(loops).append(" event loops");
            if (listenersSnapshot().size() > as.size()) sb.append(", SO_REUSEPORT listener per loop");
            sb.append(')');
        }
        sb.append(" | protocol ").append(protocolName())
                .append(" | memory ").append(store.memoryLimit() >> 20).append(" MB")
                .append(" | max connections ").append(config.maxConnections);
        return sb.toString();
    }

    private String protocolName() {
        switch (config.protocol) {
            case ASCII:
                return "ascii";
            case BINARY:
                return "binary";
            default:
                return "auto-negotiate";
        }
    }

    // ---------------------------------------------------------------- stats

    /**
     * What "stats [sub]" answers: memcached's names, in memcached's order, values without spaces; null for a
     * sub-command the server does not know. "reset" zeroes the counters and answers an empty map.
     */
    public Map<String, String> stats(String sub) {
        return statsFor(sub);
    }

    private Map<String, String> statsFor(String sub) {
        switch (sub == null ? "" : sub) {
            case "":
                return general();
            case "settings":
                return settings();
            case "items":
                return store.itemStats();
            case "slabs":
                return store.slabStats();
            case "conns":
                return conns();
            case "sizes":
                return Map.of("sizes_status", "disabled");
            case "reset":
                stats.reset();
                store.resetStats();
                return new LinkedHashMap<>();
            default:
                return null;
        }
    }

    private Map<String, String> general() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("pid", Long.toString(ProcessHandle.current().pid()));
        m.put("uptime", Long.toString(stats.uptimeSeconds()));
        m.put("time", Long.toString(System.currentTimeMillis() / 1000));
        m.put("version", config.version);
        m.put("pointer_size", "64".equals(System.getProperty("sun.arch.data.model", "64")) ? "64" : "32");
        String[] rusage = ServerStats.rusage();
        m.put("rusage_user", rusage[0]);
        m.put("rusage_system", rusage[1]);
        stats.connectionStats(m, config.maxConnections);
        boolean placed = false;
        for (Map.Entry<String, Long> e : store.stats().entrySet()) {
            if (e.getKey().equals("limit_maxbytes")) {
                stats.trafficStats(m);
                m.put(e.getKey(), Long.toString(e.getValue()));
                stats.listenStats(m, !acceptPaused && !stopping.get(), loops);
                placed = true;
            } else {
                m.put(e.getKey(), Long.toString(e.getValue()));
            }
        }
        if (!placed) {
            stats.trafficStats(m);
            stats.listenStats(m, !acceptPaused && !stopping.get(), loops);
        }
        return m;
    }

    private Map<String, String> settings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("maxbytes", Long.toString(store.memoryLimit()));
        m.put("maxconns", Integer.toString(config.maxConnections));
        m.put("tcpport", Integer.toString(config.port));
        m.put("udpport", "0");
        m.put("inter", String.join(",", config.listen).replace(' ', '_'));
        m.put("verbosity", Integer.toString(log.verbosity()));
        m.put("oldest", "0");
        m.put("evictions", store.evictionsEnabled() ? "on" : "off");
        m.put("domain_socket", "NULL");
        m.put("umask", "700");
        m.put("shutdown_command", config.shutdownEnabled ? "yes" : "no");
        m.put("growth_factor", "1.25");
        m.put("chunk_size", "48");
        m.put("num_threads", Integer.toString(loops));
        m.put("num_threads_per_udp", Integer.toString(loops));
        m.put("stat_key_prefix", ":");
        m.put("detail_enabled", "no");
        m.put("reqs_per_event", Integer.toString(config.reqsPerEvent));
        m.put("cas_enabled", store.casEnabled() ? "yes" : "no");
        m.put("tcp_backlog", Integer.toString(config.backlog));
        m.put("binding_protocol", protocolName());
        m.put("auth_enabled_sasl", config.authenticator != null ? "yes" : "no");
        m.put("auth_enabled_ascii", config.asciiAuthenticator != null ? "yes" : "no");
        m.put("item_size_max", Integer.toString(store.itemSizeMax()));
        m.put("maxconns_fast", config.maxConnectionsFast ? "yes" : "no");
        m.put("hashpower_init", Integer.toString(config.hashPower));
        m.put("lru_crawler", config.lruCrawler ? "yes" : "no");
        m.put("lru_crawler_sleep", Integer.toString(config.crawlerSleepMicros));
        m.put("lru_crawler_tocrawl", Integer.toString(config.crawlerToCrawl));
        m.put("tail_repair_time", "0");
        m.put("flush_enabled", config.flushEnabled ? "yes" : "no");
        m.put("dump_enabled", "no");
        m.put("hash_algorithm", "cuckoo");
        m.put("idle_timeout", Integer.toString(config.idleTimeout));
        m.put("read_buf_mem_limit", "0");
        m.put("track_sizes", "no");
        m.put("ssl_enabled", "no");
        // Not memcached's: how this server runs.
        m.put("transport", transport.displayName());
        m.put("server_mode", config.mode.name().toLowerCase(Locale.ROOT));
        m.put("reuseport", listenersSnapshot().size() > addressCount() ? "yes" : "no");
        return m;
    }

    private int addressCount() {
        List<InetSocketAddress> as = new ArrayList<>();
        for (InetSocketAddress a : addresses()) if (!as.contains(a)) as.add(a);
        return as.size();
    }

    /** memcached's "stats conns": the listeners, then every client connection, by number. */
    private Map<String, String> conns() {
        Map<String, String> m = new LinkedHashMap<>();
        List<Channel> ls;
        List<Integer> lids;
        synchronized (listeners) {
            ls = new ArrayList<>(listeners);
            lids = new ArrayList<>(listenerIds);
        }
        long up = stats.uptimeSeconds();
        for (int i = 0; i < ls.size(); i++) {
            String p = lids.get(i) + ":";
            m.put(p + "addr", "tcp:" + hostPort((InetSocketAddress) ls.get(i).localAddress()));
            m.put(p + "state", "conn_listening");
            m.put(p + "secs_since_last_cmd", Long.toString(up));
        }
        TreeMap<Integer, ConnectionHandler> byId = new TreeMap<>();
        for (ConnectionHandler h : connections) byId.put(h.id, h);
        for (ConnectionHandler h : byId.values()) {
            Channel ch = h.channel();
            if (ch == null || !(ch.remoteAddress() instanceof InetSocketAddress)) continue;
            String p = h.id + ":";
            m.put(p + "addr", "tcp:" + hostPort((InetSocketAddress) ch.remoteAddress()));
            m.put(p + "listen_addr", "tcp:" + hostPort((InetSocketAddress) ch.localAddress()));
            m.put(p + "state", h.state());
            m.put(p + "secs_since_last_cmd", Long.toString(h.secondsSinceLastCommand()));
        }
        return m;
    }

    private static String hostPort(InetSocketAddress a) {
        if (a == null) return "unknown";
        String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    // ---------------------------------------------------------------- stopping

    /**
     * Stops the server without blocking: closes the listening sockets, lets each connection write what it has
     * queued and closes it, stops the event loops, then the store's background work. Safe from any thread, also an
     * event loop; repeated calls return the same future.
     */
    public CompletableFuture<Void> closeAsync() {
        if (stopping.compareAndSet(false, true)) {
            Thread t = new Thread(this::stop, "cuckoocache-shutdown");
            t.setDaemon(false);
            t.start();
        }
        return terminated;
    }

    /** Stops the server and waits until it has stopped (at most about 10 seconds). */
    @Override
    public void close() {
        try {
            closeAsync().get(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.notice("cuckoocache: shutdown did not finish cleanly: " + e);
        }
    }

    /** Waits until the server has stopped (by {@link #close}, a signal, or a "shutdown" command). */
    public void awaitTermination() throws InterruptedException {
        try {
            terminated.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Waits up to the timeout; true if the server has stopped. */
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            terminated.get(timeout, unit);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private void stop() {
        try {
            for (Channel l : listenersSnapshot()) l.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
            for (Channel ch; (ch = waiting.poll()) != null; ) ch.close();
            List<ChannelFuture> closing = new ArrayList<>();
            for (ConnectionHandler h : connections) {
                Channel ch = h.channel();
                if (ch == null) continue;
                closing.add(ch.closeFuture());
                h.shutdown();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            for (ChannelFuture f : closing) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !f.awaitUninterruptibly(left, TimeUnit.NANOSECONDS)) f.channel().close();
            }
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            if (ownsStore) store.close();
            log.trace("cuckoocache: server stopped");
            terminated.complete(null);
        } catch (Throwable t) {
            terminated.completeExceptionally(t);
        }
    }

    // ---------------------------------------------------------------- settings

    /** Settings of a server, fixed at start. */
    static final class Config {
        final List<String> listen;
        final int port;
        final long memoryLimit;
        final int itemSizeMax;
        final boolean casEnabled;
        final boolean evictions;
        final int maxConnections;
        final boolean maxConnectionsFast;
        final int threads;
        final Mode mode;
        final Transport transport;
        final boolean reusePort;
        final int backlog;
        final Protocol protocol;
        final int reqsPerEvent;
        final boolean shutdownEnabled;
        final boolean flushEnabled;
        final BiPredicate<String, String> authenticator;
        final BiPredicate<String, String> asciiAuthenticator;
        final int idleTimeout;
        final int hashPower;
        final int verbosity;
        final boolean lruCrawler;
        final int crawlerSleepMicros;
        final int crawlerToCrawl;
        final String version;
        final int outputLowWater;
        final int outputHighWater;
        final PrintStream logStream;

        private Config(Builder b) {
            this.listen = List.copyOf(b.listen.isEmpty() ? List.of("127.0.0.1") : b.listen);
            this.port = b.port;
            this.memoryLimit = b.memoryLimit;
            this.itemSizeMax = b.itemSizeMax;
            this.casEnabled = b.casEnabled;
            this.evictions = b.evictions;
            this.maxConnections = b.maxConnections;
            this.maxConnectionsFast = b.maxConnectionsFast;
            this.threads = b.threads;
            this.mode = b.mode;
            this.transport = b.transport;
            this.reusePort = b.reusePort;
            this.backlog = b.backlog;
            this.protocol = b.protocol;
            this.reqsPerEvent = b.reqsPerEvent;
            this.shutdownEnabled = b.shutdownEnabled;
            this.flushEnabled = b.flushEnabled;
            this.authenticator = b.authenticator;
            this.asciiAuthenticator = b.asciiAuthenticator;
            this.idleTimeout = b.idleTimeout;
            this.hashPower = b.hashPower;
            this.verbosity = b.verbosity;
            this.lruCrawler = b.lruCrawler;
            this.crawlerSleepMicros = b.crawlerSleepMicros;
            this.crawlerToCrawl = b.crawlerToCrawl;
            this.version = b.version;
            this.outputLowWater = b.outputLowWater;
            this.outputHighWater = b.outputHighWater;
            this.logStream = b.logStream;
            // An authenticator for one protocol with the other protocol allowed would serve its connections
            // unauthenticated: refuse the combination (memcached refuses it on the command line).
            if (authenticator != null && protocol != Protocol.BINARY) {
                throw new IllegalStateException("SASL authentication (-S) needs the binary protocol only");
            }
            if (asciiAuthenticator != null && protocol != Protocol.ASCII) {
                throw new IllegalStateException("ASCII authentication (-Y) needs the ascii protocol only");
            }
        }
    }

    /** Settings for a new server. Defaults are memcached 1.6.18's, except where a method says otherwise. */
    public static final class Builder {
        private final List<String> listen = new ArrayList<>();
        private int port = 11211;
        private long memoryLimit = 64L << 20;
        private int itemSizeMax = 1 << 20;
        private boolean casEnabled = true;
        private boolean evictions = true;
        private int maxConnections = 1024;
        private boolean maxConnectionsFast = true;
        private int threads = Runtime.getRuntime().availableProcessors();
        private Mode mode = Mode.SMP;
        private Transport transport = Transport.AUTO;
        private boolean reusePort;
        private int backlog = 1024;
        private Protocol protocol = Protocol.AUTO;
        private int reqsPerEvent = 20;
        private boolean shutdownEnabled;
        private boolean flushEnabled = true;
        private BiPredicate<String, String> authenticator;
        private BiPredicate<String, String> asciiAuthenticator;
        private int idleTimeout;
        private int hashPower;
        private int verbosity;
        private boolean lruCrawler = true;
        private int crawlerSleepMicros = 100;
        private int crawlerToCrawl;
        private String version = MEMCACHED_VERSION;
        private int outputLowWater = 64 * 1024;
        private int outputHighWater = 256 * 1024;
        private PrintStream logStream = System.err;
        private ItemStore store;

        private Builder() {
        }

        /** Adds addresses to listen on (-l): "host", "host:port", "[v6]:port", comma lists. Default 127.0.0.1. */
        public Builder listen(String... addresses) {
            for (String a : addresses) listen.add(Objects.requireNonNull(a));
            return this;
        }

        /** The TCP port (-p); 0 picks a free one ({@link CacheServer#port()} tells which). Default 11211. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
            this.port = port;
            return this;
        }

        /** The memory limit in bytes (-m). Default 64 MB. */
        public Builder memoryLimit(long bytes) {
            if (bytes <= 0) throw new IllegalArgumentException("memory limit must be positive");
            this.memoryLimit = bytes;
            return this;
        }

        /** The largest item in bytes (-I). Default 1 MB. */
        public Builder itemSizeMax(int bytes) {
            if (bytes < 1024) throw new IllegalArgumentException("item size limit below 1 KB");
            this.itemSizeMax = bytes;
            return this;
        }

        /** CAS on (false: -C). */
        public Builder casEnabled(boolean on) {
            this.casEnabled = on;
            return this;
        }

        /** Evict when full (false: -M, answer out of memory). */
        public Builder evictionsEnabled(boolean on) {
            this.evictions = on;
            return this;
        }

        /** The most simultaneous client connections (-c). Default 1024. */
        public Builder maxConnections(int n) {
            if (n <= 0) throw new IllegalArgumentException("connection limit must be positive");
            this.maxConnections = n;
            return this;
        }

        /** -o maxconns_fast: refuse connections over the limit at once (true, default) or stop accepting (false). */
        public Builder maxConnectionsFast(boolean on) {
            this.maxConnectionsFast = on;
            return this;
        }

        /** Event loops in SMP mode (-t). Default: the number of cores. */
        public Builder threads(int n) {
            if (n <= 0) throw new IllegalArgumentException("threads must be positive");
            this.threads = n;
            return this;
        }

        /** Single or SMP (default). */
        public Builder mode(Mode mode) {
            this.mode = Objects.requireNonNull(mode);
            return this;
        }

        /** The transport; AUTO (default) picks the best native one available. */
        public Builder transport(Transport t) {
            this.transport = Objects.requireNonNull(t);
            return this;
        }

        /** SMP mode: one listening socket per event loop with SO_REUSEPORT (where the transport can). */
        public Builder reusePort(boolean on) {
            this.reusePort = on;
            return this;
        }

        /** The listen backlog (-b). Default 1024. */
        public Builder backlog(int n) {
            if (n <= 0) throw new IllegalArgumentException("backlog must be positive");
            this.backlog = n;
            return this;
        }

        /** -B: ascii, binary or auto (default). */
        public Builder protocol(Protocol p) {
            this.protocol = Objects.requireNonNull(p);
            return this;
        }

        /** -R: protocol calls per connection per event before it yields. Default 20. */
        public Builder reqsPerEvent(int n) {
            if (n <= 0) throw new IllegalArgumentException("requests per event must be positive");
            this.reqsPerEvent = n;
            return this;
        }

        /** -A: allow the text "shutdown" command. Default off. */
        public Builder shutdownEnabled(boolean on) {
            this.shutdownEnabled = on;
            return this;
        }

        /** false: -F, flush_all is refused. Default on. */
        public Builder flushEnabled(boolean on) {
            this.flushEnabled = on;
            return this;
        }

        /**
         * -S: binary SASL PLAIN authentication, checked by this (username, password) predicate; null (default)
         * turns it off. It must be thread-safe.
         */
        public Builder saslAuthenticator(BiPredicate<String, String> authenticator) {
            this.authenticator = authenticator;
            return this;
        }

        /**
         * -Y: memcached's ASCII authentication: a text connection must first send {@code set <key> <flags>
         * <exptime> <bytes>} with data {@code <user> <password>}, checked by this predicate (thread-safe); null
         * (default) turns it off. Binary connections cannot authenticate this way: use it with {@link Protocol#ASCII}.
         */
        public Builder asciiAuthenticator(BiPredicate<String, String> authenticator) {
            this.asciiAuthenticator = authenticator;
            return this;
        }

        /** -o idle_timeout: close connections that sent nothing for this many seconds; 0 (default) never. */
        public Builder idleTimeoutSeconds(int seconds) {
            if (seconds < 0) throw new IllegalArgumentException("negative idle timeout");
            this.idleTimeout = seconds;
            return this;
        }

        /** -o hashpower: size the table for 2^n items at start; 0 (default) starts small and grows. */
        public Builder hashPower(int n) {
            if (n < 0 || n > 32) throw new IllegalArgumentException("hashpower out of range: " + n);
            this.hashPower = n;
            return this;
        }

        /** -v, -vv, -vvv: 0 to 3. Default 0. */
        public Builder verbosity(int v) {
            this.verbosity = Math.max(0, Math.min(3, v));
            return this;
        }

        /** -o no_lru_crawler / lru_crawler_sleep / lru_crawler_tocrawl: the background reclaimer of dead items. */
        public Builder lruCrawler(boolean on, int sleepMicros, int toCrawl) {
            this.lruCrawler = on;
            this.crawlerSleepMicros = Math.max(0, sleepMicros);
            this.crawlerToCrawl = Math.max(0, toCrawl);
            return this;
        }

        /** What "version" answers. Default "1.6.18", the memcached release the server follows. */
        public Builder version(String v) {
            this.version = Objects.requireNonNull(v);
            return this;
        }

        /** Where logs go. Default standard error. */
        public Builder logTo(PrintStream out) {
            this.logStream = Objects.requireNonNull(out);
            return this;
        }

        /** Serve this store instead of building one (memory settings then come from the store). */
        public Builder store(ItemStore store) {
            this.store = store;
            return this;
        }

        /** The channel's write buffer water marks: reading stops above {@code high}, resumes below {@code low}. */
        Builder outputWaterMarks(int low, int high) {
            if (low <= 0 || high < low) throw new IllegalArgumentException("bad water marks");
            this.outputLowWater = low;
            this.outputHighWater = high;
            return this;
        }

        /** Binds and starts serving. */
        public CacheServer start() throws IOException {
            return new CacheServer(new Config(this), store);
        }
    }

    /** The project's and Netty's versions, from the jar. */
    static final class Versions {
        private static final Properties P = new Properties();

        static {
            try (InputStream in = CacheServer.class.getResourceAsStream("version.properties")) {
                if (in != null) P.load(in);
            } catch (IOException ignored) {
                // defaults below
            }
        }

        private Versions() {
        }

        static String project() {
            String v = P.getProperty("version", "");
            return v.isEmpty() || v.startsWith("${") ? "dev" : v;
        }

        static String netty() {
            String v = P.getProperty("netty", "");
            return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
        }
    }
}
