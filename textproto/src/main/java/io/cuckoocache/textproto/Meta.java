package io.cuckoocache.textproto;

import io.cuckoocache.store.Item;
import io.cuckoocache.store.ItemStore;
import io.cuckoocache.store.MetaRequest;
import io.cuckoocache.store.Mode;
import io.cuckoocache.store.Outcome;
import io.cuckoocache.store.Status;
import io.netty.buffer.ByteBuf;

/**
 * The meta commands of memcached 1.6.18, each to one store call (the options set by name on a MetaRequest):
 * <pre>
 * mg &lt;key&gt; &lt;flags&gt;*            ItemStore.meta().get
 * ms &lt;key&gt; &lt;datalen&gt; &lt;flags&gt;*  ItemStore.meta().store   once the value has arrived
 * md &lt;key&gt; &lt;flags&gt;*            ItemStore.meta().delete
 * ma &lt;key&gt; &lt;flags&gt;*            ItemStore.meta().incr, ItemStore.meta().decr
 * me &lt;key&gt;                     ItemStore.meta().peek
 * mn                           no store call
 * </pre>
 * Flags are single letters, some with a value; return flags are written in the order requested, then Z, X and W.
 * Each command checks its arguments in memcached's order, so that a bad request gets memcached's error, and only
 * then calls the store.
 */
final class Meta {
    /** memcached's MFLAG_MAX_OPAQUE_LENGTH: the longest O token, its letter included. */
    static final int MAX_OPAQUE_LENGTH = 32;
    /** memcached's MFLAG_MAX_OPT_LENGTH, compared with its ntokens. */
    private static final int MAX_TOKENS = 20;

    private static final byte[] MN = Ascii.line("MN");
    private static final byte[] EN = Ascii.line("EN");
    private static final byte[] VA = Ascii.bytes("VA ");
    private static final byte[] ME = Ascii.bytes("ME ");
    private static final byte[] HD = Ascii.bytes("HD");
    private static final byte[] NS = Ascii.bytes("NS");
    private static final byte[] EX = Ascii.bytes("EX");
    private static final byte[] NF = Ascii.bytes("NF");
    private static final byte[] EN_CODE = Ascii.bytes("EN");
    private static final byte[] BINARY = Ascii.bytes(" b");
    private static final byte[] EXP = Ascii.bytes(" exp=");
    private static final byte[] LA = Ascii.bytes(" la=");
    private static final byte[] CAS = Ascii.bytes(" cas=");
    private static final byte[] FETCH_YES = Ascii.bytes(" fetch=yes cls=");
    private static final byte[] FETCH_NO = Ascii.bytes(" fetch=no cls=");
    private static final byte[] SIZE = Ascii.bytes(" size=");

    private static final byte[] DUPLICATE = Ascii.line("CLIENT_ERROR duplicate flag");
    private static final byte[] INVALID_FLAG = Ascii.line("CLIENT_ERROR invalid flag");
    private static final byte[] DECODE_KEY = Ascii.line("CLIENT_ERROR error decoding key");
    private static final byte[] BAD_TOKEN = Ascii.line("CLIENT_ERROR bad token in command line format");
    private static final byte[] M_LENGTH = Ascii.line("CLIENT_ERROR incorrect length for M token");
    private static final byte[] BAD_INITIAL = Ascii.line("CLIENT_ERROR invalid numeric initial value");
    private static final byte[] BAD_DELTA = Ascii.line("CLIENT_ERROR invalid numeric delta value");
    private static final byte[] OPAQUE_TOO_LONG = Ascii.line("CLIENT_ERROR opaque token too long");
    private static final byte[] MG_TOO_MANY_FLAGS = Ascii.line("CLIENT_ERROR options flags are too long");
    private static final byte[] TOO_MANY_FLAGS = Ascii.line("CLIENT_ERROR options flags too long");
    private static final byte[] INVALID_OR_DUPLICATE = Ascii.line("CLIENT_ERROR invalid or duplicate flag");
    private static final byte[] MS_MODE = Ascii.line("CLIENT_ERROR invalid mode for ms M token");
    private static final byte[] MA_MODE = Ascii.line("CLIENT_ERROR invalid mode for ma M token");

