package io.cuckoocache.store;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static io.cuckoocache.store.Fixture.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-key atomicity under real threads: no lost increments, one CAS winner, one recache token. */
class ConcurrencyTest {
    private static final int THREADS = 4;

    /** Runs {@code task} on {@link #THREADS} threads at once and returns their results. */
    private static <T> List<T> race(Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) futures.add(pool.submit(task));
            List<T> results = new ArrayList<>();
            for (Future<T> fu : futures) results.add(fu.get());
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentIncrementsAreNeverLost() throws Exception {
        Fixture f = new Fixture();
        f.set("n", "0");
        int perThread = 5000;
        byte[] k = b("n");
        race(() -> {
            Outcome out = new Outcome();
            for (int i = 0; i < perThread; i++) {
                assertEquals(Status.STORED, f.store.incr(k, 0, 1, 1, out));
            }
            return null;
        });
        assertEquals(String.valueOf(THREADS * perThread), f.get("n").trim());
        assertEquals(THREADS * perThread, f.stat("incr_hits"));
    }

    @Test
    void twoCasWithTheSameUniqueHaveOneWinner() throws Exception {
        Fixture f = new Fixture();
        byte[] k = b("k");
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 300; round++) {
                f.set("k", "base");
                long cas = Item.cas(f.item("k"));
                List<Future<Status>> both = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    byte[] value = b("t" + t);
                    both.add(pool.submit(() -> {
                        start.await();
                        return f.store.store(Mode.CAS, k, 0, 1, cas, value, 0, 0, new Outcome());
                    }));
                }
                Status a = both.get(0).get();
                Status b = both.get(1).get();
                assertTrue(a == Status.STORED ^ b == Status.STORED, round + ": " + a + " " + b);
                assertTrue(a == Status.EXISTS || b == Status.EXISTS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(300, f.stat("cas_hits"));
        assertEquals(300, f.stat("cas_badval"));
    }

    @Test
    void aStaleItemHandsItsTokenToExactlyOneReader() throws Exception {
        Fixture f = new Fixture();
        byte[] k = b("st");
        for (int round = 0; round < 200; round++) {
            f.set("st", "v");
            f.store.meta().delete(k, 0, 2, f.request.invalidate(true), f.out);
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Boolean> won = race(() -> {
                Outcome out = new Outcome();
                start.await();
                f.store.meta().get(k, 0, 2, new MetaRequest(), out);
                return out.won();
            });
            assertEquals(1, won.stream().filter(w -> w).count(), "round " + round);
        }
    }

    @Test
    void concurrentVivifyCreatesOnceAndWinsOnce() throws Exception {
        Fixture f = new Fixture();
        for (int round = 0; round < 200; round++) {
            byte[] k = b("viv" + round);
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Boolean> won = race(() -> {
                Outcome out = new Outcome();
                start.await();
                f.store.meta().get(k, 0, k.length, new MetaRequest().vivify(30), out);
                return out.won();
            });
            assertEquals(1, won.stream().filter(w -> w).count(), "round " + round);
        }
        assertEquals(200, f.stat("curr_items"));
    }

    @Test
    void concurrentFloodSettlesUnderTheLimit() throws Exception {
        long limit = 256 << 10;
        Fixture f = new Fixture(ItemStore.builder().memoryLimit(limit).initialCapacity(64));
        AtomicInteger over = new AtomicInteger();
        race(() -> {
            Outcome out = new Outcome();
            ThreadLocalRandom r = ThreadLocalRandom.current();
            for (int i = 0; i < 5000; i++) {
                byte[] k = b("k" + r.nextInt(3000));
                f.store.store(Mode.SET, k, 0, k.length, new byte[r.nextInt(2000)], 0, 0, out);
                f.store.get(k, 0, k.length);
                // In flight, the overshoot is bounded by the writes in flight (one per thread).
                if (f.store.charged() > limit + THREADS * Item.footprint(7, 0, 2000)) over.incrementAndGet();
            }
            return null;
        });
        assertEquals(0, over.get());
        assertTrue(f.store.charged() <= limit, "quiescent: " + f.store.charged());
    }
}
