package io.cuckoocache.textproto;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** memcached's tokenizer and safe_strto* number rules (glibc strtol/strtoul/strtoull, then memcached's checks). */
class TokensTest {
    private final Tokens t = new Tokens();

    private void split(String line) {
        byte[] b = Wire.bytes(line);
        t.split(b, 0, b.length);
    }

    @Test
    void splitsOnSpacesOnly() {
        split("  get a\tb  c ");
        assertEquals(3, t.count());
        assertEquals(4, t.ntokens());
        assertEquals(3, t.length(1));
        assertTrue(t.is(0, Ascii.bytes("get")));
        assertFalse(t.is(3, Ascii.bytes("c")), "no such token");
    }

    @Test
    void recordsAtMost23Tokens() {
        split("a b c d e f g h i j k l m n o p q r s t u v w x y z");
        assertEquals(23, t.count());
        assertEquals(24, t.ntokens());
        assertTrue(t.is(22, Ascii.bytes("w")));
        split("a b c d e f g h i j k l m n o p q r s t u v w");
        assertEquals(23, t.count());
        split("");
        assertEquals(0, t.count());
        assertEquals(1, t.ntokens());
    }

    @Test
    void noreplyIsTheLastToken() {
        split("set a 0 0 1 noreply");
        assertTrue(t.lastIsNoreply());
        split("set a 0 0 noreply 1");
        assertFalse(t.lastIsNoreply());
    }

    private Long u32(String s) {
        split(s);
        return t.u32(0, 0) ? t.number : null;
    }

    private Long i32(String s) {
        split(s);
        return t.i32(0, 0) ? t.number : null;
    }

    private Long u64(String s) {
        split(s);
        return t.u64(0, 0) ? t.number : null;
    }

    @Test
    void unsigned32LikeSafeStrtoul() {
        assertEquals(0L, u32("0"));
        assertEquals(4294967295L, u32("4294967295"));
        assertEquals(0L, u32("4294967296"), "stored in a uint32_t");
        assertEquals(5L, u32("4294967301"));
        assertEquals(7L, u32("+7"));
        assertEquals(7L, u32("007"));
        assertEquals(9L, u32("\t9"));
        assertEquals(9L, u32("9\t"));
        assertEquals(9L, u32("9\rjunk"), "anything after white space is ignored");
        assertEquals(0L, u32("-0"));
        assertEquals(1L, u32("-18446744073709551615"), "negates to 1, not negative: accepted");
        assertEquals(null, u32("-1"));
        assertEquals(null, u32("18446744073709551616"));
        assertEquals(null, u32("9x"));
        assertEquals(null, u32("0x10"));
        assertEquals(null, u32("+"));
        assertEquals(null, u32("\t"));
        assertEquals(null, u32("abc"));
    }

    @Test
    void signed32LikeSafeStrtol() {
        assertEquals(-1L, i32("-1"));
        assertEquals(-1L, i32("4294967295"), "stored in an int32_t");
        assertEquals(0L, i32("4294967296"));
        assertEquals(1L, i32("4294967297"));
        assertEquals(-2147483648L, i32("2147483648"));
        assertEquals(0L, i32("-9223372036854775808"));
        assertEquals(null, i32("9223372036854775808"), "beyond a long: ERANGE");
        assertEquals(null, i32("-9223372036854775809"));
        assertEquals(null, i32("1.5"));
    }

    @Test
    void unsigned64LikeSafeStrtoull() {
        assertEquals(-1L, u64("18446744073709551615"), "2^64-1");
        assertEquals(null, u64("18446744073709551616"));
        assertEquals(null, u64("-1"));
        assertEquals(Long.MAX_VALUE, u64("-9223372036854775809"), "negates to a positive: accepted, as in C");
        assertEquals(0L, u64("-0"));
    }

    @Test
    void flagValuesSkipTheLetter() {
        split("mg k T30 Fabc");
        assertTrue(t.i32(2, 1));
        assertEquals(30, t.number);
        assertFalse(t.u32(3, 1));
        split("T");
        assertFalse(t.i32(0, 1), "an empty value is not a number");
    }
}
