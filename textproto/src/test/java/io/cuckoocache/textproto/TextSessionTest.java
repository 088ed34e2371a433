package io.cuckoocache.textproto;

import io.cuckoocache.protocol.ProtocolConfig;
import io.cuckoocache.protocol.Verdict;
import io.cuckoocache.protocol.StoreStats;
import io.cuckoocache.store.ItemStore;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.cuckoocache.textproto.Wire.repeat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every command and every error at the ByteBuf level: exact request bytes in, exact reply bytes out, on a store with
 * a hand-driven clock (so CAS uniques and TTLs are known). Then framing, bounds, actions, stats and the documented
 * differences from memcached.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class TextSessionTest {
    private static final long T0 = 1_700_000_000L;
    private static final String K250 = repeat('k', 250);
    private static final String K251 = repeat('k', 251);

    /**
     * Requests and memcached 1.6.18's replies, run in order on one fresh store at time T0. Replayed in this order on
     * one connection to a fresh memcached 1.6.18, all 133 exchanges get these bytes, CAS values included, except
     * {@code ma nn T10 N0 J7 t v} (memcached: {@code t-1}; textproto README, "T, N and R are applied as one call").
     */
    private static final String[][] EXCHANGES = {
        // storage
        {"set foo 5 0 3\r\nbar\r\n", "STORED\r\n"},
        {"get foo\r\n", "VALUE foo 5 3\r\nbar\r\nEND\r\n"},
        {"gets foo\r\n", "VALUE foo 5 3 1\r\nbar\r\nEND\r\n"},
        {"set e 0 0 0\r\n\r\nget e\r\n", "STORED\r\nVALUE e 0 0\r\n\r\nEND\r\n"},
        {"set bin 1 0 6\r\na\r\nb\0c\r\nget bin\r\n", "STORED\r\nVALUE bin 1 6\r\na\r\nb\0c\r\nEND\r\n"},
        {"set nr 0 0 1 noreply\r\nx\r\n", ""},
        {"set j 0 0 1 junk\r\nx\r\n", "STORED\r\n"},
        {"add foo 0 0 1\r\nx\r\n", "NOT_STORED\r\n"},
        {"add new 3 0 2\r\nhi\r\nget new\r\n", "STORED\r\nVALUE new 3 2\r\nhi\r\nEND\r\n"},
        {"add foo 0 0 1 noreply\r\nx\r\n", ""},
        {"replace nokey 0 0 1\r\nx\r\n", "NOT_STORED\r\n"},
        {"replace foo 7 0 3\r\nbaz\r\n", "STORED\r\n"},
        {"append nokey 0 0 1\r\nx\r\n", "NOT_STORED\r\n"},
        {"append foo 99 99 2\r\nzz\r\n", "STORED\r\n"},
        {"prepend foo 0 0 2\r\naa\r\n", "STORED\r\n"},
        {"prepend nokey 0 0 1\r\nx\r\n", "NOT_STORED\r\n"},
        {"gets foo\r\n", "VALUE foo 7 7 9\r\naabazzz\r\nEND\r\n"},
        {"cas foo 1 0 3 9\r\nnew\r\n", "STORED\r\n"},
        {"cas foo 1 0 3 9\r\nold\r\n", "EXISTS\r\n"},
        {"cas nokey 0 0 1 1\r\nx\r\n", "NOT_FOUND\r\n"},
        {"cas foo 0 0 1 10 noreply\r\nq\r\nget foo\r\n", "VALUE foo 0 1\r\nq\r\nEND\r\n"},
        {"cas foo 0 0 1 x\r\nx\r\n", "CLIENT_ERROR bad command line format\r\nERROR\r\n"},
        {"cas foo 0 0 1 -1\r\nx\r\n", "CLIENT_ERROR bad command line format\r\nERROR\r\n"},
        {"cas foo 0 0 1\r\n", "ERROR\r\n"},
        {"set fl 4294967295 0 1\r\nx\r\nget fl\r\n", "STORED\r\nVALUE fl 4294967295 1\r\nx\r\nEND\r\n"},
        {"set fl 4294967301 0 1\r\nx\r\nget fl\r\n", "STORED\r\nVALUE fl 5 1\r\nx\r\nEND\r\n"},
        {"set fl -1 0 1\r\nx\r\n", "CLIENT_ERROR bad command line format\r\nERROR\r\n"},
        {"set fl +7 0 1\r\nx\r\nget fl\r\n", "STORED\r\nVALUE fl 7 1\r\nx\r\nEND\r\n"},
        {"set fl \t9 0 1\r\nx\r\nget fl\r\n", "STORED\r\nVALUE fl 9 1\r\nx\r\nEND\r\n"},
        {"set fl 9x 0 1\r\nx\r\n", "CLIENT_ERROR bad command line format\r\nERROR\r\n"},
        {"set fl 18446744073709551616 0 1\r\nx\r\n", "CLIENT_ERROR bad command line format\r\nERROR\r\n"},
        {"set neg 0 -1 1\r\nx\r\nget neg\r\n", "STORED\r\nEND\r\n"},
        {"set ex 0 4294967295 1\r\nx\r\nget ex\r\n", "STORED\r\nEND\r\n"},
        {"set ex 0 4294967296 1\r\nx\r\nget ex\r\n", "STORED\r\nVALUE ex 0 1\r\nx\r\nEND\r\n"},
        {"set ex 0 9223372036854775808 1\r\nx\r\n", "CLIENT_ERROR bad command line format\r\nERROR\r\n"},
        {"set foo 0 0 -1\r\n", "CLIENT_ERROR bad command line format\r\n"},
        {"set l 0 0 4294967297\r\nx\r\nget l\r\n", "STORED\r\nVALUE l 0 1\r\nx\r\nEND\r\n"},
        {"set l 0 0 2147483647\r\n", "CLIENT_ERROR bad command line format\r\n"},
        {"set foo 0 0 3\r\nbarbaz\r\n", "CLIENT_ERROR bad data chunk\r\nERROR\r\n"},
        {"set foo 0 0 1\r\nx\ny\r\n", "CLIENT_ERROR bad data chunk\r\nERROR\r\n"},
        {"set foo 0 0 1 noreply\r\nxyz\r\n", "ERROR\r\n"},
        {"set big 0 0 1\r\nx\r\nset big 0 0 2000000\r\n" + repeat('x', 2000000) + "\r\nget big\r\n",
            "STORED\r\nSERVER_ERROR object too large for cache\r\nEND\r\n"},
        {"set big 0 0 2000000 noreply\r\n" + repeat('x', 2000000) + "\r\n", ""},
        {"set " + K250 + " 0 0 1\r\nx\r\n", "STORED\r\n"},
        {"set " + K251 + " 0 0 1\r\nx\r\n", "CLIENT_ERROR bad command line format\r\nERROR\r\n"},
        {"set " + K251 + " 0 0 1 noreply\r\nx\r\n", "ERROR\r\n"},
        {"set a 0 0\r\n", "ERROR\r\n"},
        {"set a 0 0 1 noreply x\r\nx\r\n", "ERROR\r\nERROR\r\n"},
        // retrieval
        {"get foo nope foo\r\n", "VALUE foo 0 1\r\nq\r\nVALUE foo 0 1\r\nq\r\nEND\r\n"},
        {"get\r\n", "ERROR\r\n"},
        {"get   \r\n", "ERROR\r\n"},
        {"   get  foo   \r\n", "VALUE foo 0 1\r\nq\r\nEND\r\n"},
        {"get foo\0 nope\r\n", "VALUE foo 0 1\r\nq\r\nEND\r\n"},
        {"get foo\n", "VALUE foo 0 1\r\nq\r\nEND\r\n"},
        {"get " + K251 + "\r\n", "CLIENT_ERROR bad command line format\r\n"},
        {"get foo " + K251 + " foo\r\n", "CLIENT_ERROR bad command line format\r\n"},
        {"gets " + K250 + "\r\n", "VALUE " + K250 + " 0 1 21\r\nx\r\nEND\r\n"},
        {"set t 0 0 1\r\nx\r\ngat 100 t nokey\r\n", "STORED\r\nVALUE t 0 1\r\nx\r\nEND\r\n"},
        {"gats 0 t\r\n", "VALUE t 0 1 22\r\nx\r\nEND\r\n"},
        {"gat 10\r\n", "END\r\n"},
        {"gat abc t\r\n", "CLIENT_ERROR invalid exptime argument\r\n"},
        {"gat -1 t\r\nget t\r\n", "VALUE t 0 1\r\nx\r\nEND\r\nEND\r\n"},
        {"gat 1 " + K251 + "\r\n", "CLIENT_ERROR bad command line format\r\n"},
        {"bget foo\r\n", "VALUE foo 0 1\r\nq\r\nEND\r\n"},
        {"gett foo\r\n", "ERROR\r\n"},
        {"GET foo\r\n", "ERROR\r\n"},
        // incr, decr
        {"set s 0 0 3\r\nabc\r\nincr s 1\r\n", "STORED\r\nCLIENT_ERROR cannot increment or decrement non-numeric value\r\n"},
        {"incr nokey 1\r\n", "NOT_FOUND\r\n"},
        {"set n 0 0 1\r\n5\r\nincr n abc\r\n", "STORED\r\nCLIENT_ERROR invalid numeric delta argument\r\n"},
        {"incr n -1\r\n", "CLIENT_ERROR invalid numeric delta argument\r\n"},
        {"set n 0 0 20\r\n18446744073709551615\r\nincr n 2\r\n", "STORED\r\n1\r\n"},
        {"set n 0 0 2\r\n10\r\ndecr n 100\r\n", "STORED\r\n0\r\n"},
        {"set n 0 0 3\r\n100\r\ndecr n 1\r\nget n\r\n", "STORED\r\n99\r\nVALUE n 0 3\r\n99 \r\nEND\r\n"},
        {"incr n 1 noreply\r\nget n\r\n", "VALUE n 0 3\r\n100\r\nEND\r\n"},
        {"incr n\r\n", "ERROR\r\n"},
        {"incr " + K251 + " 1\r\n", "CLIENT_ERROR bad command line format\r\n"},
        // delete, touch, flush_all
        {"set d 0 0 1\r\nx\r\ndelete d\r\ndelete d\r\n", "STORED\r\nDELETED\r\nNOT_FOUND\r\n"},
        {"set d 0 0 1\r\nx\r\ndelete d 0\r\n", "STORED\r\nDELETED\r\n"},
        {"delete d 5\r\n", "CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]\r\n"},
        {"delete d 0 noreply\r\ndelete d 1 noreply\r\n", ""},
        {"delete d noreply 0\r\n", "CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]\r\n"},
        {"delete a b c d\r\n", "ERROR\r\n"},
        {"delete " + K251 + "\r\n", "CLIENT_ERROR bad command line format\r\n"},
        {"touch t 100\r\ntouch nokey 10\r\n", "NOT_FOUND\r\nNOT_FOUND\r\n"},
        {"touch foo 100\r\ntouch foo abc\r\ntouch foo 1 noreply\r\n", "TOUCHED\r\nCLIENT_ERROR invalid exptime argument\r\n"},
        {"touch foo\r\n", "ERROR\r\n"},
        {"flush_all\r\nget foo\r\n", "OK\r\nEND\r\n"},
        {"flush_all noreply\r\nflush_all 0\r\nflush_all -5\r\n", "OK\r\nOK\r\n"},
        {"flush_all abc\r\nflush_all noreply 5\r\nflush_all 1 2 3\r\n",
            "CLIENT_ERROR invalid exptime argument\r\nCLIENT_ERROR invalid exptime argument\r\nERROR\r\n"},
        // miscellaneous
        {"version\r\nversion x\r\n", "VERSION 1.6.18\r\nVERSION 1.6.18\r\n"},
        {"verbosity 1\r\nverbosity\r\nverbosity 0 noreply\r\nverbosity abc\r\n",
            "OK\r\nERROR\r\nCLIENT_ERROR bad command line format\r\n"},
        {"cache_memlimit 7\r\ncache_memlimit 1000000001\r\ncache_memlimit abc\r\ncache_memlimit 64\r\n",
            "MEMLIMIT_TOO_SMALL cannot set maxbytes to less than 8m\r\n"
                + "MEMLIMIT_ADJUST_FAILED input value is megabytes not bytes\r\nERROR\r\nOK\r\n"},
        {"shutdown\r\n", "ERROR: shutdown not enabled\r\n"},
        {"stats bogus\r\nstats reset\r\nstats detail dump\r\nstats detail\r\n",
            "ERROR\r\nRESET\r\nEND\r\nCLIENT_ERROR usage: stats detail on|off|dump\r\n"},
        {"bogus\r\n\r\n\n\r\r\nx\r\nm\r\nmx\r\n", "ERROR\r\nERROR\r\nERROR\r\nERROR\r\nERROR\r\nERROR\r\nERROR\r\n"},
        {"bogus 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 HTTP/1.1\r\n", "ERROR\r\n"},
        {"get / HTTP/1.1\r\n", "END\r\n"},
        // meta
        {"mn\r\nmn x\r\n", "MN\r\nMN\r\n"},
        {"ms mk 2 T0 F7 c\r\nhi\r\n", "HD c38\r\n"},
        {"mg mk v f t s c k O123 h l\r\n", "VA 2 f7 t-1 s2 c38 kmk O123 h0 l0\r\nhi\r\n"},
        {"mg mk\r\nmg mk h\r\n", "HD\r\nHD h1\r\n"},
        {"mg nope v\r\nmg nope v Oabc k\r\nmg nope v q\r\n", "EN\r\nEN Oabc knope\r\n"},
        {"mg mk v q\r\n", "VA 2\r\nhi\r\n"},
        {"mg viv N30 v c t\r\nmg viv N30 v c\r\n", "VA 0 c39 t30 W\r\n\r\nVA 0 c39 Z\r\n\r\n"},
        {"set rc 0 100 1\r\nx\r\nmg rc R30 v\r\nmg rc R200 c\r\nmg rc R200\r\n", "STORED\r\nVA 1\r\nx\r\nHD c40 W\r\nHD Z\r\n"},
        {"mg mk T30 t\r\nmg mk t\r\n", "HD t30\r\nHD t30\r\n"},
        {"mg mk O" + repeat('a', 32) + "\r\n", "CLIENT_ERROR opaque token too long\r\n"},
        {"mg mk v v\r\nmg mk \u0080\r\nmg mk x\r\n",
            "CLIENT_ERROR duplicate flag\r\nCLIENT_ERROR duplicate flag\r\nCLIENT_ERROR invalid flag\r\n"},
        {"mg mk 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18\r\n", "CLIENT_ERROR options flags are too long\r\n"},
        {"mg\r\nmg " + K251 + " v\r\n", "ERROR\r\nCLIENT_ERROR bad command line format\r\n"},
        {"mg mk Nx\r\nmg mk E5\r\n", "CLIENT_ERROR bad token in command line format\r\nCLIENT_ERROR invalid flag\r\n"},
        {"ms Zm9v 2 b\r\nhi\r\nmg Zm9v b v k\r\nmg Zm9v! b s\r\n", "HD\r\nVA 2 kZm9v b\r\nhi\r\nHD s2\r\n"},
        {"mg !!!! b\r\nmg a b\r\nmg Y=== b\r\nmg !!!! b Nx\r\n", "CLIENT_ERROR error decoding key\r\n"
            + "CLIENT_ERROR error decoding key\r\nCLIENT_ERROR error decoding key\r\n"
            + "CLIENT_ERROR bad token in command line format\r\n"},
        {"ms st 1 T0\r\nx\r\nmd st I T30\r\nmg st v c\r\nmg st v c\r\n",
            "HD\r\nHD\r\nVA 1 c43 X W\r\nx\r\nVA 1 c43 Z X\r\nx\r\n"},
        {"ms\r\nms k1\r\nms k1 abc\r\nhi\r\n",
            "ERROR\r\nCLIENT_ERROR bad command line format\r\nCLIENT_ERROR bad command line format\r\nERROR\r\n"},
        {"ms k1 2 S\r\nhi\r\nms k1 2 MZ\r\nhi\r\nms k1 2 MZZ\r\nhi\r\n", "CLIENT_ERROR invalid flag\r\n"
            + "CLIENT_ERROR invalid mode for ms M token\r\nCLIENT_ERROR incorrect length for M token\r\n"},
        {"ms k1 2 Fabc\r\nhi\r\nms k1 2 Tabc\r\nhi\r\nms !!!! 2 b Fx\r\nhi\r\n",
            "CLIENT_ERROR bad command line format\r\nCLIENT_ERROR bad token in command line format\r\n"
                + "CLIENT_ERROR error decoding key\r\n"},
        {"ms k1 2 q\r\nhi\r\nms k1 2 q\r\nhiya\r\n", "CLIENT_ERROR bad data chunk\r\nERROR\r\n"},
        {"ms k1 2 c k O9 T100 F3\r\nhi\r\nmg k1 v f t c\r\n", "HD c45 kk1 O9\r\nVA 2 f3 t100 c45\r\nhi\r\n"},
        {"ms k1 2 ME c k O1\r\nhi\r\nms k1 2 C1 c\r\nhi\r\nms nope 2 MR\r\nhi\r\nms nope 2 C5\r\nhi\r\n",
            "NS c0 kk1 O1\r\nEX c0\r\nNS\r\nNF\r\n"},
        {"ms k1 2 MA\r\n++\r\nms k1 2 MP\r\n--\r\nmg k1 v\r\n", "HD\r\nHD\r\nVA 6\r\n--hi++\r\n"},
        {"ms k1 2 C47 c\r\ncc\r\nms k1 2 MA C1\r\nxx\r\n", "HD c48\r\nEX\r\n"},
        {"ms k1 2 O" + repeat('a', 40) + "\r\nhi\r\nmn\r\n", "CLIENT_ERROR opaque token too long\r\nMN\r\n"},
        {"ms k1 2 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17\r\nhi\r\n", "CLIENT_ERROR options flags too long\r\nERROR\r\n"},
        {"ms k1 2000000 q\r\n" + repeat('x', 2000000) + "\r\nmg k1\r\n",
            "SERVER_ERROR object too large for cache\r\nEN\r\n"},
        {"set d1 0 0 1\r\nx\r\nmd d1 C1\r\nmd d1 q\r\nmd d1 q\r\nmd d1 k O7\r\n", "STORED\r\nEX\r\nNF\r\nNF kd1 O7\r\n"},
        {"md\r\nmd k1 x\r\nmd k1 Cabc\r\nmd k1 O" + repeat('a', 40) + "\r\n", "ERROR\r\nCLIENT_ERROR invalid or duplicate flag\r\n"
            + "CLIENT_ERROR invalid or duplicate flag\r\nCLIENT_ERROR opaque token too long\r\n"},
        {"ma cnt\r\nma cnt N0 J10 v\r\nma cnt D5 v\r\nma cnt MD D100 v t c\r\n",
            "NF\r\nVA 2\r\n10\r\nVA 2\r\n15\r\nVA 1 t-1 c52\r\n0\r\n"},
        {"ma cnt q\r\nma cnt M+ v k O5\r\nma cnt M- v\r\n", "VA 1 kcnt O5\r\n2\r\nVA 1\r\n1\r\n"},
        {"set s 0 0 3\r\nabc\r\nma s\r\nma s C1\r\nma k1 MX\r\nma k1 Dabc\r\n", "STORED\r\nCLIENT_ERROR cannot increment or decrement non-numeric value\r\n"
            + "EX\r\nCLIENT_ERROR invalid mode for ma M token\r\nCLIENT_ERROR invalid or duplicate flag\r\n"},
        {"ma nn T10 N0 J7 t v\r\n", "VA 1 t10\r\n7\r\n"},
        {"set mx 3 100 5\r\nhello\r\nme mx\r\nget mx\r\nme mx\r\n", "STORED\r\n"
            + "ME mx exp=-100 la=0 cas=58 fetch=no cls=1 size=70\r\nVALUE mx 3 5\r\nhello\r\nEND\r\n"
            + "ME mx exp=-100 la=0 cas=58 fetch=yes cls=1 size=70\r\n"},
        {"me nope\r\nme\r\nme !!!! b\r\nme Zm9v b\r\n", "EN\r\nCLIENT_ERROR bad command line format\r\n"
            + "CLIENT_ERROR bad command line format\r\nME Zm9v exp=-1 la=0 cas=41 fetch=yes cls=1 size=64\r\n"},
    };

    /** The exchanges, on heap and direct buffers, each request in one read or one byte per read. */
    @ParameterizedTest
    @EnumSource(Wire.Kind.class)
    void everyCommandAndError(Wire.Kind kind) {
        List<String> mismatches = new ArrayList<>();
        for (boolean bytePerRead : new boolean[] {false, true}) {
            Wire w = new Wire(Wire.store(() -> T0), kind);
            for (String[] e : EXCHANGES) {
                byte[] request = Wire.bytes(e[0]);
                StringBuilder reply = new StringBuilder();
                if (bytePerRead && request.length < 10_000) {
                    for (int i = 0; i < request.length; i++) reply.append(Wire.text(w.read(request, i, i + 1)));
                } else {
                    reply.append(Wire.text(w.read(request)));
                }
                if (!e[1].equals(reply.toString()) || w.action != Verdict.CONTINUE) {
                    mismatches.add("request:  " + shorten(e[0]) + "\n expected: " + shorten(e[1]) + "\n actual:   "
                            + shorten(reply.toString()) + (bytePerRead ? " (byte per read)" : "") + " " + w.action);
                }
            }
        }
        assertEquals("", String.join("\n", mismatches));
    }

    private static String shorten(String s) {
        String t = s.length() > 120 ? s.substring(0, 120) + "..." : s;
        return t.replace("\r", "\\r").replace("\n", "\\n");
    }

    // ---------------------------------------------------------------- framing and bounds

    @Test
    void partialLineWaitsUnread() {
        Wire w = new Wire();
        assertEquals("", w.send("get fo"));
        assertEquals(6, w.unread());
        assertEquals("END\r\n", w.send("o\r\n"));
        assertEquals(0, w.unread());
    }

    @Test
    void lineWithoutNewlineUpToTheLimitWaits() {
        Wire w = new Wire();
        assertEquals("", w.send(repeat('x', 2048)));
        assertEquals(Verdict.CONTINUE, w.action);
        assertEquals(2048, w.unread());
        assertEquals("", w.send("x"));
        assertEquals(Verdict.CLOSE, w.action);
        assertEquals("", w.send("version\r\n"), "a closed session ignores input");
        assertEquals(0, w.unread());
    }

    @Test
    void lineLimitIsConfigurable() {
        Wire w = new Wire(ItemStore.builder().build(), ProtocolConfig.builder().lineLimit(600).build(),
                Wire.Kind.HEAP);
        w.send(repeat('x', 601));
        assertEquals(Verdict.CLOSE, w.action);
    }

    @Test
    void longMultigetIsAnsweredAsItArrivesHoldingAtMostOneKey() {
        Wire w = new Wire();
        w.send("set m 0 0 1\r\nm\r\n");
        String first = w.send("get" + " m".repeat(1100) + " mm");
        assertEquals("VALUE m 0 1\r\nm\r\n".repeat(1100), first);
        assertEquals(2, w.unread(), "only the partial key is held");
        assertEquals("", w.send(repeat('m', 200)));
        assertEquals(202, w.unread());
        assertEquals("END\r\n", w.send("\r\n"), "the 202-byte key misses");
        assertEquals("VALUE m 0 1\r\nm\r\nEND\r\n", w.send("get m\r\n"));
    }

    @Test
    void longMultigetWithOverlongKeyRefusesTheRestOfTheLine() {
        Wire w = new Wire();
        w.send("set m 0 0 1\r\nm\r\n");
        String values = w.send("gets" + " m".repeat(1100) + " ");
        assertTrue(values.startsWith("VALUE m 0 1 1\r\nm\r\n"), values.substring(0, 40));
        // Documented difference: memcached would hold the line and send only the error; the values are gone.
        assertEquals("CLIENT_ERROR bad command line format\r\n", w.send(repeat('k', 252)));
        assertEquals("", w.send(repeat('k', 5000) + " m m"));
        assertTrue(w.unread() == 0);
        assertEquals("VERSION 1.6.18\r\n", w.send(" m\r\nversion\r\n"));
    }

    @Test
    void longMultigetWithoutKeysIsAnError() {
        Wire w = new Wire();
        assertEquals("", w.send("get" + repeat(' ', 3000)));
        assertEquals("ERROR\r\n", w.send("\r\n"));
    }

    @Test
    void longLineOtherThanGetCloses() {
        for (String line : new String[] {"gat 0" + " k".repeat(1100), repeat(' ', 101) + "get" + " k".repeat(1100),
                "getx" + " k".repeat(1100)}) {
            Wire w = new Wire();
            w.send(line);
            assertEquals(Verdict.CLOSE, w.action, line.substring(0, 10));
        }
    }

    @Test
    void valueIsConsumedAsItArrives() {
        Wire w = new Wire();
        assertEquals("", w.send("set v 0 0 3000\r\n"));
        for (int i = 0; i < 3; i++) {
            assertEquals("", w.send(repeat((char) ('a' + i), 1000)));
            assertEquals(0, w.unread());
        }
        assertEquals("", w.send("\r"));
        assertEquals(1, w.unread());
        assertEquals("STORED\r\n", w.send("\n"));
        assertEquals("VALUE v 0 3000\r\n" + repeat('a', 1000) + repeat('b', 1000) + repeat('c', 1000) + "\r\nEND\r\n",
                w.send("get v\r\n"));
    }

    @Test
    void oversizedValueIsAnsweredAtOnceAndSwallowedWithoutBeingHeld() {
        Wire w = new Wire();
        assertEquals("SERVER_ERROR object too large for cache\r\n", w.send("set big 0 0 2147483645\r\n"));
        byte[] chunk = new byte[1 << 20];
        for (int i = 0; i < 2047; i++) {
            w.read(chunk);
            assertEquals(0, w.unread());
        }
        int rest = 2147483647 - 2047 * (1 << 20);
        assertEquals("", Wire.text(w.read(new byte[rest - 1])));
        assertEquals("END\r\n", w.send("\nget big\r\n"), "the last swallowed byte, then a command");
    }

    @Test
    void compositeAndDirectInputBuffers() {
        ItemStore store = ItemStore.builder().build();
        TextSession s = new TextSession(store, ProtocolConfig.defaults(), new StoreStats(store));
        CompositeByteBuf in = Unpooled.compositeBuffer();
        in.addComponent(true, Unpooled.directBuffer().writeBytes(Wire.bytes("set a 0 0 5\r\nhe")));
        in.addComponent(true, Unpooled.wrappedBuffer(Wire.bytes("llo\r\nget a a")));
        in.addComponent(true, Unpooled.directBuffer().writeBytes(Wire.bytes(" b\r\nmg a v k\r\n")));
        ByteBuf out = Unpooled.buffer();
        assertEquals(Verdict.CONTINUE, s.process(in, out));
        assertEquals("STORED\r\nVALUE a 0 5\r\nhello\r\nVALUE a 0 5\r\nhello\r\nEND\r\nVA 5 ka\r\nhello\r\n",
                out.toString(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertEquals(0, in.readableBytes());
    }

    @Test
    void requestsMaySpanManyReads() {
        Wire w = new Wire();
        String script = "set a 0 0 2\r\nhi\r\nget a\r\nms b 3 T0 c\r\nabc\r\nmg b v s\r\nincr x 1\r\ndelete a\r\n";
        StringBuilder got = new StringBuilder();
        byte[] b = Wire.bytes(script);
        for (int i = 0; i < b.length; i += 3) got.append(Wire.text(w.read(b, i, Math.min(b.length, i + 3))));
        assertEquals("STORED\r\nVALUE a 0 2\r\nhi\r\nEND\r\nHD c2\r\nVA 3 s3\r\nabc\r\nNOT_FOUND\r\nDELETED\r\n",
                got.toString());
    }

    /** A hit or a miss on the get path allocates nothing: keys are looked up where they lie. */
    @Test
    void getPathDoesNotAllocate() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(mx instanceof com.sun.management.ThreadMXBean);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) mx;
        ItemStore store = ItemStore.builder().build();
        TextSession s = new TextSession(store, ProtocolConfig.defaults(), new StoreStats(store));
        ByteBuf in = Unpooled.buffer(4096);
        ByteBuf out = Unpooled.buffer(4096);
        byte[] set = Wire.bytes("set key:1 0 0 5\r\nhello\r\n");
        in.writeBytes(set);
        s.process(in, out);
        byte[] get = Wire.bytes("get key:1 key:2 key:1\r\nmg key:1 v f c\r\n");
        long allocated = 0;
        for (int round = 0; round < 2; round++) { // the first round warms up the JIT
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 20_000; i++) {
                in.clear().writeBytes(get);
                out.clear();
                s.process(in, out);
            }
            allocated = threads.getCurrentThreadAllocatedBytes() - before;
        }
        assertEquals("VALUE key:1 0 5\r\nhello\r\nVALUE key:1 0 5\r\nhello\r\nEND\r\nVA 5 f0 c1\r\nhello\r\n",
                out.toString(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertTrue(allocated < 20_000 * 8, "bytes allocated for 20000 gets: " + allocated);
    }

    // ---------------------------------------------------------------- actions

    @Test
    void quitClosesAfterEarlierReplies() {
        Wire w = new Wire();
        assertEquals("VERSION 1.6.18\r\n", w.send("version\r\nquit\r\nversion\r\n"));
        assertEquals(Verdict.CLOSE, w.action);
        assertEquals("", w.send("version\r\n"));
        assertEquals(Verdict.CLOSE, w.action);
    }

    @Test
    void httpRequestCloses() {
        Wire w = new Wire();
        assertEquals("", w.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
        assertEquals(Verdict.CLOSE, w.action);
    }

    /** Documented difference: memcached drops replies still queued when it hangs up; we send them first. */
    @Test
    void closeForBadInputKeepsEarlierReplies() {
        Wire w = new Wire();
        assertEquals("VERSION 1.6.18\r\n", w.send("version\r\n" + repeat('x', 3000)));
        assertEquals(Verdict.CLOSE, w.action);
    }

    @Test
    void shutdownWhenEnabled() {
        ProtocolConfig on = ProtocolConfig.builder().shutdownEnabled(true).build();
        // memcached: "shutdown" raises SIGINT (no save), "shutdown graceful" SIGUSR1 (saves with -e)
        String[] commands = {"shutdown\r\n", "shutdown graceful\r\n"};
        Verdict[] verdicts = {Verdict.SHUTDOWN, Verdict.SHUTDOWN_GRACEFUL};
        for (int i = 0; i < commands.length; i++) {
            Wire w = new Wire(ItemStore.builder().build(), on, Wire.Kind.HEAP);
            assertEquals("", w.send(commands[i] + "version\r\n"));
            assertEquals(verdicts[i], w.action);
        }
        Wire w = new Wire(ItemStore.builder().build(), on, Wire.Kind.HEAP);
        assertEquals("CLIENT_ERROR invalid shutdown mode\r\n", w.send("shutdown now\r\n"));
        assertEquals(Verdict.CONTINUE, w.action);
    }

    // ---------------------------------------------------------------- configuration and server hooks

    @Test
    void versionAndKeyLengthAreConfigurable() {
        ProtocolConfig c = ProtocolConfig.builder().version("9.9.9-test").maxKeyLength(4).build();
        Wire w = new Wire(ItemStore.builder().build(), c, Wire.Kind.HEAP);
        assertEquals("VERSION 9.9.9-test\r\n", w.send("version\r\n"));
        assertEquals("STORED\r\nCLIENT_ERROR bad command line format\r\nERROR\r\n",
                w.send("set abcd 0 0 1\r\nx\r\nset abcde 0 0 1\r\nx\r\n"));
        assertEquals("CLIENT_ERROR bad command line format\r\n", w.send("mg abcde v\r\n"));
    }

    @Test
    void flushAllCanBeDisabled() {
        Wire w = new Wire(ItemStore.builder().build(), ProtocolConfig.builder().flushEnabled(false).build(),
                Wire.Kind.HEAP);
        assertEquals("STORED\r\nCLIENT_ERROR flush_all not allowed\r\nVALUE a 0 1\r\nx\r\nEND\r\n",
                w.send("set a 0 0 1\r\nx\r\nflush_all\r\nflush_all noreply\r\nget a\r\n"));
    }

    @Test
    void configRejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> ProtocolConfig.builder().version("1 2"));
        assertThrows(IllegalArgumentException.class, () -> ProtocolConfig.builder().maxKeyLength(251));
        assertThrows(IllegalArgumentException.class, () -> ProtocolConfig.builder().maxKeyLength(0));
        assertThrows(IllegalArgumentException.class, () -> ProtocolConfig.builder().lineLimit(100));
        assertThrows(NullPointerException.class, () -> ProtocolConfig.builder().onVerbosity(null));
    }

    @Test
    void verbosityIsForwarded() {
        List<Integer> levels = new ArrayList<>();
        ProtocolConfig c = ProtocolConfig.builder().onVerbosity(levels::add).build();
        Wire w = new Wire(ItemStore.builder().build(), c, Wire.Kind.HEAP);
        assertEquals("OK\r\nOK\r\n", w.send("verbosity 1\r\nverbosity 7\r\nverbosity 0 noreply\r\n"));
        assertEquals(List.of(1, 2, 0), levels);
    }

    @Test
    void refreshCertsRunsTheRefresherAsMemcachedAnswers() {
        Wire off = new Wire();
        assertEquals("Error TLS not enabled\r\n", off.send("refresh_certs\r\n"), "memcached 1.6.18 without -Z");
        List<String> outcomes = new ArrayList<>(List.of("", "Error loading the key: k.pem : bad", ""));
        ProtocolConfig c = ProtocolConfig.builder()
                .certRefresher(() -> {
                    String next = outcomes.remove(0);
                    return next.isEmpty() ? null : next;
                })
                .build();
        Wire w = new Wire(ItemStore.builder().build(), c, Wire.Kind.HEAP);
        // OK, the error line (never suppressed, as memcached writes it directly), then a suppressed OK.
        assertEquals("OK\r\nError loading the key: k.pem : bad\r\n",
                w.send("refresh_certs\r\nrefresh_certs noreply\r\nrefresh_certs noreply\r\n"));
        assertTrue(outcomes.isEmpty(), "one reload per command");
    }

    @Test
    void cacheMemlimitSetsTheStoreLimit() {
        Wire w = new Wire();
        assertEquals("OK\r\n", w.send("cache_memlimit 100\r\n"));
        assertEquals(100L << 20, w.store.memoryLimit());
    }

    @Test
    void statsComeFromTheServerWhenItHasThem() {
        List<String> asked = new ArrayList<>();
        Map<String, String> general = new LinkedHashMap<>();
        general.put("pid", "42");
        general.put("cmd_get", "7");
        ItemStore store = ItemStore.builder().build();
        Wire w = new Wire(store, ProtocolConfig.defaults(), new StoreStats(store) {
            @Override
            public Map<String, String> section(String sub) {
                asked.add(sub);
                return sub.equals("") ? general : sub.equals("settings") ? Map.of("maxconns", "1024")
                        : super.section(sub);
            }
        }, Wire.Kind.HEAP);
        assertEquals("STAT pid 42\r\nSTAT cmd_get 7\r\nEND\r\n", w.send("stats\r\n"));
        assertEquals("STAT maxconns 1024\r\nEND\r\n", w.send("stats settings\r\n"));
        assertEquals("ERROR\r\n", w.send("stats conns\r\n"));
        assertEquals("END\r\n", w.send("stats items\r\n"), "the store's own when the server adds none");
        assertEquals(List.of("", "settings", "conns", "items"), asked);
    }

    @Test
    void builtInStats() {
        Wire w = new Wire();
        assertEquals("STAT active_slabs 0\r\nSTAT total_malloced 0\r\nEND\r\n", w.send("stats slabs\r\n"));
        assertEquals("STAT sizes_status disabled\r\nEND\r\n", w.send("stats sizes\r\n"));
        w.send("set a 0 0 1\r\nx\r\nget a b\r\n");
        String general = w.send("stats\r\n");
        assertTrue(general.contains("STAT get_hits 1\r\nSTAT get_misses 1\r\n"), general);
        assertTrue(general.contains("STAT curr_items 1\r\n") && general.endsWith("END\r\n"), general);
        String items = w.send("stats items\r\n");
        assertTrue(items.startsWith("STAT items:1:number 1\r\nSTAT items:1:number_hot 0\r\n"), items);
        assertTrue(items.contains("STAT items:1:hits_to_cold 1\r\n"), items);
        String slabs = w.send("stats slabs\r\n");
        assertTrue(slabs.startsWith("STAT 1:chunk_size 96\r\nSTAT 1:chunks_per_page 10922\r\nSTAT 1:total_pages 1\r\n"
                + "STAT 1:total_chunks 10922\r\nSTAT 1:used_chunks 1\r\nSTAT 1:free_chunks 10921\r\n"
                + "STAT 1:free_chunks_end 0\r\nSTAT 1:get_hits 1\r\nSTAT 1:cmd_set 1\r\n"), slabs);
        assertTrue(slabs.endsWith("STAT active_slabs 1\r\nSTAT total_malloced 1048576\r\nEND\r\n"), slabs);
    }

    @Test
    void statsResetResetsTheStoreAndTellsTheServer() {
        List<String> asked = new ArrayList<>();
        ItemStore store = ItemStore.builder().build();
        Wire w = new Wire(store, ProtocolConfig.defaults(), new StoreStats(store) {
            @Override
            public void reset() {
                asked.add("reset");
                super.reset();
            }
        }, Wire.Kind.HEAP);
        w.send("get a\r\nset a 0 0 1\r\nx\r\n");
        assertEquals("RESET\r\n", w.send("stats reset\r\n"));
        assertEquals(List.of("reset"), asked);
        assertEquals(0L, w.store.stats().get("get_misses"));
        assertEquals(1L, w.store.stats().get("curr_items"));
        assertEquals("OK\r\nOK\r\n", w.send("stats detail on\r\nstats detail off\r\n"));
    }

    @Test
    void casDisabledStoreReportsZero() {
        Wire w = new Wire(ItemStore.builder().casEnabled(false).build(), Wire.Kind.HEAP);
        assertEquals("STORED\r\nVALUE a 0 1 0\r\nx\r\nEND\r\nHD c0\r\n", w.send("set a 0 0 1\r\nx\r\ngets a\r\nmg a c\r\n"));
        assertEquals("ME a exp=-1 la=0 cas=0 fetch=yes cls=1 size=53\r\n", w.send("me a\r\n"));
    }

    @Test
    void timesFollowTheStoreClock() {
        AtomicLong now = new AtomicLong(T0);
        Wire w = new Wire(Wire.store(now::get), Wire.Kind.HEAP);
        w.send("set a 0 100 1\r\nx\r\nset b 0 10 1\r\ny\r\n");
        now.addAndGet(7);
        assertEquals("HD t93 l7 h0\r\n", w.send("mg a t l h\r\n"));
        assertEquals("ME a exp=-93 la=0 cas=1 fetch=yes cls=1 size=61\r\n", w.send("me a\r\n"));
        now.addAndGet(3);
        assertEquals("END\r\n", w.send("get b\r\n"));
        assertEquals("HD t-1\r\nHD t20\r\n", w.send("mg a T0 t\r\nmg a T20 t\r\n"));
    }

    // ---------------------------------------------------------------- documented differences

    /** memcached reports the TTL as of the t flag's position; we report it after the call, wherever t is. */
    @Test
    void ttlIsReportedAfterTheCall() {
        Wire w = new Wire(Wire.store(() -> T0), Wire.Kind.HEAP);
        w.send("set a 0 0 1\r\n1\r\n");
        assertEquals("HD t30\r\n", w.send("mg a t T30\r\n"));
        assertEquals("HD t40\r\n", w.send("ma a t T40\r\n"));
        assertEquals("VA 1 t0\r\nx\r\n", w.send("set b 0 0 1\r\nx\r\nmg b T-1 t v\r\n").substring(8));
    }

    /** The store applies T, N and R together; memcached in request order. */
    @Test
    void ttlFlagsAreOneCall() {
        Wire w = new Wire(Wire.store(() -> T0), Wire.Kind.HEAP);
        assertEquals("HD t100 W\r\n", w.send("mg a T100 N0 t\r\n"), "memcached: t-1 (N after T wins)");
        w.send("set b 0 1000 1\r\nx\r\n");
        assertEquals("HD t100\r\n", w.send("mg b T100 R200 t\r\n"), "memcached: W (R after T sees 100 < 200)");
    }

    /**
     * A store whose exptime is already past keeps no item but, as in memcached 1.6.18 (same requests: HD c1, EN,
     * HD c3), is STORED with a CAS unique of its own, and so is an immediate flush_all.
     */
    @Test
    void pastExptimeStoreAndFlushTakeACas() {
        Wire w = new Wire();
        assertEquals("HD c1\r\nEN\r\n", w.send("ms gone 1 T-1 c\r\nx\r\nmg gone\r\n"));
        w.send("flush_all\r\n");
        assertEquals("HD c3\r\n", w.send("ms here 1 c\r\nx\r\n"));
    }

    /** me reads the item without changing it, as memcached does: no get counted, the recache token left for mg. */
    @Test
    void debugChangesNothingAndCountsCmdMeta() {
        Wire w = new Wire();
        w.send("set s 0 0 1\r\nx\r\nmd s I\r\n");
        long hits = w.store.stats().get("get_hits");
        // memcached 1.6.18, same requests: ME s exp=-1 la=0 cas=2 fetch=no ..., then HD X W, then HD Z X.
        assertTrue(w.send("me s\r\n").startsWith("ME s exp=-1 la=0 cas=2 fetch=no"));
        assertEquals(hits, w.store.stats().get("get_hits"), "me is not a get");
        assertEquals(1L, w.store.stats().get("cmd_meta"));
        assertEquals("HD X W\r\n", w.send("mg s\r\n"), "me left the recache token");
        assertEquals("HD Z X\r\n", w.send("mg s\r\n"));
    }

    /** A too-large value is refused before it arrives; as in memcached, the old item is dropped and counted. */
    @Test
    void tooLargeDropsTheOldItem() {
        Wire w = new Wire();
        w.send("set big 0 0 1\r\nx\r\n");
        assertEquals("SERVER_ERROR object too large for cache\r\n", w.send("set big 0 0 2000000\r\n"));
        assertEquals(0L, w.store.stats().get("curr_items"), "the old item is gone (the value is still being swallowed)");
        assertEquals(0L, w.store.stats().get("delete_hits"));
        assertEquals(1L, w.store.stats().get("store_too_large"));
    }

    /** A whole line is processed whatever its length (memcached closes a non-get line over its 16 KB buffer). */
    @Test
    void completeLongLineIsProcessed() {
        Wire w = new Wire();
        assertEquals("STORED\r\n", w.send("set k 0 0 1" + repeat(' ', 20000) + "\r\nx\r\n"));
        assertEquals(Verdict.CONTINUE, w.action);
        assertEquals("ITEM k [1 b; 0 s]\r\nEND\r\n", w.send("stats cachedump 1 1\r\n"));
    }

    /** memcached echoes k the way the item's key was stored; our store keeps no such mark, so the request decides. */
    @Test
    void keyIsEchoedAsTheRequestGaveIt() {
        Wire w = new Wire();
        assertEquals("HD\r\nVA 2 kfoo\r\nhi\r\nME foo exp=-1 la=0 cas=1 fetch=yes cls=1 size=64\r\n",
                w.send("ms Zm9v 2 b\r\nhi\r\nmg foo v k\r\nme foo\r\n"));
        assertEquals("STORED\r\nHD kYQ== b\r\n", w.send("set a 0 0 1\r\nx\r\nmg YQ== b k\r\n"));
    }

    /** md C0 must match a CAS of 0 in memcached (so it fails); the store reads 0 as "any CAS". */
    @Test
    void metaDeleteWithCasZeroDeletes() {
        Wire w = new Wire();
        assertEquals("STORED\r\nHD\r\n", w.send("set a 0 0 1\r\nx\r\nmd a C0\r\n"));
    }

    /** A bad opaque is refused before the store is called; memcached's ma has already incremented by then. */
    @Test
    void badOpaqueHasNoSideEffect() {
        Wire w = new Wire();
        w.send("set n 0 0 1\r\n1\r\n");
        assertEquals("CLIENT_ERROR opaque token too long\r\n", w.send("ma n O" + repeat('a', 40) + "\r\n"));
        assertEquals("VALUE n 0 1\r\n1\r\nEND\r\n", w.send("get n\r\n"));
    }

    /**
     * memcached's crawler, watch and extstore commands do not exist here; "slabs" and "lru" answer as memcached
     * without slab mover and LRU maintainer (SlabAndLruCommands).
     */
    @Test
    void memcachedInternalsAreUnknownCommands() {
        Wire w = new Wire();
        assertEquals("OK\r\n" + "ERROR\r\n".repeat(4), w.send("slabs automove 1\r\nlru_crawler crawl all\r\n"
                + "lru mode flat\r\nwatch\r\nextstore item_size 10\r\n"));
        assertEquals("CLIENT_ERROR slab reassignment disabled\r\nERROR\r\nCLIENT_ERROR bad command line format\r\n"
                + "ERROR\r\nOK\r\nERROR hot and warm pcts must not exceed 80\r\n"
                + "ERROR hot/warm age factors must be greater than 0\r\nERROR\r\nERROR\r\n",
                w.send("slabs reassign 1 2\r\nslabs reassign 1\r\nslabs automove x\r\nslabs automove 3\r\n"
                        + "lru tune 10 20 0.1 2.0\r\nlru tune 50 40 0.1 2\r\nlru tune 1 2 0 1\r\nlru tune 1 2 x 1\r\n"
                        + "lru temp_ttl 10\r\n"));
    }

    /** memcached culls every reply queued before a get with an overlong key; we only drop that get's own. */
    @Test
    void overlongKeyInGetKeepsEarlierReplies() {
        Wire w = new Wire();
        assertEquals("STORED\r\nCLIENT_ERROR bad command line format\r\n",
                w.send("set a 0 0 1\r\nx\r\nget a " + K251 + "\r\n"));
    }

    // ---------------------------------------------------------------- output bound

    /**
     * With a 1,000-byte bound, multi-gets of 600-byte values are answered across calls, split between keys, each
     * call at most the bound plus one VALUE block; the bytes are those of a session without the bound, on heap
     * buffers (the line's array is the input's) and direct ones (the line is copied out first).
     */
    @ParameterizedTest
    @EnumSource(Wire.Kind.class)
    void largeAnswersComeAPieceAtATimeWithTheSameBytes(Wire.Kind kind) {
        String large = repeat('v', 600);
        String requests = "set a 1 0 600\r\n" + large + "\r\nset b 2 0 600\r\n" + large + "\r\nset c 3 0 600\r\n"
                + large + "\r\nget a b c\r\ngets  a  nope b   c  \r\ngat 100 a b c\r\ngats 0 c b a\r\nbget a b\r\n"
                + "mg a v\r\nget a b\0c d\r\nget a a a a a a a a a a\r\nget nope a nope\r\nversion\r\n";
        Wire whole = new Wire(Wire.store(() -> T0), ProtocolConfig.defaults(), kind);
        Wire bounded = new Wire(Wire.store(() -> T0), ProtocolConfig.builder().outputPerCall(1000).build(),
                kind);
        String expected = whole.send(requests);
        assertEquals(expected, bounded.send(requests));
        assertTrue(expected.endsWith("VERSION 1.6.18\r\n") && expected.contains("VALUE a 1 600 1\r\n"), expected);
        assertEquals(1, whole.calls);
        // 28 VALUE blocks of about 620 bytes: two to a call.
        assertTrue(bounded.calls >= 14, bounded.calls + " calls");
        assertTrue(bounded.largestCall <= 1000 + 640, bounded.largestCall + " bytes in one call");
        for (int i = 1; i < 1000; i += 97) {
            Wire split = new Wire(Wire.store(() -> T0), ProtocolConfig.builder().outputPerCall(i).build(),
                    kind);
            assertEquals(expected, split.send(requests), "bound " + i);
        }
    }

    /** A line with a too long key sends only the error, but the keys before it are looked up, as memcached does. */
    @Test
    void refusedGetLineStillCountsTheKeysBeforeTheLongOne() {
        Wire w = new Wire();
        w.send("set a 0 0 1\r\nx\r\n");
        assertEquals("CLIENT_ERROR bad command line format\r\n", w.send("get a nope a " + K251 + " a\r\n"));
        assertEquals("2", w.store.stats().get("get_hits").toString());
        assertEquals("1", w.store.stats().get("get_misses").toString());
    }
}
