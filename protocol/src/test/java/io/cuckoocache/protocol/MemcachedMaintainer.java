package io.cuckoocache.protocol;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lets a reference memcached 1.6.18 settle before its "stats slabs" is compared. A get on a cold item hands the item,
 * with a reference held, to the LRU maintainer thread's bump queue (items.c, lru_bump_async); the reference goes
 * only when the maintainer next drains that queue, up to a second later. Deleted or replaced meanwhile, the item's
 * chunk still counts as used: 5 % of runs of the differential scripts saw one chunk more, once in CI.
 */
public final class MemcachedMaintainer {
    private static final Pattern PASSES = Pattern.compile("STAT lru_maintainer_juggles (\\d+)\r\n");
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
            InputStream in = new BufferedInputStream(s.getInputStream());
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

    private static long passes(Socket s, InputStream in) throws IOException {
        s.getOutputStream().write("stats\r\n".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        StringBuilder reply = new StringBuilder();
        while (reply.length() < 5 || !reply.substring(reply.length() - 5).equals("END\r\n")) {
            int b = in.read();
            if (b < 0) throw new IOException("memcached closed the connection during stats");
            reply.append((char) b);
        }
        Matcher m = PASSES.matcher(reply);
        if (!m.find()) throw new IOException("no lru_maintainer_juggles in memcached's stats");
        return Long.parseLong(m.group(1));
    }
}