    private final Exchange x;
    /** A base64 key, decoded. */
    private final byte[] decoded = new byte[ItemStore.KEY_MAX_LENGTH];
    /** The options of the store call in progress; the call clears it. */
    private final MetaRequest request = new MetaRequest();

    // ---- the flags of the command in progress (memcached's struct _meta_flags)
    private byte[] error;
    private boolean noReply;
    private boolean value;
    private boolean noUpdate;
    private boolean binaryKey;
    private boolean invalidate;
    private boolean hasCas;
    private boolean hasTtl;
    private boolean hasVivify;
    private boolean hasRecache;
    private int mode;
    private long ttl;
    private long vivify;
    private long recache;
    private int clientFlags;
    private long cas;
    private long delta;
    private long initial;
    /** The key to look up: the request's bytes, or {@link #decoded}. */
    private byte[] key;
    private int keyOff;
    private int keyLength;

    Meta(Exchange exchange) {
        this.x = exchange;
    }

    /** Drops the reference to the last request's array (see {@link Tokens#clear()}). */
    void clear() {
        key = null;
    }

    /** Runs the meta command whose second letter is {@code command}. */
    void execute(byte command) {
        switch (command) {
            case 'g': get(); break;
            case 's': set(); break;
            case 'd': delete(); break;
            case 'a': arithmetic(); break;
            case 'e': debug(); break;
            case 'n': x.out.writeBytes(MN); break;
            default: x.out.writeBytes(Ascii.ERROR); break;
        }
    }

    // ---------------------------------------------------------------- mg

    private void get() {
        Tokens t = x.tokens;
        ByteBuf out = x.out;
        if (!checkLine(2, MG_TOO_MANY_FLAGS)) return;
        if (!parseFlags(2, Ascii.BAD_FORMAT) || !opaqueFits(2)) {
            out.writeBytes(error);
            return;
        }
        Outcome o = x.outcome;
        Status s = x.store.meta().get(key, keyOff, keyLength, request(), o);
        if (s != Status.FOUND) {
            if (noReply) return; // q hides a miss
            out.writeBytes(EN_CODE);
            echo(2);
            out.writeBytes(Ascii.CRLF);
            return;
        }
        byte[] it = o.item();
        int vlen = Item.valueLength(it);
        if (value) {
            out.writeBytes(VA);
            Ascii.unsigned32(out, vlen);
        } else {
            out.writeBytes(HD);
        }
        for (int i = 2; i < t.count(); i++) {
            switch (t.first(i)) {
                case 's': flag(out, 's'); Ascii.unsigned32(out, vlen); break;
                case 't': flag(out, 't'); ttl(out, o.ttl()); break;
                case 'c': flag(out, 'c'); Ascii.unsigned(out, Item.cas(it)); break;
                case 'f': flag(out, 'f'); Ascii.unsigned32(out, Item.flags(it)); break;
                case 'l': flag(out, 'l'); Ascii.unsigned(out, o.lastAccess()); break;
                case 'h': flag(out, 'h'); out.writeByte(o.hitBefore() ? '1' : '0'); break;
                case 'O': opaque(out, i); break;
                case 'k': key(out); break;
                default: break;
            }
        }
        if (o.alreadyWon()) flag(out, 'Z');
        if (o.stale()) flag(out, 'X');
        if (o.won()) flag(out, 'W');
        out.writeBytes(Ascii.CRLF);
        if (value) out.writeBytes(it, Item.valueOffset(it), vlen).writeBytes(Ascii.CRLF);
    }

    // ---------------------------------------------------------------- ms

