package io.cuckoocache.textproto;

/**
 * One request line split as memcached's {@code tokenize_command} splits it, and its numbers read as memcached's
 * {@code safe_strto*} read them, so that every malformed line gets memcached's answer.
 * <p>
 * Tokens are separated by spaces only (a tab is part of a token). At most 23 are recorded; memcached's
 * {@code ntokens} counts one more (its terminal token), which is what its argument-count checks compare, so
 * {@link #ntokens()} returns that. The bytes are not copied: tokens are offsets into the line's array.
 */
final class Tokens {
    /** memcached's MAX_TOKENS: 23 tokens plus the terminal one. */
    static final int MAX_TOKENS = 24;

    private final int[] start = new int[MAX_TOKENS - 1];
    private final int[] length = new int[MAX_TOKENS - 1];
    private byte[] line;
    private int count;
    /** The number read by the last successful {@code u32}, {@code i32} or {@code u64}. */
    long number;

    /** Splits {@code b[from..to)}. */
    void split(byte[] b, int from, int to) {
        line = b;
        count = 0;
        int s = from;
        for (int e = from; e < to; e++) {
            if (b[e] != ' ') continue;
            if (s != e) {
                add(s, e - s);
                if (count == MAX_TOKENS - 1) return;
            }
            s = e + 1;
        }
        if (s != to) add(s, to - s);
    }

    /** Drops the reference to the line's array, so an idle session does not keep a read buffer reachable. */
    void clear() {
        line = null;
        count = 0;
    }

    private void add(int s, int len) {
        start[count] = s;
        length[count] = len;
        count++;
    }

    byte[] line() {
        return line;
    }

    /** Tokens recorded (at most 23). */
    int count() {
        return count;
    }

    /** memcached's ntokens: the tokens plus its terminal token. */
    int ntokens() {
        return count + 1;
    }

    int start(int i) {
        return start[i];
    }

    int length(int i) {
        return length[i];
    }

    /** The first byte of token {@code i} (its meta flag letter). */
    byte first(int i) {
        return line[start[i]];
    }

    /** Whether token {@code i} exists and is exactly {@code word}. */
    boolean is(int i, byte[] word) {
        return i >= 0 && i < count && Ascii.equals(line, start[i], length[i], word);
    }

    /** Token {@code i} as a string (UTF-8). */
    String string(int i) {
        return new String(line, start[i], length[i], java.nio.charset.StandardCharsets.UTF_8);
    }

    /** memcached's noreply check: the last token is "noreply". */
    boolean lastIsNoreply() {
        return is(count - 1, NOREPLY);
    }

    private static final byte[] NOREPLY = Ascii.bytes("noreply");

    /** safe_strtoul on token {@code i} from byte {@code skip}: into {@link #number} as an unsigned 32-bit value. */
    boolean u32(int i, int skip) {
        if (!strto(start[i] + skip, start[i] + length[i], false)) return false;
        number &= 0xFFFF_FFFFL; // memcached stores the unsigned long in a uint32_t
        return true;
    }

    /** safe_strtol on token {@code i} from byte {@code skip}: into {@link #number} as a signed 32-bit value. */
    boolean i32(int i, int skip) {
        if (!strto(start[i] + skip, start[i] + length[i], true)) return false;
        number = (int) number; // memcached stores the long in an int32_t
        return true;
    }

    /** safe_strtoull on token {@code i} from byte {@code skip}: into {@link #number} as an unsigned 64-bit value. */
    boolean u64(int i, int skip) {
        return strto(start[i] + skip, start[i] + length[i], false);
    }

    /**
     * C's strtol ({@code signed}) or strtoul in base 10, then memcached's checks: something was read, no overflow,
     * and it ends at the end of the token or at white space; an unsigned result that is negative as a signed
     * number is refused if there was a minus sign ("-1" is not 2^64-1).
     */
    private boolean strto(int p, int end, boolean signed) {
        byte[] b = line;
        while (p < end && isSpace(b[p])) p++;
        boolean negative = false;
        if (p < end && (b[p] == '+' || b[p] == '-')) negative = b[p++] == '-';
        int digits = p;
        long magnitude = 0;
        boolean overflow = false;
        for (; p < end && b[p] >= '0' && b[p] <= '9'; p++) {
            int d = b[p] - '0';
            if (Long.compareUnsigned(magnitude, Long.divideUnsigned(-1L - d, 10)) > 0) {
                overflow = true;
            } else {
                magnitude = magnitude * 10 + d;
            }
        }
        if (p == digits || overflow) return false;
        if (p < end && !isSpace(b[p])) return false;
        if (signed) {
            // strtol's range: -2^63 .. 2^63-1, else ERANGE
            if (Long.compareUnsigned(magnitude, negative ? Long.MIN_VALUE : Long.MAX_VALUE) > 0) return false;
            number = negative ? -magnitude : magnitude;
            return true;
        }
        number = negative ? -magnitude : magnitude;
        return number >= 0 || !negative;
    }

    /** C's isspace in the C locale. */
    private static boolean isSpace(byte c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }
}
