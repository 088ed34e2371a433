package io.cuckoocache.binproto;

import io.cuckoocache.protocol.Driver;
import io.cuckoocache.protocol.ProtocolConfig;
import io.cuckoocache.protocol.Verdict;
import io.cuckoocache.protocol.StoreStats;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.cuckoocache.fuzz.Reads;
import io.cuckoocache.store.ItemStore;
import io.cuckoocache.store.StoreAudit;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import static io.cuckoocache.binproto.Wire.ascii;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Coverage-guided fuzzing (Jazzer) of the binary decoder with a real {@link ItemStore} behind it. Each input is one
 * hostile connection's bytes; the first byte picks how they arrive (bits 0-5: read size, 0 = all at once; bit 6:
 * SASL on; bit 7: direct buffers). Checked for every input:
 * <ul>
 * <li>nothing escapes {@link BinarySession#process} (Jazzer reports any throwable, and a hang by its timeout);</li>
 * <li>bounded memory: once the calls after a read stop making progress (the server calls again while one does: a
 * call stops at its output bound, here 1 KB so that pipelines are cut often) at most a header, extras and key
 * (24 + 20 + 250 bytes) stay unread, and the session holds at most one value within the item size limit;</li>
 * <li>every call's output is whole response packets (magic 0x81, a known status, lengths that add up), at most the
 * output bound plus one response, and a call without input adds nothing;</li>
 * <li>another client's keys on the same store keep their exact values, and that client is served exactly after;</li>
 * <li>the store's {@code curr_items} and {@code bytes} match a walk over its table.</li>
 * </ul>
 * Run by {@code ./mvnw verify} in fuzzing mode for a bounded time (the module pom's {@code fuzz} execution); the
 * seeds in {@code src/test/resources/.../BinarySessionFuzzTestInputs} and every finding saved there replay as
 * regression tests in any mode.
 */
class BinarySessionFuzzTest {
    private static final int ITEM_SIZE_MAX = 4096;
    private static final int MAX_UNREAD = 24 + 20 + 250;
    private static final Set<Integer> STATUSES = Set.of(0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x20, 0x21, 0x81, 0x82);
    private static final ProtocolConfig PLAIN = ProtocolConfig.builder().outputPerCall(1024).build();
    private static final ProtocolConfig SASL = ProtocolConfig.builder().outputPerCall(1024)
            .authenticator((user, password) -> user.equals("u") && password.equals("p")).build();
    /** One call's replies: the bound, plus the response that passes it (a value, or a whole stats listing). */
    private static final int CALL_OUTPUT_MAX = 1024 + ITEM_SIZE_MAX + 32 * 1024;

    @FuzzTest(maxDuration = "25s")
    void hostileClientHarmsNoOneElse(byte[] input) {
        // A small first table: the audit walks every bucket, and growth under hostile input gets fuzzed too.
        ItemStore store = ItemStore.builder().memoryLimit(16L << 20).itemSizeMax(ITEM_SIZE_MAX)
                .initialCapacity(16).clock(() -> Wire.T0).build();
        WellBehavedClient other = new WellBehavedClient(store);
        other.storeOwnKeys();

        if (input.length > 0) {
            feed(new BinarySession(store, (input[0] & 0x40) != 0 ? SASL : PLAIN, new StoreStats(store)), input);
            // The binary flush has no switch (binproto README, difference 7), and removing every key is its job.
            if (!sendsFlush(input)) other.checkOwnKeys();
        }
        other.checkServedExactly();
        StoreAudit.assertBooksBalance(store);
    }

    /** Whether any byte pair could be a flush request header (magic 0x80, opcode 0x08 or 0x18): a cheap superset. */
    private static boolean sendsFlush(byte[] input) {
        for (int i = 1; i + 1 < input.length; i++) {
            if (input[i] == (byte) 0x80 && (input[i + 1] == 0x08 || input[i + 1] == 0x18)) return true;
        }
        return false;
    }

    private static void feed(BinarySession session, byte[] input) {
        int readSize = input[0] & 0x3F;
        boolean direct = input[0] < 0;
        ByteBuf in = direct ? Unpooled.directBuffer() : Unpooled.buffer();
        ByteBuf out = Unpooled.buffer();
        Verdict action = Verdict.CONTINUE;
        try {
            int from = 1;
            for (int end : Reads.ends(1, input.length, readSize)) {
                in.writeBytes(input, from, end - from);
                from = end;
                action = drive(session, in, out);
                if (action == Verdict.CONTINUE) {
                    assertTrue(in.readableBytes() <= MAX_UNREAD, () -> in.readableBytes() + " bytes left unread");
                }
                assertTrue(session.heldBytes() <= ITEM_SIZE_MAX, () -> "session holds " + session.heldBytes());
                in.discardReadBytes();
                if (action != Verdict.CONTINUE) break;
            }
            assertEquals(action, session.process(in, out));
            assertEquals(0, out.readableBytes(), "a call without new input answered something");
        } finally {
            in.release();
            out.release();
        }
    }

    /** Calls {@code process} as the server does, again while a call makes progress; checks each call's replies. */
    private static Verdict drive(BinarySession session, ByteBuf in, ByteBuf out) {
        return Driver.drive(session, in, out, produced -> {
            assertTrue(produced <= CALL_OUTPUT_MAX, () -> "one call answered " + produced + " bytes");
            checkPackets(out);
            out.clear();
        });
    }

    /** Whole response packets only: magic, a known status, extras + key within the body, nothing left over. */
    private static void checkPackets(ByteBuf out) {
        int p = out.readerIndex();
        int end = out.writerIndex();
        while (p < end) {
            if (end - p < 24) fail("partial response header: " + (end - p) + " bytes");
            assertEquals(0x81, out.getUnsignedByte(p), "response magic");
            int keylen = out.getUnsignedShort(p + 2);
            int extlen = out.getUnsignedByte(p + 4);
            assertEquals(0, out.getUnsignedByte(p + 5), "datatype");
            int status = out.getUnsignedShort(p + 6);
            assertTrue(STATUSES.contains(status), () -> "status 0x" + Integer.toHexString(status));
            long bodylen = out.getUnsignedInt(p + 8);
            assertTrue(extlen + keylen <= bodylen, "extras and key longer than the body");
            if (end - p - 24 < bodylen) fail("partial response body");
            p += 24 + (int) bodylen;
        }
    }

    /** Another connection on the same store, with keys the fuzzer cannot guess (fresh random names per input). */
    private static final class WellBehavedClient {
        private final BinarySession session;
        private final String prefix = "other:" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ":";

        WellBehavedClient(ItemStore store) {
            session = new BinarySession(store, PLAIN, new StoreStats(store));
        }

        void storeOwnKeys() {
            for (int i = 0; i < 3; i++) {
                assertStatus(Wire.store(0x01, prefix + i, "valu" + i, 7 + i, 0), 0);
            }
        }

        void checkOwnKeys() {
            for (int i = 0; i < 3; i++) {
                ByteBuf reply = send(Wire.req(0x00, prefix + i));
                assertEquals(0, reply.getUnsignedShort(6), "status of the other client's get");
                assertEquals(7 + i, reply.getInt(24), "flags");
                byte[] value = new byte[reply.readableBytes() - 28];
                reply.getBytes(28, value);
                assertArrayEquals(ascii("valu" + i), value, "value");
                reply.release();
            }
        }

        /** The store still serves ordinary work exactly: counters, deletes, new keys (fresh ones: a flush may have run). */
        void checkServedExactly() {
            assertStatus(Wire.store(0x01, prefix + "m", "41", 0, 0), 0);
            ByteBuf incr = send(Wire.arith(0x05, prefix + "m", 1, 0, 0, 0));
            assertEquals(0, incr.getUnsignedShort(6), "incr status");
            assertEquals(42, incr.getLong(24), "incr result");
            incr.release();
            assertStatus(Wire.req(0x04, prefix + "m"), 0);
            assertStatus(Wire.req(0x00, prefix + "m"), 0x01);
            assertStatus(Wire.store(0x02, prefix + "new", "abc", 3, 0), 0);
            assertStatus(Wire.kv(0x0E, prefix + "new", "d", 0), 0);
            ByteBuf get = send(Wire.req(0x00, prefix + "new"));
            assertEquals("abcd", get.toString(28, get.readableBytes() - 28, StandardCharsets.US_ASCII));
            get.release();
        }

        private void assertStatus(byte[] request, int status) {
            ByteBuf reply = send(request);
            assertEquals(status, reply.getUnsignedShort(6), "status");
            reply.release();
        }

        private ByteBuf send(byte[] request) {
            ByteBuf in = Unpooled.wrappedBuffer(request);
            ByteBuf out = Unpooled.buffer();
            assertEquals(Verdict.CONTINUE, session.process(in, out));
            assertEquals(0, in.readableBytes());
            checkPackets(out);
            return out;
        }
    }
}
