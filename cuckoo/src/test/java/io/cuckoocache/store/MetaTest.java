package io.cuckoocache.store;

import org.junit.jupiter.api.Test;

import static io.cuckoocache.store.Fixture.b;
import static io.cuckoocache.store.Fixture.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the meta commands (mg, ms, md, ma) need from the store: tokens, stale items, vivify, TTL, access data. */
class MetaTest {
    private final Fixture f = new Fixture();

    private Status metaSet(String key, String value, Mode mode, MetaRequest request) {
        byte[] k = b(key);
        return f.store.meta().store(mode, k, 0, k.length, b(value), request, f.out);
    }

    /** md with I and the options set on {@code request}. */
    private Status invalidate(String key, MetaRequest request) {
        byte[] k = b(key);
        return f.store.meta().delete(k, 0, k.length, request.invalidate(true), f.out);
    }

    @Test
    void metaGetReportsFlagsTtlCasAndSize() {
        f.set("mk", "hi", 7, 0);
        assertEquals(Status.FOUND, f.metaGet("mk"));
        Outcome o = f.out;
        assertEquals("hi", str(Item.value(o.item())));
        assertEquals(7, Item.flags(o.item()));
        assertEquals(-1, o.ttl());
        assertFalse(o.hitBefore());
        assertEquals(0, o.lastAccess());
        assertFalse(o.won() || o.alreadyWon() || o.stale());
        assertEquals(Status.NOT_FOUND, f.metaGet("nope"));
        assertEquals(1, f.stat("get_hits"));
        assertEquals(1, f.stat("get_misses"));
    }

    @Test
    void hitBeforeAndLastAccessAreFromBeforeTheCall() {
        f.set("k", "v", 0, 100);
        f.advance(3);
        f.metaGet("k");
        assertFalse(f.out.hitBefore());
        assertEquals(3, f.out.lastAccess());
        assertEquals(97, f.out.ttl());
        f.advance(2);
        f.metaGet("k", f.request.bump(false));
        assertTrue(f.out.hitBefore());
        assertEquals(2, f.out.lastAccess());
        f.advance(4);
        f.metaGet("k");
        assertEquals(6, f.out.lastAccess(), "the u flag did not record its access");
        f.metaGet("k");
        assertEquals(0, f.out.lastAccess());
    }

    @Test
    void metaGetWithTtlTouchesAndCountsAsATouch() {
        f.set("k", "v");
        assertEquals(Status.FOUND, f.metaGet("k", f.request.exptime(30)));
        assertEquals(30, f.out.ttl());
        assertEquals(Status.NOT_FOUND, f.metaGet("missing", f.request.exptime(30)));
        assertEquals(1, f.stat("touch_hits"));
        assertEquals(1, f.stat("touch_misses"));
        assertEquals(0, f.stat("cmd_get"));
        f.advance(30);
        assertNull(f.get("k"));
    }

    @Test
    void aCallClearsItsRequest() {
        f.set("k", "v");
        f.metaGet("k", f.request.exptime(30).bump(false));
        f.metaGet("k");
        assertEquals(1, f.stat("cmd_touch"), "the second get had no T");
        f.metaGet("k");
        assertTrue(f.out.hitBefore(), "the second get recorded its fetch");
    }

    @Test
    void invalidateMarksStaleThenOneWinnerThenAlreadyWon() {
        metaSet("st", "x", Mode.SET, f.request);
        long cas = Item.cas(f.item("st"));
        assertEquals(Status.DELETED, invalidate("st", f.request.exptime(30)));
        f.metaGet("st");
        long staleCas = Item.cas(f.out.item());
        assertNotEquals(cas, staleCas, "invalidation bumps the CAS");
        assertEquals("x", str(Item.value(f.out.item())), "a stale item is still served");
        assertTrue(f.out.stale() && f.out.won() && !f.out.alreadyWon(), "VA 1 c.. X W");
        assertEquals(30, f.out.ttl());
        f.metaGet("st");
        assertTrue(f.out.stale() && !f.out.won() && f.out.alreadyWon(), "VA 1 c.. Z X");
        assertEquals(staleCas, Item.cas(f.out.item()), "handing out the token keeps the CAS");
        assertEquals("x", f.get("st"));

        metaSet("st", "fresh", Mode.SET, f.request);
        f.metaGet("st");
        assertFalse(f.out.stale() || f.out.won() || f.out.alreadyWon(), "a later set clears the marks");
        assertEquals(0, f.stat("delete_hits"));
    }

