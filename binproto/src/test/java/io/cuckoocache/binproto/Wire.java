package io.cuckoocache.binproto;

import io.cuckoocache.protocol.Driver;
import io.cuckoocache.protocol.ProtocolConfig;
import io.cuckoocache.protocol.StatsSource;
import io.cuckoocache.protocol.Verdict;
import io.cuckoocache.store.Clock;
import io.cuckoocache.store.ItemStore;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiPredicate;

/** Test helpers: binary packets built and parsed by hand, and a session over a store with a settable clock. */
final class Wire {
    static final int OPAQUE = 0xCAFEBABE;
    /** A fixed Unix time for the test clock. */
    static final long T0 = 1_700_000_000L;

    private Wire() {
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A request packet; lengths taken from the parts. */
    static byte[] req(int opcode, byte[] extras, byte[] key, byte[] value, long cas) {
        return packet(0x80, opcode, extras.length, key.length, extras.length + key.length + value.length, 0, cas,
                OPAQUE, extras, key, value);
    }

    /** A storage request: set/add/replace (and quiet), flags and exptime 0 unless given. */
    static byte[] store(int opcode, String key, String value, int flags, long cas) {
        return req(opcode, setExtras(flags, 0), ascii(key), ascii(value), cas);
    }

    /** A request with a key and a value and no extras: append, prepend, SASL auth and step. */
    static byte[] kv(int opcode, String key, String value, long cas) {
        return req(opcode, new byte[0], ascii(key), ascii(value), cas);
    }

    /** A request with extras and a key only: touch, gat, gatk. */
    static byte[] keyed(int opcode, byte[] extras, String key) {
        return req(opcode, extras, ascii(key), new byte[0], 0);
    }

    /** An incr/decr request. */
    static byte[] arith(int opcode, String key, long delta, long initial, int exptime, long cas) {
        return req(opcode, incrExtras(delta, initial, exptime), ascii(key), new byte[0], cas);
    }

    static byte[] req(int opcode, String key) {
        return req(opcode, new byte[0], ascii(key), new byte[0], 0);
    }

    static byte[] req(int opcode) {
        return req(opcode, "");
    }

    /** A request header with explicit (possibly inconsistent) lengths, followed by {@code body}. */
    static byte[] rawReq(int magic, int opcode, int extlen, int keylen, long bodylen, byte[] body) {
        return packet(magic, opcode, extlen, keylen, bodylen, 0, 0, OPAQUE, body, new byte[0], new byte[0]);
    }

    /** A response packet as memcached writes it (datatype 0). */
    static byte[] resp(int opcode, int status, byte[] extras, byte[] key, byte[] value, long cas) {
        return packet(0x81, opcode, extras.length, key.length, extras.length + key.length + value.length, status,
                cas, OPAQUE, extras, key, value);
    }

    /** A response with only a body (success text, error text). */
    static byte[] resp(int opcode, int status, String body, long cas) {
        return resp(opcode, status, new byte[0], new byte[0], ascii(body), cas);
    }

    static byte[] setExtras(int flags, int exptime) {
        return ByteBuffer.allocate(8).putInt(flags).putInt(exptime).array();
    }

    static byte[] incrExtras(long delta, long initial, int exptime) {
        return ByteBuffer.allocate(20).putLong(delta).putLong(initial).putInt(exptime).array();
    }

    static byte[] int32(int v) {
        return ByteBuffer.allocate(4).putInt(v).array();
    }

    static byte[] int64(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    private static byte[] packet(int magic, int opcode, int extlen, int keylen, long bodylen, int status, long cas,
                                 int opaque, byte[] extras, byte[] key, byte[] value) {
        ByteBuffer b = ByteBuffer.allocate(24 + extras.length + key.length + value.length);
        b.put((byte) magic).put((byte) opcode).putShort((short) keylen).put((byte) extlen).put((byte) 0)
                .putShort((short) status).putInt((int) bodylen).putInt(opaque).putLong(cas);
        b.put(extras).put(key).put(value);
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) o.writeBytes(p);
        return o.toByteArray();
    }

    static String hex(byte[] b) {
        return ByteBufUtil.hexDump(b);
    }

    /** One parsed response packet. */
    record Response(int opcode, int status, byte[] extras, byte[] key, byte[] value, int opaque, long cas) {
        @Override
        public String toString() {
            return String.format("op=0x%02x status=0x%02x extras=%s key=%s value=%s cas=%d", opcode, status,
                    hex(extras), new String(key, StandardCharsets.ISO_8859_1),
                    new String(value, StandardCharsets.ISO_8859_1), cas);
        }
    }

    /** Parses response packets; fails on a bad magic or a truncated packet. */
    static List<Response> parse(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        List<Response> out = new ArrayList<>();
        while (b.hasRemaining()) {
            if (b.remaining() < 24) throw new AssertionError("truncated header: " + b.remaining() + " bytes");
            int magic = b.get() & 0xFF;
            if (magic != 0x81) throw new AssertionError("bad response magic " + magic);
            int opcode = b.get() & 0xFF;
            int keylen = b.getShort() & 0xFFFF;
            int extlen = b.get() & 0xFF;
            b.get();
            int status = b.getShort() & 0xFFFF;
            int bodylen = b.getInt();
            int opaque = b.getInt();
            long cas = b.getLong();
            byte[] extras = new byte[extlen];
            byte[] key = new byte[keylen];
            byte[] value = new byte[bodylen - extlen - keylen];
            b.get(extras).get(key).get(value);
            out.add(new Response(opcode, status, extras, key, value, opaque, cas));
        }
        return out;
    }

    /** A session on a fresh store with a test clock, fed byte arrays; remembers whether it asked to close. */
    static final class Harness {
        final AtomicLong now = new AtomicLong(T0);
        final ItemStore store;
        final BinarySession session;
        final Map<String, Map<String, String>> stats = new LinkedHashMap<>();
        final ByteBuf in = Unpooled.buffer();
        Verdict last = Verdict.CONTINUE;
        /** Calls made, and stats resets asked for. */
        int calls;
        int resets;

        Harness() {
            this(ProtocolConfig.builder().build());
        }

        Harness(ProtocolConfig config) {
            this(config, ItemStore.builder());
        }

        Harness(ProtocolConfig config, ItemStore.Builder builder) {
            Clock clock = now::get;
            store = builder.clock(clock).build();
            stats.put("", linked("pid", "1", "version", "1.6.18"));
            stats.put("settings", linked("maxbytes", "67108864"));
            stats.put("items", linked());
            session = new BinarySession(store, config, new StatsSource() {
                @Override
                public Map<String, String> section(String name) {
                    return stats.get(name);
                }

                @Override
                public void reset() {
                    resets++;
                }
            });
        }

        static Harness withAuth(BiPredicate<String, String> auth) {
            return new Harness(ProtocolConfig.builder().authenticator(auth).build());
        }

        /**
         * Feeds the bytes (after any left unread before) and returns the replies; calls again, as the server does,
         * while a call consumes or answers something (a call stops at its output bound).
         */
        byte[] send(byte[]... requests) {
            in.writeBytes(concat(requests));
            ByteBuf out = Unpooled.buffer();
            last = Driver.drive(session, in, out, produced -> calls++);
            in.discardReadBytes();
            return ByteBufUtil.getBytes(out);
        }

        int unread() {
            return in.readableBytes();
        }
    }

    static Map<String, String> linked(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }
}
