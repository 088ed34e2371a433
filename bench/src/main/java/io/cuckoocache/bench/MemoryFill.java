package io.cuckoocache.bench;

import java.util.Locale;
import java.util.Map;

/**
 * Items a server holds in its memory limit: sets distinct keys with values of {@code --value-size} bytes, in batches
 * of pipelined {@code set ... noreply}, and reads {@code stats} after each batch, until evictions have started and
 * {@code curr_items} grew by less than {@code --flat-percent} over a batch (the store is full), or a bound is hit.
 * Prints one line per batch and a final {@code RESULT} line: curr_items, evictions, bytes and limit_maxbytes as the
 * server reports them. The process's RSS is read by the caller from /proc (it knows the PID).
 * <p>
 * Usage: {@code java -cp benchmarks.jar io.cuckoocache.bench.MemoryFill --server 127.0.0.1:11211
 * [--value-size 100] [--batch 250000] [--max-keys 40000000] [--time-limit-s 300] [--flat-percent 0.5]}.
 * Keys are {@code m:} plus 12 digits (14 bytes). Bounded by --max-keys and --time-limit-s.
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

        byte[] value = new byte[valueSize];
        for (int i = 0; i < valueSize; i++) value[i] = (byte) ('a' + i % 26);
        byte[] key = ServerLatency.ascii("m:000000000000");
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
                    writeDigits(key, 2, sent);
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
        }
    }

    /** Writes {@code n} as 12 decimal digits into {@code key} at {@code at}. */
    static void writeDigits(byte[] key, int at, long n) {
        for (int i = at + 11; i >= at; i--) {
            key[i] = (byte) ('0' + n % 10);
            n /= 10;
        }
    }
}
