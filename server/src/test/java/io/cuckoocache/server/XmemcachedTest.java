package io.cuckoocache.server;

import net.rubyeye.xmemcached.GetsResponse;
import net.rubyeye.xmemcached.MemcachedClient;
import net.rubyeye.xmemcached.XMemcachedClientBuilder;
import net.rubyeye.xmemcached.command.BinaryCommandFactory;
import net.rubyeye.xmemcached.command.TextCommandFactory;
import net.rubyeye.xmemcached.utils.AddrUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.cuckoocache.server.Servers.timed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/** xmemcached 2.4.8 against the real server: every operation it offers, text and binary, single and SMP. */
class XmemcachedTest {
    private static final Map<CacheServer.Mode, CacheServer> SERVERS = new EnumMap<>(CacheServer.Mode.class);
    private static final List<Servers.Lazy<MemcachedClient>> CLIENTS = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        for (CacheServer.Mode m : CacheServer.Mode.values()) SERVERS.put(m, Servers.start(m));
    }

    @AfterAll
    static void stop() throws Exception {
        for (Servers.Lazy<MemcachedClient> c : CLIENTS) {
            MemcachedClient client = c.getIfMade();
            if (client != null) client.shutdown();
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
        String k = "xmc-" + mode + (binary ? "-bin-" : "-txt-");
        Servers.Lazy<MemcachedClient> lazy = new Servers.Lazy<>(() -> {
            XMemcachedClientBuilder b = new XMemcachedClientBuilder(
                    AddrUtil.getAddresses("127.0.0.1:" + SERVERS.get(mode).port()));
            b.setCommandFactory(binary ? new BinaryCommandFactory() : new TextCommandFactory());
            b.setConnectionPoolSize(1);
            b.setOpTimeout(5000);
            b.setConnectTimeout(5000);
            return b.build();
        });
        CLIENTS.add(lazy);
        Stream<DynamicTest> tests = Stream.of(
                dynamicTest("version", timed(() -> {
                    Map<InetSocketAddress, String> v = lazy.get().getVersions();
                    assertEquals(1, v.size());
                    assertEquals(CacheServer.MEMCACHED_VERSION, v.values().iterator().next());
                })),
                dynamicTest("set and get", timed(() -> {
                    MemcachedClient c = lazy.get();
                    assertTrue(c.set(k + "a", 0, "alpha"));
                    assertEquals("alpha", c.get(k + "a"));
                    assertNull(c.get(k + "missing"));
                    assertTrue(c.set(k + "long", 0, 1234567890123L));
                    assertEquals(1234567890123L, (Long) c.get(k + "long"));
                })),
                dynamicTest("multi-get", timed(() -> {
                    MemcachedClient c = lazy.get();
                    for (int i = 0; i < 3; i++) assertTrue(c.set(k + "m" + i, 0, "v" + i));
                    Map<String, Object> got = c.get(List.of(k + "m0", k + "m1", k + "m2", k + "m-none"));
                    assertEquals(Map.of(k + "m0", "v0", k + "m1", "v1", k + "m2", "v2"), got);
                })),
                dynamicTest("gets and cas", timed(() -> {
                    MemcachedClient c = lazy.get();
                    assertTrue(c.set(k + "cas", 0, "one"));
                    GetsResponse<String> r = c.gets(k + "cas");
                    assertEquals("one", r.getValue());
                    assertNotEquals(0L, r.getCas());
                    assertTrue(c.cas(k + "cas", 0, "two", r.getCas()));
                    assertFalse(c.cas(k + "cas", 0, "three", r.getCas()));
                    assertEquals("two", c.get(k + "cas"));
                    assertFalse(c.cas(k + "cas-none", 0, "x", 1));
                })),
                dynamicTest("add", timed(() -> {
                    MemcachedClient c = lazy.get();
                    assertTrue(c.add(k + "add", 0, "first"));
                    assertFalse(c.add(k + "add", 0, "second"));
                    assertEquals("first", c.get(k + "add"));
                })),
                dynamicTest("replace", timed(() -> {
                    MemcachedClient c = lazy.get();
                    assertFalse(c.replace(k + "rep", 0, "x"));
                    assertTrue(c.set(k + "rep", 0, "old"));
                    assertTrue(c.replace(k + "rep", 0, "new"));
                    assertEquals("new", c.get(k + "rep"));
                })),
                dynamicTest("append and prepend", timed(() -> {
                    MemcachedClient c = lazy.get();
                    assertTrue(c.set(k + "cat", 0, "mid"));
                    assertTrue(c.append(k + "cat", "-end"));
                    assertTrue(c.prepend(k + "cat", "start-"));
                    assertEquals("start-mid-end", c.get(k + "cat"));
                    assertFalse(c.append(k + "cat-none", "x"));
                    assertFalse(c.prepend(k + "cat-none", "x"));
                })),
                dynamicTest("delete", timed(() -> {
                    MemcachedClient c = lazy.get();
                    assertTrue(c.set(k + "del", 0, "x"));
                    assertTrue(c.delete(k + "del"));
                    assertNull(c.get(k + "del"));
                    assertFalse(c.delete(k + "del"));
                })),
                dynamicTest("incr and decr", timed(() -> {
                    MemcachedClient c = lazy.get();
                    assertTrue(c.set(k + "n", 0, "10"));
                    assertEquals(15, c.incr(k + "n", 5));
                    assertEquals(12, c.decr(k + "n", 3));
                    assertEquals(0, c.decr(k + "n", 100), "decr floors at 0");
                    // xmemcached creates a missing counter with its initial value (binary: in one request).
                    assertEquals(7, c.incr(k + "n-init", 1, 7));
                    assertEquals(8, c.incr(k + "n-init", 1, 7));
                    assertEquals(3, c.decr(k + "d-init", 1, 3));
                })),
                dynamicTest("touch", timed(() -> {
                    MemcachedClient c = lazy.get();
                    assertTrue(c.set(k + "t", 0, "x"));
                    assertTrue(c.touch(k + "t", 3600));
                    assertEquals("x", c.get(k + "t"));
                    assertFalse(c.touch(k + "t-none", 3600));
                    // An absolute exptime in the past expires the item at once.
                    assertTrue(c.touch(k + "t", 30 * 24 * 3600 + 1));
                    assertNull(c.get(k + "t"));
                })),
                dynamicTest("get and touch (gat)", timed(() -> {
                    MemcachedClient c = lazy.get();
                    assertTrue(c.set(k + "gat", 0, "g"));
                    if (binary) {
                        assertEquals("g", c.getAndTouch(k + "gat", 3600));
                        assertNull(c.getAndTouch(k + "gat-none", 3600));
                    } else {
                        // xmemcached sends gat only in binary; its text command factory refuses the call itself.
                        assertThrows(UnsupportedOperationException.class, () -> c.getAndTouch(k + "gat", 3600));
                    }
                })),
                dynamicTest("stats", timed(() -> {
                    Map<InetSocketAddress, Map<String, String>> all = lazy.get().getStats();
                    assertEquals(1, all.size());
                    Map<String, String> s = all.values().iterator().next();
                    assertEquals(CacheServer.MEMCACHED_VERSION, s.get("version"));
                    assertTrue(Long.parseLong(s.get("total_connections")) >= 1, s.toString());
                    assertTrue(Long.parseLong(s.get("bytes_read")) > 0, s.toString());
                })),
                dynamicTest("flush", timed(() -> {
                    MemcachedClient c = lazy.get();
                    assertTrue(c.set(k + "f", 0, "x"));
                    c.flushAll();
                    assertNull(c.get(k + "f"));
                    assertTrue(c.set(k + "f", 0, "y"));
                    assertEquals("y", c.get(k + "f"));
                })));
        return dynamicContainer(mode.name().toLowerCase() + (binary ? " binary" : " text"), tests);
    }
}
