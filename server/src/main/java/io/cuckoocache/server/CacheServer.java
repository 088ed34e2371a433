package io.cuckoocache.server;

import io.cuckoocache.store.ItemStore;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
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
 * model), or, with {@link ServerConfig.Builder#reusePort}, every loop has its own listening socket on the same port
 * (SO_REUSEPORT) and serves what it accepts, so the kernel spreads connections and no connection changes thread.
 *
 * <h2>Limits</h2>
 * More than {@code maxConnections} clients: the extra ones get memcached's "ERROR Too many open connections" and are
 * closed (or, with maxconns_fast off, the server stops accepting until one leaves). Idle connections close after the
 * idle timeout, if set. A client that does not read its replies stops being read (see {@link ConnectionHandler}).
 *
 * <h2>Parts</h2>
 * This class is the lifecycle: transport, event loops, listeners, stopping. The settings are a validated
 * {@link ServerConfig}; who gets a connection is {@link Admission}; one connection is a {@link ConnectionHandler}
 * driving a protocol {@code Session} made by {@link Sessions}; {@code stats} is {@link StatsReport}, counted by
 * {@link ServerStats}.
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

    final ServerConfig config;
    final Log log;
    final ServerStats stats = new ServerStats();
    final ItemStore store;
    private final boolean ownsStore;
    final Sessions sessions;
    private final StatsReport statsReport;
    private final NetTransport transport;
    private final EventLoopGroup group;
    private final int loops;
    private final List<Channel> listeners = new ArrayList<>();
    private final List<Integer> listenerIds = new ArrayList<>();
    final Set<ConnectionHandler> connections = ConcurrentHashMap.newKeySet();
    /** Numbers for "stats conns": listeners and connections count from one sequence, as memcached's fds do. */
    final AtomicInteger ids = new AtomicInteger();
    final AtomicBoolean stopping = new AtomicBoolean();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final Admission admission;
    /** -Z: the TLS context; null when TLS is off. */
    final Tls tls;
    /** Under -Z, the "notls:" listeners' addresses (the startup line marks them). */
    private final Set<InetSocketAddress> plainUnderTls = ConcurrentHashMap.newKeySet();
    /** -o metrics_port's HTTP server, or null when off. */
    private final MetricsServer metrics;

    private CacheServer(ServerConfig config) throws IOException {
        this.config = config;
        this.log = new Log(config.verbosity, config.logStream);
        StringBuilder warnings = new StringBuilder();
        this.transport = NetTransport.choose(config.transport, warnings);
        if (warnings.length() > 0) log.notice(warnings.toString().trim());
        // Before the store: a memory file (-e) is consumed by the restore, so nothing may fail after it but binding.
        try {
            this.tls = config.tls == null ? null : new Tls(config.tls);
        } catch (Tls.LoadException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (config.store != null) {
            this.store = config.store;
            this.ownsStore = false;
        } else {
            this.store = config.memoryFile != null ? MemoryFile.restoreOrColdStart(config, this::newStore, log)
                    : newStore();
            this.ownsStore = true;
            if (config.lruCrawler) {
                // memcached's crawler sleeps lru_crawler_sleep µs per item: as many slots, in 100 ms passes.
                int perPass = (int) Math.max(1, Math.min(1 << 20, 100_000L / Math.max(1, config.crawlerSleepMicros)));
                if (config.crawlerToCrawl > 0) perPass = Math.min(perPass, config.crawlerToCrawl);
                store.startReclaimer(Duration.ofMillis(100), perPass);
            }
        }
        this.loops = config.mode == Mode.SINGLE ? 1 : config.threads;
        this.admission = new Admission(this);
        this.statsReport = new StatsReport(this);
        this.sessions = new Sessions(store, config, log, statsReport,
                counted(config.authenticator != null ? config.authenticator : config.asciiAuthenticator), tls);
        this.group = new MultiThreadIoEventLoopGroup(loops,
                new DefaultThreadFactory("cuckoocache-" + config.mode.name().toLowerCase(Locale.ROOT)),
                transport.handler.get());
        try {
            bind();
            metrics = config.metricsPort < 0 ? null : new MetricsServer(new MetricsReport(this, group),
                    resolve(config.listen, 0), config.metricsPort, log);
        } catch (IOException | RuntimeException e) {
            // Awaited: io_uring frees a listening port only once its close completes.
            for (Channel ch : listeners) ch.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            if (ownsStore) store.close();
            // The restored items' file is consumed: put them back rather than lose them to a busy port.
            if (config.memoryFile != null && store.stats().get("curr_items") > 0) MemoryFile.save(store, config, log);
            throw e;
        }
    }

    private ItemStore newStore() {
        ItemStore.Builder b = config.storeBuilder();
        if (config.hashPower > 0) b.initialCapacity(1 << Math.min(config.hashPower, 30));
        ItemStore s = b.build();
        if (config.trackSizes) s.sizesEnable();
        return s;
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
    public static ServerConfig.Builder builder() {
        return new ServerConfig.Builder();
    }

    /**
     * Binds and starts serving.
     *
     * @param config the settings
     * @return the running server
     * @throws IOException if it cannot listen
     */
    public static CacheServer start(ServerConfig config) throws IOException {
        return new CacheServer(config);
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
        List<InetSocketAddress> bound = new ArrayList<>();
        for (String entry : config.listen) {
            for (String part : entry.split(",")) {
                if (part.isBlank()) continue;
                boolean secure = tls != null && !part.trim().startsWith(NOTLS);
                for (InetSocketAddress wanted : resolve(List.of(part), config.port)) {
                    if (wanted.getPort() != 0 && bound.contains(wanted)) continue;
                    bound.add(wanted);
                    bindAddress(loopList, wanted, reusePort, secure);
                }
            }
        }
    }

    private void bindAddress(List<EventLoop> loopList, InetSocketAddress wanted, boolean reusePort, boolean secure)
            throws IOException {
        if (config.mode == Mode.SINGLE) {
            bindOne(loopList.get(0), loopList.get(0), wanted, false, secure);
        } else if (!reusePort) {
            bindOne(group, group, wanted, false, secure);
        } else {
            InetSocketAddress address = wanted;
            for (EventLoop l : loopList) {
                Channel ch = bindOne(l, l, address, true, secure);
                // An ephemeral port (0) is chosen by the first bind; the other loops join it.
                address = new InetSocketAddress(wanted.getAddress(), ((InetSocketAddress) ch.localAddress()).getPort());
            }
        }
    }

    private Channel bindOne(EventLoopGroup parent, EventLoopGroup child, InetSocketAddress address, boolean reusePort,
                            boolean secure) throws IOException {
        ServerBootstrap b = new ServerBootstrap()
                .group(parent, child)
                .channel(transport.serverChannel)
                .option(ChannelOption.SO_BACKLOG, config.backlog)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(config.outputLowWater, config.outputHighWater))
                .childHandler(admission);
        if (reusePort) b.option(transport.reusePort, true);
        transport.configureConnections(b);
        if (secure) b.childAttr(Tls.ON, Boolean.TRUE);
        ChannelFuture f = b.bind(address).awaitUninterruptibly();
        if (!f.isSuccess()) {
            Throwable c = f.cause();
            String why = c == null ? "unknown error" : c.getMessage();
            BindException e = new BindException("failed to listen on TCP port " + address.getPort() + " of "
                    + address.getAddress().getHostAddress() + ": " + why);
            if (c != null) e.initCause(c);
            throw e;
        }
        if (tls != null && !secure) plainUnderTls.add((InetSocketAddress) f.channel().localAddress());
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
                if (s.startsWith(NOTLS)) s = s.substring(NOTLS.length());
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

    /** memcached's -l prefix for a plain listener under -Z. */
    static final String NOTLS = "notls:";

    private static int parsePort(String s, String raw) throws UnknownHostException {
        try {
            int p = Integer.parseInt(s);
            if (p < 0 || p > 65535) throw new NumberFormatException();
            return p;
        } catch (NumberFormatException e) {
            throw new UnknownHostException("bad port in address: " + raw);
        }
    }

    List<Channel> listenersSnapshot() {
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

    /** The startup line: what listens where, on which transport and mode, on which JDK and collector. */
    String describe() {
        StringBuilder sb = new StringBuilder("cuckoocache ").append(Versions.project())
                .append(" (memcached ").append(config.version).append(" protocol) listening on ");
        List<InetSocketAddress> as = distinctAddresses();
        for (int i = 0; i < as.size(); i++) {
            if (i > 0) sb.append(", ");
            InetSocketAddress a = as.get(i);
            String host = a.getAddress().getHostAddress();
            sb.append(host.indexOf(':') >= 0 ? "[" + host + "]" : host).append(':').append(a.getPort());
            if (plainUnderTls.contains(a)) sb.append(" (notls)");
        }
        sb.append(" | transport ").append(transport.displayName())
                .append(transport.receiveRing ? " (multishot recv, buffer ring)" : "")
                .append(" | mode ").append(config.mode.name().toLowerCase(Locale.ROOT));
        if (config.mode == Mode.SMP) {
            sb.append(" (").append(loops).append(" event loops");
            if (listenersSnapshot().size() > as.size()) sb.append(", SO_REUSEPORT listener per loop");
            sb.append(')');
        }
        sb.append(" | protocol ").append(protocolName())
                .append(" | memory ").append(store.memoryLimit() >> 20).append(" MB")
                .append(" | max connections ").append(config.maxConnections)
                .append(tls == null ? "" : " | tls " + tls.engineName())
                .append(" | java ").append(System.getProperty("java.version")).append(' ').append(collector());
        if (metrics != null) {
            for (InetSocketAddress a : metrics.addresses()) {
                String host = a.getAddress().getHostAddress();
                sb.append(" | metrics http://").append(host.indexOf(':') >= 0 ? "[" + host + "]" : host)
                        .append(':').append(a.getPort()).append(MetricsServer.PATH);
            }
        }
        return sb.toString();
    }

    /** The collector's short name ("ZGC", "Shenandoah", "G1"): the first word of its first MXBean's name. */
    private static String collector() {
        List<GarbageCollectorMXBean> gcs = ManagementFactory.getGarbageCollectorMXBeans();
        return gcs.isEmpty() ? "unknown" : gcs.get(0).getName().split(" ", 2)[0];
    }

    String protocolName() {
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
     * sub-command the server does not know. Read only: {@code stats reset} is the sessions' (through
     * {@link StatsReport#reset}).
     */
    public Map<String, String> stats(String sub) {
        return statsReport.section(sub == null ? "" : sub);
    }

    /** The metrics endpoint's addresses (-o metrics_port); empty when it is off. */
    List<InetSocketAddress> metricsAddresses() {
        return metrics == null ? List.of() : metrics.addresses();
    }

    /** Whether new connections are being accepted now (for "stats": accepting_conns). */
    boolean accepting() {
        return !admission.paused() && !stopping.get();
    }

    /** The listening channels with their "stats conns" numbers, in order. */
    Map<Integer, Channel> listenersById() {
        Map<Integer, Channel> m = new LinkedHashMap<>();
        synchronized (listeners) {
            for (int i = 0; i < listeners.size(); i++) m.put(listenerIds.get(i), listeners.get(i));
        }
        return m;
    }

    /** The listening addresses, each once (SO_REUSEPORT binds one address several times). */
    List<InetSocketAddress> distinctAddresses() {
        List<InetSocketAddress> as = new ArrayList<>();
        for (InetSocketAddress a : addresses()) if (!as.contains(a)) as.add(a);
        return as;
    }

    /** The transport's name, as the startup line and "stats settings" show it. */
    String transportName() {
        return transport.displayName();
    }

    // ---------------------------------------------------------------- stopping

    /**
     * Stops the server without blocking: closes the listening sockets, lets each connection write what it has
     * queued and closes it, stops the event loops, then the store's background work. Safe from any thread, also an
     * event loop; repeated calls return the same future.
     */
    public CompletableFuture<Void> closeAsync() {
        return stopAsync(false);
    }

    /**
     * memcached's graceful stop (SIGUSR1, "shutdown graceful"): as {@link #closeAsync}, then, with a memory file
     * (-e), writes every live item to it once the event loops have stopped, before the future completes. Without
     * one, the same as {@link #closeAsync}. If a stop is already under way, it goes on as it began.
     */
    public CompletableFuture<Void> closeAndSaveAsync() {
        return stopAsync(true);
    }

    private CompletableFuture<Void> stopAsync(boolean save) {
        if (stopping.compareAndSet(false, true)) {
            Thread t = new Thread(() -> stop(save), "cuckoocache-shutdown");
            t.setDaemon(false);
            t.start();
        }
        return terminated;
    }

    /** Stops the server (without saving, see {@link #closeAndSaveAsync}) and waits up to 15 seconds for it. */
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

    private void stop(boolean save) {
        try {
            for (Channel l : listenersSnapshot()) l.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
            if (metrics != null) metrics.close();
            admission.closeWaiting();
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
            // Nothing serves any more: the walk sees a quiet store, off the event loops.
            if (save && config.memoryFile != null) MemoryFile.save(store, config, log);
            log.trace("cuckoocache: server stopped");
            terminated.complete(null);
        } catch (Throwable t) {
            terminated.completeExceptionally(t);
        }
    }

    // ---------------------------------------------------------------- settings

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
