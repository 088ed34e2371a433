package io.cuckoocache.store;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.cuckoocache.store.Fixture.b;
import static io.cuckoocache.store.Fixture.str;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** memcached 1.6.18 semantics of the text/binary operations, on a hand-driven clock (transcript cases named). */
class ItemStoreTest {
    private final Fixture f = new Fixture();

    @Test
    void setThenGetHitsAndMissesCount() {
        assertEquals(Status.STORED, f.set("foo", "bar", 5, 0));
        byte[] it = f.item("foo");
        assertEquals("bar", str(Item.value(it)));
        assertEquals(5, Item.flags(it));
        assertNull(f.get("nope"));
        assertEquals(1, f.stat("get_hits"));
        assertEquals(1, f.stat("get_misses"));
        assertEquals(2, f.stat("cmd_get"));
        assertEquals(1, f.stat("cmd_set"));
        assertEquals(1, f.stat("curr_items"));
        assertEquals(1, f.stat("total_items"));
    }

    @Test
    void everyStoreGetsANewCasAndTouchKeepsIt() {
        f.set("k", "a");
        long first = Item.cas(f.item("k"));
        f.set("k", "b");
        long second = Item.cas(f.item("k"));
        assertNotEquals(0, first);
        assertTrue(second > first);
        f.touch("k", 100);
        assertEquals(second, Item.cas(f.item("k")));
    }

    @Test
    void casOnMissingKeyIsNotFound() {
        assertEquals(Status.NOT_FOUND, f.store(Mode.CAS, "nokey", "x", 0, 0, 1));
        assertEquals(1, f.stat("cas_misses"));
    }

    @Test
    void casMismatchIsExistsAndMatchStores() {
        f.set("foo", "bar");
        long cas = Item.cas(f.item("foo"));
        assertEquals(Status.EXISTS, f.store(Mode.CAS, "foo", "x", 0, 0, 999999));
        assertEquals("bar", f.get("foo"));
        assertEquals(Status.STORED, f.store(Mode.CAS, "foo", "y", 0, 0, cas));
        assertEquals("y", f.get("foo"));
        assertEquals(Status.EXISTS, f.store(Mode.CAS, "foo", "z", 0, 0, cas), "the unique changed with the store");
        assertEquals(2, f.stat("cas_badval"));
        assertEquals(1, f.stat("cas_hits"));
    }

    @Test
    void addOnlyWhenAbsentReplaceOnlyWhenPresent() {
        f.set("foo", "bar");
        assertEquals(Status.NOT_STORED, f.store(Mode.ADD, "foo", "x", 0, 0, 0));
        assertEquals("bar", f.get("foo"));
        assertEquals(Status.NOT_STORED, f.store(Mode.REPLACE, "nokey", "x", 0, 0, 0));
        assertNull(f.get("nokey"));
        assertEquals(Status.STORED, f.store(Mode.ADD, "new", "1", 0, 0, 0));
        assertEquals(Status.STORED, f.store(Mode.REPLACE, "foo", "2", 0, 0, 0));
        assertEquals("2", f.get("foo"));
    }

    @Test
    void addOverAnExpiredItemStores() {
        f.set("k", "old", 0, 10);
        f.advance(10);
        assertEquals(Status.STORED, f.store(Mode.ADD, "k", "new", 0, 0, 0));
        assertEquals("new", f.get("k"));
        assertEquals(1, f.stat("curr_items"));
    }

    @Test
    void appendAndPrependKeepFlagsAndExpiry() {
        assertEquals(Status.NOT_STORED, f.store(Mode.APPEND, "nokey", "x", 0, 0, 0));
        f.set("foo", "bar", 5, 100);
        assertEquals(Status.STORED, f.store(Mode.APPEND, "foo", "zz", 99, 99, 0));
        byte[] it = f.item("foo");
        assertEquals("barzz", str(Item.value(it)));
        assertEquals(5, Item.flags(it));
        assertEquals(Status.STORED, f.store(Mode.PREPEND, "foo", ">", 7, 0, 0));
        assertEquals(">barzz", f.get("foo"));
        f.advance(99);
        assertEquals(">barzz", f.get("foo"));
        f.advance(1);
        assertNull(f.get("foo"), "the exptime of the original set still rules");
    }

