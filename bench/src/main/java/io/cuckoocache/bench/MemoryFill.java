package io.cuckoocache.bench;

import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Items a server holds in its memory limit: sets distinct keys with values of {@code --value-size} bytes, in batches
 * of pipelined {@code set ... noreply}, and reads {@code stats} after each batch, until evictions have started and
 * {@code curr_items} grew by less than {@code --flat-percent} over a batch (the store is full), or a bound is hit.
 * Prints one line per batch and a final {@code RESULT} line: curr_items, evictions, bytes and limit_maxbytes as the
 * server reports them. The process's RSS is read by the caller from /proc (it knows the PID).
 * <p>
 * With {@code --read-seconds S} (S &gt; 0) a read phase follows the fill: pipelined {@code get}s, {@code --read-window}
 * at a time, of keys drawn uniformly from all keys sent (so the evicted ones miss), with {@code --read-set-percent}
 * of the operations sets of new keys (so the cache keeps evicting), until S seconds or {@code --max-reads} gets; a
 * {@code READ} line gives gets, hits, misses and gets/s. A hit whose value is not
 * {@code --value-size} bytes aborts the run.
 * <p>
 * Usage: {@code java -cp benchmarks.jar io.cuckoocache.bench.MemoryFill --server 127.0.0.1:11211
 * [--value-size 100] [--key-size 14] [--batch 250000] [--max-keys 40000000] [--time-limit-s 300]
 * [--flat-percent 0.5] [--read-seconds 0] [--read-window 100] [--read-set-percent 10] [--max-reads 1000000000]}.
 * Keys are {@code m:}, a filler of {@code x} up to {@code --key-size} bytes (14..250), and 12 digits; all keys of a
 * run have the same length, so the item size is fixed. Bounded by --max-keys and --time-limit-s (fill), and by
 * --read-seconds and --max-reads (read).
 */
public final class MemoryFill {
    private MemoryFill() {
    }

    public static void main(String[] args) throws Exception {
        Args a = new Args(args);
        String server = a.string("--server", "127.0.0.1:11211");
        int valueSize = (int) a.longs("--value-size", "100")[0];
        int batch = (int) a.longs("--batch", "250000")[0];
        long maxKeys = a.longs("--max-keys", "40000000")[0];
        long limitNanos = a.longs("--time-limit-s", "300")[0] * 1_000_000_000L;
        double flatPercent = Double.parseDouble(a.string("--flat-percent", "0.5"));
        int keySize = (int) a.longs("--key-size", "14")[0];
        long readNanos = a.longs("--read-seconds", "0")[0] * 1_000_000_000L;
        int readWindow = (int) a.longs("--read-window", "100")[0];
        int readSetPercent = (int) a.longs("--read-set-percent", "10")[0];
        long maxReads = a.longs("--max-reads", "1000000000")[0];
        if (keySize < 14 || keySize > 250) {
            throw new IllegalArgumentException("--key-size must be 14..250 (250: memcached's limit)");
        }

        byte[] value = new byte[valueSize];
        for (int i = 0; i < valueSize; i++) value[i] = (byte) ('a' + i % 26);
        // The filler goes before the digits, so the digits stay at a fixed place and every key has keySize bytes.
        byte[] key = ServerLatency.ascii("m:" + "x".repeat(keySize - 14) + "000000000000");
        int digitsAt = keySize - 12;
        long start = System.nanoTime();
        long sent = 0;
        long items = 0;
        String stop = "max keys reached";
        try (TextClient client = new TextClient(server)) {
            Map<String, String> stats = client.stats();
            while (sent < maxKeys) {
                if (System.nanoTime() - start > limitNanos) {
                    stop = "time limit reached";
                    break;
                }
                long end = Math.min(maxKeys, sent + batch);
                for (; sent < end; sent++) {
                    writeDigits(key, digitsAt, sent);
                    client.setNoreply(key, value);
                }
                stats = client.stats();
                long now = Long.parseLong(stats.get("curr_items"));
                long evictions = Long.parseLong(stats.get("evictions"));
                System.out.printf(Locale.ROOT, "sent %d curr_items %d evictions %d bytes %s (%.1f s)%n", sent, now,
                        evictions, stats.get("bytes"), (System.nanoTime() - start) / 1e9);
                boolean flat = now - items < items * flatPercent / 100;
                items = Math.max(items, now);
                if (evictions > 0 && flat) {
                    stop = "evictions started and curr_items stopped rising";
                    break;
                }
            }
            System.out.printf(Locale.ROOT, "RESULT sent %d curr_items_max %d curr_items %s evictions %s bytes %s "
                    + "limit_maxbytes %s stop \"%s\"%n", sent, items, stats.get("curr_items"),
                    stats.get("evictions"), stats.get("bytes"), stats.get("limit_maxbytes"), stop);
            if (readNanos > 0 && sent > 0) {
                read(client, key, digitsAt, sent, value, readSetPercent, readWindow, readNanos, maxReads);
            }
        }
    }

    /**
     * The read phase: windows of pipelined gets of random keys among the {@code sent} ones, the replies of a window
     * read before the next is sent (a window bounds what is in flight); {@code setPercent} of the operations are
     * sets of new keys instead (noreply), so the full cache keeps evicting while it serves. Prints a line every 10 s
     * and a READ line.
     */
    private static void read(TextClient client, byte[] key, int digitsAt, long sent, byte[] value, int setPercent,
            int window, long readNanos, long maxReads) throws Exception {
        int valueSize = value.length;
        SplittableRandom random = new SplittableRandom(19);
        long start = System.nanoTime();
        long nextReport = start + 10_000_000_000L;
        long gets = 0;
        long hits = 0;
        String stop = "max reads reached";
        while (gets < maxReads) {
            long now = System.nanoTime();
            if (now - start > readNanos) {
                stop = "read time reached";
                break;
            }
            if (now > nextReport) {
                System.out.printf(Locale.ROOT, "read gets %d hits %d misses %d (%.1f s)%n", gets, hits, gets - hits,
                        (now - start) / 1e9);
                nextReport += 10_000_000_000L;
            }
            int n = 0;
            for (int i = 0; i < window && gets + n < maxReads; i++) {
                if (random.nextInt(100) < setPercent) {
                    writeDigits(key, digitsAt, sent++);
                    client.setNoreply(key, value);
                } else {
                    writeDigits(key, digitsAt, random.nextLong(sent));
                    client.get(key);
                    n++;
                }
            }
            client.flush();
            for (int i = 0; i < n; i++) {
                int length = client.readGetReply();
                if (length < 0) continue;
                if (length != valueSize) {
                    throw new IllegalStateException("a hit of " + length + " bytes; every value sent has " + valueSize);
                }
                hits++;
            }
            gets += n;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "READ gets %d hits %d misses %d hit_ratio %.4f gets_per_s %.0f seconds %.1f "
                + "stop \"%s\"%n", gets, hits, gets - hits, gets == 0 ? 0.0 : (double) hits / gets, gets / seconds,
                seconds, stop);
    }

    /** Writes {@code n} as 12 decimal digits into {@code key} at {@code at}. */
    static void writeDigits(byte[] key, int at, long n) {
        for (int i = at + 11; i >= at; i--) {
            key[i] = (byte) ('0' + n % 10);
            n /= 10;
        }
    }
}
