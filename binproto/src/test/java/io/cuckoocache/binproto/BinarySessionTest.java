package io.cuckoocache.binproto;

import io.cuckoocache.protocol.ProtocolConfig;
import io.cuckoocache.protocol.StoreStats;
import io.cuckoocache.protocol.Verdict;
import io.cuckoocache.store.ItemStore;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import static io.cuckoocache.binproto.Wire.Harness;
import static io.cuckoocache.binproto.Wire.arith;
import static io.cuckoocache.binproto.Wire.ascii;
import static io.cuckoocache.binproto.Wire.concat;
import static io.cuckoocache.binproto.Wire.hex;
import static io.cuckoocache.binproto.Wire.int32;
import static io.cuckoocache.binproto.Wire.int64;
import static io.cuckoocache.binproto.Wire.keyed;
import static io.cuckoocache.binproto.Wire.kv;
import static io.cuckoocache.binproto.Wire.req;
import static io.cuckoocache.binproto.Wire.resp;
import static io.cuckoocache.binproto.Wire.setExtras;
import static io.cuckoocache.binproto.Wire.store;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every opcode at the byte level: exact response bytes, as memcached 1.6.18 answered the same requests (checked by hand
 * and by {@link MemcachedDifferentialTest}). CAS values are exact: a fresh store hands out 1, 2, 3...
 */
class BinarySessionTest {
    static final byte[] NONE = new byte[0];

    static void expect(byte[] actual, byte[]... packets) {
        assertEquals(hex(concat(packets)), hex(actual));
    }

    static byte[] ok(int opcode, long cas) {
        return resp(opcode, 0, NONE, NONE, NONE, cas);
    }

    static byte[] hit(int opcode, int flags, String key, String value, long cas) {
        return resp(opcode, 0, int32(flags), ascii(key), ascii(value), cas);
    }

    static byte[] err(int opcode, int status, String text) {
        return resp(opcode, status, text, 0);
    }

    static byte[] notFound(int opcode) {
        return err(opcode, 0x01, "Not found");
    }

    // ---------------------------------------------------------------- get family

    @Test
    void getHitAndMiss() {
        Harness h = new Harness();
        expect(h.send(store(0x01, "k", "hello", 7, 0)), ok(0x01, 1));
        expect(h.send(req(0x00, "k")), hit(0x00, 7, "", "hello", 1));
        expect(h.send(req(0x00, "nope")), notFound(0x00));
    }

    @Test
    void getkReturnsTheKeyAndAKeyedMiss() {
        Harness h = new Harness();
        h.send(store(0x01, "k", "v", 3, 0));
        expect(h.send(req(0x0c, "k")), hit(0x0c, 3, "k", "v", 1));
        // A getk miss carries the key as key and body, and no text.
        expect(h.send(req(0x0c, "zz")), resp(0x0c, 0x01, NONE, ascii("zz"), NONE, 0));
    }

    @Test
    void quietGetsAnswerHitsOnly() {
        Harness h = new Harness();
        h.send(store(0x01, "k", "v", 0, 0));
        expect(h.send(req(0x09, "nope"), req(0x0d, "nope"), req(0x09, "k"), req(0x0d, "k"), req(0x0a)),
                hit(0x09, 0, "", "v", 1), hit(0x0d, 0, "k", "v", 1), ok(0x0a, 0));
    }

    @Test
    void touchGatGatkAndQuietVariants() {
        Harness h = new Harness();
        h.send(store(0x01, "k", "v", 9, 0));
        byte[] exp = int32(100);
        // touch answers flags only; gat adds the value; gatk the key too. CAS unchanged by a touch.
        expect(h.send(keyed(0x1c, exp, "k")), resp(0x1c, 0, int32(9), NONE, NONE, 1));
        expect(h.send(keyed(0x1d, exp, "k")), hit(0x1d, 9, "", "v", 1));
        expect(h.send(keyed(0x23, exp, "k")), hit(0x23, 9, "k", "v", 1));
        expect(h.send(keyed(0x1e, exp, "k")), hit(0x1e, 9, "", "v", 1));
        expect(h.send(keyed(0x24, exp, "k")), hit(0x24, 9, "k", "v", 1));
        // Misses: touch and gat say Not found, gatk keyed, gatq and gatkq nothing.
        expect(h.send(keyed(0x1c, exp, "x"), keyed(0x1d, exp, "x"),
                        keyed(0x23, exp, "x"), keyed(0x1e, exp, "x"),
                        keyed(0x24, exp, "x"), req(0x0a)),
                notFound(0x1c), notFound(0x1d), resp(0x23, 0x01, NONE, ascii("x"), NONE, 0), ok(0x0a, 0));
    }

