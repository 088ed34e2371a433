package io.cuckoocache.binproto;

import io.cuckoocache.protocol.Verdict;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.memcache.binary.BinaryMemcacheClientCodec;
import io.netty.handler.codec.memcache.binary.BinaryMemcacheObjectAggregator;
import io.netty.handler.codec.memcache.binary.BinaryMemcacheOpcodes;
import io.netty.handler.codec.memcache.binary.BinaryMemcacheResponseStatus;
import io.netty.handler.codec.memcache.binary.DefaultFullBinaryMemcacheRequest;
import io.netty.handler.codec.memcache.binary.FullBinaryMemcacheRequest;
import io.netty.handler.codec.memcache.binary.FullBinaryMemcacheResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.cuckoocache.binproto.Wire.Harness;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An independent peer: Netty's own binary memcache client codec encodes the requests and decodes our replies
 * (BinaryMemcacheClientCodec + BinaryMemcacheObjectAggregator on an EmbeddedChannel). Bytes cross between the two
 * only as the wire would carry them.
 */
class NettyPeerTest {
    private final EmbeddedChannel client =
            new EmbeddedChannel(new BinaryMemcacheClientCodec(), new BinaryMemcacheObjectAggregator(4 << 20));
    private Harness server = new Harness();
    private final List<FullBinaryMemcacheResponse> received = new ArrayList<>();

    @AfterEach
    void release() {
        received.forEach(FullBinaryMemcacheResponse::release);
        client.finishAndReleaseAll();
    }

    static FullBinaryMemcacheRequest request(byte opcode, String key, ByteBuf extras, String value) {
        ByteBuf k = key == null ? null : Unpooled.copiedBuffer(key, StandardCharsets.US_ASCII);
        ByteBuf v = Unpooled.copiedBuffer(value, StandardCharsets.US_ASCII);
        DefaultFullBinaryMemcacheRequest r = new DefaultFullBinaryMemcacheRequest(k, extras, v);
        r.setOpcode(opcode);
        r.setOpaque(0x1234);
        r.setTotalBodyLength(r.keyLength() + r.extrasLength() + v.readableBytes());
        return r;
    }

    static FullBinaryMemcacheRequest request(byte opcode, String key) {
        return request(opcode, key, null, "");
    }

    static ByteBuf setExtras(int flags, int exptime) {
        return Unpooled.buffer(8).writeInt(flags).writeInt(exptime);
    }

    static ByteBuf incrExtras(long delta, long initial, int exptime) {
        return Unpooled.buffer(20).writeLong(delta).writeLong(initial).writeInt(exptime);
    }

    /** Encodes with Netty, runs our session on the bytes, decodes the replies with Netty. */
    private List<FullBinaryMemcacheResponse> exchange(FullBinaryMemcacheRequest... requests) {
        for (FullBinaryMemcacheRequest r : requests) client.writeOutbound(r);
        ByteBuf wire = Unpooled.buffer();
        for (ByteBuf b = client.readOutbound(); b != null; b = client.readOutbound()) {
            wire.writeBytes(b);
            b.release();
        }
        client.writeInbound(Unpooled.wrappedBuffer(server.send(ByteBufUtil.getBytes(wire))));
        wire.release();
        List<FullBinaryMemcacheResponse> out = new ArrayList<>();
        for (Object o = client.readInbound(); o != null; o = client.readInbound()) {
            out.add((FullBinaryMemcacheResponse) o);
        }
        received.addAll(out);
        return out;
    }

    private FullBinaryMemcacheResponse one(FullBinaryMemcacheRequest request) {
        List<FullBinaryMemcacheResponse> r = exchange(request);
        assertEquals(1, r.size());
        return r.get(0);
    }

    static String text(ByteBuf b) {
        return b == null ? "" : b.toString(StandardCharsets.ISO_8859_1);
    }

    static void assertOk(FullBinaryMemcacheResponse r) {
        assertEquals(BinaryMemcacheResponseStatus.SUCCESS, r.status(), () -> text(r.content()));
        assertEquals(0x1234, r.opaque());
    }

    @Test
    void storeAndReadBack() {
        FullBinaryMemcacheResponse set = one(request(BinaryMemcacheOpcodes.SET, "k", setExtras(42, 0), "hello"));
        assertOk(set);
        assertNotEquals(0, set.cas());
        FullBinaryMemcacheResponse get = one(request(BinaryMemcacheOpcodes.GET, "k"));
        assertOk(get);
        assertEquals(42, get.extras().getInt(0));
        assertEquals("hello", text(get.content()));
        assertEquals(set.cas(), get.cas());
        FullBinaryMemcacheResponse getk = one(request(BinaryMemcacheOpcodes.GETK, "k"));
        assertEquals("k", text(getk.key()));
        assertEquals("hello", text(getk.content()));
    }

    @Test
    void errorsCarryMemcachedsStatusAndText() {
        one(request(BinaryMemcacheOpcodes.SET, "k", setExtras(0, 0), "v"));
        FullBinaryMemcacheResponse miss = one(request(BinaryMemcacheOpcodes.GET, "nope"));
        assertEquals(BinaryMemcacheResponseStatus.KEY_ENOENT, miss.status());
        assertEquals("Not found", text(miss.content()));
        FullBinaryMemcacheResponse exists = one(request(BinaryMemcacheOpcodes.ADD, "k", setExtras(0, 0), "v"));
        assertEquals(BinaryMemcacheResponseStatus.KEY_EEXISTS, exists.status());
        assertEquals("Data exists for key.", text(exists.content()));
        FullBinaryMemcacheResponse notStored = one(request(BinaryMemcacheOpcodes.APPEND, "nope", null, "x"));
        assertEquals(BinaryMemcacheResponseStatus.NOT_STORED, notStored.status());
        FullBinaryMemcacheResponse badval = one(request(BinaryMemcacheOpcodes.INCREMENT, "k", incrExtras(1, 0, 0), ""));
        assertEquals(BinaryMemcacheResponseStatus.DELTA_BADVAL, badval.status());
        FullBinaryMemcacheResponse unknown = one(request((byte) 0x50, "x", Unpooled.buffer().writeInt(1), "body"));
        assertEquals(BinaryMemcacheResponseStatus.UNKNOWN_COMMAND, unknown.status());
        assertOk(one(request(BinaryMemcacheOpcodes.NOOP, null)));
    }

