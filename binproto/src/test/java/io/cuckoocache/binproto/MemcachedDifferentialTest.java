package io.cuckoocache.binproto;

import io.cuckoocache.protocol.MemcachedMaintainer;
import io.cuckoocache.protocol.ProtocolConfig;
import io.cuckoocache.protocol.StoreStats;
import io.cuckoocache.protocol.Verdict;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.cuckoocache.binproto.BinarySessionTest.NONE;
import static io.cuckoocache.binproto.Wire.Harness;
import static io.cuckoocache.binproto.Wire.arith;
import static io.cuckoocache.binproto.Wire.ascii;
import static io.cuckoocache.binproto.Wire.concat;
import static io.cuckoocache.binproto.Wire.int32;
import static io.cuckoocache.binproto.Wire.keyed;
import static io.cuckoocache.binproto.Wire.kv;
import static io.cuckoocache.binproto.Wire.rawReq;
import static io.cuckoocache.binproto.Wire.req;
import static io.cuckoocache.binproto.Wire.setExtras;
import static io.cuckoocache.binproto.Wire.store;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The same bytes to a real memcached 1.6.18 (started here on loopback, if one is installed) and to a session: the
 * replies must match packet for packet, CAS values compared by pattern (equal where memcached's are equal, zero where
 * its are zero), and so must whether the connection was closed. With Cyrus SASL's tools present, the SASL cases run
 * against memcached -S too. Skipped where memcached 1.6.18 is not installed (Debian: apt-get install memcached
 * sasl2-bin). The deliberate differences (README) are left out; their own tests pin what we do instead.
 */
class MemcachedDifferentialTest {
    private static final List<Process> SERVERS = new ArrayList<>();
    private static Path tmp;
    private static int plainPort;
    private static int casOffPort;
    private static int saslPort;
    /** A memcached that only the slab stats test writes to, so that its classes hold that test's items alone. */
    private static int statsPort;
    /** Likewise for the per-prefix stats test. */
    private static int detailPort;

    @BeforeAll
    static void startMemcached() throws Exception {
        String binary = findOnPath("memcached");
        Assumptions.assumeTrue(binary != null, "memcached not installed");
        String version = run(binary, "-V").trim();
        Assumptions.assumeTrue(version.equals("memcached 1.6.18"), "not memcached 1.6.18: " + version);
        tmp = Files.createTempDirectory("memcached-diff");
        plainPort = start(binary, Map.of());
        casOffPort = start(binary, Map.of(), "-C");
        statsPort = start(binary, Map.of());
        detailPort = start(binary, Map.of());
        String saslpasswd = findOnPath("saslpasswd2");
        if (saslpasswd != null) saslPort = startWithSasl(binary, saslpasswd);
    }