    @Test
    void touchSetsTheExpiry() {
        Harness h = new Harness();
        h.send(store(0x01, "k", "v", 0, 0));
        h.send(keyed(0x1c, int32(10), "k"));
        h.now.addAndGet(9);
        expect(h.send(req(0x00, "k")), hit(0x00, 0, "", "v", 1));
        h.now.addAndGet(1);
        expect(h.send(req(0x00, "k")), notFound(0x00));
    }

    // ---------------------------------------------------------------- storage

    @Test
    void setAddReplaceAndQuietVariants() {
        Harness h = new Harness();
        expect(h.send(store(0x02, "a", "1", 0, 0)), ok(0x02, 1));
        expect(h.send(store(0x02, "a", "2", 0, 0)), err(0x02, 0x02, "Data exists for key."));
        expect(h.send(store(0x03, "a", "3", 0, 0)), ok(0x03, 2));
        expect(h.send(store(0x03, "b", "3", 0, 0)), notFound(0x03));
        expect(h.send(store(0x11, "a", "4", 0, 0), store(0x12, "c", "5", 0, 0), store(0x13, "c", "6", 0, 0), req(0x0a)),
                ok(0x0a, 0));
        expect(h.send(store(0x12, "a", "x", 0, 0), store(0x13, "zz", "x", 0, 0), req(0x0a)),
                err(0x12, 0x02, "Data exists for key."), notFound(0x13), ok(0x0a, 0));
        expect(h.send(req(0x00, "c")), hit(0x00, 0, "", "6", 5));
    }

    @Test
    void setKeepsFlagsAndExpiry() {
        Harness h = new Harness();
        h.send(req(0x01, setExtras(0xFFFFFFFF, 5), ascii("k"), ascii("v"), 0));
        expect(h.send(req(0x00, "k")), hit(0x00, 0xFFFFFFFF, "", "v", 1));
        h.now.addAndGet(5);
        expect(h.send(req(0x00, "k")), notFound(0x00));
    }

    @Test
    void casOnSetAddReplace() {
        Harness h = new Harness();
        h.send(store(0x01, "k", "v", 0, 0));
        expect(h.send(store(0x01, "k", "w", 0, 99)), err(0x01, 0x02, "Data exists for key."));
        expect(h.send(store(0x01, "k", "w", 0, 1)), ok(0x01, 2));
        // A CAS makes add and replace cas commands too: a missing key is Not found.
        expect(h.send(store(0x02, "n", "x", 0, 5), store(0x03, "n", "x", 0, 5), store(0x01, "n", "x", 0, 5)),
                notFound(0x02), notFound(0x03), notFound(0x01));
        expect(h.send(store(0x03, "k", "r", 0, 2)), ok(0x03, 3));
        expect(h.send(store(0x11, "k", "q", 0, 3), store(0x11, "k", "q", 0, 3), req(0x0a)),
                err(0x11, 0x02, "Data exists for key."), ok(0x0a, 0));
    }

    @Test
    void withCasOffTheHeaderCasIsIgnoredByStoresButNotByDelete() {
        Harness h = new Harness(ProtocolConfig.builder().build(), ItemStore.builder().casEnabled(false));
        expect(h.send(store(0x01, "m", "v", 0, 5), store(0x02, "m2", "v", 0, 5), store(0x03, "m", "w", 0, 5),
                        kv(0x0e, "m", "x", 5), req(0x00, "m"), req(0x04, NONE, ascii("m"), NONE, 5)),
                ok(0x01, 0), ok(0x02, 0), ok(0x03, 0), ok(0x0e, 0), hit(0x00, 0, "", "wx", 0),
                err(0x04, 0x02, "Data exists for key."));
    }

