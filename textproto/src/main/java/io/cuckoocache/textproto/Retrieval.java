package io.cuckoocache.textproto;

import io.cuckoocache.store.Item;
import io.cuckoocache.store.ItemStore;
import io.cuckoocache.store.Status;
import io.netty.buffer.ByteBuf;

/**
 * The retrieval commands, each key to one store call:
 * <pre>
 * get, bget &lt;key&gt;*          ItemStore.get
 * gets &lt;key&gt;*               ItemStore.get            (with the CAS unique)
 * gat, gats &lt;exptime&gt; &lt;key&gt;*  ItemStore.touch     (gats with the CAS unique)
 * </pre>
 * Keys are looked up where they lie in the request line, without a copy, and values are written straight into the
 * reply. A line whose replies pass the call's output bound is finished key by key in later calls
 * ({@link Exchange#keyByKey}).
 */
final class Retrieval {
    private final Exchange x;

    Retrieval(Exchange exchange) {
        this.x = exchange;
    }

    /** A whole get/gets/gat/gats/bget line; keys run to {@code end}, past memcached's 24-token batches. */
    void get(int end, boolean withCas, boolean touch) {
        Tokens t = x.tokens;
        long exptime = 0;
        int firstKey = 1;
        if (touch) {
            if (!t.i32(1, 0)) {
                x.out.writeBytes(Ascii.BAD_EXPTIME);
                return;
            }
            exptime = t.number;
            firstKey = 2;
        }
        byte[] a = t.line();
        int max = x.config.maxKeyLength();
        int i = firstKey < t.count() ? t.start(firstKey) : end;
        // memcached sends nothing of a line with a too long key but the error; the keys before it are still looked
        // up (counted, touched).
        boolean refused = longestKey(a, i, end) > max;
        while (i < end) {
            if (a[i] == ' ') {
                i++;
                continue;
            }
            int s = i;
            while (i < end && a[i] != ' ') i++;
            if (!refused) {
                fetch(a, s, i - s, withCas, touch, exptime);
                while (i < end && a[i] == ' ') i++;
                if (i < end && x.outputFull()) {
                    x.keyByKey(i, withCas, touch, exptime);
                    return;
                }
            } else if (i - s > max) {
                x.out.writeBytes(Ascii.BAD_FORMAT);
                return;
            } else {
                lookUp(a, s, i - s, touch, exptime);
            }
        }
        x.out.writeBytes(Ascii.END);
    }

    private static int longestKey(byte[] a, int from, int end) {
        int longest = 0;
        int run = 0;
        for (int i = from; i < end; i++) {
            run = a[i] == ' ' ? 0 : run + 1;
            longest = Math.max(longest, run);
        }
        return longest;
    }

    /** Looks one key up without copying it (touching it for gat/gats). */
    private byte[] lookUp(byte[] a, int off, int len, boolean touch, long exptime) {
        ItemStore store = x.store;
        if (touch) return store.touch(a, off, len, exptime, x.outcome) == Status.TOUCHED ? x.outcome.item() : null;
        return store.get(a, off, len);
    }

    /** Looks one key up and writes its VALUE block if it is there. */
    void fetch(byte[] a, int off, int len, boolean withCas, boolean touch, long exptime) {
        byte[] it = lookUp(a, off, len, touch, exptime);
        if (it == null) return;
        int vlen = Item.valueLength(it);
        ByteBuf out = x.out;
        out.ensureWritable(Ascii.VALUE.length + len + 48 + vlen);
        out.writeBytes(Ascii.VALUE).writeBytes(a, off, len).writeByte(' ');
        Ascii.unsigned32(out, Item.flags(it));
        out.writeByte(' ');
        Ascii.unsigned32(out, vlen);
        if (withCas) {
            out.writeByte(' ');
            Ascii.unsigned(out, Item.cas(it));
        }
        out.writeBytes(Ascii.CRLF).writeBytes(it, Item.valueOffset(it), vlen).writeBytes(Ascii.CRLF);
    }
}