    @Test
    void quietPipelineFlushedByNoop() {
        List<FullBinaryMemcacheResponse> r = exchange(
                request(BinaryMemcacheOpcodes.SETQ, "a", setExtras(1, 0), "A"),
                request(BinaryMemcacheOpcodes.SETQ, "b", setExtras(2, 0), "B"),
                request(BinaryMemcacheOpcodes.ADDQ, "a", setExtras(0, 0), "X"),
                request(BinaryMemcacheOpcodes.GETKQ, "a"), request(BinaryMemcacheOpcodes.GETKQ, "missing"),
                request(BinaryMemcacheOpcodes.GETKQ, "b"), request(BinaryMemcacheOpcodes.NOOP, null));
        assertEquals(4, r.size());
        assertEquals(BinaryMemcacheOpcodes.ADDQ, r.get(0).opcode());
        assertEquals(BinaryMemcacheResponseStatus.KEY_EEXISTS, r.get(0).status());
        assertEquals("a", text(r.get(1).key()));
        assertEquals("A", text(r.get(1).content()));
        assertEquals("b", text(r.get(2).key()));
        assertEquals(BinaryMemcacheOpcodes.NOOP, r.get(3).opcode());
    }

    @Test
    void counters() {
        FullBinaryMemcacheResponse created =
                one(request(BinaryMemcacheOpcodes.INCREMENT, "n", incrExtras(1, 10, 0), ""));
        assertOk(created);
        assertEquals(10, created.content().getLong(0));
        FullBinaryMemcacheResponse incr = one(request(BinaryMemcacheOpcodes.INCREMENT, "n", incrExtras(3, 0, 0), ""));
        assertEquals(13, incr.content().getLong(0));
        FullBinaryMemcacheResponse decr = one(request(BinaryMemcacheOpcodes.DECREMENT, "n", incrExtras(99, 0, 0), ""));
        assertEquals(0, decr.content().getLong(0));
        assertEquals(BinaryMemcacheResponseStatus.KEY_ENOENT,
                one(request(BinaryMemcacheOpcodes.DECREMENT, "m", incrExtras(1, 0, -1), "")).status());
    }

    @Test
    void appendPrependDeleteTouchGat() {
        one(request(BinaryMemcacheOpcodes.SET, "k", setExtras(5, 0), "mid"));
        assertOk(one(request(BinaryMemcacheOpcodes.APPEND, "k", null, ">")));
        assertOk(one(request(BinaryMemcacheOpcodes.PREPEND, "k", null, "<")));
        FullBinaryMemcacheResponse touch = one(request((byte) 0x1c, "k", Unpooled.buffer().writeInt(60), ""));
        assertOk(touch);
        assertEquals(5, touch.extras().getInt(0));
        assertEquals(0, touch.content().readableBytes());
        FullBinaryMemcacheResponse gatk = one(request((byte) 0x23, "k", Unpooled.buffer().writeInt(60), ""));
        assertEquals("k", text(gatk.key()));
        assertEquals("<mid>", text(gatk.content()));
        assertOk(one(request(BinaryMemcacheOpcodes.DELETE, "k")));
        assertEquals(BinaryMemcacheResponseStatus.KEY_ENOENT, one(request((byte) 0x1d, "k",
                Unpooled.buffer().writeInt(60), "")).status());
    }

    @Test
    void statStreamVersionFlushQuit() {
        List<FullBinaryMemcacheResponse> stats = exchange(request(BinaryMemcacheOpcodes.STAT, null));
        assertEquals(3, stats.size());
        assertEquals("pid", text(stats.get(0).key()));
        assertEquals("1", text(stats.get(0).content()));
        assertEquals(0, stats.get(2).keyLength());
        assertEquals("1.6.18", text(one(request(BinaryMemcacheOpcodes.VERSION, null)).content()));
        assertOk(one(request(BinaryMemcacheOpcodes.FLUSH, null)));
        assertOk(one(request(BinaryMemcacheOpcodes.QUIT, null)));
        assertEquals(Verdict.CLOSE, server.last);
    }

    @Test
    void saslPlain() {
        server = Harness.withAuth((u, p) -> u.equals("u") && p.equals("pw"));
        assertEquals(BinaryMemcacheResponseStatus.AUTH_ERROR, one(request(BinaryMemcacheOpcodes.GET, "k")).status());
        assertEquals(Verdict.CLOSE, server.last);

        server = Harness.withAuth((u, p) -> u.equals("u") && p.equals("pw"));
        assertEquals("PLAIN", text(one(request(BinaryMemcacheOpcodes.SASL_LIST_MECHS, null)).content()));
        FullBinaryMemcacheResponse ok = one(request(BinaryMemcacheOpcodes.SASL_AUTH, "PLAIN", null, "\0u\0pw"));
        assertOk(ok);
        assertEquals("Authenticated", text(ok.content()));
        assertEquals(BinaryMemcacheResponseStatus.KEY_ENOENT, one(request(BinaryMemcacheOpcodes.GET, "k")).status());
        assertTrue(server.last == Verdict.CONTINUE);
    }
}
