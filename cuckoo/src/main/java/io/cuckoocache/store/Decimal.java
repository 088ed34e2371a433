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
    static boolean parse(byte[] v, Outcome out) {
        int i = 0;
        int n = v.length;
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
     * {@code x} (unsigned) in decimal, left-aligned and padded with spaces to {@code width} when it fits in it:
     * memcached rewrites an incremented value in place when the digits fit, so "100" decremented reads "99 ".
     */
    static byte[] format(long x, int width) {
        int digits = 1;
        for (long q = Long.divideUnsigned(x, 10); q != 0; q /= 10) digits++;
        byte[] b = new byte[Math.max(digits, width)];
        for (int i = digits; i < b.length; i++) b[i] = ' ';
        long q = x;
        for (int i = digits - 1; i >= 0; i--) {
            b[i] = (byte) ('0' + Long.remainderUnsigned(q, 10));
            q = Long.divideUnsigned(q, 10);
        }
        return b;
    }
}