    @Test
    void appendWithCasChecksItUnlessZero() {
        f.set("k", "a");
        long cas = Item.cas(f.item("k"));
        assertEquals(Status.EXISTS, f.store(Mode.APPEND, "k", "b", 0, 0, cas + 1));
        assertEquals(Status.STORED, f.store(Mode.APPEND, "k", "b", 0, 0, cas));
        assertEquals(Status.STORED, f.store(Mode.APPEND, "k", "c", 0, 0, 0));
        assertEquals("abc", f.get("k"));
    }

    @Test
    void appendBeyondTheItemSizeLimitIsNotStored() {
        Fixture g = new Fixture(ItemStore.builder().itemSizeMax(1024));
        g.set("k", "x".repeat(900));
        assertEquals(Status.NOT_STORED, g.store(Mode.APPEND, "k", "y".repeat(100), 0, 0, 0));
        assertEquals(900, g.get("k").length());
    }

    @Test
    void flagsAreFull32Bits() {
        f.set("fl", "x", (int) 4294967295L, 0);
        assertEquals("4294967295", Integer.toUnsignedString(Item.flags(f.item("fl"))));
    }

    @Test
    void deleteHitsThenMisses() {
        f.set("t", "x");
        assertEquals(Status.DELETED, f.delete("t"));
        assertEquals(Status.NOT_FOUND, f.delete("t"));
        assertNull(f.get("t"));
        assertEquals(1, f.stat("delete_hits"));
        assertEquals(1, f.stat("delete_misses"));
        assertEquals(0, f.stat("curr_items"));
        assertEquals(0, f.stat("bytes"));
    }

    @Test
    void deleteWithCasMustMatch() {
        f.set("k", "x");
        long cas = Item.cas(f.item("k"));
        byte[] k = b("k");
        assertEquals(Status.EXISTS, f.store.delete(k, 0, 1, cas + 1, f.out));
        assertEquals("x", f.get("k"));
        assertEquals(Status.DELETED, f.store.delete(k, 0, 1, cas, f.out));
    }

    // ---------------------------------------------------------------- incr / decr

    @Test
    void incrWrapsAt2To64() {
        f.set("n", "18446744073709551615");
        assertEquals(Status.STORED, f.incr("n", 2));
        assertEquals(1, f.out.number());
    }

    @Test
    void decrFloorsAtZero() {
        f.set("n", "10");
        assertEquals(Status.STORED, f.decr("n", 100));
        assertEquals(0, f.out.number());
        assertEquals("0 ", f.get("n"));
    }

    @Test
    void decrShrinkPadsTheOldWidthIncrGrowWidens() {
        f.set("n", "100");
        f.decr("n", 1);
        assertEquals(99, f.out.number());
        assertEquals("99 ", f.get("n"), "memcached rewrites in place: VALUE n 0 3 / '99 '");
        f.set("m", "99");
        f.incr("m", 1);
        assertEquals("100", f.get("m"));
    }

    @Test
    void incrReadsLeadingSpacesAndKeepsFlagsAndExpiry() {
        f.set("n", " 12", 3, 50);
        long cas = Item.cas(f.item("n"));
        assertEquals(Status.STORED, f.incr("n", 1));
        assertEquals(13, f.out.number());
        byte[] it = f.item("n");
        assertEquals("13 ", str(Item.value(it)));
        assertEquals(3, Item.flags(it));
        assertTrue(Item.cas(it) > cas);
        f.advance(50);
        assertNull(f.get("n"));
    }

