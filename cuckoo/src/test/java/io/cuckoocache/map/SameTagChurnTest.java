package io.cuckoocache.map;

import io.cuckoocache.table.CuckooTable;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two keys with the same tag and the same buckets take turns in one slot. A reader that read one key's reference
 * and then the other key's value must notice that the bucket changed (the version moves even though the tags are
 * back to what they were), so {@code get} never returns the other key's value.
 */
class SameTagChurnTest {
    private static final int SEED = 0x5eed;

    @Test
    void spreadIsInvertedByTheTestHelper() {
        int h = Hashes.spreadHash(0x42, 3, 1, 1);
        assertEquals(h, CuckooTable.spread(Hashes.hashCodeFor(h, SEED), SEED));
    }

    @Test
    void aReaderNeverPairsOneKeyWithTheOthersValue() throws Exception {
        CuckooMap<Key, Integer> map = new CuckooMap<>(0, SEED);
        Key x = new Key(1, Hashes.hashCodeFor(Hashes.spreadHash(0x42, 1, 1, 0), SEED));
        Key y = new Key(2, Hashes.hashCodeFor(Hashes.spreadHash(0x42, 2, 1, 0), SEED));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<String> failure = new AtomicReference<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
        Thread writer = new Thread(() -> {
            for (int i = 0; i < 20_000_000 && System.nanoTime() < deadline && failure.get() == null; i++) {
                map.put(x, 1);
                map.remove(x);
                map.put(y, 2);
                map.remove(y);
            }
            stop.set(true);
        });
        Thread reader = new Thread(() -> {
            while (!stop.get()) {
                Integer vx = map.get(x);
                Integer vy = map.get(y);
                if (vx != null && vx != 1) failure.compareAndSet(null, "get(x) returned y's value " + vx);
                if (vy != null && vy != 2) failure.compareAndSet(null, "get(y) returned x's value " + vy);
            }
        });
        writer.start();
        reader.start();
        writer.join();
        reader.join();
        assertNull(failure.get());
        assertEquals(2, map.table().buckets(), "both keys must stay in the one two-bucket table");
        assertTrue(map.isEmpty());
    }
}