    @Test
    void appendPrependAndCas() {
        Harness h = new Harness();
        h.send(store(0x01, "k", "mid", 3, 0));
        expect(h.send(kv(0x0e, "k", "A", 0)), ok(0x0e, 2));
        expect(h.send(kv(0x0f, "k", "P", 0)), ok(0x0f, 3));
        expect(h.send(kv(0x0e, "k", "X", 1)), err(0x0e, 0x02, "Data exists for key."));
        expect(h.send(kv(0x0e, "k", "C", 3)), ok(0x0e, 4));
        expect(h.send(kv(0x19, "k", "1", 0), kv(0x1a, "k", "0", 0),
                req(0x00, "k")), hit(0x00, 3, "", "0PmidAC1", 6));
        expect(h.send(kv(0x0e, "no", "x", 0), kv(0x1a, "no", "x", 0)),
                err(0x0e, 0x05, "Not stored."), err(0x1a, 0x05, "Not stored."));
    }

    @Test
    void appendBeyondTheItemLimitIsNotStored() {
        Harness h = new Harness();
        byte[] half = new byte[600 * 1024];
        h.send(req(0x01, setExtras(0, 0), ascii("k"), half, 0));
        expect(h.send(req(0x0e, NONE, ascii("k"), half, 0)), err(0x0e, 0x05, "Not stored."));
    }

    @Test
    void deleteAndDeleteq() {
        Harness h = new Harness();
        h.send(store(0x01, "k", "v", 0, 0));
        expect(h.send(req(0x04, NONE, ascii("k"), NONE, 7)), err(0x04, 0x02, "Data exists for key."));
        expect(h.send(req(0x04, NONE, ascii("k"), NONE, 1)), ok(0x04, 0));
        expect(h.send(req(0x04, "k")), notFound(0x04));
        h.send(store(0x01, "k", "v", 0, 0));
        expect(h.send(req(0x14, "k"), req(0x14, "k"), req(0x0a)), notFound(0x14), ok(0x0a, 0));
    }

    // ---------------------------------------------------------------- incr / decr

    @Test
    void incrCreatesUnlessExpirationIsAllOnes() {
        Harness h = new Harness();
        expect(h.send(arith(0x05, "n", 1, 5, 0xFFFFFFFF, 0)), notFound(0x05));
        expect(h.send(arith(0x05, "n", 10, 5, 0, 0)), resp(0x05, 0, NONE, NONE, int64(5), 1));
        expect(h.send(arith(0x05, "n", 10, 5, 0, 0)), resp(0x05, 0, NONE, NONE, int64(15), 2));
        expect(h.send(arith(0x06, "n", 100, 0, 0, 0)), resp(0x06, 0, NONE, NONE, int64(0), 3));
        expect(h.send(arith(0x06, "d", 1, 3, 0, 0)), resp(0x06, 0, NONE, NONE, int64(3), 4));
        expect(h.send(req(0x00, "d")), hit(0x00, 0, "", "3", 4));
    }

    @Test
    void incrWrapsAndKeepsTheWidth() {
        Harness h = new Harness();
        h.send(store(0x01, "w", "18446744073709551615", 0, 0));
        expect(h.send(arith(0x05, "w", 2, 0, 0, 0)), resp(0x05, 0, NONE, NONE, int64(1), 2));
        expect(h.send(req(0x00, "w")), hit(0x00, 0, "", "1                   ", 2));
    }

