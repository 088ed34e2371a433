package io.cuckoocache.store;

/** The decimal numbers incr and decr work on, read and written as memcached does. */
final class Decimal {
    private Decimal() {
    }

    /**
     * Reads an unsigned 64-bit decimal the way memcached's {@code safe_strtoull} does: optional leading whitespace,
     * an optional sign, digits, then the end, whitespace or NUL. Overflow fails; so does a minus sign unless the
     * negated result reads as a non-negative signed number ("-0" is 0). On success the number is in
     * {@code out.number}.
     */
    static boolean parse(byte[] v, int from, int to, Outcome out) {
        int i = from;
        int n = to;
        while (i < n && isSpace(v[i])) i++;
        boolean negative = false;
        if (i < n && (v[i] == '+' || v[i] == '-')) negative = v[i++] == '-';
        int start = i;
        long x = 0;
        for (; i < n && v[i] >= '0' && v[i] <= '9'; i++) {
            int d = v[i] - '0';
            if (Long.compareUnsigned(x, Long.divideUnsigned(-1L - d, 10)) > 0) return false;
            x = x * 10 + d;
        }
        if (i == start || (i < n && !isSpace(v[i]) && v[i] != 0)) return false;
        if (negative) {
            x = -x;
            if (x < 0) return false;
        }
        out.number = x;
        return true;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    /**
     * The bytes {@code x} (unsigned) takes in decimal, or {@code width} when the digits fit in it: memcached
     * rewrites an incremented value in place when the digits fit, so "100" decremented reads "99 ".
     */
    static int width(long x, int width) {
        return Math.max(digits(x), width);
    }

    /** Writes {@code x} (unsigned) at {@code at}, left-aligned and padded with spaces to {@code width} bytes. */
    static void write(long x, byte[] b, int at, int width) {
        int digits = digits(x);
        for (int i = at + digits; i < at + width; i++) b[i] = ' ';
        long q = x;
        for (int i = at + digits - 1; i >= at; i--) {
            b[i] = (byte) ('0' + Long.remainderUnsigned(q, 10));
            q = Long.divideUnsigned(q, 10);
        }
    }

    private static int digits(long x) {
        int digits = 1;
        for (long q = Long.divideUnsigned(x, 10); q != 0; q /= 10) digits++;
        return digits;
    }
}
