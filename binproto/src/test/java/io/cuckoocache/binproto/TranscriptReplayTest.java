package io.cuckoocache.binproto;

import io.cuckoocache.protocol.ProtocolConfig;
import io.cuckoocache.protocol.StoreStats;
import io.cuckoocache.store.ItemStore;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.cuckoocache.binproto.BinarySessionTest.NONE;
import static io.cuckoocache.binproto.Wire.arith;
import static io.cuckoocache.binproto.Wire.ascii;
import static io.cuckoocache.binproto.Wire.concat;
import static io.cuckoocache.binproto.Wire.int32;
import static io.cuckoocache.binproto.Wire.keyed;
import static io.cuckoocache.binproto.Wire.kv;
import static io.cuckoocache.binproto.Wire.req;
import static io.cuckoocache.binproto.Wire.setExtras;
import static io.cuckoocache.binproto.Wire.store;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Replays bin_transcript_1.6.18.txt (responses recorded from memcached 1.6.18; a copy of
 * shared/reference/memcached-1.6.18/ in the test resources). The transcript keeps only the responses, so each
 * section's requests are rebuilt here from its title. One store serves all sections, one connection each; CAS values
 * are compared by pattern across the whole transcript (the same item shows the same CAS in several sections).
 */
class TranscriptReplayTest {
    private static final Pattern LINE = Pattern.compile(
            "\\{'op': '0x([0-9a-f]+)', 'status': '0x([0-9a-f]+)', 'extras': '([0-9a-f]*)', 'key': b'(.*)', "
                    + "'val': b'(.*)', 'cas': (\\d+)}");

    /** Each section's requests, rebuilt from its title. */
    static Map<String, byte[]> requests() {
        byte[] exp = int32(0);
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("set+get+getk", concat(store(0x01, "bk", "hello", 7, 0), req(0x00, "bk"), req(0x0c, "bk")));
        m.put("get miss / getq miss + noop", concat(req(0x00, "nokey"), req(0x09, "nokey"), req(0x0a)));
        m.put("touch 0x1c / gat 0x1d / gatk 0x23 / gatq miss", concat(keyed(0x1c, exp, "bk"),
                keyed(0x1d, exp, "bk"), keyed(0x23, exp, "bk"),
                keyed(0x1e, exp, "nokey"), req(0x0a)));
        m.put("incr miss with exp=0xffffffff (no create)", arith(0x05, "cnt", 1, 0, -1, 0));
        m.put("incr miss create initial=5 then incr 10", concat(arith(0x05, "cnt", 10, 5, 0, 0),
                arith(0x05, "cnt", 10, 5, 0, 0)));
        m.put("incr non-numeric", concat(store(0x01, "txt", "abc", 0, 0),
                arith(0x05, "txt", 1, 0, 0, 0)));
        m.put("add existing / replace missing / cas mismatch", concat(store(0x02, "bk", "x", 0, 0),
                store(0x03, "nokey", "x", 0, 0), store(0x01, "bk", "x", 0, 999_999_999)));
        m.put("delete miss / append miss", concat(req(0x04, "nokey"), kv(0x0e, "nokey", "x", 0)));
        m.put("verbosity 0x1b (unknown?)", req(0x1b, int32(1), NONE, NONE, 0));
        m.put("unknown opcode 0x50", req(0x50));
        m.put("key 251 bytes get", req(0x00, "k".repeat(251)));
        m.put("value too large", req(0x01, setExtras(0, 0), ascii("big"), new byte[(1 << 20) + 1], 0));
        m.put("version / stat (first 3)", req(0x0b));
        m.put("flush with delay extras", req(0x08, int32(2), NONE, NONE, 0));
        m.put("sasl list mechs (no -S)", req(0x20));
        return m;
    }

    @Test
    void replayMatchesMemcached() throws IOException {
        Map<String, List<String>> recorded = transcript();
        Map<String, byte[]> requests = requests();
        assertEquals(recorded.keySet(), requests.keySet(), "every transcript section is replayed");

        ItemStore store = ItemStore.builder().build();
        Map<Long, Integer> theirIds = new HashMap<>();
        Map<Long, Integer> ourIds = new HashMap<>();
        for (Map.Entry<String, byte[]> e : requests.entrySet()) {
            BinarySession session = new BinarySession(store, ProtocolConfig.builder().build(), new StoreStats(store));
            io.netty.buffer.ByteBuf out = io.netty.buffer.Unpooled.buffer();
            session.process(io.netty.buffer.Unpooled.wrappedBuffer(e.getValue()), out);
            List<String> ours = new ArrayList<>();
            for (Wire.Response r : Wire.parse(io.netty.buffer.ByteBufUtil.getBytes(out))) {
                ours.add(String.format("op=%x status=%x extras=%s key=%s val=%s cas=%d", r.opcode(), r.status(),
                        Wire.hex(r.extras()), latin1(r.key()), latin1(r.value()), maskCas(ourIds, r.cas())));
            }
            List<String> theirs = new ArrayList<>();
            for (String line : recorded.get(e.getKey())) theirs.add(maskLine(theirIds, line));
            if (e.getKey().startsWith("verbosity")) {
                // memcached 1.6.18 answers 0x1b with "Unknown command" only after swallowing 4 bytes beyond the
                // request (its desync), so the recorder saw nothing; we answer at once (README: differences).
                assertEquals(List.of(), theirs);
                assertEquals(List.of("op=1b status=81 extras= key= val=Unknown command cas=0"), ours);
                continue;
            }
            assertEquals(theirs, ours, e.getKey());
        }
    }

    /** Section title -> its recorded response lines. */
    private static Map<String, List<String>> transcript() throws IOException {
        Map<String, List<String>> sections = new LinkedHashMap<>();
        List<String> current = null;
        try (InputStream in = TranscriptReplayTest.class.getResourceAsStream("/bin_transcript_1.6.18.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("### ")) {
                    current = new ArrayList<>();
                    sections.put(line.substring(4).trim(), current);
                } else if (!line.isBlank()) {
                    current.add(line.trim());
                }
            }
        }
        return sections;
    }

    private static String maskLine(Map<Long, Integer> ids, String line) {
        Matcher m = LINE.matcher(line);
        if (!m.matches()) throw new AssertionError("unparsed transcript line: " + line);
        return String.format("op=%s status=%s extras=%s key=%s val=%s cas=%d", m.group(1), m.group(2), m.group(3),
                latin1(pythonBytes(m.group(4))), latin1(pythonBytes(m.group(5))),
                maskCas(ids, Long.parseLong(m.group(6))));
    }

    private static int maskCas(Map<Long, Integer> ids, long cas) {
        return cas == 0 ? 0 : ids.computeIfAbsent(cas, c -> ids.size() + 1);
    }

    /** The body of a Python bytes literal (as repr() prints it). */
    private static byte[] pythonBytes(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                out.write(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'x': out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16)); i += 2; break;
                case 'n': out.write('\n'); break;
                case 'r': out.write('\r'); break;
                case 't': out.write('\t'); break;
                default: out.write(e);
            }
        }
        return out.toByteArray();
    }

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