    @Test
    void incrCasNonNumericAndQuiet() {
        Harness h = new Harness();
        h.send(store(0x01, "n", "1", 0, 0), store(0x01, "e", "", 0, 0), store(0x01, "t", "abc", 0, 0));
        expect(h.send(arith(0x05, "n", 1, 0, 0, 9)), err(0x05, 0x02, "Data exists for key."));
        expect(h.send(arith(0x05, "n", 1, 0, 0, 1)), resp(0x05, 0, NONE, NONE, int64(2), 4));
        String text = "Non-numeric server-side value for incr or decr";
        expect(h.send(arith(0x05, "e", 1, 0, 0, 0)), err(0x05, 0x06, text));
        expect(h.send(arith(0x06, "t", 1, 0, 0, 0)), err(0x06, 0x06, text));
        // A CAS does not stop a create.
        expect(h.send(arith(0x05, "c", 1, 7, 0, 999)), resp(0x05, 0, NONE, NONE, int64(7), 5));
        expect(h.send(arith(0x15, "n", 5, 0, 0, 0), arith(0x16, "n", 1, 0, 0, 0), arith(0x15, "zz", 1, 0, -1, 0),
                        req(0x00, "n")),
                notFound(0x15), hit(0x00, 0, "", "6", 7));
    }

    // ---------------------------------------------------------------- the rest

    @Test
    void flushNowAndDelayed() {
        Harness h = new Harness();
        h.send(store(0x01, "a", "v", 0, 0));
        expect(h.send(req(0x08)), ok(0x08, 0));
        expect(h.send(req(0x00, "a")), notFound(0x00));
        h.send(store(0x01, "a", "v", 0, 0));
        expect(h.send(req(0x08, int32(2), NONE, NONE, 0)), ok(0x08, 0));
        // CAS 3, not 2: memcached 1.6.18 gives an immediate flush a CAS unique of its own (set, flush, set: 1, 3).
        expect(h.send(req(0x00, "a")), hit(0x00, 0, "", "v", 3));
        h.now.addAndGet(2);
        expect(h.send(req(0x00, "a")), notFound(0x00));
        h.send(store(0x01, "a", "v", 0, 0));
        expect(h.send(req(0x18), req(0x00, "a")), notFound(0x00));
    }

    @Test
    void flushRefusedWhenDisabledLikeMemcachedDashF() {
        Harness h = new Harness(ProtocolConfig.builder().flushEnabled(false).build());
        h.send(store(0x01, "a", "v", 0, 0));
        // memcached 1.6.18 -F: both flush and flushq answer "auth error", the quiet one too.
        expect(h.send(req(0x08), req(0x18), req(0x0a)),
                err(0x08, 0x20, "Auth failure."), err(0x18, 0x20, "Auth failure."), ok(0x0a, 0));
        expect(h.send(req(0x00, "a")), hit(0x00, 0, "", "v", 1));
    }

    @Test
    void noopVersionAndConfiguredVersion() {
        Harness h = new Harness();
        expect(h.send(req(0x0a)), ok(0x0a, 0));
        expect(h.send(req(0x0b)), resp(0x0b, 0, "1.6.18", 0));
        Harness custom = new Harness(ProtocolConfig.builder().version("9.9.9-test").build());
        expect(custom.send(req(0x0b)), resp(0x0b, 0, "9.9.9-test", 0));
    }

    @Test
    void quitAnswersAndClosesLeavingTheRestUnread() {
        Harness h = new Harness();
        expect(h.send(req(0x0a), req(0x07), req(0x0a)), ok(0x0a, 0), ok(0x07, 0));
        assertEquals(Verdict.CLOSE, h.last);
        assertEquals(24, h.unread());
        expect(h.send(req(0x0a)));
        assertEquals(Verdict.CLOSE, h.last);

        Harness q = new Harness();
        expect(q.send(req(0x17), req(0x0a)));
        assertEquals(Verdict.CLOSE, q.last);
    }

    @Test
    void statStreamsOnePacketPerStatThenAnEmptyOne() {
        Harness h = new Harness();
        expect(h.send(req(0x10)), resp(0x10, 0, NONE, ascii("pid"), ascii("1"), 0),
                resp(0x10, 0, NONE, ascii("version"), ascii("1.6.18"), 0), ok(0x10, 0));
        expect(h.send(req(0x10, "settings")), resp(0x10, 0, NONE, ascii("maxbytes"), ascii("67108864"), 0),
                ok(0x10, 0));
        expect(h.send(req(0x10, "items")), ok(0x10, 0));
        // memcached matches reset and settings by prefix.
        expect(h.send(req(0x10, "resetting")), ok(0x10, 0));
        assertEquals(1, h.resets);
        expect(h.send(req(0x10, "settingsX")), resp(0x10, 0, NONE, ascii("maxbytes"), ascii("67108864"), 0),
                ok(0x10, 0));
        // Unknown to the server, or not a binary stat in memcached ("conns" is text-only there).
        expect(h.send(req(0x10, "slabs"), req(0x10, "conns"), req(0x10, "bogus")), notFound(0x10), notFound(0x10),
                notFound(0x10));
    }