    @Test
    void incrOnNonNumericValues() {
        for (String v : List.of("abc", "99999999999999999999", "", "12abc", "-5", "  ")) {
            f.set("s", v);
            assertEquals(Status.NON_NUMERIC, f.incr("s", 1), v);
            assertEquals(v, f.get("s"));
        }
        f.set("s", "12 abc");
        assertEquals(Status.STORED, f.incr("s", 1), "strtoull stops at the space");
        assertEquals(13, f.out.number());
    }

    @Test
    void incrMissingIsNotFoundUnlessCreating() {
        assertEquals(Status.NOT_FOUND, f.incr("nokey", 1));
        assertEquals(1, f.stat("incr_misses"));
        byte[] k = b("c");
        assertEquals(Status.STORED, f.store.meta().incr(k, 0, 1, f.request.delta(10).initial(5).vivify(0), f.out));
        assertTrue(f.out.created());
        assertEquals(5, f.out.number(), "binary: a created counter answers its initial value");
        assertEquals(Status.STORED, f.store.meta().incr(k, 0, 1, f.request.delta(10).initial(5).vivify(0), f.out));
        assertEquals(15, f.out.number());
        assertEquals(1, f.stat("incr_hits"));
    }

    @Test
    void incrWithCasMustMatch() {
        f.set("n", "1");
        long cas = Item.cas(f.item("n"));
        byte[] k = b("n");
        assertEquals(Status.EXISTS, f.store.meta().incr(k, 0, 1, f.request.cas(cas + 1), f.out));
        assertEquals(Status.STORED, f.store.meta().incr(k, 0, 1, f.request.cas(cas), f.out));
        assertEquals(2, f.out.number());
    }

    @Test
    void decimalParsingFollowsStrtoull() {
        Outcome o = new Outcome();
        assertTrue(parse("+5", o));
        assertEquals(5, o.number);
        assertTrue(parse("-0", o));
        assertEquals(0, o.number);
        assertTrue(parse("7\0junk", o));
        assertEquals(7, o.number);
        assertTrue(parse("\t18446744073709551615\r", o));
        assertEquals(-1L, o.number);
        assertFalse(parse("18446744073709551616", o));
        assertFalse(parse("-1", o));
        assertFalse(parse("+", o));
        assertEquals("#18446744073709551615#", format(-1L, 3));
        assertEquals("#7   #", format(7, 4));
    }

    /** Parses {@code s} from the middle of a larger array, as the store parses a value inside its item. */
    private static boolean parse(String s, Outcome o) {
        byte[] a = b("##" + s + "##");
        return Decimal.parse(a, 2, 2 + s.length(), o);
    }

    /** Writes {@code x} between two markers, which must survive. */
    private static String format(long x, int width) {
        int w = Decimal.width(x, width);
        byte[] a = b("#".repeat(w + 2));
        Decimal.write(x, a, 1, w);
        return str(a);
    }

    // ---------------------------------------------------------------- expiry

    @Test
    void relativeExptimeExpiresAtItsSecond() {
        f.set("k", "v", 0, 10);
        f.advance(9);
        assertEquals("v", f.get("k"));
        f.advance(1);
        assertNull(f.get("k"));
        assertEquals(1, f.stat("get_expired"));
        assertEquals(0, f.stat("curr_items"), "lazy expiry removed it");
        assertEquals(1, f.stat("reclaimed"));
    }

    @Test
    void thirtyDaysIsRelativeOneMoreIsAbsolute() {
        long thirtyDays = ItemStore.RELATIVE_EXPTIME_MAX;
        f.set("rel", "v", 0, thirtyDays);
        f.set("abs", "v", 0, thirtyDays + 1);
        assertEquals("v", f.get("rel"));
        assertNull(f.get("abs"), "an absolute time in 1970 is long past");
        f.set("future", "v", 0, Fixture.T0 + 100);
        f.advance(99);
        assertEquals("v", f.get("future"));
        f.advance(1);
        assertNull(f.get("future"));
    }

