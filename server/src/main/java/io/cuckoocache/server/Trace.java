package io.cuckoocache.server;

import io.netty.buffer.ByteBuf;

/**
 * -vv output: requests and replies as memcached's very verbose mode shows them, one line each. Text is printed line by
 * line (data blocks too, truncated); binary packets as their header fields. Only called when -vv is on.
 */
final class Trace {
    private static final int MAX_LINES = 32;
    private static final int MAX_LINE = 200;

    private Trace() {
    }

    static void print(Log log, String prefix, ByteBuf buf, int from, int len, boolean request) {
        int magic = buf.getUnsignedByte(from);
        if (magic == (request ? 0x80 : 0x81)) {
            binary(log, prefix, buf, from, len);
        } else {
            text(log, prefix, buf, from, len);
        }
    }

    private static void text(Log log, String prefix, ByteBuf buf, int from, int len) {
        int end = from + len;
        int lines = 0;
        int p = from;
        while (p < end) {
            if (++lines > MAX_LINES) {
                log.notice(prefix + "... (" + (end - p) + " more bytes)");
                return;
            }
            int nl = buf.indexOf(p, end, (byte) '\n');
            int stop = nl < 0 ? end : nl;
            int lineEnd = stop > p && buf.getByte(stop - 1) == '\r' ? stop - 1 : stop;
            StringBuilder sb = new StringBuilder(prefix);
            for (int i = p; i < lineEnd && i - p < MAX_LINE; i++) {
                int c = buf.getUnsignedByte(i);
                if (c >= 0x20 && c < 0x7f) {
                    sb.append((char) c);
                } else {
                    sb.append(String.format("\\x%02x", c));
                }
            }
            if (lineEnd - p > MAX_LINE) sb.append("...");
            log.notice(sb.toString());
            p = nl < 0 ? end : nl + 1;
        }
    }

    private static void binary(Log log, String prefix, ByteBuf buf, int from, int len) {
        int end = from + len;
        int p = from;
        int packets = 0;
        while (p + 24 <= end) {
            if (++packets > MAX_LINES) {
                log.notice(prefix + "... (" + (end - p) + " more bytes)");
                return;
            }
            int magic = buf.getUnsignedByte(p);
            int opcode = buf.getUnsignedByte(p + 1);
            int keylen = buf.getUnsignedShort(p + 2);
            int extlen = buf.getUnsignedByte(p + 4);
            int status = buf.getUnsignedShort(p + 6);
            long bodylen = buf.getUnsignedInt(p + 8);
            StringBuilder sb = new StringBuilder(prefix);
            sb.append(magic == 0x80 ? "Read binary protocol data:" : "Writing bin response:")
                    .append(String.format(" magic 0x%02x opcode 0x%02x", magic, opcode));
            if (magic == 0x81) sb.append(" status ").append(status);
            sb.append(" keylen ").append(keylen).append(" extlen ").append(extlen).append(" bodylen ").append(bodylen);
            if (keylen > 0 && p + 24 + extlen + keylen <= end && keylen <= MAX_LINE) {
                sb.append(" key ").append(buf.toString(p + 24 + extlen, keylen,
                        java.nio.charset.StandardCharsets.ISO_8859_1));
            }
            log.notice(sb.toString());
            if (magic != 0x80 && magic != 0x81) return;
            p += 24 + (int) Math.min(bodylen, Integer.MAX_VALUE - 24);
        }
        if (p < end) log.notice(prefix + "(" + (end - p) + " bytes of a packet body)");
    }
}
