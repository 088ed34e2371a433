package io.cuckoocache.verification;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.StressOptions;

import static org.jetbrains.lincheck.datastructures.ManagedStrategyGuaranteeKt.forClasses;

/**
 * Scenario shape and running time of the lincheck tests. Lincheck's defaults take many minutes per class on two
 * cores, so every count is explicit: quick (every build) 10 random scenarios x 1000 invocations in model checking
 * and 10 x 2000 in stress mode, after the test's directed scenarios; {@code -Dverification.full=true} (the
 * {@code -Pfull} profile) 40 x 1000 and 40 x 5000, with new random scenarios (README.md has its measured time).
 */
final class Budget {
    static final boolean FULL = Boolean.getBoolean("verification.full");

    static final int THREADS = 3;
    static final int ACTORS_PER_THREAD = 3;
    static final int ACTORS_AFTER = 2;

    private Budget() {
    }

    static ModelCheckingOptions modelChecking(ModelCheckingOptions o) {
        return o.iterations(FULL ? 40 : 10)
                .invocationsPerIteration(1_000)
                .threads(THREADS)
                .actorsPerThread(ACTORS_PER_THREAD)
                .actorsBefore(0)
                .actorsAfter(ACTORS_AFTER)
                // The displacement search is a bounded breadth-first loop of up to 2 * 1365 nodes; with the
                // default bound (50) lincheck takes it for a livelock.
                .loopBound(3_000)
                // Pure functions and thread-confined scratch: no interleaving inside them can matter, so they run as
                // single steps (about a fifth less running time).
                .addGuarantee(forClasses("io.cuckoocache.table.CuckooTable")
                        .methods("alt", "matching", "tagOf", "spread").ignore())
                .addGuarantee(forClasses("io.cuckoocache.table.CuckooTable$Search").allMethods().ignore())
                .addGuarantee(forClasses(ChosenKey.class.getName()).allMethods().ignore())
                // The cursor's three synchronized methods run as single steps. Sound: their only shared read outside
                // the cursor's monitor is onMove's read of the position, made while the hop holds the stripe locks of
                // both buckets, so the position cannot cross either of them meanwhile (see Cursor). Needed because
                // lincheck 3.7 otherwise fails inside its own memory-snapshot code (a NullPointerException in
                // SnapshotTracker.restoreValues) on the IdentityHashMaps these methods use.
                .addGuarantee(forClasses("io.cuckoocache.table.Cursor")
                        .methods("onMove", "onReplace", "takePending", "wasSkipped").treatAsAtomic())
                // An item's readers and its access-word write run as single steps. Sound: each reads bytes that are
                // immutable once the item is published, or makes one plain, aligned (so untorn) access to its access word. Needed
                // because lincheck 3.7 cannot trace the byte-array-view VarHandles they use ("Unsupported VarHandle
                // type").
                .addGuarantee(forClasses("io.cuckoocache.store.Item").allMethods().treatAsAtomic());
    }

    static StressOptions stress(StressOptions o) {
        return o.iterations(FULL ? 40 : 10)
                .invocationsPerIteration(FULL ? 5_000 : 2_000)
                .threads(THREADS)
                .actorsPerThread(ACTORS_PER_THREAD)
                .actorsBefore(0)
                .actorsAfter(ACTORS_AFTER);
    }
}
