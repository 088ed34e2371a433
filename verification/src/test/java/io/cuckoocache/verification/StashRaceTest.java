package io.cuckoocache.verification;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.cuckoocache.verification.StashedMap.X;
import static io.cuckoocache.verification.StashedMap.Y;
import static io.cuckoocache.verification.StashedMap.Z;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Updates of two stash entries guarded by different stripes must not interfere. Found by this module in the old
 * per-generation stash array: the engine's update looked up a key's position in the stash, called the function, and
 * then wrote at that position into the current stash array, which a concurrent removal of an earlier entry may have
 * shifted. The stash is now a table-level persistent tree; the same mistake there is to build the update on the tree
 * the key was looked up in (before the function ran), which undoes the concurrent removal (mutant f). Deterministic:
 * the compute function of Y waits until X has been removed.
 */
class StashRaceTest {

    /** compute(Y) while X (before Y in the stash) is removed: Y must get the new value and Z keep its own. */
    @Test
    void removingAnEarlierStashEntryDoesNotRedirectAnUpdate() throws Exception {
        StashedMap s = new StashedMap();
        assertEquals(42, computeYWhileXIsRemoved(s, 42));
        assertEquals(42, s.map.get(s.keys[Y]), "Y's new value");
        assertEquals(StashedMap.VALUE, s.map.get(s.keys[Z]), "Z's value, untouched");
        assertNull(s.map.get(s.keys[X]), "X stays removed");
    }

    /** The same with a removal: compute(Y) returning null must remove Y, not Z. */
    @Test
    void removingAnEarlierStashEntryDoesNotRedirectARemoval() throws Exception {
        StashedMap s = new StashedMap();
        assertNull(computeYWhileXIsRemoved(s, null));
        assertNull(s.map.get(s.keys[Y]), "Y removed");
        assertEquals(StashedMap.VALUE, s.map.get(s.keys[Z]), "Z still there");
        assertNull(s.map.get(s.keys[X]), "X stays removed");
    }

    /**
     * Runs compute(Y) with a function that returns {@code result} only after another thread removed X (which must
     * have been present); returns what compute returned.
     */
    private static Integer computeYWhileXIsRemoved(StashedMap s, Integer result) throws Exception {
        CountDownLatch inFunction = new CountDownLatch(1);
        CountDownLatch removed = new CountDownLatch(1);
        CompletableFuture<Integer> compute = CompletableFuture.supplyAsync(() -> s.map.compute(s.keys[Y], (k, v) -> {
            inFunction.countDown();
            await(removed);
            return result;
        }));
        inFunction.await(10, TimeUnit.SECONDS);
        assertEquals(StashedMap.VALUE, s.map.remove(s.keys[X]));
        removed.countDown();
        return compute.get(10, TimeUnit.SECONDS);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("timed out");
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
