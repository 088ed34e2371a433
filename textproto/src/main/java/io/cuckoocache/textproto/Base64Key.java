package io.cuckoocache.textproto;

import io.netty.buffer.ByteBuf;

/**
 * Base64 for meta keys (the {@code b} flag), decoding exactly as memcached 1.6.18 does, which is not what
 * {@link java.util.Base64} does: bytes outside the alphabet are skipped, the remaining count must be a multiple of
 * four, and decoding stops after the first group holding '=' (one or two of them; three or more fail).
 */
final class Base64Key {
    private static final byte[] ALPHABET =
            Ascii.bytes("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
    private static final int SKIP = -1;
    private static final int[] DECODE = new int[256];

    static {
        java.util.Arrays.fill(DECODE, SKIP);
        for (int i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET[i]] = i;
        DECODE['='] = 0;
    }

    private Base64Key() {
    }

    /**
     * Decodes {@code src[off..off+len)} into {@code dst} (which must hold len * 3 / 4 bytes).
     *
     * @return the decoded length, or 0 if memcached would refuse the key
     */
    static int decode(byte[] src, int off, int len, byte[] dst) {
        int count = 0;
        for (int i = off; i < off + len; i++) {
            if (DECODE[src[i] & 0xFF] != SKIP) count++;
        }
        if (count == 0 || count % 4 != 0) return 0;
        int pos = 0;
        int pad = 0;
        int n = 0;
        int block = 0;
        for (int i = off; i < off + len; i++) {
            int v = DECODE[src[i] & 0xFF];
            if (v == SKIP) continue;
            if (src[i] == '=') pad++;
            block = block << 6 | v;
            if (++n < 4) continue;
            dst[pos++] = (byte) (block >> 16);
            dst[pos++] = (byte) (block >> 8);
            dst[pos++] = (byte) block;
            n = 0;
            block = 0;
            if (pad > 0) {
                if (pad > 2) return 0;
                pos -= pad;
                break;
            }
        }
        return pos;
    }

    /** Writes {@code src[off..off+len)} base64-encoded, with padding. */
    static void encode(byte[] src, int off, int len, ByteBuf out) {
        int end = off + len;
        int i = off;
        for (; end - i >= 3; i += 3) {
            int b = (src[i] & 0xFF) << 16 | (src[i + 1] & 0xFF) << 8 | (src[i + 2] & 0xFF);
            out.writeByte(ALPHABET[b >>> 18]).writeByte(ALPHABET[b >>> 12 & 63])
                    .writeByte(ALPHABET[b >>> 6 & 63]).writeByte(ALPHABET[b & 63]);
        }
        if (i < end) {
            int b = (src[i] & 0xFF) << 16 | (end - i == 2 ? (src[i + 1] & 0xFF) << 8 : 0);
            out.writeByte(ALPHABET[b >>> 18]).writeByte(ALPHABET[b >>> 12 & 63]);
            out.writeByte(end - i == 2 ? ALPHABET[b >>> 6 & 63] : '=').writeByte('=');
        }
    }
}