    private void set() {
        Tokens t = x.tokens;
        ByteBuf out = x.out;
        if (t.ntokens() < 3) {
            out.writeBytes(Ascii.ERROR);
            return;
        }
        if (t.length(1) > x.config.maxKeyLength() || t.ntokens() == 3) {
            out.writeBytes(Ascii.BAD_FORMAT);
            return;
        }
        if (t.ntokens() > MAX_TOKENS) {
            out.writeBytes(TOO_MANY_FLAGS);
            return;
        }
        if (!t.i32(2, 0) || t.number < 0 || t.number > Integer.MAX_VALUE - 2) {
            out.writeBytes(Ascii.BAD_FORMAT);
            return;
        }
        // From here on the length is known: a refused request swallows its value, as in memcached.
        long length = t.number;
        if (!parseFlags(3, Ascii.BAD_FORMAT)) {
            refuse(error, length);
            return;
        }
        boolean opaqueFits = opaqueFits(3);
        Mode m;
        switch (mode) {
            case 0:
            case 'S': m = Mode.SET; break;
            case 'E': m = Mode.ADD; break;
            case 'A': m = Mode.APPEND; break;
            case 'P': m = Mode.PREPEND; break;
            case 'R': m = Mode.REPLACE; break;
            default:
                refuse(MS_MODE, length);
                return;
        }
        // memcached: a CAS turns set and replace into cas; add ignores it; append/prepend compare it if nonzero.
        if (hasCas && (m == Mode.SET || m == Mode.REPLACE)) m = Mode.CAS;
        if (!opaqueFits) {
            refuse(error, length);
            return;
        }
        if (!x.store.fits(keyLength, length, clientFlags)) {
            refuse(Ascii.TOO_LARGE, length);
            x.store.meta().rejectTooLarge(key, keyOff, keyLength, x.outcome);
            return;
        }
        Pending p = x.pending;
        p.begin(true, m, key, keyOff, keyLength, clientFlags, (int) length, x.store);
        p.exptime = hasTtl ? ttl : 0;
        p.cas = hasCas ? cas : 0;
        p.noreply = noReply;
        p.invalidate = invalidate && m == Mode.CAS;
        p.binaryKey = binaryKey;
        for (int i = 3; i < t.count(); i++) {
            byte f = t.first(i);
            if (f == 'k' || f == 'c') {
                p.returnFlags[p.returnFlagCount++] = f;
            } else if (f == 'O') {
                p.returnFlags[p.returnFlagCount++] = f;
                p.opaqueLength = t.length(i);
                System.arraycopy(t.line(), t.start(i), p.opaque, 0, p.opaqueLength);
            }
        }
        x.readValue();
    }

    /** The end of an ms value: store it and answer. */
    void completeSet(boolean terminated) {
        Pending p = x.pending;
        ByteBuf out = x.out;
        if (!terminated) {
            out.writeBytes(Ascii.BAD_CHUNK); // q does not hide errors
            return;
        }
        Outcome o = x.outcome;
        MetaRequest r = request.exptime(p.exptime).cas(p.cas).invalidate(p.invalidate);
        Status s = x.store.meta().store(p.mode, p.item, r, o);
        byte[] code;
        switch (s) {
            case STORED:
                if (p.noreply) return;
                code = HD;
                break;
            case NOT_STORED: code = NS; break;
            case EXISTS: code = EX; break;
            case NOT_FOUND: code = NF; break;
            case TOO_LARGE: out.writeBytes(Ascii.TOO_LARGE); return;
            default: out.writeBytes(Ascii.NO_MEMORY_STORE); return;
        }
        out.writeBytes(code);
        for (int i = 0; i < p.returnFlagCount; i++) {
            switch (p.returnFlags[i]) {
                case 'O': out.writeByte(' ').writeBytes(p.opaque, 0, p.opaqueLength); break;
                case 'k': key(out, p.key, 0, p.keyLength, p.binaryKey); break;
                default: // 'c': the new item's CAS; memcached reports 0 when nothing was stored
                    flag(out, 'c');
                    Ascii.unsigned(out, s == Status.STORED ? casOf(o) : 0);
                    break;
            }
        }
        out.writeBytes(Ascii.CRLF);
    }

