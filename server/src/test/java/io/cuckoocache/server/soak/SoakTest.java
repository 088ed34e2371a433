package io.cuckoocache.server.soak;

import io.cuckoocache.server.CacheServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The soak checker: its rules on hand-made histories, a short clean run against a real SMP server, and one run per
 * planted fault, each of which must be caught. The long runs go through server/soak.sh (.ci/run, by hand).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SoakTest {

    @Test
    void aValueOverwrittenBeforeTheReadBeganIsStaleAConcurrentOneIsNot() {
        Register r = new Register("k", 0);
        Register.Version a = r.begin(1, false, 10);
        assertNull(r.end(a, true, 20));
        Register.Version b = r.begin(2, false, 30);
        assertNull(r.end(b, true, 40));
        assertNotNull(r.checkValue(1, 50, 60, "get"), "b ended before the read began: a is stale");
        assertNull(r.checkValue(2, 50, 60, "get"));
        assertNull(r.checkValue(1, 35, 60, "get"), "the read overlapped b: a is still possible");
        assertNotNull(r.checkAbsent(50, 60, null, "get"), "a miss after a completed set");
        assertNull(r.checkAbsent(5, 60, null, "get"), "a miss overlapping the first set");
        assertNotNull(r.checkValue(3, 50, 60, "get"), "never written");
        Register.Version del = r.begin(3, true, 70);
        assertNull(r.checkAbsent(75, 80, null, "get"), "a running delete may already have happened");
        assertNull(r.checkValue(2, 75, 80, "get"), "or not");
        assertNull(r.end(del, true, 90));
        assertNotNull(r.checkValue(2, 100, 110, "get"));
        Register.Version late = r.begin(4, false, 120);
        assertNull(r.checkValue(4, 125, 126, "get"));
        assertNotNull(r.end(late, false, 130), "a read saw a write that then failed");
    }

    @Test
    void casSucceedsAtMostOncePerUniqueAndOnlyOnACurrentValue() {
        Register r = new Register("k", 0);
        Register.Version a = r.begin(1, false, 10);
        r.end(a, true, 20);
        assertNull(r.checkCasUnique(1, 77));
        assertNotNull(r.checkCasUnique(1, 78), "a version's unique changed");
        assertNull(r.casSucceeded(a, 30, 40));
        assertNotNull(r.casSucceeded(a, 30, 40), "second success with the same unique");
        Register.Version b = r.begin(2, false, 50);
        r.end(b, true, 60);
        assertNotNull(r.checkCasUnique(2, 77), "two versions with one unique");
        Register fresh = new Register("k2", 0);
        Register.Version x = fresh.begin(1, false, 10);
        fresh.end(x, true, 20);
        Register.Version y = fresh.begin(2, false, 30);
        fresh.end(y, true, 40);
        assertNotNull(fresh.casSucceeded(x, 50, 60), "cas against a value overwritten before it began");
    }

    @Test
    void pruningKeepsEveryVersionARunningOperationMaySee() {
        Register r = new Register("k", 0);
        for (int i = 1; i <= 100; i++) r.end(r.begin(i, false, i * 10L), true, i * 10L + 5);
        r.prune(500); // operations running now began at 500 or later
        assertNull(r.checkValue(49, 500, 2000, "get"), "49 ended at 495; 50 began at 500: 49 still possible");
        assertNotNull(r.checkValue(48, 500, 2000, "get"));
        assertTrue(r.size() < 60, "versions kept: " + r.size());
    }

    @Test
    void incrResultsMustBeDistinctAndWithinTheIncrementsApplied() {
        Counter c = new Counter("c");
        long lowerA = c.beginIncr(5);
        long lowerB = c.beginIncr(7);
        assertNull(c.endIncr(5, lowerA, 12), "b applied first");
        assertNotNull(c.endIncr(7, lowerB, 12), "both returned 12: one increment was lost");
        Counter d = new Counter("d");
        long lower = d.beginIncr(3);
        assertNotNull(d.endIncr(3, lower, 4), "more than was ever added");
        assertNull(d.checkRead(0, 3));
        assertNotNull(d.checkRead(d.completed(), 0), "a completed increment not seen");
        assertNotNull(d.checkFinal(2));
        assertNull(d.checkFinal(3));
    }

    private static CacheServer smpServer() throws Exception {
        return CacheServer.builder().listen("127.0.0.1").port(0).mode(CacheServer.Mode.SMP).threads(2)
                .memoryLimit(64L << 20).start();
    }

    @Test
    void aShortRunAgainstARealServerFindsNothingWrong() throws Exception {
        try (CacheServer server = smpServer()) {
            Soak.Report r = Soak.run(Soak.Config.defaults(server.port()).withSeconds(8));
            assertTrue(r.clean(), r.summary());
            assertTrue(r.checks > 10_000, r.summary());
            assertTrue(r.ops.getOrDefault(Soak.Op.CAS_STORED, 0L) > 0 && r.ops.getOrDefault(Soak.Op.INCR, 0L) > 0
                    && r.ops.getOrDefault(Soak.Op.DELETED, 0L) > 0, r.summary());
        }
    }

    /** The checker is only worth something if it catches these. */
    @ParameterizedTest
    @EnumSource(value = Soak.Fault.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void aPlantedFaultIsCaught(Soak.Fault fault) throws Exception {
        try (CacheServer server = smpServer()) {
            Soak.Report r = Soak.run(Soak.Config.defaults(server.port()).withSeconds(4).withFault(fault));
            assertTrue(r.violationCount > 0, fault + " went unnoticed: " + r.summary());
            assertEquals(0, r.errorCount, r.summary());
        }
    }
}
