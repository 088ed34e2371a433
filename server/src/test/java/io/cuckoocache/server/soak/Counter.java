package io.cuckoocache.server.soak;

import java.util.HashSet;
import java.util.Set;
import java.util.TreeMap;

/**
 * The checker's model of one counter key: set to 0 before the run, then only incremented by positive deltas and
 * read. An answer is legal iff it is at least the sum of the increments that completed before the operation began
 * (plus its own delta) and at most the sum of those begun before it ended. Every increment's result is distinct
 * (each one raises the value), so two equal results mean an increment was lost; and at the end the value must equal
 * the sum of all deltas.
 */
final class Counter {
    private final String key;
    private long started;
    private long completed;
    /** Results no running or future increment can repeat are dropped (see {@link #end}). */
    private final Set<Long> results = new HashSet<>();
    /** Lower bounds of the running increments, as a multiset. */
    private final TreeMap<Long, Integer> runningLowerBounds = new TreeMap<>();
    private int sincePrune;

    Counter(String key) {
        this.key = key;
    }

    String key() {
        return key;
    }

    /** Before an incr is sent: its lower bound. */
    synchronized long beginIncr(long delta) {
        long lower = completed + delta;
        started += delta;
        runningLowerBounds.merge(lower, 1, Integer::sum);
        return lower;
    }

    /** After its reply: a violation, or null. */
    synchronized String endIncr(long delta, long lower, long result) {
        String violation = result < lower || result > started
                ? "incr " + key + " by " + delta + " returned " + result + ", legal " + lower + ".." + started
                : !results.add(result) ? "two incr commands on " + key + " returned " + result + ": an increment was lost"
                : null;
        completed += delta;
        runningLowerBounds.merge(lower, -1, (a, b) -> a + b == 0 ? null : a + b);
        if (++sincePrune == 1024) {
            sincePrune = 0;
            // A future increment's result exceeds `completed`; a running one's is at least its lower bound.
            long floor = runningLowerBounds.isEmpty() ? completed + 1
                    : Math.min(completed + 1, runningLowerBounds.firstKey());
            results.removeIf(r -> r < floor);
        }
        return violation;
    }

    /** Before a read is sent: the least legal answer. */
    synchronized long completed() {
        return completed;
    }

    /** After a read's reply (the value, or -1 for a miss). */
    synchronized String checkRead(long lower, long value) {
        if (value < 0) return "get " + key + " missed a counter that is never deleted";
        return value < lower || value > started
                ? "get " + key + " returned " + value + ", legal " + lower + ".." + started : null;
    }

    /** After every client stopped: the final value must be the sum of every delta (or, after errors, in range). */
    synchronized String checkFinal(long value) {
        return value < completed || value > started
                ? "final " + key + " = " + value + ", expected " + (completed == started ? Long.toString(started)
                : completed + ".." + started) : null;
    }

    synchronized long total() {
        return started;
    }
}