    /** memcached -S with a throwaway Cyrus sasldb holding alice/secret; 0 if that cannot be set up here. */
    private static int startWithSasl(String binary, String saslpasswd) {
        try {
            Path conf = tmp.resolve("memcached.conf");
            Path db = tmp.resolve("sasldb2");
            Files.writeString(conf, "mech_list: plain\nsasldb_path: " + db + "\n");
            // Cyrus looks users up in the host's realm (gethostname).
            Process p = new ProcessBuilder(saslpasswd, "-p", "-a", "memcached", "-c", "-f", db.toString(), "-u",
                    run("hostname").trim(), "alice").redirectErrorStream(true).start();
            p.getOutputStream().write("secret".getBytes(StandardCharsets.US_ASCII));
            p.getOutputStream().close();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) return 0;
            return start(binary, Map.of("SASL_CONF_PATH", tmp.toString()), "-S");
        } catch (Exception e) {
            return 0;
        }
    }

    @AfterAll
    static void stopMemcached() throws IOException {
        for (Process p : SERVERS) p.destroy();
        if (tmp != null) {
            try (var files = Files.walk(tmp)) {
                files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    static Map<String, byte[]> scenarios() {
        byte[] exp = int32(100);
        byte[] big = new byte[1 << 20];
        Map<String, byte[]> s = new LinkedHashMap<>();
        s.put("get family", concat(store(0x01, "k", "hello", 7, 0), req(0x00, "k"), req(0x0c, "k"), req(0x00, "no"),
                req(0x0c, "no"), req(0x09, "no"), req(0x0d, "no"), req(0x09, "k"), req(0x0d, "k"), req(0x0a)));
        s.put("touch gat gatk", concat(store(0x01, "k", "v", 9, 0), keyed(0x1c, exp, "k"),
                keyed(0x1d, exp, "k"), keyed(0x23, exp, "k"),
                keyed(0x1e, exp, "k"), keyed(0x24, exp, "k"),
                keyed(0x1c, exp, "x"), keyed(0x1d, exp, "x"),
                keyed(0x23, exp, "x"), keyed(0x1e, exp, "x"),
                keyed(0x24, exp, "x"), req(0x0a)));
        s.put("storage", concat(store(0x02, "a", "1", 0, 0), store(0x02, "a", "2", 0, 0), store(0x03, "a", "3", 0, 0),
                store(0x03, "b", "3", 0, 0), store(0x11, "a", "4", 0, 0), store(0x12, "c", "5", 0, 0),
                store(0x13, "c", "6", 0, 0), store(0x12, "a", "x", 0, 0), store(0x13, "zz", "x", 0, 0), req(0x00, "c"),
                req(0x00, "a"), req(0x0a)));
        s.put("cas", concat(store(0x01, "k", "v", 0, 0), store(0x01, "k", "w", 0, 99), req(0x0c, "k"),
                store(0x02, "n", "x", 0, 5), store(0x03, "n", "x", 0, 5), store(0x01, "n", "x", 0, 5),
                kv(0x0e, "n", "y", 5), req(0x0c, "n"), req(0x04, NONE, ascii("n"), NONE, 5),
                arith(0x05, "n", 1, 0, 0, 5), req(0x0a)));
        s.put("append prepend", concat(store(0x01, "k", "mid", 3, 0), kv(0x0e, "k", "A", 0),
                kv(0x0f, "k", "P", 0), kv(0x0e, "k", "X", 1),
                kv(0x19, "k", "1", 0), kv(0x1a, "k", "0", 0),
                req(0x00, "k"), kv(0x0e, "no", "x", 0),
                kv(0x1a, "no", "x", 0), req(0x0a)));
        s.put("delete", concat(store(0x01, "k", "v", 0, 0), req(0x04, NONE, ascii("k"), NONE, 7), req(0x04, "k"),
                req(0x04, "k"), store(0x01, "k", "v", 0, 0), req(0x14, "k"), req(0x14, "k"), req(0x0a)));
        s.put("incr decr", concat(arith(0x05, "n", 1, 5, -1, 0),
                arith(0x05, "n", 10, 5, 0, 0), arith(0x05, "n", 10, 5, 0, 0),
                arith(0x06, "n", 100, 0, 0, 0), arith(0x06, "d", 1, 3, 0, 0),
                req(0x00, "d"), store(0x01, "w", "18446744073709551615", 0, 0),
                arith(0x05, "w", 2, 0, 0, 0), req(0x00, "w"), store(0x01, "e", "", 0, 0),
                store(0x01, "t", "abc", 0, 0), arith(0x05, "e", 1, 0, 0, 0),
                arith(0x06, "t", 1, 0, 0, 0), arith(0x05, "d", 1, 0, 0, 99),
                arith(0x05, "c", 1, 7, 0, 999), arith(0x15, "c", 5, 0, 0, 0),
                arith(0x16, "c", 1, 0, 0, 0), arith(0x15, "z", 1, 0, -1, 0),
                req(0x00, "c"), req(0x0a)));
        s.put("flush", concat(store(0x01, "a", "v", 0, 0), req(0x08), req(0x00, "a"), store(0x01, "a", "v", 0, 0),
                req(0x18), req(0x00, "a"), req(0x08, int32(1000), NONE, NONE, 0), req(0x0a)));
        s.put("noop version", concat(req(0x0a), req(0x0b)));
        s.put("quit", concat(req(0x0a), req(0x07), req(0x0a)));
        s.put("quitq", concat(req(0x17), req(0x0a)));
        s.put("stat unknown", concat(req(0x10, "bogus"), req(0x10, "conns"), req(0x0a)));
        s.put("sasl off", concat(req(0x20), kv(0x21, "PLAIN", "\0u\0p", 0),
                kv(0x22, "PLAIN", "\0u\0p", 0), req(0x0a)));
        s.put("too large", concat(store(0x01, "s", "old", 0, 0), store(0x01, "r", "old", 0, 0),
                req(0x01, setExtras(0, 0), ascii("s"), big, 0), req(0x00, "s"),
                req(0x03, setExtras(0, 0), ascii("r"), big, 0), req(0x0e, NONE, ascii("r"), big, 0), req(0x00, "r"),
                req(0x11, setExtras(0, 0), ascii("q"), big, 0), req(0x0a)));
        s.put("unknown opcode without body", concat(req(0x50), req(0x1b), req(0x0a)));
        s.put("key 250", concat(req(0x00, "k".repeat(250)), req(0x0a)));
        s.put("key 251", concat(req(0x00, "k".repeat(251)), req(0x0a)));
        s.put("bad magic", concat(req(0x0a), new byte[24], req(0x0a)));
        s.put("extlen+keylen > bodylen", concat(rawReq(0x80, 0x00, 0, 3, 2, ascii("abc")), req(0x0a)));
        String[] shapes = {"0x01,4,1,6", "0x00,4,1,5", "0x00,0,1,3", "0x00,0,0,0", "0x04,4,1,5", "0x05,8,1,9",
            "0x0e,8,1,10", "0x1c,0,1,1", "0x1d,8,1,9", "0x08,8,0,8", "0x08,0,1,1", "0x0a,0,0,1", "0x0b,0,1,1",
            "0x07,0,0,2", "0x10,4,0,4", "0x20,0,0,1", "0x21,0,0,4", "0x22,4,5,9"};
        for (String shape : shapes) {
            String[] f = shape.split(",");
            int bodylen = Integer.parseInt(f[3]);
            s.put("shape " + shape, concat(rawReq(0x80, Integer.decode(f[0]), Integer.parseInt(f[1]),
                    Integer.parseInt(f[2]), bodylen, new byte[bodylen]), req(0x0a)));
        }
        return s;
    }

    static Map<String, byte[]> saslScenarios() {
        byte[] good = ascii("\0alice\0secret");
        Map<String, byte[]> s = new LinkedHashMap<>();
        s.put("unauthenticated", concat(req(0x0b), req(0x20), req(0x00, "k"), req(0x0a)));
        s.put("unauthenticated unknown", concat(req(0x50), req(0x0a)));
        s.put("auth", concat(req(0x21, NONE, ascii("PLAIN"), good, 0), req(0x0a), req(0x00, "k")));
        s.put("auth lower-case mechanism with authzid",
                concat(kv(0x21, "plain", "alice\0alice\0secret", 0), req(0x0a)));
        for (String bad : new String[] {"\0alice\0wrong", "bob\0alice\0secret", "alice", "\0alice\0secret\0"}) {
            s.put("bad " + bad.replace('\0', '|'), concat(req(0x21, NONE, ascii("PLAIN"), ascii(bad), 0), req(0x0b),
                    req(0x0a)));
        }
        s.put("unknown mechanism", concat(req(0x21, NONE, ascii("CRAM-MD5"), NONE, 0),
                req(0x22, NONE, ascii("PLAIN"), good, 0), req(0x0b)));
        s.put("two steps", concat(req(0x21, NONE, ascii("PLAIN"), NONE, 0), req(0x22, NONE, ascii("X"), NONE, 0),
                kv(0x22, "X", "\0alice\0bad", 0), req(0x22, NONE, ascii("X"), good, 0),
                req(0x22, NONE, ascii("X"), good, 0), req(0x0b)));
        s.put("list drops auth", concat(req(0x21, NONE, ascii("PLAIN"), good, 0), req(0x20), req(0x0a)));
        s.put("reauth drops auth", concat(req(0x21, NONE, ascii("PLAIN"), good, 0),
                kv(0x21, "PLAIN", "\0alice\0x", 0), req(0x0a)));
        s.put("mechanism too long", concat(req(0x21, NONE, ascii("P".repeat(33)), good, 0), req(0x0b)));
        s.put("data too large", concat(req(0x21, NONE, ascii("PLAIN"), new byte[(1 << 20) + 10], 0), req(0x0b)));
        s.put("sasl auth with extras", concat(req(0x21, int32(0), ascii("PLAIN"), good, 0), req(0x0a)));
        return s;
    }

    @Test
    void sameRepliesAsMemcached() throws Exception {
        for (Map.Entry<String, byte[]> e : scenarios().entrySet()) {
            compare(e.getKey(), plainPort, new Harness(), e.getValue());
        }
    }

    /** With -C, the header's CAS: ignored by set/add/replace/append, still compared by delete and incr. */
    @Test
    void sameRepliesAsMemcachedWithCasOff() throws Exception {
        // memcached -C flushes whole seconds (an item set in the flush's second is gone too), so this runs alone,
        // on a server never flushed.
        compare("cas", casOffPort, new Harness(ProtocolConfig.builder().build(),
                io.cuckoocache.store.ItemStore.builder().casEnabled(false)), scenarios().get("cas"));
    }

    @Test
    void sameSaslRepliesAsMemcached() throws Exception {
        Assumptions.assumeTrue(saslPort != 0, "Cyrus SASL tools (saslpasswd2) not installed");
        for (Map.Entry<String, byte[]> e : saslScenarios().entrySet()) {
            compare(e.getKey(), saslPort, Harness.withAuth((u, p) -> u.equals("alice") && p.equals("secret")),
                    e.getValue());
        }
    }

    /**
     * The binary "items" and "slabs" stats after the same commands, one exchange each, on a fresh memcached and a
     * fresh store: the same names, in the same order, with the same values, but for memcached's segmented-LRU and
     * crawler timing names, masked. "slabs" waits for memcached's LRU maintainer to drop the reference its bump
     * queue holds on the item the get of "a" bumped ({@link MemcachedMaintainer}).
     */
    @Test
    void slabAndItemStatsMatchMemcached() throws Exception {
        Harness ours = new Harness();
        byte[][] steps = {store(0x01, "a", "x", 0, 0), store(0x01, "f", "abc", 7, 0),
            store(0x01, "bb", "b".repeat(300), 5, 0), store(0x01, "mid", "m".repeat(20000), 0, 0),
            store(0x01, "big", "g".repeat(600000), 0, 0), req(0x00, "a"), req(0x00, "nope"), req(0x04, "a"),
            arith(0x05, "n", 1, 5, 0, 0), arith(0x05, "n", 10, 0, 0, 0), kv(0x0e, "f", "p".repeat(200), 0),
            keyed(0x1c, int32(100), "bb")};
        for (byte[] step : steps) {
            exchange(statsPort, step, ours.send(step).length);
        }
        for (String section : new String[] {"items", "slabs"}) {
            ours.stats.put(section, section.equals("items") ? ours.store.itemStats() : ours.store.slabStats());
            byte[] mine = ours.send(req(0x10, section));
            if (section.equals("slabs")) MemcachedMaintainer.awaitPass(statsPort);
            Reply theirs = exchange(statsPort, req(0x10, section), mine.length);
            assertEquals(maskLru(masked(Wire.parse(theirs.bytes))), maskLru(masked(Wire.parse(mine))), section);
        }
    }

    /**
     * Binary "detail on", gets, sets (set, add, append, too large), deletes and "detail dump" (one stat, "detailed",
     * holding the text dump), then "detail off", "detail bogus" (not found) and "reset" clearing the prefixes.
     */
    @Test
    void prefixStatsMatchMemcached() throws Exception {
        Harness ours = new Harness();
        StoreStats source = new StoreStats(ours.store);
        List<byte[]> steps = new ArrayList<>(List.of(req(0x10, "detail on"), store(0x01, "a:1", "x", 0, 0),
                store(0x01, "nodelim", "x", 0, 0), req(0x00, "a:1"), req(0x00, "a:2"), req(0x0c, "b:1"),
                req(0x04, "a:1"), req(0x04, "c:1"), store(0x02, "a:3", "x", 0, 0), kv(0x0e, "a:3", "y", 0),
                keyed(0x1c, int32(10), "a:3"), req(0x01, setExtras(0, 0), ascii("d:big"), new byte[1 << 20], 0)));
        for (int i = 0; i < 20; i++) steps.add(store(0x01, "p" + i + ":k", "v", 0, 0));
        steps.addAll(List.of(req(0x10, "detail dump"), req(0x10, "detail off"), req(0x00, "a:1"),
                req(0x10, "detail dump"), req(0x10, "detail bogus"), req(0x10, "reset"), req(0x10, "detail dump")));
        StringBuilder theirs = new StringBuilder();
        StringBuilder mine = new StringBuilder();
        for (byte[] step : steps) {
            if ((step[1] & 0xff) == 0x10) { // a stat: the harness answers what the store's source answers
                String key = new String(step, 24, ((step[2] & 0xff) << 8) | (step[3] & 0xff),
                        StandardCharsets.ISO_8859_1);
                if (key.equals("reset")) {
                    source.reset();
                } else {
                    ours.stats.put(key, source.section(key));
                }
            }
            byte[] reply = ours.send(step);
            mine.append(masked(Wire.parse(reply)));
            theirs.append(masked(Wire.parse(exchange(detailPort, step, reply.length).bytes)));
        }
        assertEquals(theirs.toString(), mine.toString());
    }

    private static String maskLru(String replies) {
        // lrutail_reflocked: memcached's LRU maintainer thread counts a tail item it found in use (timing).
        return replies.replaceAll("(key=items:\\d+:(number_hot|number_warm|number_cold|age_hot|age_warm|age"
                + "|moves_to_cold|moves_to_warm|moves_within_lru|hits_to_hot|hits_to_warm|hits_to_cold|hits_to_temp"
                + "|crawler_items_checked|lrutail_reflocked) value=)\\d+", "$1*");
    }

    private static void compare(String name, int port, Harness ours, byte[] requests) throws IOException {
        if (port == plainPort) exchange(port, req(0x08), 24); // memcached's items from earlier scenarios go
        byte[] mine = ours.send(requests);
        boolean mineClosed = ours.last == Verdict.CLOSE;
        Reply theirs = exchange(port, requests, mine.length);
        assertEquals(masked(Wire.parse(theirs.bytes)), masked(Wire.parse(mine)), name);
        assertEquals(theirs.closed, mineClosed, name + ": closed");
    }

    /** Responses as text with each CAS replaced by the index of its first appearance (0 stays 0). */
    private static String masked(List<Wire.Response> responses) {
        Map<Long, Integer> ids = new HashMap<>();
        StringBuilder b = new StringBuilder();
        for (Wire.Response r : responses) {
            long id = r.cas() == 0 ? 0 : ids.computeIfAbsent(r.cas(), c -> ids.size() + 1);
            b.append(new Wire.Response(r.opcode(), r.status(), r.extras(), r.key(), r.value(), r.opaque(), id))
                    .append('\n');
        }
        return b.toString();
    }

    private record Reply(byte[] bytes, boolean closed) {
    }

    /** Sends the bytes on a new connection; reads until EOF, or until quiet for a moment after the expected length. */
    private static Reply exchange(int port, byte[] requests, int expected) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(50);
            s.getOutputStream().write(requests);
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[65536];
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            int quietReads = 0;
            while (System.nanoTime() < deadline) {
                try {
                    int n = in.read(buf);
                    if (n < 0) return new Reply(got.toByteArray(), true);
                    got.write(buf, 0, n);
                    quietReads = 0;
                } catch (SocketTimeoutException timeout) {
                    if (got.size() >= expected && ++quietReads >= 2) break;
                }
            }
            return new Reply(got.toByteArray(), false);
        }
    }

    private static int start(String binary, Map<String, String> env, String... extra) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(List.of(binary, "-l", "127.0.0.1", "-p", String.valueOf(port), "-U", "0",
                "-t", "1"));
        if ("root".equals(System.getProperty("user.name"))) cmd.addAll(List.of("-u", "root"));
        cmd.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("memcached-" + port + ".log").toFile());
        pb.environment().putAll(env);
        SERVERS.add(pb.start());
        for (int attempt = 0; attempt < 100; attempt++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return port;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("memcached did not start on " + port);
    }

    private static String findOnPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, name);
            if (f.canExecute()) return f.getPath();
        }
        return null;
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        p.waitFor(10, TimeUnit.SECONDS);
        return new String(out, StandardCharsets.UTF_8);
    }
}
