package io.cuckoocache.textproto;

import io.cuckoocache.protocol.ProtocolConfig;
import io.cuckoocache.protocol.Session;
import io.cuckoocache.protocol.StatsSource;
import io.cuckoocache.protocol.Verdict;
import io.cuckoocache.store.ItemStore;
import io.netty.buffer.ByteBuf;

import java.util.Objects;

/**
 * One connection's memcached text and meta protocol: request bytes in, {@link ItemStore} calls, reply bytes out,
 * answering as memcached 1.6.18 does (see the module README for the few deliberate differences).
 * <p>
 * This class is the framing: a state machine ({@link State}) over the input that finds request lines, reads values,
 * swallows refused ones, and feeds a get line too long to hold (or whose answer is too large for one call) key by key.
 * What a line means is the command handlers' ({@link Commands} dispatches to them); they get one {@link Exchange} and
 * tell the framing through it what comes after the line. Nothing is buffered without bound: a line waits unread in
 * {@code in} only up to {@link ProtocolConfig#lineLimit()} bytes, and a call returns once its replies pass
 * {@link ProtocolConfig#outputPerCall()} bytes. Not thread-safe: one session per connection, called from its event
 * loop.
 */
public final class TextSession implements Session {
    /** Where the framing is in the input. */
    private enum State {
        /** Waiting for a request line (at most the line limit is held unread). */
        LINE,
        /** Reading a storage command's value into the array the store will keep, then its CRLF. */
        DATA,
        /** Discarding a refused value (and its CRLF) as it arrives. */
        SWALLOW,
        /** Answering the rest of a get/gets/gat/gats line key by key as it arrives (a long line, a large answer). */
        KEY_BY_KEY,
        /** Discarding the rest of a line (a multi-get that failed or was cut by a NUL), then {@link #afterSkip}. */
        SKIP_LINE,
        /** Reading the data block of an authentication token (memcached -Y). */
        AUTH_TOKEN,
        /** The connection is closing: input is ignored. */
        CLOSED
    }

    /** memcached only keeps reading a line without newline if it starts with get/gets after at most this many spaces. */
    private static final int MAX_LEADING_SPACES = 100;
    /** A scratch array grown past this by a long line is dropped after it. */
    static final int SCRATCH_KEEP = 64 * 1024;

    private static final byte[] SET = Ascii.bytes("set");
    private static final byte[] UNAUTHENTICATED = Ascii.line("CLIENT_ERROR unauthenticated");
    private static final byte[] AUTH_FAILURE = Ascii.line("CLIENT_ERROR authentication failure");
    private static final byte[] AUTH_FORMAT = Ascii.line("CLIENT_ERROR bad authentication token format");
    private static final byte[] AUTH_TERMINATION = Ascii.line("CLIENT_ERROR bad command line termination");
    private static final byte[] INPUT_TOO_LARGE = Ascii.line("SERVER_ERROR out of memory reading request");

    private final ProtocolConfig config;
    private final Exchange x;
    private final Commands commands;
    /** Request bytes copied out of a buffer without an accessible array (direct or composite). */
    private byte[] scratch = new byte[512];

    private State state = State.LINE;
    private long swallow;
    /** A key of the get line answered key by key has been seen (else the line ends in ERROR, as memcached's). */
    private boolean keyByKeyAnyKey;
    /** What to send when {@link State#SKIP_LINE} reaches the newline, or null. */
    private byte[] afterSkip;
    /** False until an authentication token is accepted, when the config asks for one (memcached -Y). */
    private boolean authenticated;
    /** The authentication token's data block and its CRLF, as it arrives. */
    private byte[] authToken;
    private int authTokenFilled;

    /**
     * One per connection.
     *
     * @param store  the items
     * @param config the settings shared by the server's sessions
     * @param stats  what {@code stats} answers (a section it does not have answers ERROR) and resets
     */
    public TextSession(ItemStore store, ProtocolConfig config, StatsSource stats) {
        this.config = Objects.requireNonNull(config);
        this.x = new Exchange(Objects.requireNonNull(store), config);
        this.commands = new Commands(x, Objects.requireNonNull(stats));
        this.authenticated = config.authenticator() == null;
    }

    /**
     * Consumes the complete requests in {@code in}, appending the replies to {@code out}, until the input holds no
     * complete request or the replies pass {@link ProtocolConfig#outputPerCall()} bytes (then the rest is left in
     * {@code in}, a multi-get's remaining keys included). A request line still arriving is left unread in {@code in}
     * (at most {@link ProtocolConfig#lineLimit()} bytes of it); value bytes are consumed as they arrive. Call again when
     * {@code out} has been written, or when more bytes have arrived.
     *
     * @return what the connection should do once {@code out} is written
     */
    @Override
    public Verdict process(ByteBuf in, ByteBuf out) {
        x.out = out;
        x.outputEnd = (int) Math.min(Integer.MAX_VALUE, (long) out.writerIndex() + config.outputPerCall());
        try {
            while (true) {
                boolean progress;
                switch (state) {
                    case LINE: progress = readLine(in); break;
                    case DATA: progress = readData(in); break;
                    case SWALLOW: progress = skipValue(in); break;
                    case KEY_BY_KEY: progress = readKey(in); break;
                    case SKIP_LINE: progress = skipLine(in); break;
                    case AUTH_TOKEN: progress = readAuthToken(in); break;
                    default:
                        in.skipBytes(in.readableBytes());
                        return x.verdict;
                }
                if (!progress || (x.outputFull() && state != State.CLOSED)) return Verdict.CONTINUE;
            }
        } finally {
            x.out = null;
        }
    }

