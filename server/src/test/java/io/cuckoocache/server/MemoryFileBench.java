package io.cuckoocache.server;

import io.cuckoocache.store.ItemStore;
import io.cuckoocache.store.Mode;
import io.cuckoocache.store.Outcome;
import io.cuckoocache.store.Status;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * How fast the warm-restart file is written and read: a bounded tool, not a test (the server's test sources hold it
 * because {@link MemoryFile} is package-private). Two steps, each in its own JVM so the reading store starts as a
 * server's does, and so the file's pages can be dropped from the page cache in between:
 * <pre>
 * java -Xmx4g -cp server/target/test-classes:server/target/classes:cuckoo/target/classes \
 *     io.cuckoocache.server.MemoryFileBench write 1000000 /tmp/bench.mf
 * dd if=/tmp/bench.mf iflag=nocache count=0    # drop this file's cached pages (only this file's)
 * java -Xmx4g -cp ... io.cuckoocache.server.MemoryFileBench read 1000000 /tmp/bench.mf
 * </pre>
 * {@code write} fills a store with that many items (keys "key:N", 100-byte values, flags N, every other one with a
 * one-hour TTL) and times {@link MemoryFile#write} (PATH.tmp, fsync, rename, directory fsync); {@code read} times
 * {@link MemoryFile#read} into a new store and checks the count. Each prints items, bytes, seconds and MB/s.
 */
public final class MemoryFileBench {
    private static final int VALUE = 100;

    private MemoryFileBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3 || !(args[0].equals("write") || args[0].equals("read"))) {
            System.err.println("usage: MemoryFileBench write|read <items> <file>");
            System.exit(64);
        }
        int n = Integer.parseInt(args[1]);
        Path file = Path.of(args[2]);
        // 152 heap bytes per item (key:N, 100-byte value, flags): room for all with a margin, no eviction
        long memory = Math.max(64L << 20, n * 200L);
        ItemStore store = ItemStore.builder().memoryLimit(memory).build();
        String settings = "maxbytes=" + memory + " item_size_max=1048576 use_cas=true";
        MemoryFile.Result r;
        if (args[0].equals("write")) {
            Outcome out = new Outcome();
            byte[] value = new byte[VALUE];
            long fill = System.nanoTime();
            for (int i = 0; i < n; i++) {
                byte[] k = ("key:" + i).getBytes(StandardCharsets.US_ASCII);
                value[i % VALUE] = (byte) i;
                Status s = store.store(Mode.SET, k, 0, k.length, value, i, i % 2 == 0 ? 0 : 3600, out);
                if (s != Status.STORED) throw new IllegalStateException("item " + i + ": " + s);
            }
            System.out.printf("filled %d items in %.2f s%n", n, (System.nanoTime() - fill) / 1e9);
            r = MemoryFile.write(store, file, settings);
        } else {
            r = MemoryFile.read(store, file, settings);
            if (r.items != n) throw new IllegalStateException("read " + r.items + " items, not " + n);
        }
        System.out.printf("%s %d items, %d bytes, %.2f s, %.0f MB/s%n", args[0], r.items, r.bytes, r.nanos / 1e9,
                r.bytes / 1e6 / (r.nanos / 1e9));
    }
}
