package io.cuckoocache.binproto;

import io.cuckoocache.protocol.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.cuckoocache.binproto.BinarySessionTest.NONE;
import static io.cuckoocache.binproto.BinarySessionTest.err;
import static io.cuckoocache.binproto.BinarySessionTest.expect;
import static io.cuckoocache.binproto.BinarySessionTest.hit;
import static io.cuckoocache.binproto.BinarySessionTest.notFound;
import static io.cuckoocache.binproto.BinarySessionTest.ok;
import static io.cuckoocache.binproto.Wire.Harness;
import static io.cuckoocache.binproto.Wire.ascii;
import static io.cuckoocache.binproto.Wire.int32;
import static io.cuckoocache.binproto.Wire.kv;
import static io.cuckoocache.binproto.Wire.rawReq;
import static io.cuckoocache.binproto.Wire.req;
import static io.cuckoocache.binproto.Wire.resp;
import static io.cuckoocache.binproto.Wire.setExtras;
import static io.cuckoocache.binproto.Wire.store;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Bad input: each case answered (or closed) as memcached 1.6.18 does, except where it desyncs (noted). */
class MalformedInputTest {

    @Test
    void badMagicClosesWithoutAnAnswer() {
        Harness h = new Harness();
        expect(h.send(rawReq(0x81, 0x0a, 0, 0, 0, NONE)));
        assertEquals(Verdict.CLOSE, h.last);
        Harness mid = new Harness();
        expect(mid.send(req(0x0a), new byte[24], req(0x0a)), ok(0x0a, 0));
        assertEquals(Verdict.CLOSE, mid.last);
    }

    @Test
    void extrasPlusKeyBeyondTheBodyIsUnknownAndCloses() {
        Harness h = new Harness();
        expect(h.send(rawReq(0x80, 0x00, 0, 3, 2, ascii("abc")), req(0x0a)), err(0x00, 0x81, "Unknown command"));
        assertEquals(Verdict.CLOSE, h.last);
        Harness e = new Harness();
        expect(e.send(rawReq(0x80, 0x01, 8, 1, 8, new byte[9])), err(0x01, 0x81, "Unknown command"));
        assertEquals(Verdict.CLOSE, e.last);
    }

    @Test
    void keyOver250IsInvalidAndClosesFromTheHeaderAlone() {
        Harness h = new Harness();
        // Only the header: the answer needs none of the 251 key bytes, so none are waited for.
        expect(h.send(rawReq(0x80, 0x00, 0, 251, 251, NONE)), err(0x00, 0x04, "Invalid arguments"));
        assertEquals(Verdict.CLOSE, h.last);
        Harness unknown = new Harness();
        expect(unknown.send(rawReq(0x80, 0x50, 0, 251, 251, NONE)), err(0x50, 0x04, "Invalid arguments"));
        Harness max = new Harness();
        expect(max.send(req(0x00, "k".repeat(250)), req(0x0a)), notFound(0x00), ok(0x0a, 0));
    }

    /** Each row: opcode, extlen, keylen, bodylen of a request memcached answers "Invalid arguments" and closes. */
    @ParameterizedTest
    @CsvSource({
        "0x01, 4, 1, 6", "0x01, 8, 0, 9", "0x11, 0, 1, 2", "0x02, 20, 1, 22", "0x03, 8, 0, 8",
        "0x00, 4, 1, 5", "0x00, 0, 1, 3", "0x00, 0, 0, 0", "0x09, 0, 1, 2", "0x0c, 4, 1, 5", "0x0d, 0, 0, 0",
        "0x04, 4, 1, 5", "0x14, 0, 1, 2", "0x04, 0, 0, 0",
        "0x05, 8, 1, 9", "0x05, 20, 1, 22", "0x15, 20, 0, 20", "0x06, 0, 1, 1", "0x16, 4, 1, 5",
        "0x0e, 8, 1, 10", "0x0e, 0, 0, 1", "0x19, 4, 1, 6", "0x0f, 0, 0, 0", "0x1a, 8, 1, 9",
        "0x1c, 0, 1, 1", "0x1c, 8, 1, 9", "0x1d, 0, 1, 1", "0x1e, 4, 0, 4", "0x23, 20, 1, 21", "0x24, 0, 1, 1",
        "0x08, 8, 0, 8", "0x08, 0, 1, 1", "0x08, 4, 0, 5", "0x18, 0, 0, 3",
        "0x0a, 0, 0, 1", "0x0a, 4, 0, 4", "0x0b, 0, 1, 1", "0x07, 0, 0, 2", "0x17, 4, 0, 4",
        "0x10, 4, 0, 4", "0x10, 8, 1, 9",
        "0x20, 0, 0, 1", "0x21, 0, 0, 4", "0x21, 4, 5, 9", "0x22, 0, 0, 0",
    })
    void wrongShapeIsInvalidAndCloses(String op, int extlen, int keylen, int bodylen) {
        int opcode = Integer.decode(op);
        Harness h = new Harness();
        expect(h.send(rawReq(0x80, opcode, extlen, keylen, bodylen, new byte[bodylen]), req(0x0a)),
                err(opcode, 0x04, "Invalid arguments"));
        assertEquals(Verdict.CLOSE, h.last);
    }