    /** memcached's answer when it cannot buffer a request; the connection closes after it. */
    @Override
    public void inputTooLarge(ByteBuf out) {
        out.writeBytes(INPUT_TOO_LARGE);
    }

    @Override
    public String name() {
        return "text";
    }

    // ---------------------------------------------------------------- lines

    private boolean readLine(ByteBuf in) {
        int r = in.readerIndex();
        int w = in.writerIndex();
        int lf = in.indexOf(r, w, (byte) '\n');
        if (lf < 0) {
            if (w - r <= config.lineLimit()) return false; // wait for the rest of the line
            overlongLine(in);
            return true;
        }
        int n = lf - r;
        byte[] a;
        int off;
        if (in.hasArray()) {
            a = in.array();
            off = in.arrayOffset() + r;
        } else {
            a = scratch(n);
            in.getBytes(r, a, 0, n);
            off = 0;
        }
        in.readerIndex(lf + 1);
        int end = off + n;
        // memcached strips one CR before the LF (not when it is the whole line), then reads up to a NUL.
        if (n > 1 && a[end - 1] == '\r') end--;
        for (int i = off; i < end; i++) {
            if (a[i] == 0) {
                end = i;
                break;
            }
        }
        x.noreply = false;
        x.next = Exchange.Next.LINE;
        x.tokens.split(a, off, end);
        if (authenticated) {
            commands.execute(a, end);
        } else {
            authenticationLine();
        }
        after(in, r - off);
        x.tokens.clear();
        commands.meta.clear();
        if (scratch.length > SCRATCH_KEEP) scratch = new byte[512];
        return true;
    }

    /** Does what the command asked for next; {@code shift} maps the line's array indices to input indices. */
    private void after(ByteBuf in, int shift) {
        switch (x.next) {
            case VALUE:
                state = State.DATA;
                break;
            case SWALLOW:
                swallow = x.swallow;
                state = State.SWALLOW;
                break;
            case KEY_BY_KEY:
                in.readerIndex(x.resumeAt + shift);
                keyByKeyAnyKey = true;
                state = State.KEY_BY_KEY;
                break;
            case CLOSE:
                state = State.CLOSED;
                break;
            default:
                break;
        }
    }

    /** A line past the limit without its newline: memcached only goes on reading a get/gets (a long multi-get). */
    private void overlongLine(ByteBuf in) {
        int r = in.readerIndex();
        int w = in.writerIndex();
        int i = r;
        while (i < w && in.getByte(i) == ' ') i++;
        int prefix = 0;
        if (i - r <= MAX_LEADING_SPACES && i + 5 <= w && in.getByte(i) == 'g' && in.getByte(i + 1) == 'e'
                && in.getByte(i + 2) == 't') {
            if (in.getByte(i + 3) == ' ') prefix = 4;
            else if (in.getByte(i + 3) == 's' && in.getByte(i + 4) == ' ') prefix = 5;
        }
        if (prefix == 0 || !authenticated) {
            x.close(Verdict.CLOSE);
            state = State.CLOSED;
            return;
        }
        in.readerIndex(i + prefix);
        x.keyByKeyCas = prefix == 5;
        x.keyByKeyTouch = false;
        x.keyByKeyExptime = 0;
        keyByKeyAnyKey = false;
        state = State.KEY_BY_KEY;
    }

