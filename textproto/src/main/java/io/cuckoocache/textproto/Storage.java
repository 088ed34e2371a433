package io.cuckoocache.textproto;

import io.cuckoocache.store.ItemStore;
import io.cuckoocache.store.Mode;
import io.cuckoocache.store.Status;
import io.netty.buffer.ByteBuf;

/**
 * The commands that change one key, each to one store call:
 * <pre>
 * set, add, replace, append, prepend &lt;key&gt; &lt;flags&gt; &lt;exptime&gt; &lt;bytes&gt; [noreply]
 *                                  ItemStore.store(mode, ...)   once the value has arrived
 * cas &lt;key&gt; &lt;flags&gt; &lt;exptime&gt; &lt;bytes&gt; &lt;unique&gt; [noreply]
 *                                  ItemStore.store(CAS, ...)
 * delete &lt;key&gt; [0] [noreply]       ItemStore.delete
 * incr, decr &lt;key&gt; &lt;delta&gt; [noreply]   ItemStore.incr, ItemStore.decr
 * touch &lt;key&gt; &lt;exptime&gt; [noreply]  ItemStore.touch
 * </pre>
 * A value too large for the item size limit is refused at once (ItemStore.rejectTooLarge) and swallowed as it
 * arrives.
 */
final class Storage {
    private static final byte[] ZERO = Ascii.bytes("0");

    private final Exchange x;

    Storage(Exchange exchange) {
        this.x = exchange;
    }

    /** set, add, replace, append, prepend, cas: the command line; the value follows ({@link Exchange#readValue}). */
    void update(Mode mode) {
        Tokens t = x.tokens;
        x.noreply = t.lastIsNoreply();
        int keyLength = t.length(1);
        if (keyLength > x.config.maxKeyLength()) {
            x.reply(Ascii.BAD_FORMAT);
            return;
        }
        if (!t.u32(2, 0)) {
            x.reply(Ascii.BAD_FORMAT);
            return;
        }
        int flags = (int) t.number;
        if (!t.i32(3, 0)) {
            x.reply(Ascii.BAD_FORMAT);
            return;
        }
        long exptime = t.number;
        if (!t.i32(4, 0)) {
            x.reply(Ascii.BAD_FORMAT);
            return;
        }
        long length = t.number;
        long cas = 0;
        if (mode == Mode.CAS) {
            if (!t.u64(5, 0)) {
                x.reply(Ascii.BAD_FORMAT);
                return;
            }
            cas = t.number;
        }
        if (length < 0 || length > Integer.MAX_VALUE - 2) {
            x.reply(Ascii.BAD_FORMAT);
            return;
        }
        byte[] a = t.line();
        int key = t.start(1);
        ItemStore store = x.store;
        if (!store.fits(keyLength, length, flags)) {
            x.reply(Ascii.TOO_LARGE);
            store.rejectTooLarge(mode, a, key, keyLength, x.outcome);
            x.swallow(length + 2);
            return;
        }
        Pending p = x.pending;
        p.begin(false, mode, a, key, keyLength, flags, (int) length, store);
        p.exptime = exptime;
        p.cas = cas;
        p.noreply = x.noreply;
        x.readValue();
    }

    /** The value has arrived: {@code terminated} if CRLF followed it. */
    void complete(boolean terminated) {
        Pending p = x.pending;
        x.noreply = p.noreply;
        if (!terminated) {
            x.reply(Ascii.BAD_CHUNK);
            return;
        }
        Status s = x.store.store(p.mode, p.item, p.cas, p.exptime, x.outcome);
        switch (s) {
            case STORED: x.reply(Ascii.STORED); break;
            case NOT_STORED: x.reply(Ascii.NOT_STORED); break;
            case EXISTS: x.reply(Ascii.EXISTS); break;
            case NOT_FOUND: x.reply(Ascii.NOT_FOUND); break;
            case TOO_LARGE: x.reply(Ascii.TOO_LARGE); break;
            default: x.reply(Ascii.NO_MEMORY_STORE); break;
        }
    }

    void delete() {
        Tokens t = x.tokens;
        int nt = t.ntokens();
        if (nt > 3) {
            // Only the legacy "delete <key> 0" and noreply may follow the key.
            boolean zero = t.is(2, ZERO);
            x.noreply = t.lastIsNoreply();
            if (!((nt == 4 && (zero || x.noreply)) || (nt == 5 && zero && x.noreply))) {
                x.reply(Ascii.DELETE_USAGE);
                return;
            }
        }
        if (t.length(1) > x.config.maxKeyLength()) {
            x.reply(Ascii.BAD_FORMAT);
            return;
        }
        Status s = x.store.delete(t.line(), t.start(1), t.length(1), x.outcome);
        x.reply(s == Status.DELETED ? Ascii.DELETED : Ascii.NOT_FOUND);
    }

    void arithmetic(boolean incr) {
        Tokens t = x.tokens;
        x.noreply = t.lastIsNoreply();
        if (t.length(1) > x.config.maxKeyLength()) {
            x.reply(Ascii.BAD_FORMAT);
            return;
        }
        if (!t.u64(2, 0)) {
            x.reply(Ascii.BAD_DELTA);
            return;
        }
        long delta = t.number;
        byte[] a = t.line();
        Status s = incr
                ? x.store.incr(a, t.start(1), t.length(1), delta, x.outcome)
                : x.store.decr(a, t.start(1), t.length(1), delta, x.outcome);
        switch (s) {
            case STORED:
                if (!x.noreply) {
                    ByteBuf out = x.out;
                    Ascii.unsigned(out, x.outcome.number());
                    out.writeBytes(Ascii.CRLF);
                }
                break;
            case NOT_FOUND: x.reply(Ascii.NOT_FOUND); break;
            case NON_NUMERIC: x.reply(Ascii.NON_NUMERIC); break;
            default: x.reply(Ascii.NO_MEMORY); break;
        }
    }

    void touch() {
        Tokens t = x.tokens;
        x.noreply = t.lastIsNoreply();
        if (t.length(1) > x.config.maxKeyLength()) {
            x.reply(Ascii.BAD_FORMAT);
            return;
        }
        if (!t.i32(2, 0)) {
            x.reply(Ascii.BAD_EXPTIME);
            return;
        }
        Status s = x.store.touch(t.line(), t.start(1), t.length(1), t.number, x.outcome);
        x.reply(s == Status.TOUCHED ? Ascii.TOUCHED : Ascii.NOT_FOUND);
    }
}
