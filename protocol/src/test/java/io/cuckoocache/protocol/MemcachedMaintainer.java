package io.cuckoocache.protocol;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Lets a reference memcached 1.6.18 settle before its "stats slabs" is compared. A get on a cold item hands the item,
 * with a reference held, to the LRU maintainer thread's bump queue (items.c, lru_bump_async); the reference goes
 * only when the maintainer next drains that queue, up to a second later. Deleted or replaced meanwhile, the item's
 * chunk still counts as used: 5 % of runs of the differential scripts saw one chunk more, once in CI.
 */
public final class MemcachedMaintainer {
    private static final String PASSES = "STAT lru_maintainer_juggles ";
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private MemcachedMaintainer() {
    }

    /**
     * Returns once the LRU maintainer of the memcached on loopback {@code port} has made a whole pass that began
     * after this call. Its counter (lru_maintainer_juggles) moves at the start of each pass and the bump queue is
     * drained at the end, so two moves bracket one whole pass.
     */
    public static void awaitPass(int port) throws IOException, InterruptedException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout((int) TimeUnit.SECONDS.toMillis(5));
            BufferedReader in = new BufferedReader(
                    new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            long start = passes(s, in);
            long deadline = System.nanoTime() + DEADLINE_NANOS;
            while (passes(s, in) < start + 2) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("memcached's LRU maintainer made no pass in 10 s (port " + port
                            + "); is it running without one (-o no_lru_maintainer, no_modern)?");
                }
                Thread.sleep(50);
            }
        }
    }

    private static long passes(Socket s, BufferedReader in) throws IOException {
        s.getOutputStream().write("stats\r\n".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        long passes = -1;
        for (String line = in.readLine(); !"END".equals(line); line = in.readLine()) {
            if (line == null) throw new IOException("memcached closed the connection during stats");
            if (line.startsWith(PASSES)) passes = Long.parseLong(line.substring(PASSES.length()));
        }
        if (passes < 0) throw new IOException("no lru_maintainer_juggles in memcached's stats");
        return passes;
    }
}