    @Test
    void negativeExptimeIsStoredAndGone() {
        f.set("neg", "old");
        assertEquals(Status.STORED, f.set("neg", "x", 0, -1));
        assertEquals(0, f.stat("curr_items"), "an item dead on arrival is not kept, and the old one is gone");
        assertEquals(0, f.stat("bytes"));
        assertNull(f.get("neg"));
        assertEquals(Status.STORED, f.store(Mode.ADD, "neg2", "x", 0, -1, 0));
        assertNull(f.get("neg2"));
    }

    @Test
    void touchSetsANewExpiry() {
        f.set("t", "x", 0, 10);
        assertEquals(Status.TOUCHED, f.touch("t", 100));
        assertEquals(Status.NOT_FOUND, f.touch("nokey", 10));
        f.advance(50);
        assertEquals("x", f.get("t"));
        f.advance(50);
        assertNull(f.get("t"));
        assertEquals(1, f.stat("touch_hits"));
        assertEquals(1, f.stat("touch_misses"));
        assertEquals(2, f.stat("cmd_touch"));
    }

    @Test
    void getAndTouchReturnsTheItemEvenWhenTouchedIntoThePast() {
        f.set("t", "x", 0, 10);
        assertEquals(Status.TOUCHED, f.touch("t", 0));
        assertEquals("x", str(Item.value(f.out.item())));
        f.advance(1000);
        assertEquals("x", f.get("t"), "exptime 0: never expires");
        assertEquals(Status.TOUCHED, f.touch("t", -1));
        assertEquals("x", str(Item.value(f.out.item())));
        assertNull(f.get("t"));
    }

    @Test
    void flushAllNowKillsOlderItemsOnly() {
        f.set("a", "1");
        f.store.flushAll(0);
        f.set("b", "2");
        assertNull(f.get("a"));
        assertEquals("2", f.get("b"), "stored after the flush in the same second: survives");
        assertEquals(1, f.stat("get_flushed"));
        assertEquals(1, f.stat("cmd_flush"));
    }

    @Test
    void flushAllWithDelayKillsWhatWasStoredBeforeTheMoment() {
        f.set("a", "1");
        f.store.flushAll(10);
        f.advance(5);
        f.set("b", "2");
        assertEquals("1", f.get("a"));
        assertEquals("2", f.get("b"));
        f.advance(5);
        f.set("c", "3");
        assertNull(f.get("a"));
        assertNull(f.get("b"));
        assertEquals("3", f.get("c"));
    }

    @Test
    void aLaterFlushReplacesAPendingOne() {
        f.set("a", "1");
        f.store.flushAll(10);
        f.store.flushAll(100);
        f.advance(10);
        assertEquals("1", f.get("a"), "the 10 s flush was replaced");
        f.advance(90);
        assertNull(f.get("a"));
        f.set("b", "2");
        f.store.flushAll(Fixture.T0 + 200); // absolute
        f.advance(99);
        assertEquals("2", f.get("b"));
        f.advance(1);
        assertNull(f.get("b"));
    }

    @Test
    void reclaimerRemovesDeadItemsWithoutAccess() {
        for (int i = 0; i < 100; i++) f.set("k" + i, "v", 0, i < 60 ? 10 : 0);
        f.get("k0");
        f.advance(10);
        int removed = 0;
        for (int pass = 0; pass < 100 && removed < 60; pass++) removed += f.store.reclaim(1024);
        assertEquals(60, removed);
        assertEquals(40, f.stat("curr_items"));
        assertEquals(60, f.stat("crawler_reclaimed"));
        assertEquals(59, f.stat("expired_unfetched"), "k0 was fetched");
        assertTrue(f.stat("crawler_items_checked") >= 60);
        assertEquals("v", f.get("k99"));
    }

