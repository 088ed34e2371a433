package io.cuckoocache.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.Promise;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.io.FileWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop latency of memcached-protocol servers at fixed offered loads, A/B interleaved.
 *
 * <h2>Method</h2>
 * Request <i>i</i> of a step has an <b>intended send time</b> {@code start + i / rate}, fixed in advance; its latency
 * is the time from that intended time to the end of its reply. A server (or client) that falls behind therefore
 * shows the whole delay, including the time requests waited to be sent, so coordinated omission is not hidden. The
 * client is one Netty event loop: a timer task sends every request whose time has come (round robin over the
 * connections, each written without waiting for earlier replies) and re-arms itself for the next intended time;
 * replies are matched to requests in order per connection. The client's own lateness (actual send minus intended
 * time) is reported as "send lag": what of the latency is the client's.
 * <p>
 * The workload is memcaslap's shape: 90% get / 10% set (--set-percent), uniformly random keys among --keys
 * pre-loaded ones (so gets hit), --key-size byte keys, --value-size byte values; text or binary protocol.
 * Each step runs --warmup-ms (not recorded) then --measure-ms (recorded). Before the rounds each server gets one
 * unrecorded step at the lowest rate (JIT warm-up). Then per round, per rate, each server runs one step, the order
 * alternating (A B, then B A). Results: per step, and per rate the percentiles of all rounds merged, with each
 * server's ratios to the <b>last</b> one (the reference), the per-round p99 ratios and their median.
 * <p>
 * <b>Platform stalls.</b> A thread of the client sleeps 1 ms at a time and records by how much each sleep overran
 * (jHiccup's method); per step, the worst overrun during the measured window is reported as "stall". On a shared
 * machine the scheduler, the hypervisor and either JVM's safepoints stall everything now and then; a step whose
 * stall is as long as its p99.9 measured the machine there, not the server. Listing one server twice (an A/A
 * control, e.g. two memcached processes) shows how far two identical servers' ratios spread on this machine.
 * <p>
 * Bounded: every step sends at most rate x duration requests; at most --max-outstanding unanswered requests per
 * connection (further sends are counted as "unsent" and the step is marked saturated); a step whose replies do not
 * all arrive within 60 s after its end aborts the run.
 * <p>
 * Usage: {@code java -cp benchmarks.jar io.cuckoocache.bench.ServerLatency
 * --servers cuckoocache=127.0.0.1:P1,memcached=127.0.0.1:P2 [--protocol text|binary] [--rates 5000,20000,40000]
 * [--connections 16] [--rounds 2] [--warmup-ms 1000] [--measure-ms 4000] [--keys 100000] [--key-size 32]
 * [--value-size 1024] [--set-percent 10] [--max-outstanding 4096] [--csv file --csv-mode single --csv-rate 20000]}.
 * With --csv, appends the rows {@code protocol,mode,p50_us|p99_us|p999_us,first,last,ratio} of the merged
 * histograms at --csv-rate (the first server against the reference), and {@code p99_us_round_median}: the medians
 * of the two servers' per-round p99s and of the per-round ratios.
 */
public final class ServerLatency {
    private static final long HIGHEST = TimeUnit.SECONDS.toNanos(60);
    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(60);

    private ServerLatency() {
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    public static void main(String[] args) throws Exception {
        Args a = new Args(args);
        String[] servers = a.strings("--servers", "cuckoocache=127.0.0.1:11211");
        boolean binary = a.string("--protocol", "text").equals("binary");
        long[] rates = a.longs("--rates", "5000,20000,40000");
        int connections = (int) a.longs("--connections", "16")[0];
        int rounds = (int) a.longs("--rounds", "2")[0];
        long warmupNanos = TimeUnit.MILLISECONDS.toNanos(a.longs("--warmup-ms", "1000")[0]);
        long measureNanos = TimeUnit.MILLISECONDS.toNanos(a.longs("--measure-ms", "4000")[0]);
        Workload work = new Workload(binary, (int) a.longs("--keys", "100000")[0],
                (int) a.longs("--key-size", "32")[0], (int) a.longs("--value-size", "1024")[0],
                (int) a.longs("--set-percent", "10")[0]);
        int maxOutstanding = (int) a.longs("--max-outstanding", "4096")[0];
        String csv = a.string("--csv", "");

        String[] names = new String[servers.length];
        String[] addresses = new String[servers.length];
        for (int s = 0; s < servers.length; s++) {
            String[] nameAddress = servers[s].split("=", 2);
            names[s] = nameAddress[0];
            addresses[s] = nameAddress[1];
        }
        System.out.printf(Locale.ROOT, "protocol %s, %d connections per server, %d%% sets, %d keys of %d bytes, "
                        + "values of %d bytes, steps of %d ms warm-up + %d ms measured, %d rounds, rates %s/s%n",
                binary ? "binary" : "text", connections, work.setPercent, work.keys.length, work.keys[0].length,
                work.value.length, warmupNanos / 1_000_000, measureNanos / 1_000_000, rounds,
                Arrays.toString(rates));
        for (String address : addresses) preload(address, work);

        Stalls stalls = Stalls.start();
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        try {
            Replies[][] conns = new Replies[servers.length][];
            for (int s = 0; s < servers.length; s++) {
                conns[s] = connect(group, epoll, addresses[s], connections, binary, maxOutstanding);
            }
            EventLoop loop = group.next();
            // At the lowest rate: the warm-up is for the JIT, and must not bury a slow server in a queue.
            long low = Arrays.stream(rates).min().orElseThrow();
            for (int s = 0; s < servers.length; s++) {
                Step warm = new Step(loop, conns[s], work, low, warmupNanos, measureNanos, 1, stalls);
                System.out.println("warm-up " + names[s] + ": " + warm.run().describe());
            }
            Step[][][] done = new Step[rates.length][servers.length][rounds];
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < rates.length; i++) {
                    for (int k = 0; k < servers.length; k++) {
                        int s = (r + i) % 2 == 0 ? k : servers.length - 1 - k;
                        Step step = new Step(loop, conns[s], work, rates[i], warmupNanos, measureNanos,
                                1000L * r + i, stalls);
                        done[i][s][r] = step.run();
                        System.out.printf(Locale.ROOT, "round %d rate %d %s: %s%n", r + 1, rates[i], names[s],
                                step.describe());
                    }
                }
            }
            summarize(names, rates, done);
            if (!csv.isEmpty()) {
                writeCsv(csv, binary ? "binary" : "text", a.string("--csv-mode", "-"),
                        a.longs("--csv-rate", String.valueOf(rates[rates.length / 2]))[0], rates, done);
            }
        } finally {
            stalls.stop();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static void preload(String address, Workload work) throws IOException {
        try (TextClient client = new TextClient(address)) {
            for (byte[] key : work.keys) client.setNoreply(key, work.value);
            client.stats();
        }
    }

    private static Replies[] connect(EventLoopGroup group, boolean epoll, String address, int n, boolean binary,
                                     int maxOutstanding) throws InterruptedException {
        int colon = address.lastIndexOf(':');
        String host = address.substring(0, colon);
        int port = Integer.parseInt(address.substring(colon + 1));
        Replies[] conns = new Replies[n];
        for (int c = 0; c < n; c++) {
            Replies replies = new Replies(binary, maxOutstanding);
            Channel ch = new Bootstrap().group(group)
                    .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel channel) {
                            channel.pipeline().addLast(replies);
                        }
                    })
                    .connect(host, port).sync().channel();
            replies.channel = ch;
            conns[c] = replies;
        }
        return conns;
    }

    // ------------------------------------------------------------------------------------------ reporting

    private static void summarize(String[] names, long[] rates, Step[][][] done) {
        int ref = names.length - 1;
        System.out.println();
        System.out.println("Merged over rounds; latency from the intended send time, microseconds. Ratios are to "
                + names[ref] + ", the reference (< 1: faster than it); \"stall\" is the worst platform stall "
                + "seen during any of the server's measured windows.");
        System.out.println();
        System.out.println("| offered ops/s | server | achieved | p50 | p99 | p99.9 | max | stall | p50 ratio "
                + "| p99 ratio | p99.9 ratio | per-round p99 ratios | their median | saturated |");
        System.out.println("|" + "---|".repeat(14));
        for (int i = 0; i < rates.length; i++) {
            Histogram reference = merged(done[i][ref]);
            for (int s = 0; s < names.length; s++) {
                Histogram h = s == ref ? reference : merged(done[i][s]);
                double achieved = 0;
                long stall = 0;
                boolean saturated = false;
                for (Step step : done[i][s]) {
                    achieved += step.achievedPerSecond() / done[i][s].length;
                    stall = Math.max(stall, step.stalls.getMaxValue());
                    saturated |= step.saturated();
                }
                String ratios = "| | | | |";
                if (s != ref) {
                    double[] perRound = ratios(roundP99s(done[i][s]), roundP99s(done[i][ref]));
                    StringBuilder listed = new StringBuilder();
                    for (double ratio : perRound) {
                        listed.append(listed.length() > 0 ? " " : "").append(String.format(Locale.ROOT, "%.2f", ratio));
                    }
                    ratios = String.format(Locale.ROOT, "%.2f | %.2f | %.2f | %s | %.2f |",
                            us(h, 50) / us(reference, 50), us(h, 99) / us(reference, 99),
                            us(h, 99.9) / us(reference, 99.9), listed, median(perRound));
                }
                System.out.printf(Locale.ROOT, "| %d | %s | %.0f | %.1f | %.1f | %.1f | %.1f | %.1f | %s %s |%n",
                        rates[i], names[s], achieved, us(h, 50), us(h, 99), us(h, 99.9), h.getMaxValue() / 1e3,
                        stall / 1e3, ratios, saturated ? "yes" : "no");
            }
        }
    }

    private static Histogram merged(Step[] rounds) {
        Histogram all = new Histogram(HIGHEST, 3);
        for (Step step : rounds) all.add(step.latency);
        return all;
    }

    /** Each round's p99 of one server, microseconds. */
    private static double[] roundP99s(Step[] rounds) {
        double[] p99 = new double[rounds.length];
        for (int r = 0; r < rounds.length; r++) p99[r] = us(rounds[r].latency, 99);
        return p99;
    }

    private static double[] ratios(double[] a, double[] b) {
        double[] q = new double[a.length];
        for (int r = 0; r < a.length; r++) q[r] = a[r] / b[r];
        return q;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static void writeCsv(String file, String protocol, String mode, long rate, long[] rates,
                                 Step[][][] done) throws IOException {
        int i = 0;
        while (i < rates.length && rates[i] != rate) i++;
        if (i == rates.length) throw new IllegalArgumentException("--csv-rate " + rate + " is not in --rates");
        Histogram first = merged(done[i][0]);
        Histogram last = merged(done[i][done[i].length - 1]);
        try (PrintWriter w = new PrintWriter(new FileWriter(file, StandardCharsets.UTF_8, true))) {
            String[] metrics = {"p50_us", "p99_us", "p999_us"};
            double[] percentiles = {50, 99, 99.9};
            for (int m = 0; m < metrics.length; m++) {
                double f = us(first, percentiles[m]);
                double l = us(last, percentiles[m]);
                w.printf(Locale.ROOT, "%s,%s,%s,%.1f,%.1f,%.3f%n", protocol, mode, metrics[m], f, l, f / l);
            }
            // What the Markdown table calls "their median": less swayed by one round's platform stall.
            double[] firstP99 = roundP99s(done[i][0]);
            double[] lastP99 = roundP99s(done[i][done[i].length - 1]);
            w.printf(Locale.ROOT, "%s,%s,p99_us_round_median,%.1f,%.1f,%.3f%n", protocol, mode, median(firstP99),
                    median(lastP99), median(ratios(firstP99, lastP99)));
        }
    }

    private static double us(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1e3;
    }

    // ------------------------------------------------------------------------------------------ workload

    /** Pre-built keys, value and request encodings. */
    private static final class Workload {
        final boolean binary;
        final byte[][] keys;
        final byte[] value;
        final int setPercent;
        private final byte[] setTail;

        Workload(boolean binary, int keyCount, int keySize, int valueSize, int setPercent) {
            this.binary = binary;
            this.setPercent = setPercent;
            keys = new byte[keyCount][];
            for (int i = 0; i < keyCount; i++) {
                String digits = Integer.toString(i);
                keys[i] = ascii("lat:" + "0".repeat(Math.max(0, keySize - 4 - digits.length())) + digits);
            }
            value = new byte[valueSize];
            for (int i = 0; i < valueSize; i++) value[i] = (byte) ('A' + i % 26);
            setTail = ascii(" 0 0 " + valueSize + "\r\n");
        }

        /** Writes a get or a set of a random key into {@code buf}. */
        void request(ByteBuf buf, SplittableRandom random) {
            byte[] key = keys[random.nextInt(keys.length)];
            boolean set = random.nextInt(100) < setPercent;
            if (binary) {
                int extras = set ? 8 : 0;
                int body = extras + key.length + (set ? value.length : 0);
                buf.writeByte(0x80).writeByte(set ? 0x01 : 0x00).writeShort(key.length).writeByte(extras)
                        .writeByte(0).writeShort(0).writeInt(body).writeInt(0).writeLong(0);
                if (set) buf.writeInt(0).writeInt(0);
                buf.writeBytes(key);
                if (set) buf.writeBytes(value);
            } else if (set) {
                buf.writeBytes(SET).writeBytes(key).writeBytes(setTail).writeBytes(value).writeBytes(CRLF);
            } else {
                buf.writeBytes(GET).writeBytes(key).writeBytes(CRLF);
            }
        }

        int maxRequestBytes() {
            return 64 + keys[0].length + value.length;
        }

        private static final byte[] GET = ascii("get ");
        private static final byte[] SET = ascii("set ");
        private static final byte[] CRLF = ascii("\r\n");
    }

    // ------------------------------------------------------------------------------------------ one step

    /** One server at one offered load: sends on the client's event loop, records as replies arrive. */
    private static final class Step {
        private final EventLoop loop;
        private final Replies[] conns;
        private final Workload work;
        private final long rate;
        private final long warmupNanos;
        private final long total;
        private final SplittableRandom random;
        final Histogram latency = new Histogram(HIGHEST, 3);
        final Histogram sendLag = new Histogram(HIGHEST, 3);
        /** The platform's stalls during the measured window (see {@link Stalls}). */
        Histogram stalls;
        private final Stalls meter;
        private final long measureNanos;
        private long start;
        private long measureFrom;
        private long next;
        private long answered;
        private long measuredAnswered;
        private long unsent;
        private long misses;
        private long errors;
        private long lastReply;
        private Promise<Void> finished;

        Step(EventLoop loop, Replies[] conns, Workload work, long rate, long warmupNanos, long measureNanos,
             long seed, Stalls meter) {
            this.loop = loop;
            this.meter = meter;
            this.conns = conns;
            this.work = work;
            this.rate = rate;
            this.warmupNanos = warmupNanos;
            this.measureNanos = measureNanos;
            this.total = (warmupNanos + measureNanos) * rate / 1_000_000_000L;
            this.random = new SplittableRandom(seed);
        }

        Step run() throws InterruptedException {
            finished = loop.newPromise();
            loop.execute(() -> {
                start = System.nanoTime();
                measureFrom = start + warmupNanos;
                for (Replies c : conns) c.step = this;
                loop.schedule(meter::sinceLast, warmupNanos, TimeUnit.NANOSECONDS); // drops the warm-up's stalls
                tick();
            });
            if (!finished.await(warmupNanos + measureNanos + DRAIN_NANOS + TimeUnit.SECONDS.toNanos(5),
                    TimeUnit.NANOSECONDS) || !finished.isSuccess()) {
                throw new IllegalStateException("step at " + rate + "/s did not finish: " + describe());
            }
            stalls = meter.sinceLast();
            return this;
        }

        private long intended(long i) {
            return start + i * 1_000_000_000L / rate;
        }

        /** Sends what is due, then re-arms for the next intended time (or waits for the last replies). */
        private void tick() {
            long now = System.nanoTime();
            boolean wrote = false;
            while (next < total && intended(next) <= now) {
                long at = intended(next);
                Replies c = conns[(int) (next % conns.length)];
                if (c.canSend()) {
                    ByteBuf buf = c.channel.alloc().ioBuffer(work.maxRequestBytes());
                    work.request(buf, random);
                    c.sent(at);
                    c.channel.write(buf, c.channel.voidPromise());
                    if (at >= measureFrom) sendLag.recordValue(Math.min(HIGHEST, now - at));
                    wrote = true;
                } else {
                    unsent++;
                }
                next++;
            }
            if (wrote) {
                for (Replies c : conns) c.channel.flush();
            }
            if (next < total) {
                loop.schedule(this::tick, Math.max(0, intended(next) - System.nanoTime()), TimeUnit.NANOSECONDS);
            } else {
                checkDone();
                if (!finished.isDone()) loop.schedule(this::drainTimeout, DRAIN_NANOS, TimeUnit.NANOSECONDS);
            }
        }

        void reply(long intendedAt, boolean miss, boolean error) {
            long now = System.nanoTime();
            answered++;
            lastReply = now;
            if (miss) misses++;
            if (error) errors++;
            if (intendedAt >= measureFrom) {
                latency.recordValue(Math.min(HIGHEST, now - intendedAt));
                measuredAnswered++;
            }
            if (next == total) checkDone();
        }

        private void checkDone() {
            if (answered + unsent == total) finished.trySuccess(null);
        }

        private void drainTimeout() {
            finished.tryFailure(new IllegalStateException("replies missing 60 s after the step"));
        }

        double achievedPerSecond() {
            long last = Math.max(lastReply, start + warmupNanos + measureNanos);
            return measuredAnswered * 1e9 / (last - measureFrom);
        }

        boolean saturated() {
            return unsent > 0 || achievedPerSecond() < 0.95 * rate;
        }

        String describe() {
            return String.format(Locale.ROOT, "sent %d answered %d achieved %.0f/s | latency us p50 %.1f p90 %.1f "
                            + "p99 %.1f p99.9 %.1f max %.1f | send lag us p50 %.1f p99 %.1f | stall max us %.1f "
                            + "| misses %d errors %d unsent %d%s", next - unsent, answered, achievedPerSecond(),
                    us(latency, 50), us(latency, 90), us(latency, 99), us(latency, 99.9), latency.getMaxValue() / 1e3,
                    us(sendLag, 50), us(sendLag, 99), stalls == null ? 0 : stalls.getMaxValue() / 1e3, misses,
                    errors, unsent, saturated() ? " SATURATED" : "");
        }
    }

    // ------------------------------------------------------------------------------------------ platform stalls

    /**
     * jHiccup's method, without its agent: a daemon thread sleeps 1 ms at a time and records how far each sleep
     * overran. A stall here is the machine's (or this JVM's, at a safepoint), and it delayed the client's event loop
     * as much.
     */
    private static final class Stalls implements Runnable {
        private static final long NAP = TimeUnit.MILLISECONDS.toNanos(1);
        private final Recorder recorder = new Recorder(HIGHEST, 3);
        private volatile boolean running = true;

        static Stalls start() {
            Stalls stalls = new Stalls();
            Thread thread = new Thread(stalls, "stall-meter");
            thread.setDaemon(true);
            thread.start();
            return stalls;
        }

        @Override
        public void run() {
            while (running) {
                long before = System.nanoTime();
                LockSupport.parkNanos(NAP);
                recorder.recordValue(Math.min(HIGHEST, Math.max(0, System.nanoTime() - before - NAP)));
            }
        }

        /** The overruns recorded since the last call. */
        Histogram sinceLast() {
            return recorder.getIntervalHistogram();
        }

        void stop() {
            running = false;
        }
    }

    // ------------------------------------------------------------------------------------------ replies

    /** One connection: the intended send times of its unanswered requests, and the reply parser. */
    private static final class Replies extends ByteToMessageDecoder {
        private final boolean binary;
        private final long[] pending;
        private int head;
        private int size;
        Channel channel;
        Step step;
        /** Text: the data block still to skip (-1: none), and whether this get had a VALUE. */
        private int skip = -1;
        private boolean hit;

        Replies(boolean binary, int maxOutstanding) {
            this.binary = binary;
            this.pending = new long[maxOutstanding];
        }

        boolean canSend() {
            return size < pending.length;
        }

        void sent(long intendedAt) {
            pending[(head + size) % pending.length] = intendedAt;
            size++;
        }

        private void complete(boolean miss, boolean error) {
            if (size == 0) throw new IllegalStateException("a reply without a request");
            long at = pending[head];
            head = (head + 1) % pending.length;
            size--;
            step.reply(at, miss, error);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            if (binary) {
                decodeBinary(in);
            } else {
                decodeText(in);
            }
        }

        private void decodeBinary(ByteBuf in) {
            while (in.readableBytes() >= 24) {
                int r = in.readerIndex();
                long length = 24 + in.getUnsignedInt(r + 8);
                if (in.readableBytes() < length) return;
                int status = in.getUnsignedShort(r + 6);
                in.skipBytes((int) length);
                complete(status == 0x0001, status != 0 && status != 0x0001);
            }
        }

        private void decodeText(ByteBuf in) {
            while (true) {
                if (skip >= 0) {
                    if (in.readableBytes() < skip) return;
                    in.skipBytes(skip);
                    skip = -1;
                }
                int from = in.readerIndex();
                int eol = in.indexOf(from, in.writerIndex(), (byte) '\n');
                if (eol < 0) return;
                in.readerIndex(eol + 1);
                if (startsWith(in, from, eol, VALUE)) {
                    skip = lastNumber(in, from, eol) + 2;
                    hit = true;
                } else if (startsWith(in, from, eol, END)) {
                    complete(!hit, false);
                    hit = false;
                } else {
                    complete(false, !startsWith(in, from, eol, STORED));
                }
            }
        }

        /** Whether the line [from, eol) begins with {@code prefix} (the reply lines are parsed without Strings). */
        private static boolean startsWith(ByteBuf in, int from, int eol, byte[] prefix) {
            if (eol - from < prefix.length) return false;
            for (int i = 0; i < prefix.length; i++) {
                if (in.getByte(from + i) != prefix[i]) return false;
            }
            return true;
        }

        /** The decimal number that ends the line [from, eol) before its CR: a VALUE line's byte count. */
        private static int lastNumber(ByteBuf in, int from, int eol) {
            int end = eol;
            while (end > from && (in.getByte(end - 1) == '\r' || in.getByte(end - 1) == ' ')) end--;
            int begin = end;
            while (begin > from && Character.isDigit(in.getByte(begin - 1))) begin--;
            int n = 0;
            for (int i = begin; i < end; i++) n = n * 10 + (in.getByte(i) - '0');
            return n;
        }

        private static final byte[] VALUE = ascii("VALUE ");
        private static final byte[] END = ascii("END\r");
        private static final byte[] STORED = ascii("STORED\r");
    }
}