    private void refuse(byte[] reply, long length) {
        x.out.writeBytes(reply);
        x.swallow(length + 2);
    }

    // ---------------------------------------------------------------- md

    private void delete() {
        ByteBuf out = x.out;
        if (!checkLine(2, TOO_MANY_FLAGS)) return;
        if (!parseFlags(2, Ascii.BAD_FORMAT)) {
            out.writeBytes(INVALID_OR_DUPLICATE);
            return;
        }
        if (!opaqueFits(2)) {
            out.writeBytes(error);
            return;
        }
        Status s = x.store.meta().delete(key, keyOff, keyLength, request(), x.outcome);
        switch (s) {
            case DELETED:
                if (noReply) return;
                out.writeBytes(HD);
                break;
            case EXISTS: out.writeBytes(EX); break;
            default: out.writeBytes(NF); break;
        }
        echo(2);
        out.writeBytes(Ascii.CRLF);
    }

    // ---------------------------------------------------------------- ma

    private void arithmetic() {
        Tokens t = x.tokens;
        ByteBuf out = x.out;
        if (!checkLine(2, TOO_MANY_FLAGS)) return;
        if (!parseFlags(2, Ascii.BAD_FORMAT)) {
            out.writeBytes(INVALID_OR_DUPLICATE);
            return;
        }
        boolean incr;
        switch (mode) {
            case 0:
            case 'I':
            case '+': incr = true; break;
            case 'D':
            case '-': incr = false; break;
            default:
                out.writeBytes(MA_MODE);
                return;
        }
        if (!opaqueFits(2)) {
            out.writeBytes(error);
            return;
        }
        Outcome o = x.outcome;
        Status s = incr
                ? x.store.meta().incr(key, keyOff, keyLength, request(), o)
                : x.store.meta().decr(key, keyOff, keyLength, request(), o);
        switch (s) {
            case STORED: break;
            case NON_NUMERIC: out.writeBytes(Ascii.NON_NUMERIC); return;
            case NOT_FOUND:
            case EXISTS:
                out.writeBytes(s == Status.EXISTS ? EX : NF);
                echo(2);
                out.writeBytes(Ascii.CRLF);
                return;
            default: out.writeBytes(Ascii.NO_MEMORY); return;
        }
        if (noReply && !o.created()) return; // memcached's q hides an update's reply, not a creation's
        long number = o.number();
        long itemCas = casOf(o);
        if (value) {
            out.writeBytes(VA);
            Ascii.unsigned(out, Ascii.decimalLength(number));
        } else {
            out.writeBytes(HD);
        }
        for (int i = 2; i < t.count(); i++) {
            switch (t.first(i)) {
                case 'c': flag(out, 'c'); Ascii.unsigned(out, itemCas); break;
                case 't': flag(out, 't'); ttl(out, o.ttl()); break;
                case 'O': opaque(out, i); break;
                case 'k': key(out); break;
                default: break;
            }
        }
        out.writeBytes(Ascii.CRLF);
        if (value) {
            Ascii.unsigned(out, number);
            out.writeBytes(Ascii.CRLF);
        }
    }

    // ---------------------------------------------------------------- me