    @Test
    void backgroundReclaimerRuns() throws InterruptedException {
        for (int i = 0; i < 50; i++) f.set("k" + i, "v", 0, 1);
        f.advance(1);
        f.store.startReclaimer(Duration.ofMillis(1), 1024);
        try {
            assertThrows(IllegalStateException.class, () -> f.store.startReclaimer(Duration.ofMillis(1), 1));
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (f.stat("curr_items") > 0 && System.nanoTime() < deadline) Thread.sleep(1);
        } finally {
            f.store.close();
        }
        assertEquals(0, f.stat("curr_items"));
    }

    // ---------------------------------------------------------------- limits, settings, stats

    @Test
    void itemSizeLimitCountsTheWholeItem() {
        byte[] k = b("big");
        assertEquals(Status.TOO_LARGE, f.store.store(Mode.SET, k, 0, 3, new byte[1048577], 0, 0, f.out));
        assertEquals(Status.STORED, f.store.store(Mode.SET, b("big2"), 0, 4, new byte[1048000], 0, 0, f.out));
        assertFalse(f.store.fits(3, 1048576, 0), "1 MB of value plus overhead is over 1 MB");
        // The largest values memcached 1.6.18 -I 1m took (set, bisected on loopback): key "k", flags 0 and 1.
        assertTrue(f.store.fits(1, 1048516, 0));
        assertFalse(f.store.fits(1, 1048517, 0));
        assertTrue(f.store.fits(1, 1048512, 1));
        assertFalse(f.store.fits(1, 1048513, 1));
        assertTrue(f.store.fits(100, 1048417, 0));
        assertFalse(f.store.fits(100, 1048418, 0));
        assertEquals(1, f.stat("store_too_large"));
    }

    @Test
    void aSetThatIsTooLargeDropsTheOldValue() {
        f.set("k", "old");
        assertEquals(Status.TOO_LARGE, f.store.store(Mode.SET, b("k"), 0, 1, new byte[2 << 20], 0, 0, f.out));
        assertNull(f.get("k"), "memcached unlinks the old item so a stale value does not persist");
        f.set("k", "old");
        assertEquals(Status.TOO_LARGE, f.store.store(Mode.ADD, b("k"), 0, 1, new byte[2 << 20], 0, 0, f.out));
        assertEquals("old", f.get("k"), "only set drops it");
    }

    @Test
    void aPreparedItemIsStoredAsItIsAndAppendsCopyItsValue() {
        byte[] it = f.store.prepare(b("xkeyx"), 1, 3, 7, 5);
        System.arraycopy(b("hello"), 0, it, Item.valueOffset(it), 5);
        assertEquals(Status.STORED, f.store.store(Mode.SET, it, 0, 0, f.out));
        assertSame(it, f.item("key"), "published as filled: the value was copied once, by the caller");
        assertEquals(7, Item.flags(it));
        assertNotEquals(0, Item.cas(it), "the header is sealed at the store");
        byte[] more = f.store.prepare(b("key"), 0, 3, 0, 1);
        more[Item.valueOffset(more)] = '!';
        assertEquals(Status.STORED, f.store.store(Mode.APPEND, more, 0, 0, f.out));
        assertEquals("hello!", f.get("key"));
        assertEquals(7, Item.flags(f.item("key")), "append keeps the item's flags");
        byte[] tooLarge = f.store.prepare(b("key"), 0, 3, 0, 2 << 20);
        assertEquals(Status.TOO_LARGE, f.store.store(Mode.SET, tooLarge, 0, 0, f.out));
        assertNull(f.get("key"), "refused like any set over the limit, which drops the old item");
    }

    @Test
    void aRejectedValueThatWasNeverReadActsLikeATooLargeStore() {
        f.set("k", "old");
        assertEquals(Status.TOO_LARGE, f.store.rejectTooLarge(Mode.APPEND, b("k"), 0, 1, f.out));
        assertEquals("old", f.get("k"), "a plain append keeps the old item");
        assertEquals(Status.TOO_LARGE, f.store.meta().rejectTooLarge(b("k"), 0, 1, f.out));
        assertNull(f.get("k"), "a meta set drops it in any mode");
        f.set("k", "old");
        assertEquals(Status.TOO_LARGE, f.store.rejectTooLarge(Mode.SET, b("k"), 0, 1, f.out));
        assertNull(f.get("k"));
        assertEquals(3, f.stat("store_too_large"));
        assertEquals(0, f.stat("delete_hits") + f.stat("delete_misses"), "not counted as a delete");
    }

