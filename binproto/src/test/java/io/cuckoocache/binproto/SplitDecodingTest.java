package io.cuckoocache.binproto;

import io.cuckoocache.protocol.ProtocolConfig;
import io.cuckoocache.protocol.Verdict;
import io.cuckoocache.store.ItemStore;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;
import java.util.function.Supplier;

import static io.cuckoocache.binproto.BinarySessionTest.NONE;
import static io.cuckoocache.binproto.Wire.Harness;
import static io.cuckoocache.binproto.Wire.arith;
import static io.cuckoocache.binproto.Wire.ascii;
import static io.cuckoocache.binproto.Wire.concat;
import static io.cuckoocache.binproto.Wire.hex;
import static io.cuckoocache.binproto.Wire.int32;
import static io.cuckoocache.binproto.Wire.keyed;
import static io.cuckoocache.binproto.Wire.kv;
import static io.cuckoocache.binproto.Wire.rawReq;
import static io.cuckoocache.binproto.Wire.req;
import static io.cuckoocache.binproto.Wire.setExtras;
import static io.cuckoocache.binproto.Wire.store;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A pipeline of every opcode (and the skipped bodies: a refused value, an unknown command's body) gives the same
 * replies however its bytes are split: in two at every byte, one byte at a time, and in random chunks. The caller is
 * emulated as Netty's cumulating decoder does it: append, process, discard what was read.
 */
class SplitDecodingTest {
    /** Item limit of the stores here, so that a refused value keeps the pipeline small. */
    private static final int ITEM_MAX = 1024;

    static byte[] pipeline() {
        byte[] exp = int32(0);
        return concat(
                store(0x01, "a", "alpha", 1, 0), store(0x11, "b", "10", 2, 0), store(0x02, "a", "x", 0, 0),
                store(0x12, "c", "gamma", 0, 0), store(0x03, "c", "GAMMA", 0, 0), store(0x13, "zz", "x", 0, 0),
                req(0x00, "a"), req(0x09, "missing"), req(0x09, "a"), req(0x0c, "b"), req(0x0d, "missing"),
                req(0x0d, "c"), kv(0x0e, "a", "+", 0), kv(0x19, "a", "!", 0),
                kv(0x0f, "a", "<", 0), kv(0x1a, "a", "^", 0),
                arith(0x05, "b", 5, 0, 0, 0), arith(0x15, "b", 1, 0, 0, 0),
                arith(0x06, "b", 2, 0, 0, 0), arith(0x16, "b", 1, 0, 0, 0),
                arith(0x05, "n", 1, 42, 0, 0), arith(0x05, "m", 1, 0, -1, 0),
                keyed(0x1c, exp, "a"), keyed(0x1d, exp, "b"), keyed(0x1e, exp, "x"),
                keyed(0x23, exp, "c"), keyed(0x24, exp, "c"),
                req(0x01, setExtras(0, 0), ascii("big"), new byte[ITEM_MAX + 100], 0),
                req(0x50, int32(7), ascii("unknown"), ascii("body"), 0), rawReq(0x80, 0x1b, 4, 0, 4, int32(1)),
                kv(0x10, "items", "tail", 0), req(0x10), req(0x10, "settings"), req(0x10, "nope"),
                req(0x04, "c"), req(0x14, "a"), req(0x14, "a"), req(0x0b), req(0x0a),
                req(0x08, int32(100), NONE, NONE, 0), req(0x18), req(0x00, "b"), req(0x20), req(0x0a), req(0x17));
    }

    static byte[] saslPipeline() {
        return concat(req(0x0b), req(0x20), req(0x21, NONE, ascii("PLAIN"), NONE, 0),
                kv(0x22, "PLAIN", "\0u\0bad", 0), kv(0x22, "PLAIN", "\0u\0p", 0),
                store(0x01, "k", "v", 0, 0), req(0x00, "k"), req(0x07));
    }

    static Harness plain() {
        return new Harness(ProtocolConfig.builder().build(), ItemStore.builder().itemSizeMax(ITEM_MAX));
    }

    static Harness sasl() {
        return new Harness(ProtocolConfig.builder().authenticator((u, p) -> u.equals("u") && p.equals("p")).build(),
                ItemStore.builder().itemSizeMax(ITEM_MAX));
    }

    /** Feeds the chunks as a cumulating decoder would; returns the replies (stops at CLOSE, as a server does). */
    static byte[] feed(Harness h, byte[] all, int[] cuts) {
        ByteBuf cumulation = Unpooled.buffer();
        ByteBuf out = Unpooled.buffer();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : all.length;
            cumulation.writeBytes(all, from, to - from);
            from = to;
            if (h.session.process(cumulation, out) == Verdict.CLOSE) {
                assertEquals(all.length, to, "closed only at the final quitq");
                break;
            }
            cumulation.discardSomeReadBytes();
            assertTrue(cumulation.readableBytes() <= 24 + 20 + 250, "never holds more than a header, extras, key");
        }
        return ByteBufUtil.getBytes(out);
    }

    static void check(Supplier<Harness> fresh, byte[] all) {
        String whole = hex(feed(fresh.get(), all, new int[0]));
        assertTrue(Wire.parse(feed(fresh.get(), all, new int[0])).size() > 5, "the pipeline answers");
        for (int cut = 1; cut < all.length; cut++) {
            assertEquals(whole, hex(feed(fresh.get(), all, new int[] {cut})), "split at " + cut);
        }
        int[] everyByte = new int[all.length - 1];
        Arrays.setAll(everyByte, i -> i + 1);
        assertEquals(whole, hex(feed(fresh.get(), all, everyByte)), "one byte at a time");
        Random random = new Random(42);
        for (int run = 0; run < 200; run++) {
            int[] cuts = random.ints(1 + random.nextInt(40), 1, all.length).sorted().distinct().toArray();
            assertEquals(whole, hex(feed(fresh.get(), all, cuts)), "cuts " + Arrays.toString(cuts));
        }
    }

    @Test
    void everyOpcodeSplitAnywhere() {
        check(SplitDecodingTest::plain, pipeline());
    }

    @Test
    void saslSplitAnywhere() {
        check(SplitDecodingTest::sasl, saslPipeline());
    }
}