    /** Embedded (no server), the stat opcode answers from the store, as a text session does. */
    @Test
    void embeddedStatsComeFromTheStore() {
        ItemStore store = ItemStore.builder().build();
        BinarySession session = new BinarySession(store, ProtocolConfig.defaults(), new StoreStats(store));
        ByteBuf out = Unpooled.buffer();
        session.process(Unpooled.wrappedBuffer(concat(req(0x00, "k"), req(0x10))), out);
        String stats = out.toString(StandardCharsets.ISO_8859_1);
        assertTrue(stats.contains("get_misses1") && stats.contains("curr_items0"), stats);
        session.process(Unpooled.wrappedBuffer(req(0x10, "reset")), out.clear());
        assertEquals(0L, store.stats().get("get_misses"));
    }

    @Test
    void statAsksTheServerWithTheSubcommand() {
        Harness h = new Harness();
        h.stats.put("conns", Wire.linked("x", "y"));
        h.stats.put("detail on", Wire.linked());
        expect(h.send(req(0x10, "conns")), notFound(0x10));
        expect(h.send(req(0x10, "detail on")), ok(0x10, 0));
    }

    @Test
    void saslCommandsWithoutAuthenticationAreUnknown() {
        Harness h = new Harness();
        expect(h.send(req(0x20), kv(0x21, "PLAIN", "\0u\0p", 0),
                        kv(0x22, "PLAIN", "\0u\0p", 0), req(0x0a)),
                err(0x20, 0x81, "Unknown command"), err(0x21, 0x81, "Unknown command"),
                err(0x22, 0x81, "Unknown command"), ok(0x0a, 0));
        assertEquals(Verdict.CONTINUE, h.last);
    }

    @Test
    void everyServedOpcodeIsKnown() {
        int known = 0;
        for (int op = 0; op < 256; op++) {
            if (Command.of(op) != null) known++;
        }
        assertEquals(35, known); // 0x00-0x1a, 0x1c-0x1e, 0x20-0x24 (0x1b verbosity and 0x1f are not served)
        assertEquals(null, Command.of(0x1b));
        assertEquals(null, Command.of(0x1f));
    }

    // ---------------------------------------------------------------- SASL on

    static final String GOOD = "\0alice\0secret";

    static Harness auth() {
        return Harness.withAuth((u, p) -> u.equals("alice") && p.equals("secret"));
    }

    static byte[] sasl(int opcode, String mech, String data) {
        return req(opcode, NONE, ascii(mech), ascii(data), 0);
    }

    @Test
    void beforeAuthenticationOnlyVersionAndSaslRun() {
        Harness h = auth();
        expect(h.send(req(0x0b), req(0x20)), resp(0x0b, 0, "1.6.18", 0), resp(0x20, 0, "PLAIN", 0));
        expect(h.send(req(0x09, "k"), req(0x0a)), err(0x09, 0x20, "Auth failure."));
        assertEquals(Verdict.CLOSE, h.last);
        for (int op : new int[] {0x00, 0x07, 0x0a, 0x10, 0x50}) {
            Harness g = auth();
            expect(g.send(req(op)), err(op, 0x20, "Auth failure."));
            assertEquals(Verdict.CLOSE, g.last);
        }
    }

    @Test
    void plainAuthThenCommands() {
        Harness h = auth();
        expect(h.send(sasl(0x21, "PLAIN", GOOD), req(0x0a), req(0x00, "k")),
                resp(0x21, 0, "Authenticated", 0), ok(0x0a, 0), notFound(0x00));
        Harness lower = auth();
        expect(lower.send(sasl(0x21, "plain", "alice\0alice\0secret")), resp(0x21, 0, "Authenticated", 0));
    }

