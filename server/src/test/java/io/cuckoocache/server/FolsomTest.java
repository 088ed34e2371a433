package io.cuckoocache.server;

import com.spotify.folsom.AsciiMemcacheClient;
import com.spotify.folsom.BinaryMemcacheClient;
import com.spotify.folsom.GetResult;
import com.spotify.folsom.MemcacheClient;
import com.spotify.folsom.MemcacheClientBuilder;
import com.spotify.folsom.MemcacheStatus;
import com.spotify.folsom.MemcachedStats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.cuckoocache.server.Servers.timed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * folsom 1.21.0 against the real server: every operation it offers, text (its AsciiMemcacheClient) and binary,
 * single and SMP. folsom has no version call and only its binary client has get-and-touch and noop.
 */
class FolsomTest {
    private static final Map<CacheServer.Mode, CacheServer> SERVERS = new EnumMap<>(CacheServer.Mode.class);
    private static final List<Servers.Lazy<MemcacheClient<String>>> CLIENTS = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        for (CacheServer.Mode m : CacheServer.Mode.values()) SERVERS.put(m, Servers.start(m));
    }

    @AfterAll
    static void stop() {
        for (Servers.Lazy<MemcacheClient<String>> c : CLIENTS) {
            MemcacheClient<String> client = c.getIfMade();
            if (client != null) client.shutdown();
        }
        SERVERS.values().forEach(CacheServer::close);
    }

    private static <T> T await(CompletionStage<T> f) throws Exception {
        return f.toCompletableFuture().get(5, TimeUnit.SECONDS);
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
        String k = "fol-" + mode + (binary ? "-bin-" : "-txt-");
        Servers.Lazy<MemcacheClient<String>> lazy = new Servers.Lazy<>(() -> {
            MemcacheClientBuilder<String> b = MemcacheClientBuilder.newStringClient()
                    .withAddress("127.0.0.1", SERVERS.get(mode).port())
                    .withRequestTimeoutMillis(5000)
                    .withConnectionTimeoutMillis(5000);
            MemcacheClient<String> c = binary ? b.connectBinary() : b.connectAscii();
            c.awaitConnected(10, TimeUnit.SECONDS);
            return c;
        });
        CLIENTS.add(lazy);
        Stream<DynamicTest> tests = Stream.of(
                dynamicTest("set and get", timed(() -> {
                    MemcacheClient<String> c = lazy.get();
                    assertEquals(MemcacheStatus.OK, await(c.set(k + "a", "alpha", 0)));
                    assertEquals("alpha", await(c.get(k + "a")));
                    assertNull(await(c.get(k + "missing")));
                    assertEquals(MemcacheStatus.OK, await(c.set(k + "flags", "f", 0, 42)));
                    assertEquals(42, await(c.casGet(k + "flags")).getFlags());
                })),
                dynamicTest("multi-get", timed(() -> {
                    MemcacheClient<String> c = lazy.get();
                    for (int i = 0; i < 3; i++) assertEquals(MemcacheStatus.OK, await(c.set(k + "m" + i, "v" + i, 0)));
                    List<String> got = await(c.get(List.of(k + "m0", k + "m-none", k + "m1", k + "m2")));
                    assertEquals(Arrays.asList("v0", null, "v1", "v2"), got);
                    List<GetResult<String>> cas = await(c.casGet(List.of(k + "m0", k + "m1")));
                    assertEquals("v1", cas.get(1).getValue());
                })),
                dynamicTest("gets and cas", timed(() -> {
                    MemcacheClient<String> c = lazy.get();
                    assertEquals(MemcacheStatus.OK, await(c.set(k + "cas", "one", 0)));
                    GetResult<String> r = await(c.casGet(k + "cas"));
                    assertEquals("one", r.getValue());
                    assertNotEquals(0L, r.getCas());
                    assertEquals(MemcacheStatus.OK, await(c.set(k + "cas", "two", 0, r.getCas())));
                    assertEquals(MemcacheStatus.KEY_EXISTS, await(c.set(k + "cas", "three", 0, r.getCas())));
                    assertEquals("two", await(c.get(k + "cas")));
                    assertEquals(MemcacheStatus.KEY_NOT_FOUND, await(c.set(k + "cas-none", "x", 0, 1L)));
                })),
                dynamicTest("add", timed(() -> {
                    MemcacheClient<String> c = lazy.get();
                    assertEquals(MemcacheStatus.OK, await(c.add(k + "add", "first", 0)));
                    assertEquals(MemcacheStatus.ITEM_NOT_STORED, await(c.add(k + "add", "second", 0)));
                    assertEquals("first", await(c.get(k + "add")));
                })),
                dynamicTest("replace", timed(() -> {
                    MemcacheClient<String> c = lazy.get();
                    // memcached answers a replace miss NOT_STORED in text, Not found (0x01) in binary.
                    assertEquals(binary ? MemcacheStatus.KEY_NOT_FOUND : MemcacheStatus.ITEM_NOT_STORED,
                            await(c.replace(k + "rep", "x", 0)));
                    assertEquals(MemcacheStatus.OK, await(c.set(k + "rep", "old", 0)));
                    assertEquals(MemcacheStatus.OK, await(c.replace(k + "rep", "new", 0)));
                    assertEquals("new", await(c.get(k + "rep")));
                })),
                dynamicTest("append and prepend", timed(() -> {
                    MemcacheClient<String> c = lazy.get();
                    assertEquals(MemcacheStatus.OK, await(c.set(k + "cat", "mid", 0)));
                    assertEquals(MemcacheStatus.OK, await(c.append(k + "cat", "-end")));
                    assertEquals(MemcacheStatus.OK, await(c.prepend(k + "cat", "start-")));
                    assertEquals("start-mid-end", await(c.get(k + "cat")));
                    assertEquals(MemcacheStatus.ITEM_NOT_STORED, await(c.append(k + "cat-none", "x")));
                    assertNull(await(c.get(k + "cat-none")));
                })),
                dynamicTest("delete", timed(() -> {
                    MemcacheClient<String> c = lazy.get();
                    assertEquals(MemcacheStatus.OK, await(c.set(k + "del", "x", 0)));
                    assertEquals(MemcacheStatus.OK, await(c.delete(k + "del")));
                    assertNull(await(c.get(k + "del")));
                    assertEquals(MemcacheStatus.KEY_NOT_FOUND, await(c.delete(k + "del")));
                })),
                dynamicTest("incr and decr", timed(() -> {
                    MemcacheClient<String> c = lazy.get();
                    assertEquals(MemcacheStatus.OK, await(c.set(k + "n", "10", 0)));
                    if (binary) {
                        BinaryMemcacheClient<String> b = (BinaryMemcacheClient<String>) c;
                        assertEquals(15L, await(b.incr(k + "n", 5, 0, 0)));
                        assertEquals(12L, await(b.decr(k + "n", 3, 0, 0)));
                        assertEquals(0L, await(b.decr(k + "n", 100, 0, 0)));
                        assertEquals(7L, await(b.incr(k + "n-init", 1, 7, 0)), "created with the initial value");
                    } else {
                        AsciiMemcacheClient<String> a = (AsciiMemcacheClient<String>) c;
                        assertEquals(15L, await(a.incr(k + "n", 5)));
                        assertEquals(12L, await(a.decr(k + "n", 3)));
                        assertEquals(0L, await(a.decr(k + "n", 100)));
                        assertNull(await(a.incr(k + "n-none", 1)), "a miss");
                    }
                })),
                dynamicTest("touch", timed(() -> {
                    MemcacheClient<String> c = lazy.get();
                    assertEquals(MemcacheStatus.OK, await(c.set(k + "t", "x", 0)));
                    assertEquals(MemcacheStatus.OK, await(c.touch(k + "t", 3600)));
                    assertEquals(MemcacheStatus.KEY_NOT_FOUND, await(c.touch(k + "t-none", 3600)));
                    assertEquals("x", await(c.get(k + "t")));
                    // (folsom turns TTLs over 30 days into future Unix times and never sends a past one, so expiry
                    // through touch is covered by the spymemcached and xmemcached tests.)
                })),
                dynamicTest("get and touch (gat), noop", timed(() -> {
                    MemcacheClient<String> c = lazy.get();
                    assertEquals(MemcacheStatus.OK, await(c.set(k + "gat", "g", 0)));
                    if (binary) {
                        BinaryMemcacheClient<String> b = (BinaryMemcacheClient<String>) c;
                        assertEquals("g", await(b.getAndTouch(k + "gat", 3600)));
                        assertNull(await(b.getAndTouch(k + "gat-none", 3600)));
                        GetResult<String> r = await(b.casGetAndTouch(k + "gat", 3600));
                        assertEquals("g", r.getValue());
                        await(b.noop());
                    } else {
                        // folsom's text client has neither gat nor noop.
                        assertEquals("g", await(c.get(k + "gat")));
                    }
                })),
                dynamicTest("stats", timed(() -> {
                    Map<String, MemcachedStats> all = await(lazy.get().getStats(""));
                    assertEquals(1, all.size());
                    Map<String, String> s = all.values().iterator().next().getStats();
                    assertEquals(CacheServer.MEMCACHED_VERSION, s.get("version"));
                    assertTrue(Long.parseLong(s.get("cmd_get")) > 0, s.toString());
                })),
                dynamicTest("flush", timed(() -> {
                    MemcacheClient<String> c = lazy.get();
                    assertEquals(MemcacheStatus.OK, await(c.set(k + "f", "x", 0)));
                    assertEquals(MemcacheStatus.OK, await(c.flushAll(0)));
                    assertNull(await(c.get(k + "f")));
                    assertEquals(MemcacheStatus.OK, await(c.set(k + "f", "y", 0)));
                    assertEquals("y", await(c.get(k + "f")));
                })));
        return dynamicContainer(mode.name().toLowerCase() + (binary ? " binary" : " text"), tests);
    }
}
