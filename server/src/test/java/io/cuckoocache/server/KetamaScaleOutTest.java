package io.cuckoocache.server;

import net.spy.memcached.FailureMode;
import net.spy.memcached.KetamaConnectionFactory;
import net.spy.memcached.MemcachedClient;
import net.spy.memcached.OperationTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scale-out with client-side consistent hashing: spymemcached's ketama ring over three servers, then one server
 * stopped, and the other two servers' keys must still read back.
 * <p>
 * Failure mode {@link FailureMode#Cancel}: a request for a dead server's key fails at once with a
 * {@code CancellationException}, which cache-aside code treats as a miss, and the other servers' keys are untouched.
 * Redistribute (spymemcached's default) moves most of them to the next live server of the ring, but in 2.12.3 it
 * re-hashes a key at most six times and then queues the request on the dead server anyway, where it waits out the
 * whole operation timeout, every time that key is asked for: with three servers about 1 key in 729 of the dead
 * server's (this test, with Redistribute, hit one). Retry parks every such request until the server returns.
 */
class KetamaScaleOutTest {
    private static final int KEYS = 2000;
    /** Keys read one by one after the stop (each is a round trip; the multi-get covers them all). */
    private static final int SAMPLE = 50;
    /** Generous: the build machine has 2 cores shared by several builds. */
    private static final long OP_TIMEOUT_MS = 15_000;
    /** Each server must hold at least this share; ketama's 160 points per server keep shares near 1/3. */
    private static final double MIN_SHARE = 0.20;

    static {
        System.setProperty("net.spy.log.LoggerImpl", "net.spy.memcached.compat.log.SunLogger");
    }

    /** Held so the level sticks; the stopped server makes spymemcached log reconnect attempts. */
    private static final java.util.logging.Logger SPY_LOG = java.util.logging.Logger.getLogger("net.spy.memcached");

    private final List<CacheServer> servers = new ArrayList<>();
    private MemcachedClient client;

    @AfterEach
    void stop() {
        if (client != null) client.shutdown(5, TimeUnit.SECONDS);
        servers.forEach(CacheServer::close);
    }

    @Test
    void keysSpreadOverThreeServersAndSurviveOneStopping() {
        SPY_LOG.setLevel(java.util.logging.Level.OFF);
        assertTimeoutPreemptively(Servers.STEP_TIMEOUT.multipliedBy(4), this::run);
    }

    private void run() throws Exception {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            CacheServer s = Servers.start(CacheServer.Mode.SINGLE);
            servers.add(s);
            addresses.add(new InetSocketAddress("127.0.0.1", s.port()));
        }
        client = new MemcachedClient(new KetamaConnectionFactory() {
            @Override
            public FailureMode getFailureMode() {
                return FailureMode.Cancel;
            }

            @Override
            public long getOperationTimeout() {
                return OP_TIMEOUT_MS;
            }
        }, addresses);
        // spymemcached connects in the background, and with Cancel a request to a node not yet connected is
        // cancelled: wait for all three first (bounded by the test's timeout).
        while (client.getAvailableServers().size() < 3) Thread.sleep(10);

        // Where the ring puts each key, and that the server it names really holds it (and no other server does).
        Map<SocketAddress, List<String>> owned = new HashMap<>();
        Map<String, Future<Boolean>> sets = new LinkedHashMap<>();
        for (int i = 0; i < KEYS; i++) {
            String key = "ketama-" + i;
            sets.put(key, client.set(key, 0, value(key)));
            owned.computeIfAbsent(client.getNodeLocator().getPrimary(key).getSocketAddress(), a -> new ArrayList<>())
                    .add(key);
        }
        for (Map.Entry<String, Future<Boolean>> set : sets.entrySet()) {
            assertTrue(set.getValue().get(OP_TIMEOUT_MS, TimeUnit.MILLISECONDS), set.getKey());
        }
        for (int s = 0; s < 3; s++) {
            List<String> keys = owned.getOrDefault(addresses.get(s), List.of());
            assertTrue(keys.size() >= MIN_SHARE * KEYS, "server " + s + " holds only " + keys.size() + " of " + KEYS);
            assertEquals(String.valueOf(keys.size()), servers.get(s).stats("").get("curr_items"), "server " + s);
            for (String key : keys) {
                byte[] k = key.getBytes(StandardCharsets.US_ASCII);
                assertNotNull(servers.get(s).store().get(k, 0, k.length), key + " on server " + s);
            }
        }

        // Stop the second server. spymemcached watches an idle connection for nothing, so it learns of the loss
        // from a request to that server, which is cancelled. Bounded by the test's timeout.
        InetSocketAddress dead = addresses.get(1);
        String probe = owned.get(dead).get(0);
        servers.get(1).close();
        while (!client.getUnavailableServers().contains(dead)) {
            try {
                client.get(probe);
            } catch (CancellationException | OperationTimeoutException expected) {
                // the request that met the closed connection
            }
            Thread.sleep(20);
        }

        // The survivors' keys all still read back through one multi-get, and some one by one.
        List<String> surviving = new ArrayList<>(owned.get(addresses.get(0)));
        surviving.addAll(owned.get(addresses.get(2)));
        Map<String, Object> bulk = client.getBulk(surviving);
        for (String key : surviving) assertEquals(value(key), bulk.get(key), key);
        for (String key : surviving.subList(0, SAMPLE)) assertEquals(value(key), client.get(key), key);
        // The dead server's keys fail at once (Cancel): nothing waits for the operation timeout.
        for (String key : owned.get(dead).subList(0, SAMPLE)) {
            assertThrows(CancellationException.class, () -> client.get(key), key);
        }
        // Writes still land where the ring says: on the survivors, unchanged.
        String late = surviving.get(0);
        assertTrue(client.set(late, 0, "late").get(OP_TIMEOUT_MS, TimeUnit.MILLISECONDS));
        assertEquals("late", client.get(late));
    }

    private static String value(String key) {
        return "value-of-" + key;
    }
}