    @Test
    void invalidateAndDeleteCheckCas() {
        f.set("k", "v");
        long cas = Item.cas(f.item("k"));
        assertEquals(Status.EXISTS, invalidate("k", f.request.cas(cas + 1)));
        assertEquals(Status.NOT_FOUND, invalidate("nope", f.request));
        assertEquals(Status.DELETED, invalidate("k", f.request.cas(cas)));
        f.metaGet("k");
        assertEquals(-1, f.out.ttl(), "no T: the expiry stays");
        assertEquals(2, f.stat("delete_misses"));
    }

    @Test
    void staleAllowedCasStoresOverANewerItemButStaysStale() {
        f.set("k", "v1", 0, 50);
        long older = Item.cas(f.item("k"));
        f.set("k", "v2", 0, 50);
        long newer = Item.cas(f.item("k"));
        assertEquals(Status.EXISTS, metaSet("k", "late", Mode.CAS, f.request.cas(older)));
        assertEquals(Status.STORED, metaSet("k", "late", Mode.CAS, f.request.cas(older).invalidate(true)));
        f.metaGet("k", f.request.bump(false));
        assertEquals("late", str(Item.value(f.out.item())));
        assertTrue(f.out.stale() && f.out.won(), "stale: the next meta get wins the recache");
        assertEquals(50, f.out.ttl(), "keeps the item's TTL, not the set's");
        assertEquals(Status.EXISTS,
                metaSet("k", "later", Mode.CAS, f.request.cas(Item.cas(f.out.item()) + 1).invalidate(true)),
                "a newer CAS than the item's is no stale set");
        assertTrue(newer > older);
    }

    @Test
    void explicitNewCas() {
        assertEquals(Status.STORED, metaSet("k", "v", Mode.SET, f.request.newCas(123456789L)));
        assertEquals(123456789L, Item.cas(f.out.item()));
        assertEquals(123456789L, Item.cas(f.item("k")));
        assertEquals(Status.STORED, metaSet("k", "w", Mode.CAS, f.request.cas(123456789L)));
    }

    @Test
    void vivifyCreatesAnEmptyItemAndHandsOutOneToken() {
        assertEquals(Status.FOUND, f.metaGet("viv", f.request.vivify(30)));
        assertTrue(f.out.created() && f.out.won() && !f.out.alreadyWon(), "VA 0 c.. W");
        assertEquals(0, Item.value(f.out.item()).length);
        assertEquals(30, f.out.ttl());
        long cas = Item.cas(f.out.item());
        assertEquals(Status.FOUND, f.metaGet("viv", f.request.vivify(30)));
        assertTrue(!f.out.created() && !f.out.won() && f.out.alreadyWon(), "VA 0 c.. Z");
        assertEquals(cas, Item.cas(f.out.item()));
        assertEquals(1, f.stat("curr_items"));
        assertEquals(2, f.stat("get_hits"), "memcached counts a vivify as a hit");
        f.advance(30);
        assertNull(f.get("viv"));
    }

    @Test
    void recacheWinsOnceWhenTheTtlDropsBelowTheThreshold() {
        f.set("r", "v", 0, 100);
        f.metaGet("r", f.request.recache(30));
        assertFalse(f.out.won() || f.out.alreadyWon(), "100 s left is not below 30");
        f.advance(71);
        f.metaGet("r", f.request.recache(30));
        assertTrue(f.out.won());
        f.metaGet("r", f.request.recache(30));
        assertTrue(!f.out.won() && f.out.alreadyWon());
        f.set("forever", "v");
        f.metaGet("forever", f.request.recache(30));
        assertFalse(f.out.won(), "an item that never expires never needs recaching");
    }