    /**
     * One key of a get line answered key by key, or false if the next key has not fully arrived. Holds at most one
     * key's bytes, where memcached holds the whole line.
     */
    private boolean readKey(ByteBuf in) {
        int max = config.maxKeyLength();
        int r = in.readerIndex();
        int w = in.writerIndex();
        while (r < w && in.getByte(r) == ' ') r++;
        in.readerIndex(r);
        int stop = Math.min(w, r + max + 2);
        int e = r;
        byte b = 0;
        while (e < stop && (b = in.getByte(e)) != ' ' && b != '\n' && b != 0) e++;
        if (e == stop) {
            if (e - r < max + 2) return false;
            x.out.writeBytes(Ascii.BAD_FORMAT);
            afterSkip = null;
            state = State.SKIP_LINE;
            return true;
        }
        int len = e - r;
        if (b == '\n' && len > 0 && in.getByte(e - 1) == '\r') len--;
        in.readerIndex(e + 1);
        if (len > max) {
            x.out.writeBytes(Ascii.BAD_FORMAT);
            afterSkip = null;
            state = b == '\n' ? State.LINE : State.SKIP_LINE;
            return true;
        }
        if (len > 0) {
            keyByKeyAnyKey = true;
            if (in.hasArray()) {
                commands.retrieval.fetch(in.array(), in.arrayOffset() + r, len, x.keyByKeyCas, x.keyByKeyTouch,
                        x.keyByKeyExptime);
            } else {
                byte[] a = scratch(len);
                in.getBytes(r, a, 0, len);
                commands.retrieval.fetch(a, 0, len, x.keyByKeyCas, x.keyByKeyTouch, x.keyByKeyExptime);
            }
        }
        if (b == ' ') return true;
        // A get with no key at all is memcached's "too few tokens": ERROR. After a NUL the line is ignored.
        byte[] last = keyByKeyAnyKey ? Ascii.END : Ascii.ERROR;
        if (b == '\n') {
            x.out.writeBytes(last);
            state = State.LINE;
        } else {
            afterSkip = last;
            state = State.SKIP_LINE;
        }
        return true;
    }

    private boolean skipLine(ByteBuf in) {
        int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
        if (lf < 0) {
            in.skipBytes(in.readableBytes());
            return false;
        }
        in.readerIndex(lf + 1);
        if (afterSkip != null) x.out.writeBytes(afterSkip);
        afterSkip = null;
        state = State.LINE;
        return true;
    }

    // ---------------------------------------------------------------- values

    /** Reads value bytes into the pending item; then its CRLF, and completes the command. */
    private boolean readData(ByteBuf in) {
        Pending p = x.pending;
        int n = Math.min(in.readableBytes(), p.item.length - p.filled);
        in.readBytes(p.item, p.filled, n);
        p.filled += n;
        if (p.filled < p.item.length || in.readableBytes() < 2) return false;
        int r = in.readerIndex();
        // Like memcached, take exactly <bytes>+2 and check that the last two are CRLF; the rest is the next command.
        boolean terminated = in.getByte(r) == '\r' && in.getByte(r + 1) == '\n';
        in.skipBytes(2);
        state = State.LINE;
        if (p.meta) {
            commands.meta.completeSet(terminated);
        } else {
            commands.storage.complete(terminated);
        }
        p.end();
        return true;
    }

    private boolean skipValue(ByteBuf in) {
        int n = (int) Math.min(swallow, in.readableBytes());
        in.skipBytes(n);
        swallow -= n;
        if (swallow > 0) return false;
        state = State.LINE;
        return true;
    }

    private byte[] scratch(int n) {
        if (scratch.length < n) scratch = new byte[Math.max(n, scratch.length * 2)];
        return scratch;
    }

    /** Bytes this session holds between calls: its scratch array and the value or token being received, if any. */
    int heldBytes() {
        return scratch.length + (x.pending.item == null ? 0 : x.pending.item.length)
                + (authToken == null ? 0 : authToken.length);
    }

    // ---------------------------------------------------------------- authentication (memcached -Y)

    /**
     * A line before authentication: only {@code set <key> <flags> <exptime> <bytes> ...} is taken, as memcached
     * 1.6.18 takes it (key, flags, exptime and noreply ignored; bytes read by safe_strtoul); its data block is the
     * token. A token longer than the line limit is refused at once and swallowed as it arrives, where memcached
     * would wait for it with a read buffer that can never hold it.
     */
    private void authenticationLine() {
        Tokens t = x.tokens;
        if (t.ntokens() < 6 || !t.is(0, SET) || !t.u32(4, 0)) {
            x.out.writeBytes(UNAUTHENTICATED);
            return;
        }
        long bytes = t.number + 2;
        if (bytes > config.lineLimit()) {
            x.out.writeBytes(AUTH_FAILURE);
            x.swallow(bytes);
            return;
        }
        authToken = new byte[(int) bytes];
        authTokenFilled = 0;
        state = State.AUTH_TOKEN;
    }

    /** Reads the token's data block; then checks "user password" and answers as memcached does. */
    private boolean readAuthToken(ByteBuf in) {
        int n = Math.min(in.readableBytes(), authToken.length - authTokenFilled);
        in.readBytes(authToken, authTokenFilled, n);
        authTokenFilled += n;
        if (authTokenFilled < authToken.length) return false;
        byte[] token = authToken;
        authToken = null;
        state = State.LINE;
        int end = token.length - 2;
        if (token[end] != '\r' || token[end + 1] != '\n') {
            x.out.writeBytes(AUTH_TERMINATION);
            return true;
        }
        Tokens t = x.tokens;
        t.split(token, 0, end);
        if (t.count() < 2) {
            x.out.writeBytes(AUTH_FORMAT);
        } else if (config.authenticator().test(t.string(0), t.string(1))) {
            authenticated = true;
            x.out.writeBytes(Ascii.STORED);
        } else {
            x.out.writeBytes(AUTH_FAILURE);
        }
        t.clear();
        return true;
    }
}
