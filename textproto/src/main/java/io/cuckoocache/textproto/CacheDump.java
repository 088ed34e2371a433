package io.cuckoocache.textproto;

import io.cuckoocache.protocol.ProtocolConfig;
import io.cuckoocache.store.ItemStore;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/** memcached 1.6.18's "stats cachedump CLASS LIMIT": its checks, in its order, with its replies. */
final class CacheDump {
    private static final byte[] NOT_ALLOWED = Ascii.line("CLIENT_ERROR stats cachedump not allowed");
    private static final byte[] BAD_LINE = Ascii.line("CLIENT_ERROR bad command line");
    private static final byte[] ILLEGAL_ID = Ascii.line("CLIENT_ERROR Illegal slab id");
    /** memcached's MAX_NUMBER_OF_SLAB_CLASSES: ids below it are legal, whether or not the class exists. */
    private static final int MAX_CLASSES = 64;

    private CacheDump() {
    }

    static void write(Tokens t, ItemStore store, ProtocolConfig config, ByteBuf out) {
        if (!config.dumpEnabled()) {
            out.writeBytes(NOT_ALLOWED);
        } else if (t.ntokens() < 5) {
            out.writeBytes(BAD_LINE);
        } else if (!t.u32(2, 0)) {
            out.writeBytes(Ascii.BAD_FORMAT);
        } else {
            long id = t.number;
            if (!t.u32(3, 0)) {
                out.writeBytes(Ascii.BAD_FORMAT);
            } else if (id >= MAX_CLASSES) {
                out.writeBytes(ILLEGAL_ID);
            } else {
                out.writeCharSequence(store.cachedump((int) id, t.number), StandardCharsets.ISO_8859_1);
                out.writeBytes(Ascii.END);
            }
        }
    }
}
