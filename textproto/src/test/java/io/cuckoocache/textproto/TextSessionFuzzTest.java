package io.cuckoocache.textproto;

import io.cuckoocache.protocol.Driver;
import io.cuckoocache.protocol.ProtocolConfig;
import io.cuckoocache.protocol.Verdict;
import io.cuckoocache.protocol.StoreStats;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.cuckoocache.fuzz.Reads;
import io.cuckoocache.store.ItemStore;
import io.cuckoocache.store.StoreAudit;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Coverage-guided fuzzing (Jazzer) of the text and meta decoder with a real {@link ItemStore} behind it. Each input
 * is one hostile connection's bytes; the first byte picks how they arrive (bits 0-5: read size, 0 = all at once;
 * bit 6: ASCII authentication on, user "u" password "p"; bit 7: direct buffers). Checked for every input:
 * <ul>
 * <li>nothing escapes {@link TextSession#process} (Jazzer reports any throwable, and a hang by its timeout);</li>
 * <li>bounded memory: once the calls after a read stop making progress (the server calls again while one does: a
 * call stops at its output bound, here 1 KB so that multi-gets are split often) at most
 * {@link ProtocolConfig#lineLimit()} bytes stay unread, and the session holds at most one value within the item limit
 * plus its scratch array;</li>
 * <li>every call's output is whole, well-formed reply frames, at most the output bound plus one reply, and a call
 * without input adds nothing;</li>
 * <li>another client's keys on the same store keep their exact values, and that client is served exactly after;</li>
 * <li>the store's {@code curr_items} and {@code bytes} match a walk over its table.</li>
 * </ul>
 * Run by {@code ./mvnw verify} in fuzzing mode for a bounded time (the module pom's {@code fuzz} execution); the
 * seeds in {@code src/test/resources/.../TextSessionFuzzTestInputs} and every finding saved there replay as regression
 * tests in any mode.
 */
class TextSessionFuzzTest {
    private static final int ITEM_SIZE_MAX = 4096;
    /** Flush disabled, so that nothing the hostile client may legitimately do removes the other client's keys. */
    private static final ProtocolConfig CONFIG = ProtocolConfig.builder().flushEnabled(false).outputPerCall(1024).build();
    private static final ProtocolConfig AUTH = ProtocolConfig.builder().flushEnabled(false).outputPerCall(1024)
            .authenticator((user, password) -> user.equals("u") && password.equals("p")).build();
    /** One call's replies: the bound, plus the reply that passes it (a value, or a whole stats listing). */
    private static final int CALL_OUTPUT_MAX = 1024 + ITEM_SIZE_MAX + 32 * 1024;
    private static final long NOW = 1_700_000_000L;
    /** CR LF as libFuzzer's dictionary format writes bytes (the entries are copied into such a file). */
    private static final String CRLF = "\\x0D\\x0A";

    @FuzzTest(maxDuration = "25s")
    @DictionaryEntries({"get ", "gets ", "gat ", "gats ", "bget ", "set ", "add ", "replace ", "append ", "prepend ",
            "cas ", "incr ", "decr ", "delete ", "touch ", "stats", "stats detail dump", "stats reset", "flush_all",
            "version", "verbosity ", "quit", "shutdown", "cache_memlimit ", "noreply", "mn", "mg ", "ms ", "md ",
            "ma ", "me ", " MA", " MD", " MI", " ME", " MS", CRLF, " 0 0 1" + CRLF + "x" + CRLF, " 4294967297", " -1",
            " 18446744073709551615", " b", " q", " k", " v", " c", " f", " s", " t", " h", " l", " O", " N30", " T30",
            "set a 0 0 3" + CRLF + "u p" + CRLF,
            " R30", " I", " E5", " C1", " D", " J", " P", " L", "HTTP/1.1"})
    void hostileClientHarmsNoOneElse(byte[] input) {
        // A small first table: the audit walks every bucket, and growth under hostile input gets fuzzed too.
        ItemStore store = ItemStore.builder().memoryLimit(16L << 20).itemSizeMax(ITEM_SIZE_MAX)
                .initialCapacity(16).clock(() -> NOW).build();
        WellBehavedClient other = new WellBehavedClient(store);
        other.storeOwnKeys();

        if (input.length > 0) feed(new TextSession(store, (input[0] & 0x40) != 0 ? AUTH : CONFIG, new StoreStats(store)), input);

        other.checkOwnKeys();
        other.checkServedExactly();
        StoreAudit.assertBooksBalance(store);
    }

    /** Sends {@code input[1..]} in reads of the size {@code input[0]} picks, checking bounds and replies after each. */
    private static void feed(TextSession session, byte[] input) {
        int readSize = input[0] & 0x3F;
        boolean direct = input[0] < 0;
        ByteBuf in = direct ? Unpooled.directBuffer() : Unpooled.buffer();
        ByteBuf out = Unpooled.buffer();
        try {
            int from = 1;
            for (int end : Reads.ends(1, input.length, readSize)) {
                in.writeBytes(input, from, end - from);
                from = end;
                Verdict action = drive(session, in, out);
                assertTrue(in.readableBytes() <= CONFIG.lineLimit(), () -> in.readableBytes() + " bytes left unread");
                assertTrue(session.heldBytes() <= ITEM_SIZE_MAX + TextSession.SCRATCH_KEEP,
                        () -> "session holds " + session.heldBytes() + " bytes");
                in.discardReadBytes();
                if (action != Verdict.CONTINUE) break;
            }
            session.process(in, out);
            assertEquals(0, out.readableBytes(), "a call without new input answered something");
        } finally {
            in.release();
            out.release();
        }
    }

    /** Calls {@code process} as the server does, again while a call makes progress; checks each call's replies. */
    private static Verdict drive(TextSession session, ByteBuf in, ByteBuf out) {
        return Driver.drive(session, in, out, produced -> {
            assertTrue(produced <= CALL_OUTPUT_MAX, () -> "one call answered " + produced + " bytes");
            ReplyFrames.check(out);
            out.clear();
        });
    }

    /** Another connection on the same store, with keys the fuzzer cannot guess (fresh random names per input). */
    private static final class WellBehavedClient {
        private final TextSession session;
        private final String prefix = "other:" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ":";

        WellBehavedClient(ItemStore store) {
            session = new TextSession(store, ProtocolConfig.defaults(), new StoreStats(store));
        }

        void storeOwnKeys() {
            for (int i = 0; i < 3; i++) {
                expect("set " + prefix + i + " " + (7 + i) + " 0 5\r\nvalu" + i + "\r\n", "STORED\r\n");
            }
            expect("set " + prefix + "n 0 0 2\r\n41\r\n", "STORED\r\n");
        }

        void checkOwnKeys() {
            for (int i = 0; i < 3; i++) {
                expect("get " + prefix + i + "\r\n",
                        "VALUE " + prefix + i + " " + (7 + i) + " 5\r\nvalu" + i + "\r\nEND\r\n");
            }
        }

        /** The store still serves ordinary work exactly: counters, meta, deletes, new keys. */
        void checkServedExactly() {
            expect("incr " + prefix + "n 1\r\n", "42\r\n");
            expect("mg " + prefix + "n v f\r\n", "VA 2 f0\r\n42\r\n");
            expect("delete " + prefix + "0\r\n", "DELETED\r\n");
            expect("get " + prefix + "0\r\n", "END\r\n");
            expect("add " + prefix + "new 3 0 3\r\nabc\r\n", "STORED\r\n");
            expect("append " + prefix + "new 0 0 1\r\nd\r\n", "STORED\r\n");
            expect("get " + prefix + "new\r\n", "VALUE " + prefix + "new 3 4\r\nabcd\r\nEND\r\n");
        }

        private void expect(String request, String reply) {
            ByteBuf in = Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1);
            ByteBuf out = Unpooled.buffer();
            try {
                assertEquals(Verdict.CONTINUE, session.process(in, out));
                assertEquals(reply, out.toString(StandardCharsets.ISO_8859_1), request);
            } finally {
                in.release();
                out.release();
            }
        }
    }

    /** The text and meta protocol's reply grammar, loosely: a known first word, and data blocks of their length. */
    static final class ReplyFrames {
        private static final Set<String> WORDS = Set.of("END", "STORED", "NOT_STORED", "EXISTS", "NOT_FOUND",
                "DELETED", "TOUCHED", "OK", "RESET", "ERROR", "CLIENT_ERROR", "SERVER_ERROR", "STAT", "VERSION",
                "HD", "EN", "NS", "EX", "NF", "MN", "ME", "MEMLIMIT_TOO_SMALL", "MEMLIMIT_ADJUST_FAILED",
                "ERROR:");

        private ReplyFrames() {
        }

        static void check(ByteBuf out) {
            byte[] b = new byte[out.readableBytes()];
            out.getBytes(out.readerIndex(), b);
            int p = 0;
            while (p < b.length) {
                int lf = p;
                while (lf < b.length && b[lf] != '\n') lf++;
                if (lf == b.length || lf == p || b[lf - 1] != '\r') fail("not a CRLF line at " + p + ": " + show(b));
                String line = new String(b, p, lf - 1 - p, StandardCharsets.ISO_8859_1);
                p = lf + 1;
                String[] t = line.split(" ", -1);
                int data;
                if (t[0].equals("VALUE") && (t.length == 4 || t.length == 5)) {
                    data = Integer.parseInt(t[3]);
                } else if (t[0].equals("VA") && t.length >= 2) {
                    data = Integer.parseInt(t[1]);
                } else if (WORDS.contains(t[0]) || (t.length == 1 && !t[0].isEmpty() && t[0].chars().allMatch(Character::isDigit))) {
                    continue;
                } else {
                    fail("unknown reply line '" + line + "' in " + show(b));
                    return;
                }
                if (data < 0 || p + data + 2 > b.length || b[p + data] != '\r' || b[p + data + 1] != '\n') {
                    fail("data block of " + data + " bytes not followed by CRLF in " + show(b));
                }
                p += data + 2;
            }
        }

        private static String show(byte[] b) {
            String s = new String(b, StandardCharsets.ISO_8859_1);
            return s.length() > 400 ? s.substring(0, 400) + "..." : s;
        }
    }
}