    /** me: memcached's debug line for an item; size and cls are what memcached 1.6.18 would use for it. */
    private void debug() {
        Tokens t = x.tokens;
        ByteBuf out = x.out;
        if (t.ntokens() < 3 || t.length(1) > x.config.maxKeyLength()) {
            out.writeBytes(Ascii.BAD_FORMAT);
            return;
        }
        key = t.line();
        keyOff = t.start(1);
        keyLength = t.length(1);
        binaryKey = t.ntokens() >= 4 && t.length(2) == 1 && t.first(2) == 'b';
        if (binaryKey && !decodeKey()) {
            out.writeBytes(Ascii.BAD_FORMAT);
            return;
        }
        Outcome o = x.outcome;
        if (x.store.meta().peek(key, keyOff, keyLength, o) != Status.FOUND) {
            out.writeBytes(EN);
            return;
        }
        byte[] it = o.item();
        long size = x.store.meta().itemSize(it);
        out.writeBytes(ME);
        if (binaryKey) {
            Base64Key.encode(key, keyOff, keyLength, out);
        } else {
            out.writeBytes(key, keyOff, keyLength);
        }
        out.writeBytes(EXP);
        // memcached prints now - expiry: minus the time to live
        Ascii.signed(out, o.ttl() == -1 ? -1 : -Math.max(o.ttl(), 0));
        out.writeBytes(LA);
        Ascii.unsigned(out, o.lastAccess());
        out.writeBytes(CAS);
        Ascii.unsigned(out, Item.cas(it));
        out.writeBytes(o.hitBefore() ? FETCH_YES : FETCH_NO);
        Ascii.unsigned(out, x.store.slabClass(size));
        out.writeBytes(SIZE);
        Ascii.unsigned(out, size);
        out.writeBytes(Ascii.CRLF);
    }

    // ---------------------------------------------------------------- flags

    /** The checks mg, md and ma share: enough tokens, key length, flag count. */
    private boolean checkLine(int firstFlag, byte[] tooMany) {
        Tokens t = x.tokens;
        ByteBuf out = x.out;
        if (t.ntokens() < firstFlag + 1) {
            out.writeBytes(Ascii.ERROR);
            return false;
        }
        if (t.length(1) > x.config.maxKeyLength()) {
            out.writeBytes(Ascii.BAD_FORMAT);
            return false;
        }
        if (t.ntokens() > MAX_TOKENS) {
            out.writeBytes(tooMany);
            return false;
        }
        return true;
    }

    /**
     * memcached's _meta_flag_preparse over tokens {@code from..}: a repeated or unknown flag fails at once; a bad
     * value marks the failure and parsing goes on, so the last bad value names the error. False with
     * {@link #error} set.
     */
    private boolean parseFlags(int from, byte[] defaultError) {
        Tokens t = x.tokens;
        error = defaultError;
        noReply = value = noUpdate = binaryKey = invalidate = false;
        hasCas = hasTtl = hasVivify = hasRecache = false;
        mode = 0;
        clientFlags = 0;
        delta = 1;
        initial = 0;
        key = t.line();
        keyOff = t.start(1);
        keyLength = t.length(1);
        long seenLow = 0;
        long seenHigh = 0;
        boolean failed = false;
        for (int i = from; i < t.count(); i++) {
            int f = t.first(i) & 0xFF;
            long bit = 1L << (f & 63);
            if (f >= 127 || ((f < 64 ? seenLow : seenHigh) & bit) != 0) {
                error = DUPLICATE;
                return false;
            }
            if (f < 64) seenLow |= bit; else seenHigh |= bit;
            switch (f) {
                case 'b':
                    binaryKey = true;
                    if (!decodeKey()) {
                        error = DECODE_KEY;
                        failed = true;
                    }
                    break;
                case 'N':
                    hasVivify = true;
                    if (t.i32(i, 1)) vivify = t.number; else failed = bad(BAD_TOKEN);
                    break;
                case 'T':
                    hasTtl = true;
                    if (t.i32(i, 1)) ttl = t.number; else failed = bad(BAD_TOKEN);
                    break;
                case 'R':
                    hasRecache = true;
                    if (t.i32(i, 1)) recache = t.number; else failed = bad(BAD_TOKEN);
                    break;
                case 'F':
                    // memcached leaves the error message as it was for a bad F
                    if (t.u32(i, 1)) clientFlags = (int) t.number; else failed = true;
                    break;
                case 'C':
                    hasCas = true;
                    if (t.u64(i, 1)) cas = t.number; else failed = bad(BAD_TOKEN);
                    break;
                case 'M':
                    if (t.length(i) == 2) mode = t.line()[t.start(i) + 1] & 0xFF; else failed = bad(M_LENGTH);
                    break;
                case 'J':
                    if (t.u64(i, 1)) initial = t.number; else failed = bad(BAD_INITIAL);
                    break;
                case 'D':
                    if (t.u64(i, 1)) delta = t.number; else failed = bad(BAD_DELTA);
                    break;
                case 'v': value = true; break;
                case 'u': noUpdate = true; break;
                case 'q': noReply = true; break;
                case 'I': invalidate = true; break;
                case 'k': case 's': case 't': case 'c': case 'f': case 'l': case 'h':
                case 'O': case 'P': case 'L':
                    break;
                default:
                    error = INVALID_FLAG;
                    return false;
            }
        }
        return !failed;
    }

