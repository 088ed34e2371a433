package io.cuckoocache.server;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The output flood: a client stores a large value and pipelines requests for it (single gets, multi-key gets, binary
 * get/getk/getq/gat) without ever reading a reply. Each request is a few bytes, each answer half a megabyte, so a
 * server that answers a whole input window in one go spends its event loop and its memory on one connection.
 * <p>
 * Against a real server started by the launcher in a child JVM ({@code -m 256}; its RSS and CPU are its own), in
 * single mode (one event loop: the victims share the attacker's) and in SMP mode (two loops; two victims opened one
 * after the other, so one of them shares the attacker's loop). Required while the attack runs: every victim set/get
 * round trip under 500 ms with no error, a new connection answered within 500 ms, RSS under 300 MB above its level
 * before; within a second of the attacker closing, the server's CPU back to idle. Every loop is bounded in time.
 */
class OutputFloodTest {
    private static final int BIG = 500 * 1024;
    private static final long MAX_ROUND_TRIP_MS = 500;
    private static final long MAX_RSS_GROWTH_KB = 300 * 1024;
    /** Clock ticks (1/100 s) of server CPU allowed in the second that starts one second after the attacker closes. */
    private static final long IDLE_TICKS = 20;
    private static final Duration ATTACK = Duration.ofSeconds(4);

    @ParameterizedTest(name = "{0} attacker, {1} mode")
    @CsvSource({"text, single", "text, smp", "binary, single", "binary, smp"})
    void aClientThatNeverReadsCostsOnlyItsOwnConnection(String protocol, String mode) throws Exception {
        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> attack(protocol.equals("binary"), mode));
    }

    private static void attack(boolean binary, String mode) throws Exception {
        String[] args = mode.equals("smp") ? new String[] {"-m", "256", "--mode=smp", "-t", "2"}
                : new String[] {"-m", "256", "--mode=single"};
        try (ChildServer server = ChildServer.start(args)) {
            byte[] big = new byte[BIG];
            Arrays.fill(big, (byte) 'x');
            try (Raw loader = new Raw(server.port)) {
                assertTrue(store(loader, binary, "big", big), "the large value is stored");
            }
            List<Victim> victims = new ArrayList<>();
            for (int i = 0; i < 2; i++) victims.add(new Victim(server.port, binary, "victim" + i));
            long rssBefore = rssKb(server.process.pid());

            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> threads = new ArrayList<>();
            for (Victim v : victims) threads.add(start(() -> v.run(stop)));
            Thread.sleep(300);

            Socket attacker = new Socket();
            attacker.connect(new InetSocketAddress("127.0.0.1", server.port), 5000);
            AtomicLong sent = new AtomicLong();
            Thread flood = start(() -> flood(attacker, binary, big, sent));

            long maxRss = rssBefore;
            long newConnectionMillis = 0;
            long end = System.nanoTime() + ATTACK.toNanos();
            boolean probed = false;
            while (System.nanoTime() < end) {
                maxRss = Math.max(maxRss, rssKb(server.process.pid()));
                if (!probed && System.nanoTime() > end - ATTACK.toNanos() / 2) {
                    probed = true;
                    // Two in a row: in SMP mode one of them lands on the attacker's loop.
                    for (int i = 0; i < 2; i++) {
                        newConnectionMillis = Math.max(newConnectionMillis, newConnectionRoundTrip(server.port, binary));
                    }
                }
                Thread.sleep(50);
            }
            attacker.close();
            stop.set(true);
            for (Thread t : threads) t.join(10_000);
            flood.join(10_000);

            Thread.sleep(1000);
            long ticks0 = cpuTicks(server.process.pid());
            Thread.sleep(1000);
            long idleTicks = cpuTicks(server.process.pid()) - ticks0;

            long maxRoundTrip = 0;
            long operations = 0;
            for (Victim v : victims) {
                maxRoundTrip = Math.max(maxRoundTrip, v.maxRoundTripMillis);
                operations += v.operations;
            }
            System.out.printf("output flood, %s attacker, %s mode: %d KB of requests sent; victims %d set/get"
                            + " pairs, longest round trip %d ms; new connection answered in %d ms; RSS %d MB"
                            + " before, peak +%d MB during; server CPU %d ticks in the second after the first"
                            + " second after the attacker closed%n",
                    binary ? "binary" : "text", mode, sent.get() / 1024, operations,
                    maxRoundTrip, newConnectionMillis, rssBefore / 1024, (maxRss - rssBefore) / 1024, idleTicks);
            for (Victim v : victims) {
                assertTrue(v.errors.isEmpty(), () -> "a victim saw errors: " + v.errors);
                assertTrue(v.operations > 0, "each victim was served during the attack");
            }
            assertTrue(maxRoundTrip < MAX_ROUND_TRIP_MS, "victim's longest round trip " + maxRoundTrip + " ms");
            assertTrue(newConnectionMillis < MAX_ROUND_TRIP_MS,
                    "a new connection answered in " + newConnectionMillis + " ms");
            assertTrue(maxRss - rssBefore < MAX_RSS_GROWTH_KB, "RSS grew by " + (maxRss - rssBefore) / 1024 + " MB");
            assertTrue(idleTicks <= IDLE_TICKS, "server CPU after the attacker closed: " + idleTicks + " ticks/s");
            // The attacker's value is intact and its connection is gone.
            try (Raw check = new Raw(server.port)) {
                assertArrayEquals(big, fetch(check, binary, "big"));
            }
            for (Victim v : victims) v.close();
            // The closes reach the server's loops a moment after the client's close returns.
            long held = server.connectionsHeld();
            for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5); held != 1 && System.nanoTime() < until; ) {
                Thread.sleep(20);
                held = server.connectionsHeld();
            }
            assertEquals(1, held, "only the monitor connection is left");
        }
    }

    /** Sends the flood until the socket is closed under it: pipelined gets of the large value, never reading. */
    private static void flood(Socket s, boolean binary, byte[] big, AtomicLong sent) {
        try {
            OutputStream out = s.getOutputStream();
            // A large set first: its value arrives in pieces that produce no output, so a server that adapts its
            // input window to the output of the last call widens it before the gets.
            out.write(binary ? Raw.packet(0x01, new byte[8], Raw.ascii("big"), big, 0)
                    : concat(Raw.ascii("set big 0 0 " + big.length + "\r\n"), big, Raw.ascii("\r\n")));
            byte[] chunk = floodChunk(binary);
            while (true) {
                out.write(chunk);
                sent.addAndGet(chunk.length);
            }
        } catch (IOException closed) {
            // the test closed the socket: the attack is over
        }
    }

    /** 64 KB of requests for the large value. */
    private static byte[] floodChunk(boolean binary) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] key = Raw.ascii("big");
        // binary: get, getk, getq, getkq, gat (extras: exptime 0)
        byte[][] requests = binary
                ? new byte[][] {Raw.packet(0x00, new byte[0], key, new byte[0], 0),
                        Raw.packet(0x0c, new byte[0], key, new byte[0], 0),
                        Raw.packet(0x09, new byte[0], key, new byte[0], 0),
                        Raw.packet(0x0d, new byte[0], key, new byte[0], 0),
                        Raw.packet(0x1d, new byte[4], key, new byte[0], 0)}
                : new byte[][] {Raw.ascii("get big\r\n"), Raw.ascii("gets big\r\n"), Raw.ascii("gat 0 big\r\n"),
                        Raw.ascii("mg big v\r\n"), Raw.ascii("get" + " big".repeat(400) + "\r\n")};
        for (int i = 0; b.size() < 64 * 1024; i++) b.writeBytes(requests[i % requests.length]);
        return b.toByteArray();
    }

    /** A connection doing set/get of its own small keys, timing each round trip. */
    private static final class Victim implements AutoCloseable {
        final Raw raw;
        final boolean binary;
        final String name;
        final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        volatile long maxRoundTripMillis;
        volatile long operations;

        Victim(int port, boolean binary, String name) throws IOException {
            this.raw = new Raw(port);
            this.binary = binary;
            this.name = name;
        }

        void run(AtomicBoolean stop) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (long i = 0; !stop.get() && System.nanoTime() < deadline; i++) {
                String key = name + ":" + (i % 100);
                byte[] value = Raw.ascii(key + ":" + i + ":" + "v".repeat(100));
                try {
                    long t0 = System.nanoTime();
                    if (!store(raw, binary, key, value)) errors.add("set " + key + " not stored");
                    long t1 = System.nanoTime();
                    byte[] got = fetch(raw, binary, key);
                    long t2 = System.nanoTime();
                    if (!Arrays.equals(value, got)) errors.add("get " + key + " read back something else");
                    maxRoundTripMillis = Math.max(maxRoundTripMillis,
                            TimeUnit.NANOSECONDS.toMillis(Math.max(t1 - t0, t2 - t1)));
                    operations++;
                } catch (IOException e) {
                    errors.add(e.toString());
                    return;
                }
            }
        }

        @Override
        public void close() throws IOException {
            raw.close();
        }
    }

    private static boolean store(Raw r, boolean binary, String key, byte[] value) throws IOException {
        if (binary) {
            r.send(Raw.packet(0x01, new byte[8], Raw.ascii(key), value, 0));
            return r.response().status == 0;
        }
        r.send(concat(Raw.ascii("set " + key + " 0 0 " + value.length + "\r\n"), value, Raw.ascii("\r\n")));
        return r.line().equals("STORED");
    }

    private static byte[] fetch(Raw r, boolean binary, String key) throws IOException {
        if (binary) {
            r.send(Raw.packet(0x00, new byte[0], Raw.ascii(key), new byte[0], 0));
            Raw.Response res = r.response();
            return res.status == 0 ? res.value : null;
        }
        r.send("get " + key + "\r\n");
        String header = r.line();
        if (header.equals("END")) return null;
        int length = Integer.parseInt(header.substring(header.lastIndexOf(' ') + 1));
        byte[] value = r.read(length);
        r.read(2);
        String end = r.line();
        if (!end.equals("END")) throw new IOException("after the value: " + end);
        return value;
    }

    /** Milliseconds from connecting to the answer to version. */
    private static long newConnectionRoundTrip(int port, boolean binary) throws IOException {
        long t0 = System.nanoTime();
        try (Raw r = new Raw(port)) {
            if (binary) {
                r.send(Raw.packet(0x0b, new byte[0], new byte[0], new byte[0], 0));
                assertEquals(0, r.response().status);
            } else {
                assertTrue(r.send("version\r\n").line().startsWith("VERSION "));
            }
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    private static Thread start(Runnable r) {
        Thread t = new Thread(r);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuffer b = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] p : parts) b.put(p);
        return b.array();
    }

    /** VmRSS of a process in kB. */
    private static long rssKb(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("[^0-9]", ""));
        }
        throw new IOException("no VmRSS for " + pid);
    }

    /** utime + stime of a process in clock ticks (1/100 s), from /proc/PID/stat. */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
