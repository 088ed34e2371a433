package io.cuckoocache.server;

import net.spy.memcached.AddrUtil;
import net.spy.memcached.CASResponse;
import net.spy.memcached.CASValue;
import net.spy.memcached.ConnectionFactoryBuilder;
import net.spy.memcached.MemcachedClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.cuckoocache.server.Servers.timed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/** spymemcached 2.12.3 against the real server: every operation it offers, text and binary, single and SMP. */
class SpymemcachedTest {
    /** Held so the level sticks (JUL keeps loggers weakly). */
    private static final java.util.logging.Logger SPY_LOG = java.util.logging.Logger.getLogger("net.spy.memcached");

    static {
        // spymemcached logs every connection at INFO through its own logger; send it to JUL and keep it quiet.
        System.setProperty("net.spy.log.LoggerImpl", "net.spy.memcached.compat.log.SunLogger");
        SPY_LOG.setLevel(java.util.logging.Level.WARNING);
    }


    private static final Map<CacheServer.Mode, CacheServer> SERVERS = new EnumMap<>(CacheServer.Mode.class);
    private static final List<Servers.Lazy<MemcachedClient>> CLIENTS = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        for (CacheServer.Mode m : CacheServer.Mode.values()) SERVERS.put(m, Servers.start(m));
    }

    @AfterAll
    static void stop() {
        for (Servers.Lazy<MemcachedClient> c : CLIENTS) {
            MemcachedClient client = c.getIfMade();
            if (client != null) client.shutdown(5, TimeUnit.SECONDS);
        }
        SERVERS.values().forEach(CacheServer::close);
    }

    @TestFactory
    Stream<DynamicContainer> operations() {
        List<DynamicContainer> all = new ArrayList<>();
        for (CacheServer.Mode mode : CacheServer.Mode.values()) {
            for (boolean binary : new boolean[] {false, true}) all.add(matrix(mode, binary));
        }
        return all.stream();
    }

    private DynamicContainer matrix(CacheServer.Mode mode, boolean binary) {
        String k = "spy-" + mode + (binary ? "-bin-" : "-txt-");
        Servers.Lazy<MemcachedClient> lazy = new Servers.Lazy<>(() -> new MemcachedClient(
                new ConnectionFactoryBuilder()
                        .setProtocol(binary ? ConnectionFactoryBuilder.Protocol.BINARY
                                : ConnectionFactoryBuilder.Protocol.TEXT)
                        .setOpTimeout(5000)
                        .build(),
                AddrUtil.getAddresses("127.0.0.1:" + SERVERS.get(mode).port())));
        CLIENTS.add(lazy);
        Stream<DynamicTest> tests = Stream.of(
                dynamicTest("version", timed(() -> {
                    Map<SocketAddress, String> v = lazy.get().getVersions();
                    assertEquals(1, v.size());
                    assertEquals(CacheServer.MEMCACHED_VERSION, v.values().iterator().next());
                })),
                dynamicTest("set and get", timed(() -> {
                    MemcachedClient c = lazy.get();
                    assertTrue(c.set(k + "a", 0, "alpha").get(5, TimeUnit.SECONDS));
                    assertEquals("alpha", c.get(k + "a"));
                    assertNull(c.get(k + "missing"));
                    // A non-string value goes through spymemcached's serializing transcoder (flags carry the type).
                    assertTrue(c.set(k + "int", 0, 12345).get(5, TimeUnit.SECONDS));
                    assertEquals(12345, c.get(k + "int"));
                    byte[] big = new byte[200_000];
                    for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31);
                    assertTrue(c.set(k + "big", 0, big).get(5, TimeUnit.SECONDS));
                    assertTrue(java.util.Arrays.equals(big, (byte[]) c.get(k + "big")));
                })),
                dynamicTest("multi-get", timed(() -> {
                    MemcachedClient c = lazy.get();
                    for (int i = 0; i < 3; i++) assertTrue(c.set(k + "m" + i, 0, "v" + i).get(5, TimeUnit.SECONDS));
                    Map<String, Object> got = c.getBulk(k + "m0", k + "m1", k + "m2", k + "m-none");
                    assertEquals(Map.of(k + "m0", "v0", k + "m1", "v1", k + "m2", "v2"), got);
                })),
                dynamicTest("gets and cas", timed(() -> {
                    MemcachedClient c = lazy.get();
                    assertTrue(c.set(k + "cas", 0, "one").get(5, TimeUnit.SECONDS));
                    CASValue<Object> v = c.gets(k + "cas");
                    assertEquals("one", v.getValue());
                    assertNotEquals(0L, v.getCas());
                    assertEquals(CASResponse.OK, c.cas(k + "cas", v.getCas(), "two"));
                    assertEquals(CASResponse.EXISTS, c.cas(k + "cas", v.getCas(), "three"));
                    assertEquals("two", c.get(k + "cas"));
                    assertEquals(CASResponse.NOT_FOUND, c.cas(k + "cas-none", 1, "x"));
                })),
                dynamicTest("add", timed(() -> {
                    MemcachedClient c = lazy.get();
                    assertTrue(c.add(k + "add", 0, "first").get(5, TimeUnit.SECONDS));
                    assertFalse(c.add(k + "add", 0, "second").get(5, TimeUnit.SECONDS));
                    assertEquals("first", c.get(k + "add"));
                })),
                dynamicTest("replace", timed(() -> {
                    MemcachedClient c = lazy.get();
                    assertFalse(c.replace(k + "rep", 0, "x").get(5, TimeUnit.SECONDS));
                    assertTrue(c.set(k + "rep", 0, "old").get(5, TimeUnit.SECONDS));
                    assertTrue(c.replace(k + "rep", 0, "new").get(5, TimeUnit.SECONDS));
                    assertEquals("new", c.get(k + "rep"));
                })),
                dynamicTest("append and prepend", timed(() -> {
                    MemcachedClient c = lazy.get();
                    assertTrue(c.set(k + "cat", 0, "mid").get(5, TimeUnit.SECONDS));
                    assertTrue(c.append(k + "cat", "-end").get(5, TimeUnit.SECONDS));
                    assertTrue(c.prepend(k + "cat", "start-").get(5, TimeUnit.SECONDS));
                    assertEquals("start-mid-end", c.get(k + "cat"));
                    assertFalse(c.append(k + "cat-none", "x").get(5, TimeUnit.SECONDS));
                    assertFalse(c.prepend(k + "cat-none", "x").get(5, TimeUnit.SECONDS));
                })),
                dynamicTest("delete", timed(() -> {
                    MemcachedClient c = lazy.get();
                    assertTrue(c.set(k + "del", 0, "x").get(5, TimeUnit.SECONDS));
                    assertTrue(c.delete(k + "del").get(5, TimeUnit.SECONDS));
                    assertNull(c.get(k + "del"));
                    assertFalse(c.delete(k + "del").get(5, TimeUnit.SECONDS));
                })),
                dynamicTest("incr and decr", timed(() -> {
                    MemcachedClient c = lazy.get();
                    assertTrue(c.set(k + "n", 0, "10").get(5, TimeUnit.SECONDS));
                    assertEquals(15, c.incr(k + "n", 5));
                    assertEquals(12, c.decr(k + "n", 3));
                    assertEquals(0, c.decr(k + "n", 100), "decr floors at 0");
                    assertEquals(-1, c.incr(k + "n-none", 1), "a miss without a default");
                    assertEquals(100, c.incr(k + "n-def", 1, 100, 0), "a miss with a default creates it");
                    assertEquals(101, c.incr(k + "n-def", 1, 100, 0));
                    assertTrue(c.set(k + "max", 0, "18446744073709551615").get(5, TimeUnit.SECONDS));
                    assertEquals(0, c.incr(k + "max", 1), "incr wraps at 2^64");
                })),
                dynamicTest("touch", timed(() -> {
                    MemcachedClient c = lazy.get();
                    assertTrue(c.set(k + "t", 0, "x").get(5, TimeUnit.SECONDS));
                    assertTrue(c.touch(k + "t", 3600).get(5, TimeUnit.SECONDS));
                    assertEquals("x", c.get(k + "t"));
                    assertFalse(c.touch(k + "t-none", 3600).get(5, TimeUnit.SECONDS));
                    // An absolute exptime in the past (anything over 30 days counts as a Unix time) expires the
                    // item at once. (A negative one would too in text, but binary exptimes are unsigned.)
                    assertTrue(c.touch(k + "t", 30 * 24 * 3600 + 1).get(5, TimeUnit.SECONDS));
                    assertNull(c.get(k + "t"));
                })),
                dynamicTest("get and touch (gat)", timed(() -> {
                    MemcachedClient c = lazy.get();
                    assertTrue(c.set(k + "gat", 0, "g").get(5, TimeUnit.SECONDS));
                    if (binary) {
                        CASValue<Object> v = c.getAndTouch(k + "gat", 3600);
                        assertNotNull(v);
                        assertEquals("g", v.getValue());
                        assertNull(c.getAndTouch(k + "gat-none", 3600));
                    } else {
                        // spymemcached sends gat only in binary; its text factory refuses the call itself.
                        assertThrows(UnsupportedOperationException.class, () -> c.getAndTouch(k + "gat", 3600));
                    }
                })),
                dynamicTest("stats", timed(() -> {
                    Map<SocketAddress, Map<String, String>> all = lazy.get().getStats();
                    assertEquals(1, all.size());
                    Map<String, String> s = all.values().iterator().next();
                    assertEquals(CacheServer.MEMCACHED_VERSION, s.get("version"));
                    assertTrue(Long.parseLong(s.get("curr_connections")) >= 1, s.toString());
                    assertTrue(Long.parseLong(s.get("cmd_set")) > 0, s.toString());
                    assertEquals(mode == CacheServer.Mode.SINGLE ? "1" : "2", s.get("threads"));
                    Map<String, String> settings = lazy.get().getStats("settings").values().iterator().next();
                    assertEquals("67108864", settings.get("maxbytes"));
                })),
                dynamicTest("flush", timed(() -> {
                    MemcachedClient c = lazy.get();
                    assertTrue(c.set(k + "f", 0, "x").get(5, TimeUnit.SECONDS));
                    assertTrue(c.flush().get(5, TimeUnit.SECONDS));
                    assertNull(c.get(k + "f"));
                    assertTrue(c.set(k + "f", 0, "y").get(5, TimeUnit.SECONDS), "stores work after a flush");
                    assertEquals("y", c.get(k + "f"));
                })));
        return dynamicContainer(mode.name().toLowerCase() + (binary ? " binary" : " text"), tests);
    }
}