    @Test
    void plainFailures() {
        String[] bad = {"\0alice\0wrong", "bob\0alice\0secret", "alice", "\0alice\0secret\0", "\0\0secret"};
        for (String data : bad) {
            Harness h = auth();
            expect(h.send(sasl(0x21, "PLAIN", data), req(0x0b)), err(0x21, 0x20, "Auth failure."),
                    resp(0x0b, 0, "1.6.18", 0));
            assertEquals(Verdict.CONTINUE, h.last, data);
        }
        Harness h = auth();
        expect(h.send(sasl(0x21, "CRAM-MD5", ""), sasl(0x22, "PLAIN", GOOD)), err(0x21, 0x20, "Auth failure."),
                err(0x22, 0x20, "Auth failure."));
    }

    @Test
    void plainInTwoSteps() {
        Harness h = auth();
        expect(h.send(sasl(0x21, "PLAIN", ""), sasl(0x22, "X", ""), sasl(0x22, "X", "\0alice\0bad"),
                        sasl(0x22, "X", GOOD), sasl(0x22, "X", GOOD)),
                resp(0x21, 0x21, "", 0), err(0x22, 0x20, "Auth failure."), err(0x22, 0x20, "Auth failure."),
                resp(0x22, 0, "Authenticated", 0), err(0x22, 0x20, "Auth failure."));
    }

    @Test
    void anySaslCommandDropsTheAuthentication() {
        Harness listed = auth();
        expect(listed.send(sasl(0x21, "PLAIN", GOOD), req(0x20), req(0x0a)), resp(0x21, 0, "Authenticated", 0),
                resp(0x20, 0, "PLAIN", 0), err(0x0a, 0x20, "Auth failure."));
        Harness again = auth();
        expect(again.send(sasl(0x21, "PLAIN", GOOD), sasl(0x21, "PLAIN", "\0alice\0bad"), req(0x0a)),
                resp(0x21, 0, "Authenticated", 0), err(0x21, 0x20, "Auth failure."), err(0x0a, 0x20, "Auth failure."));
    }

    @Test
    void saslMechanismTooLongOrDataTooLarge() {
        Harness h = auth();
        expect(h.send(sasl(0x21, "P".repeat(33), GOOD), req(0x0b)), err(0x21, 0x04, "Invalid arguments"),
                resp(0x0b, 0, "1.6.18", 0));
        expect(h.send(req(0x21, NONE, ascii("PLAIN"), new byte[1 << 20], 0), req(0x0b)),
                err(0x21, 0x82, "Out of memory"), resp(0x0b, 0, "1.6.18", 0));
    }

    @Test
    void authenticatorSeesEachAttempt() {
        AtomicInteger calls = new AtomicInteger();
        Harness h = Harness.withAuth((u, p) -> calls.incrementAndGet() > 1);
        h.send(sasl(0x21, "PLAIN", GOOD), sasl(0x21, "PLAIN", GOOD));
        assertEquals(2, calls.get());
        expect(h.send(req(0x0a)), ok(0x0a, 0));
    }

    // ---------------------------------------------------------------- output bound

    /** Quiet and plain gets of large values: a call stops once its replies pass the bound; the bytes are the same. */
    @Test
    void largeAnswersComeAPieceAtATimeWithTheSameBytes() {
        String large = "v".repeat(600);
        byte[][] requests = {store(0x01, "a", large, 3, 0), req(0x09, "a"), req(0x0d, "a"), req(0x00, "a"),
                req(0x0c, "a"), keyed(0x1d, int32(0), "a"), req(0x09, "nope"), req(0x09, "a"), req(0x0a)};
        Harness whole = new Harness();
        Harness bounded = new Harness(ProtocolConfig.builder().outputPerCall(1000).build());
        byte[] expected = whole.send(requests);
        expect(bounded.send(requests), expected);
        assertEquals(1, whole.calls);
        // Six values of about 630 bytes, two to a call (the quiet miss answers nothing), then the noop.
        assertEquals(4, bounded.calls);
    }
}
