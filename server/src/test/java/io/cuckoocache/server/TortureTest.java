package io.cuckoocache.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import com.sun.management.UnixOperatingSystemMXBean;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A live server (SMP mode, started by ./cuckoocache in a child JVM: {@link ChildServer}) tortured phase by phase —
 * garbage and absurd frames, clients that never read, 1 MB sets far beyond -m, 10,000 idle connections and a flood
 * beyond -c — while well-behaved clients (text and binary) on other connections write and read back their own keys
 * the whole time and must get exactly what they wrote (or, while the store evicts, a miss). After each phase the
 * server must hold only the baseline connections again. The heap is the launcher's for -m 256 (588 MB) with
 * -XX:+ExitOnOutOfMemoryError, so running out of heap ends the server and fails the test. At the end, after a
 * full collection: the live objects are the store's items and at most {@link #LEFTOVER_BOUND_MB} more (no state left
 * behind), and the heap the collector spends on them (GC log) is within the launcher's 1.3 x -m; and the collector
 * never ran short (no G1 full collection of its own, no ZGC allocation stall).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TortureTest {
    static final int MEMORY_LIMIT_MB = 256;
    /** Heap per idle connection: a read buffer (64 KB) would exceed it many times. */
    static final int IDLE_CONNECTION_BOUND_BYTES = 8192;
    /** What may be live besides the items once every client of the phases has gone. */
    static final int LEFTOVER_BOUND_MB = 32;
    /**
     * -c: 10,100, so that 10,000 and more idle connections fill it. Each side holds one descriptor per connection,
     * so where the descriptor limit (the JVM raises its soft limit to the hard one) is lower, fewer, and it says so.
     */
    static final int MAX_CONNECTIONS = Math.min(10_100, (int) descriptorLimit() - 500);
    static final String VERSION = "VERSION " + CacheServer.MEMCACHED_VERSION;

    private static long descriptorLimit() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount() : 20_000;
    }

    private ChildServer server;
    private GoodClients good;
    private long baseline;

    @BeforeAll
    void start() throws Exception {
        server = ChildServer.start("--mode=smp", "-t", "2", "-m", Integer.toString(MEMORY_LIMIT_MB), "-I", "2m", "-c",
                Integer.toString(MAX_CONNECTIONS));
        good = new GoodClients(server.port);
        good.start();
        assertTrue(eventually(10_000, () -> server.stat("curr_connections") == GoodClients.THREADS + 1));
        baseline = server.stat("curr_connections"); // the good clients and the stats connection
    }

    @AfterAll
    void stop() throws Exception {
        if (good != null) good.stop();
        if (server != null) server.close();
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    private static boolean eventually(long millis, Condition c) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            if (c.holds()) return true;
            Thread.sleep(20);
        }
        return c.holds();
    }

    /** Where the good clients and the store were when a phase began. */
    private record Before(long[] ops, long misses, long evictions) {
    }

    private Before before() throws IOException {
        return new Before(good.ops(), good.misses.get(), server.stat("evictions"));
    }

    /** After a phase: no wrong answer anywhere, the good clients progressed, nothing of the phase is left over. */
    private void afterPhase(String phase, Before before) throws Exception {
        good.assertNoFailures(phase);
        good.assertProgressSince(before.ops, phase);
        if (server.stat("evictions") == before.evictions) {
            assertEquals(before.misses, good.misses.get(),
                    phase + ": a good client missed its own key while nothing was evicted");
        }
        assertTrue(eventually(15_000, () -> server.stat("curr_connections") == baseline
                        && server.connectionsHeld() == baseline),
                phase + ": connections left over: curr_connections " + server.stat("curr_connections")
                        + ", held " + server.connectionsHeld() + ", baseline " + baseline);
        assertTrue(server.process.isAlive(), phase + ": the server died: " + server.output());
    }

    // ------------------------------------------------------------------ phase 1: garbage

    /** One malformed input on its own connection, and what must follow it. */
    private record Garbage(String name, byte[] bytes, Expectation then) {
    }

    interface Expectation {
        void check(Raw c) throws IOException;
    }

    private static Expectation lines(String... expected) {
        return c -> {
            for (String e : expected) assertEquals(e, c.line());
        };
    }

    private static Expectation closed() {
        return c -> assertTrue(c.closedByServer(5000), "the server closes the connection");
    }

    /** What a binary connection does after an error status. */
    enum After { IN_STEP, CLOSED, SWALLOWING }

    /** A binary reply with this status for this opcode, then: a NOOP answered, a close, or silence. */
    private static Expectation binary(int opcode, int status, After after) {
        return c -> {
            Raw.Response r = c.response();
            assertEquals(0x81, r.magic);
            assertEquals(opcode, r.opcode);
            assertEquals(status, r.status);
            switch (after) {
                case CLOSED -> assertTrue(c.closedByServer(5000), "closed after status " + status);
                case SWALLOWING -> {
                    c.send(Raw.packet(0x0a, new byte[0], new byte[0], new byte[0], 0));
                    assertTrue(c.silentFor(200), "the declared body is swallowed, a NOOP with it");
                }
                case IN_STEP -> {
                    c.send(Raw.packet(0x0a, new byte[0], new byte[0], new byte[0], 0));
                    assertEquals(0x0a, c.response().opcode, "in step after status " + status);
                }
            }
        };
    }

    private static byte[] header(int opcode, int keyLength, int extrasLength, int bodyLength) {
        return ByteBuffer.allocate(24).order(ByteOrder.BIG_ENDIAN).put((byte) 0x80).put((byte) opcode)
                .putShort((short) keyLength).put((byte) extrasLength).put((byte) 0).putShort((short) 0)
                .putInt(bodyLength).putInt(0).putLong(0).array();
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    private static byte[] repeat(String s, int times) {
        return s.repeat(times).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static List<Garbage> garbage() {
        byte[] version = Raw.ascii("version\r\n");
        byte[] noop = header(0x0a, 0, 0, 0);
        return List.of(
                new Garbage("negative byte count", concat(Raw.ascii("set k 0 0 -1\r\n"), version),
                        lines("CLIENT_ERROR bad command line format", VERSION)),
                // memcached keeps the byte count in an int32: 2^32 becomes 0, so "ve" is the (bad) data block.
                new Garbage("byte count 2^32", concat(Raw.ascii("set k 0 0 4294967296\r\n"), version),
                        lines("CLIENT_ERROR bad data chunk", "ERROR")),
                // Refused at once; the 2 GB that would follow are swallowed as they come, never buffered.
                new Garbage("2 GB declared, 8 MB sent", concat(Raw.ascii("set k 0 0 2000000000\r\n"),
                        new byte[8 << 20]), lines("SERVER_ERROR object too large for cache")),
                new Garbage("endless line", repeat("x", 4 << 20), closed()),
                new Garbage("endless multi-get", concat(Raw.ascii("get "), repeat("nokey ", 400_000),
                        Raw.ascii("\r\n"), version), lines("END", VERSION)),
                new Garbage("key of 300 bytes", concat(Raw.ascii("get " + "a".repeat(300) + "\r\n"), version),
                        lines("CLIENT_ERROR bad command line format", VERSION)),
                new Garbage("incr by 10^30", concat(Raw.ascii("incr k 1000000000000000000000000000000\r\n"),
                        version), lines("CLIENT_ERROR invalid numeric delta argument", VERSION)),
                new Garbage("CRs and NULs", concat(Raw.ascii("\r\r\r\n\u0000\u0001\u0002\r\n"), version),
                        lines("ERROR", "ERROR", VERSION)),
                new Garbage("value cut short", Raw.ascii("set k 0 0 10\r\nabc"), c -> assertTrue(c.silentFor(200))),
                new Garbage("binary body length 2^31-1", concat(header(0x01, 3, 8, Integer.MAX_VALUE),
                        new byte[8], Raw.ascii("abc")), binary(0x01, 0x03, After.SWALLOWING)),
                new Garbage("binary body length 2^32-1", concat(header(0x01, 3, 8, -1), new byte[8],
                        Raw.ascii("abc")), binary(0x01, 0x03, After.SWALLOWING)),
                new Garbage("binary bad magic", concat(noop, new byte[] {0x42}, Arrays.copyOfRange(noop, 1, 24)),
                        c -> {
                            assertEquals(0x0a, c.response().opcode);
                            assertTrue(c.closedByServer(5000), "closed at the bad magic");
                        }),
                new Garbage("binary header cut short", Arrays.copyOf(noop, 10), c -> assertTrue(c.silentFor(200))),
                new Garbage("binary key longer than the body", concat(header(0x00, 100, 0, 10), new byte[10]),
                        binary(0x00, 0x81, After.CLOSED)),
                new Garbage("binary extras longer than the body", concat(header(0x00, 0, 200, 10), new byte[10]),
                        binary(0x00, 0x81, After.CLOSED)),
                new Garbage("binary unknown opcode with extras", concat(header(0x70, 0, 4, 4), new byte[4]),
                        binary(0x70, 0x81, After.IN_STEP)),
                new Garbage("binary key of 60,000 bytes", concat(header(0x00, 60_000, 0, 60_000),
                        new byte[60_000]), binary(0x00, 0x04, After.CLOSED)),
                new Garbage("binary set of 3 MB", concat(header(0x01, 1, 8, 3_000_009), new byte[8],
                        Raw.ascii("k"), new byte[3_000_000]), binary(0x01, 0x03, After.IN_STEP)));
    }

    private static void sendIgnoringClose(Raw c, byte[] bytes) {
        try {
            c.send(bytes);
        } catch (IOException e) {
            // the server may close before everything is sent (an endless line): the expectation says
            // whether that was right
        }
    }

    @Test
    @Order(1)
    void garbageOnSomeConnectionsWhileOthersGetExactAnswers() throws Exception {
        Before before = before();
        List<Garbage> all = garbage();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (Garbage g : all) {
                    done.add(pool.submit(() -> {
                        try (Raw c = new Raw(server.port)) {
                            sendIgnoringClose(c, g.bytes);
                            g.then.check(c);
                        } catch (AssertionError | IOException e) {
                            throw new AssertionError(g.name + ": " + e, e);
                        }
                        return null;
                    }));
                }
                // Random bytes (never starting with the binary magic), seeded: any reply or a close, no hang.
                for (int i = 0; i < 10; i++) {
                    long seed = round * 100L + i;
                    done.add(pool.submit(() -> {
                        byte[] noise = new byte[1 + new SplittableRandom(seed).nextInt(256 * 1024)];
                        new SplittableRandom(seed).nextBytes(noise);
                        if ((noise[0] & 0xff) == 0x80) noise[0] = 'x';
                        try (Raw c = new Raw(server.port)) {
                            sendIgnoringClose(c, noise);
                            c.closedByServer(200);
                        }
                        return null;
                    }));
                }
            }
            for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        afterPhase("garbage", before);
    }

    // ------------------------------------------------------------------ phase 2: clients that never read

    @Test
    @Order(2)
    void clientsThatNeverReadStopBeingReadAndOthersAreServed() throws Exception {
        Before before = before();
        int valueSize = 512 * 1024;
        try (Raw c = new Raw(server.port)) {
            c.send("set stall:big 0 0 " + valueSize + "\r\n").send(new byte[valueSize]).send("\r\n");
            assertEquals("STORED", c.line());
        }
        byte[] textGets = repeat("get stall:big\r\n", 1000);
        byte[] oneBinaryGet = Raw.packet(0x00, new byte[0], Raw.ascii("stall:big"), new byte[0], 0);
        byte[] binaryGets = new byte[oneBinaryGet.length * 1000];
        for (int i = 0; i < 1000; i++) System.arraycopy(oneBinaryGet, 0, binaryGets, i * oneBinaryGet.length,
                oneBinaryGet.length);
        int stallers = 16;
        List<SocketChannel> channels = new ArrayList<>();
        long[] sent = new long[stallers];
        try {
            for (int i = 0; i < stallers; i++) {
                SocketChannel ch = SocketChannel.open();
                ch.setOption(StandardSocketOptions.SO_RCVBUF, 64 * 1024);
                ch.connect(new InetSocketAddress("127.0.0.1", server.port));
                ch.configureBlocking(false);
                channels.add(ch);
            }
            // Write until no channel takes more for a second (at most 8 s): the server has stopped reading them.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
            long lastProgress = System.nanoTime();
            while (System.nanoTime() < deadline && System.nanoTime() - lastProgress < TimeUnit.SECONDS.toNanos(1)) {
                boolean progress = false;
                for (int i = 0; i < stallers; i++) {
                    int n = channels.get(i).write(ByteBuffer.wrap(i % 2 == 0 ? textGets : binaryGets));
                    sent[i] += n;
                    progress |= n > 0;
                }
                if (progress) lastProgress = System.nanoTime();
                else Thread.sleep(5);
            }
            for (int i = 0; i < stallers; i++) {
                // Read on without limit, the server would let a client send gigabytes in these seconds.
                assertTrue(sent[i] < 16 << 20, "staller " + i + " could send " + sent[i] + " bytes");
            }
            // Each ends up unwritable (its replies queued over the high-water mark), once the server has worked
            // through what the kernel buffered.
            assertTrue(eventually(15_000, () -> waitingToWrite() >= stallers),
                    "connections waiting to write: " + waitingToWrite());
            long stalled = waitingToWrite();
            // The stalled ones stay stalled; the good clients are served meanwhile.
            long[] whileStalled = good.ops();
            Thread.sleep(2000);
            good.assertProgressSince(whileStalled, "while " + stallers + " clients do not read");
            good.assertNoFailures("while " + stallers + " clients do not read");
            System.out.printf("[torture] never-reading clients: at most %d bytes sent each, %d connections in"
                    + " conn_mwrite%n", Arrays.stream(sent).max().orElse(0), stalled);
        } finally {
            for (SocketChannel ch : channels) ch.close();
        }
        afterPhase("never-reading clients", before);
    }

    private long waitingToWrite() throws IOException {
        return server.stats("conns").values().stream().filter("conn_mwrite"::equals).count();
    }

    // ------------------------------------------------------------------ phase 3: far beyond -m

    private static byte[] bigValue(String key) {
        byte[] v = new byte[1 << 20];
        new SplittableRandom(key.hashCode()).nextBytes(v);
        return v;
    }

    @Test
    @Order(3)
    void megabyteSetsFarBeyondTheMemoryLimitEvictAndNeverReturnWrongValues() throws Exception {
        Before before = before();
        int writers = 2;
        int keysPerWriter = 200; // 400 MB into a 256 MB store
        AtomicLong hits = new AtomicLong();
        AtomicLong reads = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        try {
            List<Future<?>> writing = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                writing.add(pool.submit(() -> {
                    try (Raw c = new Raw(server.port)) {
                        for (int i = 0; i < keysPerWriter; i++) {
                            String key = "huge:" + writer + ":" + i;
                            c.send("set " + key + " 0 0 " + (1 << 20) + "\r\n").send(bigValue(key)).send("\r\n");
                            assertEquals("STORED", c.line(), key);
                        }
                    }
                    return null;
                }));
            }
            Future<?> reading = pool.submit(() -> {
                SplittableRandom random = new SplittableRandom(7);
                try (Raw c = new Raw(server.port)) {
                    while (!writing.stream().allMatch(Future::isDone)) {
                        String key = "huge:" + random.nextInt(writers) + ":" + random.nextInt(keysPerWriter);
                        c.send("get " + key + "\r\n");
                        String l = c.line();
                        reads.incrementAndGet();
                        if (l.equals("END")) continue; // not written yet, or evicted
                        assertEquals("VALUE " + key + " 0 " + (1 << 20), l);
                        assertArrayEquals(bigValue(key), c.read(1 << 20), key);
                        assertEquals("", c.line());
                        assertEquals("END", c.line());
                        hits.incrementAndGet();
                    }
                }
                return null;
            });
            for (Future<?> f : writing) f.get(100, TimeUnit.SECONDS);
            reading.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        long evictions = server.stat("evictions") - before.evictions;
        long bytes = server.stat("bytes");
        long limit = server.stat("limit_maxbytes");
        System.out.printf("[torture] 1 MB sets: %d evictions, bytes %d of %d, %d reads (%d exact hits)%n",
                evictions, bytes, limit, reads.get(), hits.get());
        assertTrue(evictions > 100, "evictions: " + evictions);
        assertTrue(bytes <= limit, "bytes " + bytes + " over the limit " + limit);
        assertTrue(hits.get() > 0, "the reader verified nothing");
        afterPhase("1 MB sets beyond -m", before);
    }

    // ------------------------------------------------------------------ phase 4: 10k idle, a flood beyond -c

    @Test
    @Order(4)
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void tenThousandIdleConnectionsAndAFloodBeyondTheLimit() throws Exception {
        Before before = before();
        long rejectedBefore = server.stat("rejected_connections");
        int idleCount = (int) (MAX_CONNECTIONS - baseline);
        if (MAX_CONNECTIONS < 10_100) {
            System.out.printf("[torture] only %d idle connections: the descriptor limit here is %d%n", idleCount,
                    descriptorLimit());
        }
        List<SocketChannel> idle = new ArrayList<>(idleCount);
        long liveBefore = server.liveHeapBytes();
        try {
            for (int i = 0; i < idleCount; i++) {
                idle.add(SocketChannel.open(new InetSocketAddress("127.0.0.1", server.port)));
            }
            assertTrue(eventually(60_000, () -> server.stat("curr_connections") == MAX_CONNECTIONS),
                    "all admitted: " + server.stat("curr_connections"));
            // An idle connection holds no buffers: its objects only (channel, handler, session).
            long perIdle = (server.liveHeapBytes() - liveBefore) / idleCount;
            assertTrue(perIdle < IDLE_CONNECTION_BOUND_BYTES, "heap per idle connection: " + perIdle + " bytes");
            long[] duringFlood = good.ops();
            int flood = 300;
            for (int i = 0; i < flood; i++) {
                try (Raw extra = new Raw(server.port)) {
                    assertEquals("ERROR Too many open connections", extra.line(), "flood connection " + i);
                    assertTrue(extra.closedByServer(5000));
                }
            }
            good.assertProgressSince(duringFlood, "during the flood");
            assertEquals(flood, server.stat("rejected_connections") - rejectedBefore);
            // The idle ones were admitted, not left in the backlog: a sample of them is served.
            for (int i = 0; i < idle.size(); i += idle.size() / 100) {
                SocketChannel ch = idle.get(i);
                ch.write(ByteBuffer.wrap(Raw.ascii("version\r\n")));
                ByteBuffer reply = ByteBuffer.allocate(VERSION.length() + 2);
                while (reply.hasRemaining()) {
                    if (ch.read(reply) < 0) throw new IOException("idle connection " + i + " closed");
                }
                assertEquals(VERSION + "\r\n", new String(reply.array(), StandardCharsets.US_ASCII));
            }
            System.out.printf("[torture] %d idle connections held, %d bytes of heap each; %d flood connections"
                    + " refused%n", idleCount, perIdle, flood);
        } finally {
            for (SocketChannel ch : idle) ch.close();
        }
        afterPhase("10k idle connections and a flood", before);
        try (Raw again = new Raw(server.port)) {
            again.send("version\r\n");
            assertEquals(VERSION, again.line(), "a new connection is admitted again");
        }
    }

    // ------------------------------------------------------------------ last: the server's own state

    @Test
    @Order(5)
    void theServerStayedUpWithBoundedHeapAndNoLeftovers() throws Exception {
        good.stop();
        good.assertNoFailures("the whole run");
        assertTrue(eventually(15_000, () -> server.stat("curr_connections") == 1 && server.connectionsHeld() == 1),
                "only the stats connection is left: " + server.stat("curr_connections"));
        long liveMb = server.liveHeapBytes() >> 20;
        long[] heap = server.heapFromGcLog();
        // The heap in use after a whole-heap collection (G1 compacts everything; ZGC and Shenandoah run a cycle over
        // every region, where the class histogram's own Shenandoah cycle leaves lightly used regions as they were).
        long usedMb = server.heapUsedAfterCollectionMb();
        long itemsMb = server.stat("bytes") >> 20;
        System.out.printf("[torture] server heap: peak before a GC %d MB, peak after a GC %d MB; at the end %d MB"
                        + " of objects live (class histogram), %d MB in use after a whole-heap collection, %d MB of"
                        + " items; peak RSS %d MB; good clients %d round trips, %d misses; %s%n", heap[0], heap[1],
                liveMb, usedMb, itemsMb, server.peakRssKb() / 1024,
                Arrays.stream(good.ops()).sum(), good.misses.get(),
                server.jcmd("GC.heap_info").lines().skip(1).limit(2).map(String::strip).toList());
        assertTrue(server.process.isAlive(), "the server died: " + server.output());
        assertEquals(List.of(), server.heapShortages(), "the heap ran short");
        assertTrue(liveMb <= itemsMb + LEFTOVER_BOUND_MB, "live objects " + liveMb + " MB with " + itemsMb
                + " MB of items: state left behind by the phases' clients");
        // The launcher sizes the heap as 1.3 x -m (+ 256 MB for everything else): the items must fit that.
        assertTrue(usedMb <= itemsMb * 13 / 10 + LEFTOVER_BOUND_MB, "the collector spends " + usedMb
                + " MB on " + itemsMb + " MB of items");
        String output = server.output();
        assertTrue(!output.contains("Exception") && !output.contains("Error"), "the server printed: " + output);
    }

    // ------------------------------------------------------------------ the well-behaved clients

    /** Threads that set their own keys and read them back, text and binary, until stopped (at most 10 min). */
    static final class GoodClients {
        static final int THREADS = 4;
        private final int port;
        private final AtomicLongArray ops = new AtomicLongArray(THREADS);
        final AtomicLong misses = new AtomicLong();
        private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean stopped;

        GoodClients(int port) {
            this.port = port;
        }

        void start() {
            for (int t = 0; t < THREADS; t++) {
                int id = t;
                Thread th = new Thread(() -> run(id), "good-" + t);
                th.setDaemon(true);
                threads.add(th);
                th.start();
            }
        }

        void stop() throws InterruptedException {
            stopped = true;
            for (Thread t : threads) t.join(10_000);
        }

        long[] ops() {
            long[] a = new long[THREADS];
            for (int i = 0; i < THREADS; i++) a[i] = ops.get(i);
            return a;
        }

        void assertNoFailures(String phase) {
            assertTrue(failures.isEmpty(), phase + ": " + failures);
        }

        void assertProgressSince(long[] before, String phase) {
            long[] now = ops();
            for (int i = 0; i < THREADS; i++) {
                assertTrue(now[i] - before[i] >= 20, phase + ": good client " + i + " made " + (now[i] - before[i])
                        + " round trips");
            }
        }

        private void run(int id) {
            boolean binary = id % 2 == 1;
            SplittableRandom random = new SplittableRandom(id);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            try (Raw c = new Raw(port)) {
                for (long n = 0; !stopped && System.nanoTime() < deadline; n++) {
                    String key = "good:" + id + ":" + random.nextInt(50);
                    byte[] value = Raw.ascii(key + ":" + n + ":" + "v".repeat(random.nextInt(3000)));
                    byte[] got = binary ? binarySetGet(c, key, value) : textSetGet(c, key, value);
                    if (got == null) misses.incrementAndGet();
                    else if (!Arrays.equals(value, got)) {
                        failures.add(key + ": read back " + new String(got, StandardCharsets.ISO_8859_1));
                    }
                    ops.incrementAndGet(id);
                }
            } catch (IOException | RuntimeException | AssertionError e) {
                if (!stopped) failures.add("good client " + id + ": " + e);
            }
        }

        private static byte[] textSetGet(Raw c, String key, byte[] value) throws IOException {
            c.send("set " + key + " 0 0 " + value.length + "\r\n").send(value).send("\r\nget " + key + "\r\n");
            String stored = c.line();
            if (!stored.equals("STORED")) throw new IOException("set " + key + ": " + stored);
            String l = c.line();
            if (l.equals("END")) return null;
            String[] f = l.split(" ");
            byte[] got = c.read(Integer.parseInt(f[3]));
            if (!c.line().isEmpty() || !c.line().equals("END") || !f[1].equals(key)) {
                throw new IOException("get " + key + ": out of step after " + l);
            }
            return got;
        }

        private static byte[] binarySetGet(Raw c, String key, byte[] value) throws IOException {
            c.send(concat(Raw.packet(0x01, new byte[8], Raw.ascii(key), value, 0),
                    Raw.packet(0x00, new byte[0], Raw.ascii(key), new byte[0], 0)));
            Raw.Response set = c.response();
            if (set.opcode != 0x01 || set.status != 0) throw new IOException("set " + key + ": " + set.status);
            Raw.Response get = c.response();
            if (get.opcode != 0x00) throw new IOException("get " + key + ": opcode " + get.opcode);
            if (get.status == 0x01) return null;
            if (get.status != 0) throw new IOException("get " + key + ": status " + get.status);
            return get.value;
        }
    }
}
