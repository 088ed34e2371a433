package io.cuckoocache.map;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Fresh maps that start at two buckets with {@code residents} keys (key k maps to {@code -k - 1}), and a writer that
 * inserts and deletes other keys in them (key k maps to k), so residents are displaced and the table grows about a
 * dozen times per map. The writer moves to a new map every {@value #PER_MAP} inserts until stopped.
 */
final class Churn implements AutoCloseable {
    static final int PER_MAP = 40_000;

    private final int residents;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread writer;
    private volatile CuckooMap<Integer, Integer> map;
    private volatile int maps;

    Churn(int residents) {
        this.residents = residents;
        this.map = fresh();
        writer = new Thread(this::write, "churn");
        writer.start();
    }

    static int residentValue(int key) {
        return -key - 1;
    }

    /** The resident key of a value or entry's value, or -1 for a churned one. */
    static int residentOfValue(int value) {
        return value < 0 ? -value - 1 : -1;
    }

    private CuckooMap<Integer, Integer> fresh() {
        CuckooMap<Integer, Integer> m = new CuckooMap<>(0);
        for (int k = 0; k < residents; k++) m.put(k, residentValue(k));
        return m;
    }

    private void write() {
        while (!stop.get()) {
            CuckooMap<Integer, Integer> m = map;
            for (int i = 0; i < PER_MAP && !stop.get(); i++) {
                int k = residents + i;
                m.put(k, k);
                if (i % 3 == 0) m.remove(residents + i / 2);
            }
            map = fresh();
            maps++;
        }
    }

    /** The map the writer is churning now. */
    CuckooMap<Integer, Integer> map() {
        return map;
    }

    /** Maps churned to completion so far. */
    int maps() {
        return maps;
    }

    /** Null when {@code keys} holds every resident exactly once, else what is wrong. */
    String checkOnce(Iterable<Integer> keys) {
        int[] seen = new int[residents];
        for (Integer k : keys) {
            if (k == null) return "a null element";
            if (k < residents) seen[k]++;
        }
        for (int k = 0; k < residents; k++) {
            if (seen[k] != 1) return "resident " + k + " seen " + seen[k] + " times";
        }
        return null;
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        writer.join();
    }
}