    @Test
    void valueBeyondTheItemLimitIsRefusedAndSkippedAsItArrives() {
        Harness h = new Harness();
        int vlen = 3 << 20;
        byte[] head = rawReq(0x80, 0x01, 8, 1, 8 + 1 + vlen, Wire.concat(setExtras(0, 0), ascii("k")));
        // Answered as soon as extras and key are in, before any of the value.
        expect(h.send(head), err(0x01, 0x03, "Too large."));
        byte[] chunk = new byte[64 * 1024];
        for (int sent = 0; sent < vlen; sent += chunk.length) {
            expect(h.send(chunk));
            assertEquals(0, h.unread(), "the session holds none of a refused value");
        }
        expect(h.send(req(0x0a)), ok(0x0a, 0));
    }

    @Test
    void aFourGigabyteBodyIsRefusedWithoutWaitingForIt() {
        Harness h = new Harness();
        byte[] head = rawReq(0x80, 0x01, 8, 1, 0xFFFF_FFFFL, Wire.concat(setExtras(0, 0), ascii("k")));
        expect(h.send(head), err(0x01, 0x03, "Too large."));
        expect(h.send(new byte[1 << 20]));
        assertEquals(0, h.unread());
        assertEquals(Verdict.CONTINUE, h.last);
    }

    @Test
    void tooLargeSetDropsTheOldItemOtherStoresKeepIt() {
        Harness h = new Harness();
        byte[] big = new byte[1 << 20];
        h.send(store(0x01, "s", "old", 0, 0), store(0x01, "r", "old", 0, 0), store(0x01, "a", "old", 0, 0));
        expect(h.send(req(0x01, setExtras(0, 0), ascii("s"), big, 0), req(0x00, "s")), err(0x01, 0x03, "Too large."),
                notFound(0x00));
        expect(h.send(req(0x03, setExtras(0, 0), ascii("r"), big, 0), req(0x00, "r")), err(0x03, 0x03, "Too large."),
                hit(0x00, 0, "", "old", 2));
        expect(h.send(req(0x0e, NONE, ascii("a"), big, 0), req(0x00, "a")), err(0x0e, 0x03, "Too large."),
                hit(0x00, 0, "", "old", 3));
        // Quiet variants report errors.
        expect(h.send(req(0x11, setExtras(0, 0), ascii("q"), big, 0), req(0x0a)), err(0x11, 0x03, "Too large."),
                ok(0x0a, 0));
    }

    @Test
    void unknownOpcodeSkipsExactlyItsBody() {
        Harness h = new Harness();
        // memcached 1.6.18 swallows bodylen bytes after extras and key and so eats this noop; we answer it.
        byte[] unknown = req(0x50, int32(1), ascii("abc"), ascii("xyz"), 0);
        expect(h.send(unknown, req(0x0a)), err(0x50, 0x81, "Unknown command"), ok(0x0a, 0));
        // 0x1b (verbosity) is not served by memcached 1.6.18 either.
        expect(h.send(req(0x1b, int32(1), NONE, NONE, 0), req(0x0a)), err(0x1b, 0x81, "Unknown command"),
                ok(0x0a, 0));
        expect(h.send(req(0xff), req(0x0a)), err(0xff, 0x81, "Unknown command"), ok(0x0a, 0));
        assertEquals(Verdict.CONTINUE, h.last);
    }

    @Test
    void unknownOpcodeBodyIsSkippedAsItArrives() {
        Harness h = new Harness();
        expect(h.send(rawReq(0x80, 0x50, 0, 0, 5 << 20, NONE)), err(0x50, 0x81, "Unknown command"));
        for (int i = 0; i < 5; i++) {
            expect(h.send(new byte[1 << 20]));
            assertEquals(0, h.unread());
        }
        expect(h.send(req(0x0a)), ok(0x0a, 0));
    }

    @Test
    void extraBodyAfterTouchOrStatIsSkipped() {
        Harness h = new Harness();
        h.send(store(0x01, "k", "v", 2, 0));
        // memcached parses these trailing bytes as the next request (and closes on their bad magic).
        expect(h.send(req(0x1c, int32(0), ascii("k"), ascii("zz"), 0), req(0x0a)),
                resp(0x1c, 0, int32(2), NONE, NONE, 1), ok(0x0a, 0));
        expect(h.send(kv(0x10, "items", "zzzz", 0), req(0x0a)), ok(0x10, 0), ok(0x0a, 0));
    }

    @Test
    void aPartialRequestWaitsAndIsLeftUnread() {
        Harness h = new Harness();
        byte[] get = req(0x00, "key");
        expect(h.send(java.util.Arrays.copyOf(get, 23)));
        assertEquals(23, h.unread());
        expect(h.send(java.util.Arrays.copyOfRange(get, 23, 26)));
        assertEquals(26, h.unread(), "header and partial key stay with the caller");
        expect(h.send(java.util.Arrays.copyOfRange(get, 26, get.length)), notFound(0x00));
        assertEquals(0, h.unread());
    }
}