    @Test
    void metaArithmeticCreatesCountsAndTouches() {
        byte[] k = b("cnt");
        assertEquals(Status.NOT_FOUND, f.store.incr(k, 0, 3, 1, f.out));
        assertEquals(Status.STORED, f.store.meta().incr(k, 0, 3, f.request.initial(10).vivify(0), f.out),
                "ma cnt N0 J10");
        assertEquals(10, f.out.number());
        assertEquals(Status.STORED, f.store.incr(k, 0, 3, 5, f.out));
        assertEquals(15, f.out.number());
        assertEquals(Status.STORED, f.store.meta().decr(k, 0, 3, f.request.delta(100).exptime(60), f.out),
                "ma cnt MD D100 T60");
        assertEquals(0, f.out.number());
        assertEquals(Status.FOUND, f.store.meta().get(k, 0, 3, f.request.bump(false), f.out));
        assertEquals(60, f.out.ttl());
        assertEquals(1, f.stat("incr_hits"));
        assertEquals(1, f.stat("decr_hits"));
        assertEquals(1, f.stat("incr_misses"));
    }

    @Test
    void metaStoreDropsTheOldItemOnFailureInEveryMode() {
        f.set("k", "old");
        byte[] k = b("k");
        assertEquals(Status.TOO_LARGE,
                f.store.meta().store(Mode.ADD, k, 0, 1, new byte[2 << 20], f.request, f.out));
        assertNull(f.get("k"));
    }

    @Test
    void addModeMetaStoreOnExistingIsNotStored() {
        f.set("mk", "hi");
        assertEquals(Status.NOT_STORED, metaSet("mk", "x", Mode.ADD, f.request));
        assertEquals(Status.EXISTS, metaSet("mk", "x", Mode.CAS, f.request.cas(Item.cas(f.item("mk")) + 1)), "ms mk 2 C..");
    }

    @Test
    void peekChangesNothingAndCountsCmdMeta() {
        f.set("pk", "hi", 0, 100);
        f.advance(5);
        assertEquals(Status.FOUND, f.peek("pk"));
        assertEquals("hi", str(Item.value(f.out.item())));
        assertEquals(95, f.out.ttl());
        assertEquals(5, f.out.lastAccess());
        assertFalse(f.out.hitBefore());
        f.metaGet("pk");
        assertFalse(f.out.hitBefore(), "peek did not record a fetch");
        assertEquals(5, f.out.lastAccess(), "peek did not record an access");
        assertEquals(1, f.stat("cmd_get"), "peek is not a get");
        assertEquals(1, f.stat("cmd_meta"));
        assertEquals(Status.NOT_FOUND, f.peek("none"));
        assertEquals(2, f.stat("cmd_meta"));
        assertEquals(0, f.stat("get_misses"));
        f.store.resetStats();
        assertEquals(0, f.stat("cmd_meta"));
    }

    @Test
    void peekRemovesADeadItemLikeEveryCall() {
        f.set("gone", "v", 0, 2);
        f.advance(3);
        assertEquals(Status.NOT_FOUND, f.peek("gone"));
        assertEquals(1, f.stat("get_expired"));
        assertEquals(0, f.stat("curr_items"));
    }

    @Test
    void arithmeticReportsTheTtlAfterTheCall() {
        byte[] k = b("n");
        assertEquals(Status.STORED, f.store.meta().incr(k, 0, 1, f.request.initial(7).vivify(50), f.out),
                "ma n N50 J7");
        assertEquals(50, f.out.ttl());
        f.advance(10);
        assertEquals(Status.STORED, f.store.incr(k, 0, 1, 1, f.out));
        assertEquals(40, f.out.ttl());
        assertEquals(Status.STORED, f.store.meta().decr(k, 0, 1, f.request.exptime(0), f.out), "ma n MD T0");
        assertEquals(-1, f.out.ttl());
    }
}