    @Test
    void casDisabledGivesZeroUniquesAndCasAlwaysMatches() {
        Fixture g = new Fixture(ItemStore.builder().casEnabled(false));
        assertFalse(g.store.casEnabled());
        g.set("k", "a");
        assertEquals(0, Item.cas(g.item("k")));
        assertEquals(Status.STORED, g.store(Mode.CAS, "k", "b", 0, 0, 12345));
        assertEquals("b", g.get("k"));
        assertEquals(Status.NOT_FOUND, g.store(Mode.CAS, "nokey", "b", 0, 0, 0));
        assertEquals(Status.EXISTS, g.store.delete(b("k"), 0, 1, 7, g.out), "delete compares the item's 0");
    }

    @Test
    void keysLongerThan250BytesAreRejected() {
        byte[] k = new byte[251];
        assertThrows(IllegalArgumentException.class, () -> f.store.get(k, 0, 251));
        assertThrows(IllegalArgumentException.class,
                () -> f.store.store(Mode.SET, k, 0, 251, new byte[1], 0, 0, f.out));
        assertNull(f.store.get(k, 0, 250));
    }

    @Test
    void aCasStoreNeedsItsUnique() {
        f.set("k", "v");
        assertThrows(IllegalArgumentException.class,
                () -> f.store.store(Mode.CAS, b("k"), 0, 1, b("w"), 0, 0, f.out));
        assertEquals("v", f.get("k"));
    }

    @Test
    void statsUseMemcachedNamesInItsOrderAndResetKeepsGauges() {
        f.set("a", "1");
        f.get("a");
        f.get("b");
        List<String> names = List.copyOf(f.store.stats().keySet());
        assertEquals(List.of("cmd_get", "cmd_set", "cmd_flush", "cmd_touch", "cmd_meta", "get_hits", "get_misses",
                "get_expired", "get_flushed", "delete_misses", "delete_hits", "incr_misses", "incr_hits",
                "decr_misses", "decr_hits", "cas_misses", "cas_hits", "cas_badval", "touch_hits", "touch_misses",
                "store_too_large", "store_no_memory", "limit_maxbytes", "hash_power_level", "hash_bytes",
                "hash_is_expanding", "bytes", "curr_items", "total_items", "slab_global_page_pool",
                "expired_unfetched", "evicted_unfetched", "evicted_active", "evictions", "reclaimed",
                "crawler_reclaimed", "crawler_items_checked", "lrutail_reflocked", "moves_to_cold", "moves_to_warm",
                "moves_within_lru", "direct_reclaims", "lru_bumps_dropped"), names);
        long bytes = f.stat("bytes");
        assertEquals(Item.footprint(1, 0, 1), bytes);
        f.store.resetStats();
        assertEquals(0, f.stat("cmd_get"));
        assertEquals(0, f.stat("cmd_set"));
        assertEquals(0, f.stat("total_items"));
        assertEquals(1, f.stat("curr_items"));
        assertEquals(bytes, f.stat("bytes"));
        assertEquals(64L << 20, f.stat("limit_maxbytes"));
    }

    @Test
    void aHitReturnsTheStoredItemItself() {
        byte[] v = b("value");
        f.store.store(Mode.SET, b("k"), 0, 1, v, 0, 0, f.out);
        v[0] = 'X';
        assertEquals("value", f.get("k"), "the value was copied into the item");
        assertSame(f.out.item(), f.item("k"), "a hit returns the item itself, no copy");
    }
}
