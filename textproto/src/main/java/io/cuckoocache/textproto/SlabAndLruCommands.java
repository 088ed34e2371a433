package io.cuckoocache.textproto;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * memcached 1.6.18's "slabs" and "lru" commands, answered as memcached answers them when it runs without a slab
 * mover and without an LRU maintainer (-o no_slab_reassign,no_lru_maintainer), which is what this server is (its
 * stats settings say slab_reassign no, lru_maintainer_thread no): reassign is refused, automove and tune are
 * checked and acknowledged (they tune nothing here), mode and temp_ttl are unknown.
 */
final class SlabAndLruCommands {
    private static final byte[] REASSIGN = Ascii.bytes("reassign");
    private static final byte[] AUTOMOVE = Ascii.bytes("automove");
    private static final byte[] TUNE = Ascii.bytes("tune");
    private static final byte[] REASSIGN_DISABLED = Ascii.line("CLIENT_ERROR slab reassignment disabled");
    private static final byte[] PCTS = Ascii.line("ERROR hot and warm pcts must not exceed 80");
    private static final byte[] FACTORS = Ascii.line("ERROR hot/warm age factors must be greater than 0");
    /** What C's strtod reads whole in a token, for memcached's safe_strtod (decimal forms). */
    private static final Pattern DOUBLE = Pattern.compile("\\s*[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    private SlabAndLruCommands() {
    }

    /** "slabs reassign SRC DST" (five tokens) and "slabs automove N" (four or more); anything else ERROR. */
    static void slabs(Tokens t, ByteBuf out) {
        if (t.ntokens() == 5 && t.is(1, REASSIGN)) {
            out.writeBytes(REASSIGN_DISABLED);
        } else if (t.ntokens() >= 4 && t.is(1, AUTOMOVE)) {
            if (!t.u32(2, 0)) {
                out.writeBytes(Ascii.BAD_FORMAT);
            } else {
                out.writeBytes(t.number <= 2 ? Ascii.OK : Ascii.ERROR);
            }
        } else {
            out.writeBytes(Ascii.ERROR);
        }
    }

    /** "lru tune HOT_PCT WARM_PCT HOT_FACTOR WARM_FACTOR" (seven tokens or more); anything else ERROR. */
    static void lru(Tokens t, ByteBuf out) {
        if (t.ntokens() < 7 || !t.is(1, TUNE) || !t.u32(2, 0)) {
            out.writeBytes(Ascii.ERROR);
            return;
        }
        long hot = t.number;
        if (!t.u32(3, 0) || !isDouble(t, 4) || !isDouble(t, 5)) {
            out.writeBytes(Ascii.ERROR);
        } else if (((hot + t.number) & 0xFFFF_FFFFL) > 80) {
            out.writeBytes(PCTS);
        } else if (!(parse(t, 4) > 0) || !(parse(t, 5) > 0)) {
            out.writeBytes(FACTORS);
        } else {
            out.writeBytes(Ascii.OK);
        }
    }

    private static boolean isDouble(Tokens t, int i) {
        return DOUBLE.matcher(text(t, i)).matches() && Double.isFinite(parse(t, i));
    }

    private static double parse(Tokens t, int i) {
        return Double.parseDouble(text(t, i).trim());
    }

    private static String text(Tokens t, int i) {
        return new String(t.line(), t.start(i), t.length(i), StandardCharsets.ISO_8859_1);
    }
}
