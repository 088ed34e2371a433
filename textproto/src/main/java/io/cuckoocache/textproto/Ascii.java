package io.cuckoocache.textproto;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/** Reply constants and the number writers every reply uses; numbers are written straight into the buffer. */
final class Ascii {
    static final byte[] CRLF = bytes("\r\n");
    static final byte[] ERROR = line("ERROR");
    static final byte[] END = line("END");
    static final byte[] OK = line("OK");
    static final byte[] STORED = line("STORED");
    static final byte[] NOT_STORED = line("NOT_STORED");
    static final byte[] EXISTS = line("EXISTS");
    static final byte[] NOT_FOUND = line("NOT_FOUND");
    static final byte[] DELETED = line("DELETED");
    static final byte[] TOUCHED = line("TOUCHED");
    static final byte[] RESET = line("RESET");
    static final byte[] VALUE = bytes("VALUE ");
    static final byte[] BAD_FORMAT = line("CLIENT_ERROR bad command line format");
    static final byte[] BAD_CHUNK = line("CLIENT_ERROR bad data chunk");
    static final byte[] BAD_EXPTIME = line("CLIENT_ERROR invalid exptime argument");
    static final byte[] BAD_DELTA = line("CLIENT_ERROR invalid numeric delta argument");
    static final byte[] NON_NUMERIC = line("CLIENT_ERROR cannot increment or decrement non-numeric value");
    static final byte[] DELETE_USAGE = line("CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]");
    static final byte[] TOO_LARGE = line("SERVER_ERROR object too large for cache");
    static final byte[] NO_MEMORY_STORE = line("SERVER_ERROR out of memory storing object");
    static final byte[] NO_MEMORY = line("SERVER_ERROR out of memory");

    private Ascii() {
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] line(String s) {
        return bytes(s + "\r\n");
    }

    /** Whether {@code b[off..off+len)} is exactly {@code word}. */
    static boolean equals(byte[] b, int off, int len, byte[] word) {
        if (len != word.length) return false;
        for (int i = 0; i < len; i++) {
            if (b[off + i] != word[i]) return false;
        }
        return true;
    }

    /** Writes {@code x} as an unsigned 64-bit decimal. */
    static void unsigned(ByteBuf out, long x) {
        int digits = decimalLength(x);
        out.ensureWritable(digits);
        int w = out.writerIndex();
        long q = x;
        for (int i = w + digits - 1; i >= w; i--) {
            out.setByte(i, '0' + (int) Long.remainderUnsigned(q, 10));
            q = Long.divideUnsigned(q, 10);
        }
        out.writerIndex(w + digits);
    }

    /** The number of decimal digits of {@code x}, unsigned. */
    static int decimalLength(long x) {
        int digits = 1;
        for (long q = Long.divideUnsigned(x, 10); q != 0; q /= 10) digits++;
        return digits;
    }

    /** Writes {@code x} as a signed decimal. */
    static void signed(ByteBuf out, long x) {
        if (x < 0) {
            out.writeByte('-');
            unsigned(out, -x); // Long.MIN_VALUE negates to itself and prints right as unsigned
        } else {
            unsigned(out, x);
        }
    }

    /** Writes {@code x} as an unsigned 32-bit decimal (memcached's flags and lengths). */
    static void unsigned32(ByteBuf out, int x) {
        unsigned(out, Integer.toUnsignedLong(x));
    }
}
