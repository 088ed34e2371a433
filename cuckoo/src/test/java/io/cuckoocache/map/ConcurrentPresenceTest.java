package io.cuckoocache.map;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Resident keys stay present while a writer churns other keys through a table that starts with two buckets, so
 * residents are displaced and the table grows under the readers. A reader must never miss a resident nor see a
 * value that belongs to another key; a traversal must return every resident exactly once.
 */
class ConcurrentPresenceTest {
    private static final int RESIDENTS = 2_000;
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(8);

    private static Integer value(int key, boolean alternate) {
        return alternate ? -key - 1 : key;
    }

    @Test
    void residentsAreNeverMissed() throws Exception {
        for (int round = 0; round < 3; round++) {
            runRound(new CuckooMap<>(0));
        }
    }

    private void runRound(CuckooMap<Integer, Integer> map) throws Exception {
        for (int k = 0; k < RESIDENTS; k++) map.put(k, value(k, false));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<String> failure = new AtomicReference<>();
        AtomicLong reads = new AtomicLong();
        AtomicLong traversals = new AtomicLong();
        long deadline = System.nanoTime() + DEADLINE_NANOS;

        Thread writer = new Thread(() -> {
            Random r = new Random();
            for (int i = 0; i < 3_000_000 && !stop.get() && System.nanoTime() < deadline; i++) {
                int churn = RESIDENTS + r.nextInt(400_000);
                if (r.nextInt(3) == 0) map.remove(churn);
                else map.put(churn, churn);
                if (i % 64 == 0) {
                    int k = r.nextInt(RESIDENTS);
                    map.put(k, value(k, r.nextBoolean()));
                }
            }
            stop.set(true);
        });
        Thread reader = new Thread(() -> {
            while (!stop.get() && failure.get() == null) {
                for (int k = 0; k < RESIDENTS; k++) {
                    Integer v = map.get(k);
                    if (v == null || (!v.equals(value(k, false)) && !v.equals(value(k, true)))) {
                        failure.compareAndSet(null, "get(" + k + ") returned " + v);
                        return;
                    }
                }
                reads.addAndGet(RESIDENTS);
            }
        });
        Thread traverser = new Thread(() -> {
            while (!stop.get() && failure.get() == null) {
                int[] seen = new int[RESIDENTS];
                for (Map.Entry<Integer, Integer> e : map.entrySet()) {
                    int k = e.getKey();
                    if (k < RESIDENTS) {
                        seen[k]++;
                        if (!e.getValue().equals(value(k, false)) && !e.getValue().equals(value(k, true))) {
                            failure.compareAndSet(null, "entry " + k + "=" + e.getValue());
                        }
                    }
                }
                for (int k = 0; k < RESIDENTS; k++) {
                    if (seen[k] != 1) {
                        failure.compareAndSet(null, "traversal saw resident " + k + " " + seen[k] + " times");
                    }
                }
                traversals.incrementAndGet();
            }
        });
        writer.start();
        reader.start();
        traverser.start();
        writer.join();
        reader.join();
        traverser.join();
        assertNull(failure.get());
        assertTrue(reads.get() > 0 && traversals.get() > 0, "reads " + reads + ", traversals " + traversals);
        assertTrue(map.table().growths() >= 8, "growths " + map.table().growths());
        assertTrue(map.table().hops() > 1_000, "hops " + map.table().hops());
        Map<Integer, Integer> residents = new HashMap<>();
        for (int k = 0; k < RESIDENTS; k++) residents.put(k, map.get(k));
        assertEquals(RESIDENTS, residents.values().stream().filter(v -> v != null).count());
    }
}