    private boolean bad(byte[] message) {
        error = message;
        return true;
    }

    /** memcached checks the opaque's length while writing the reply; checking first keeps a bad request harmless. */
    private boolean opaqueFits(int from) {
        Tokens t = x.tokens;
        for (int i = from; i < t.count(); i++) {
            if (t.first(i) == 'O' && t.length(i) > MAX_OPAQUE_LENGTH) {
                error = OPAQUE_TOO_LONG;
                return false;
            }
        }
        return true;
    }

    /** Decodes the request's key (token 1) into {@link #decoded}; false if memcached would refuse it. */
    private boolean decodeKey() {
        Tokens t = x.tokens;
        keyLength = Base64Key.decode(t.line(), t.start(1), t.length(1), decoded);
        key = decoded;
        keyOff = 0;
        return keyLength > 0;
    }

    /** The parsed flags as a store request; each store call reads those its command takes. */
    private MetaRequest request() {
        MetaRequest r = request.bump(!noUpdate).invalidate(invalidate).delta(delta).initial(initial);
        if (hasCas) r.cas(cas);
        if (hasTtl) r.exptime(ttl);
        if (hasVivify) r.vivify(vivify);
        if (hasRecache) r.recache(recache);
        return r;
    }

    // ---------------------------------------------------------------- reply pieces

    /**
     * The CAS of the item a call stored. A store whose exptime is already past reports STORED without an item (the
     * store drops it at once); memcached still gives that item a CAS, which we cannot know: 0.
     */
    private static long casOf(Outcome o) {
        byte[] it = o.item();
        return it == null ? 0 : Item.cas(it);
    }

    /** The O and k flags of a reply without an item (EN, NF, EX, md's HD). */
    private void echo(int from) {
        Tokens t = x.tokens;
        ByteBuf out = x.out;
        for (int i = from; i < t.count(); i++) {
            if (t.first(i) == 'O') opaque(out, i);
            else if (t.first(i) == 'k') key(out);
        }
    }

    private static void flag(ByteBuf out, char letter) {
        out.writeByte(' ').writeByte(letter);
    }

    private void opaque(ByteBuf out, int token) {
        Tokens t = x.tokens;
        out.writeByte(' ').writeBytes(t.line(), t.start(token), t.length(token));
    }

    private void key(ByteBuf out) {
        key(out, key, keyOff, keyLength, binaryKey);
    }

    /** The k flag: the key, or for a key that came in base64 its base64 and " b". */
    private static void key(ByteBuf out, byte[] k, int off, int len, boolean binary) {
        flag(out, 'k');
        if (binary) {
            Base64Key.encode(k, off, len, out);
            out.writeBytes(BINARY);
        } else {
            out.writeBytes(k, off, len);
        }
    }

    /** A TTL: -1 for none; an item already past its expiry has 0 left. */
    private static void ttl(ByteBuf out, long ttl) {
        Ascii.signed(out, ttl == -1 ? -1 : Math.max(ttl, 0));
    }
}
