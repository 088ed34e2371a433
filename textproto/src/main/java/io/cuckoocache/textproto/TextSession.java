package io.cuckoocache.textproto;

import io.cuckoocache.protocol.ProtocolConfig;
import io.cuckoocache.protocol.Session;
import io.cuckoocache.protocol.StatsSource;
import io.cuckoocache.protocol.StoreStats;
import io.cuckoocache.protocol.Verdict;
import io.cuckoocache.store.Item;
import io.cuckoocache.store.ItemStore;
import io.cuckoocache.store.Mode;
import io.cuckoocache.store.Outcome;
import io.cuckoocache.store.Status;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * One connection's memcached text and meta protocol: request bytes in, {@link ItemStore} calls, reply bytes out,
 * answering as memcached 1.6.18 does (see the module README for the few deliberate differences).
 * <p>
 * A small state machine over the input: request lines; the value of a storage command, read straight into the array
 * the store keeps; bytes to swallow after a refused value; and a multi-get line answered key by key (one too long to
 * hold, or one whose answer is too large for one call). Nothing is buffered without bound: a line waits unread in
 * {@code in} only up to {@link ProtocolConfig#lineLimit()} bytes, and a call returns once its replies pass
 * {@link ProtocolConfig#outputPerCall()} bytes. Not thread-safe: one session per connection, called from its event loop.
 */
public final class TextSession implements Session {
    private static final int LINE = 0;
    private static final int DATA = 1;
    private static final int SWALLOW = 2;
    /** The rest of a get/gets/gat/gats line, answered key by key as it arrives (a long line, or a large answer). */
    private static final int MULTIGET = 3;
    /** Discarding the rest of a line (a multi-get that failed or was cut by a NUL). */
    private static final int SKIP_LINE = 4;
    private static final int CLOSED = 5;
    /** The data block of an authentication token ({@code -Y}) is arriving. */
    private static final int AUTH_TOKEN = 6;

    /** memcached only keeps reading a line without newline if it starts with get/gets after at most this many spaces. */
    private static final int MAX_LEADING_SPACES = 100;
    /** A scratch array grown past this by a long line is dropped after it. */
    static final int SCRATCH_KEEP = 64 * 1024;

    private static final byte[] GET = Ascii.bytes("get");
    private static final byte[] GETS = Ascii.bytes("gets");
    private static final byte[] GAT = Ascii.bytes("gat");
    private static final byte[] GATS = Ascii.bytes("gats");
    private static final byte[] BGET = Ascii.bytes("bget");
    private static final byte[] SET = Ascii.bytes("set");
    private static final byte[] ADD = Ascii.bytes("add");
    private static final byte[] APPEND = Ascii.bytes("append");
    private static final byte[] REPLACE = Ascii.bytes("replace");
    private static final byte[] PREPEND = Ascii.bytes("prepend");
    private static final byte[] CAS = Ascii.bytes("cas");
    private static final byte[] CACHE_MEMLIMIT = Ascii.bytes("cache_memlimit");
    private static final byte[] INCR = Ascii.bytes("incr");
    private static final byte[] DECR = Ascii.bytes("decr");
    private static final byte[] DELETE = Ascii.bytes("delete");
    private static final byte[] TOUCH = Ascii.bytes("touch");
    private static final byte[] STATS = Ascii.bytes("stats");
    private static final byte[] SHUTDOWN = Ascii.bytes("shutdown");
    private static final byte[] GRACEFUL = Ascii.bytes("graceful");
    private static final byte[] FLUSH_ALL = Ascii.bytes("flush_all");
    private static final byte[] VERSION = Ascii.bytes("version");
    private static final byte[] QUIT = Ascii.bytes("quit");
    private static final byte[] VERBOSITY = Ascii.bytes("verbosity");
    private static final byte[] ZERO = Ascii.bytes("0");
    private static final byte[] HTTP = Ascii.bytes("HTTP/");
    private static final byte[] RESET = Ascii.bytes("reset");
    private static final byte[] DETAIL = Ascii.bytes("detail");
    private static final byte[] ON = Ascii.bytes("on");
    private static final byte[] OFF = Ascii.bytes("off");
    private static final byte[] DUMP = Ascii.bytes("dump");
    private static final byte[] CACHEDUMP = Ascii.bytes("cachedump");
    private static final byte[] SLABS = Ascii.bytes("slabs");
    private static final byte[] LRU = Ascii.bytes("lru");
    /**
     * memcached commands for its crawler, log watchers, extstore and TLS, none of which exist here: ERROR, without
     * the HTTP check unknown commands get. ("slabs" and "lru" are {@link AdminCommands}.)
     */
    private static final byte[][] UNSUPPORTED = {Ascii.bytes("lru_crawler"), Ascii.bytes("watch"),
            Ascii.bytes("extstore"), Ascii.bytes("refresh_certs")};

    private static final byte[] SHUTDOWN_DISABLED = Ascii.line("ERROR: shutdown not enabled");
    private static final byte[] FLUSH_DISABLED = Ascii.line("CLIENT_ERROR flush_all not allowed");
    private static final byte[] SHUTDOWN_MODE = Ascii.line("CLIENT_ERROR invalid shutdown mode");
    private static final byte[] MEMLIMIT_TOO_SMALL = Ascii.line("MEMLIMIT_TOO_SMALL cannot set maxbytes to less than 8m");
    private static final byte[] MEMLIMIT_MEGABYTES =
            Ascii.line("MEMLIMIT_ADJUST_FAILED input value is megabytes not bytes");
    private static final byte[] DETAIL_USAGE = Ascii.line("CLIENT_ERROR usage: stats detail on|off|dump");
    private static final byte[] STAT = Ascii.bytes("STAT ");
    private static final byte[] UNAUTHENTICATED = Ascii.line("CLIENT_ERROR unauthenticated");
    private static final byte[] AUTH_FAILURE = Ascii.line("CLIENT_ERROR authentication failure");
    private static final byte[] AUTH_FORMAT = Ascii.line("CLIENT_ERROR bad authentication token format");
    private static final byte[] AUTH_TERMINATION = Ascii.line("CLIENT_ERROR bad command line termination");
    private static final byte[] INPUT_TOO_LARGE = Ascii.line("SERVER_ERROR out of memory reading request");

    final ItemStore store;
    final ProtocolConfig config;
    private final byte[] versionLine;
    private final StatsSource stats;
    final Outcome outcome = new Outcome();
    final Tokens tokens = new Tokens();
    final Pending pending = new Pending();
    private final Meta meta;
    /** Request bytes copied out of a buffer without an accessible array (direct or composite). */
    private byte[] scratch = new byte[512];

    /** The reply buffer of the {@link #process} call in progress. */
    ByteBuf out;
    private int state = LINE;
    private Verdict closing = Verdict.CONTINUE;
    private long swallow;
    /** The text command in progress ends with "noreply": its replies, errors included, are not sent. */
    private boolean noreply;
    private boolean multigetCas;
    private boolean multigetTouch;
    private long multigetExptime;
    private boolean multigetAnyKey;
    /** Where {@link #process} stops adding requests' replies to {@code out}. */
    private int outputEnd;
    /** Input index of the line being executed, and the index of its first byte in the line's array. */
    private int lineStart;
    private int lineOffset;
    /** Input index the line's execution asks to go back to (the keys left for {@link #MULTIGET}), or -1. */
    private int resumeAt = -1;
    /** What to send when {@link #SKIP_LINE} reaches the newline, or null. */
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
        this.store = Objects.requireNonNull(store);
        this.config = Objects.requireNonNull(config);
        this.versionLine = Ascii.line("VERSION " + config.version());
        this.stats = Objects.requireNonNull(stats);
        this.meta = new Meta(this);
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
        this.out = out;
        outputEnd = (int) Math.min(Integer.MAX_VALUE, (long) out.writerIndex() + config.outputPerCall());
        try {
            while (true) {
                boolean progress;
                switch (state) {
                    case LINE: progress = readLine(in); break;
                    case DATA: progress = readData(in); break;
                    case SWALLOW: progress = skipValue(in); break;
                    case MULTIGET: progress = readMultigetKey(in); break;
                    case SKIP_LINE: progress = skipLine(in); break;
                    case AUTH_TOKEN: progress = readAuthToken(in); break;
                    default:
                        in.skipBytes(in.readableBytes());
                        return closing;
                }
                if (!progress || (out.writerIndex() >= outputEnd && state != CLOSED)) return Verdict.CONTINUE;
            }
        } finally {
            this.out = null;
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

    // ---------------------------------------------------------------- framing

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
        lineStart = r;
        lineOffset = off;
        int end = off + n;
        // memcached strips one CR before the LF (not when it is the whole line), then reads up to a NUL.
        if (n > 1 && a[end - 1] == '\r') end--;
        for (int i = off; i < end; i++) {
            if (a[i] == 0) {
                end = i;
                break;
            }
        }
        execute(a, off, end);
        if (resumeAt >= 0) {
            in.readerIndex(resumeAt);
            resumeAt = -1;
        }
        tokens.clear();
        meta.clear();
        if (scratch.length > SCRATCH_KEEP) scratch = new byte[512];
        return true;
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
            close(Verdict.CLOSE);
            return;
        }
        in.readerIndex(i + prefix);
        keyByKey(prefix == 5, false, 0, false);
    }

    /**
     * One key of a long multi-get, or false if the next key has not fully arrived. Holds at most one key's bytes,
     * where memcached holds the whole line.
     */
    private boolean readMultigetKey(ByteBuf in) {
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
            out.writeBytes(Ascii.BAD_FORMAT);
            afterSkip = null;
            state = SKIP_LINE;
            return true;
        }
        int len = e - r;
        if (b == '\n' && len > 0 && in.getByte(e - 1) == '\r') len--;
        in.readerIndex(e + 1);
        if (len > max) {
            out.writeBytes(Ascii.BAD_FORMAT);
            afterSkip = null;
            state = b == '\n' ? LINE : SKIP_LINE;
            return true;
        }
        if (len > 0) {
            multigetAnyKey = true;
            if (in.hasArray()) {
                fetch(in.array(), in.arrayOffset() + r, len, multigetCas, multigetTouch, multigetExptime);
            } else {
                byte[] a = scratch(len);
                in.getBytes(r, a, 0, len);
                fetch(a, 0, len, multigetCas, multigetTouch, multigetExptime);
            }
        }
        if (b == ' ') return true;
        // A get with no key at all is memcached's "too few tokens": ERROR. After a NUL the line is ignored.
        byte[] last = multigetAnyKey ? Ascii.END : Ascii.ERROR;
        if (b == '\n') {
            out.writeBytes(last);
            state = LINE;
        } else {
            afterSkip = last;
            state = SKIP_LINE;
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
        if (afterSkip != null) out.writeBytes(afterSkip);
        afterSkip = null;
        state = LINE;
        return true;
    }

    /** Reads value bytes into the pending item; then its CRLF, and completes the command. */
    private boolean readData(ByteBuf in) {
        Pending p = pending;
        int n = Math.min(in.readableBytes(), p.value.length - p.filled);
        in.readBytes(p.value, p.filled, n);
        p.filled += n;
        if (p.filled < p.value.length || in.readableBytes() < 2) return false;
        int r = in.readerIndex();
        // Like memcached, take exactly <bytes>+2 and check that the last two are CRLF; the rest is the next command.
        boolean terminated = in.getByte(r) == '\r' && in.getByte(r + 1) == '\n';
        in.skipBytes(2);
        state = LINE;
        if (p.meta) {
            meta.completeSet(terminated);
        } else {
            completeUpdate(terminated);
        }
        p.end();
        return true;
    }

    private boolean skipValue(ByteBuf in) {
        int n = (int) Math.min(swallow, in.readableBytes());
        in.skipBytes(n);
        swallow -= n;
        if (swallow > 0) return false;
        state = LINE;
        return true;
    }

    /** Discards the next {@code bytes} bytes of input as they arrive (a refused value and its CRLF). */
    void swallow(long bytes) {
        swallow = bytes;
        state = SWALLOW;
    }

    /** Reads the pending storage command's value next. */
    void readValue() {
        state = DATA;
    }

    private void close(Verdict action) {
        closing = action;
        state = CLOSED;
    }

    private byte[] scratch(int n) {
        if (scratch.length < n) scratch = new byte[Math.max(n, scratch.length * 2)];
        return scratch;
    }

    /** Bytes this session holds between calls: its scratch array and the value or token being received, if any. */
    int heldBytes() {
        return scratch.length + (pending.value == null ? 0 : pending.value.length)
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
        Tokens t = tokens;
        if (t.ntokens() < 6 || !t.is(0, SET) || !t.u32(4, 0)) {
            out.writeBytes(UNAUTHENTICATED);
            return;
        }
        long bytes = t.number + 2;
        if (bytes > config.lineLimit()) {
            out.writeBytes(AUTH_FAILURE);
            swallow(bytes);
            return;
        }
        authToken = new byte[(int) bytes];
        authTokenFilled = 0;
        state = AUTH_TOKEN;
    }

    /** Reads the token's data block; then checks "user password" and answers as memcached does. */
    private boolean readAuthToken(ByteBuf in) {
        int n = Math.min(in.readableBytes(), authToken.length - authTokenFilled);
        in.readBytes(authToken, authTokenFilled, n);
        authTokenFilled += n;
        if (authTokenFilled < authToken.length) return false;
        byte[] token = authToken;
        authToken = null;
        state = LINE;
        int end = token.length - 2;
        if (token[end] != '\r' || token[end + 1] != '\n') {
            out.writeBytes(AUTH_TERMINATION);
            return true;
        }
        Tokens t = tokens;
        t.split(token, 0, end);
        if (t.count() < 2) {
            out.writeBytes(AUTH_FORMAT);
        } else if (config.authenticator().test(t.string(0), t.string(1))) {
            authenticated = true;
            out.writeBytes(Ascii.STORED);
        } else {
            out.writeBytes(AUTH_FAILURE);
        }
        t.clear();
        return true;
    }


    // ---------------------------------------------------------------- dispatch (memcached's process_command_ascii)

    private void execute(byte[] a, int off, int end) {
        noreply = false;
        Tokens t = tokens;
        t.split(a, off, end);
        if (!authenticated) {
            authenticationLine();
            return;
        }
        int nt = t.ntokens();
        if (nt < 2 || t.length(0) < 2) {
            out.writeBytes(Ascii.ERROR);
            return;
        }
        byte first = t.first(0);
        if (first == 'm' && t.length(0) == 2) {
            meta.execute(a[t.start(0) + 1]);
        } else if (first == 'g') {
            if (nt < 3) {
                out.writeBytes(Ascii.ERROR);
            } else if (t.is(0, GET)) {
                get(end, false, false);
            } else if (t.is(0, GETS)) {
                get(end, true, false);
            } else if (t.is(0, GAT)) {
                get(end, false, true);
            } else if (t.is(0, GATS)) {
                get(end, true, true);
            } else {
                out.writeBytes(Ascii.ERROR);
            }
        } else if (first == 's') {
            if (t.is(0, SET)) {
                if (argumentsOk(nt == 6 || nt == 7)) update(Mode.SET);
            } else if (t.is(0, STATS)) {
                stats();
            } else if (t.is(0, SHUTDOWN)) {
                shutdown();
            } else if (t.is(0, SLABS)) {
                AdminCommands.slabs(t, out);
            } else {
                out.writeBytes(Ascii.ERROR);
            }
        } else if (first == 'a') {
            if (t.is(0, ADD)) {
                if (argumentsOk(nt == 6 || nt == 7)) update(Mode.ADD);
            } else if (t.is(0, APPEND)) {
                if (argumentsOk(nt == 6 || nt == 7)) update(Mode.APPEND);
            } else {
                out.writeBytes(Ascii.ERROR);
            }
        } else if (first == 'c') {
            if (t.is(0, CAS)) {
                if (argumentsOk(nt == 7 || nt == 8)) update(Mode.CAS);
            } else if (t.is(0, CACHE_MEMLIMIT)) {
                if (argumentsOk(nt == 3 || nt == 4)) cacheMemlimit();
            } else {
                out.writeBytes(Ascii.ERROR);
            }
        } else if (first == 'i') {
            if (t.is(0, INCR)) {
                if (argumentsOk(nt == 4 || nt == 5)) arithmetic(true);
            } else {
                out.writeBytes(Ascii.ERROR);
            }
        } else if (first == 'd') {
            if (t.is(0, DELETE)) {
                if (argumentsOk(nt >= 3 && nt <= 5)) delete();
            } else if (t.is(0, DECR)) {
                if (argumentsOk(nt == 4 || nt == 5)) arithmetic(false);
            } else {
                out.writeBytes(Ascii.ERROR);
            }
        } else if (first == 't') {
            if (t.is(0, TOUCH)) {
                if (argumentsOk(nt == 4 || nt == 5)) touch();
            } else {
                out.writeBytes(Ascii.ERROR);
            }
        } else if (t.is(0, REPLACE)) {
            if (argumentsOk(nt == 6 || nt == 7)) update(Mode.REPLACE);
        } else if (t.is(0, PREPEND)) {
            if (argumentsOk(nt == 6 || nt == 7)) update(Mode.PREPEND);
        } else if (t.is(0, BGET)) {
            if (argumentsOk(nt >= 3)) get(end, false, false);
        } else if (t.is(0, FLUSH_ALL)) {
            if (argumentsOk(nt >= 2 && nt <= 4)) flushAll();
        } else if (t.is(0, VERSION)) {
            out.writeBytes(versionLine);
        } else if (t.is(0, QUIT)) {
            close(Verdict.CLOSE);
        } else if (t.is(0, VERBOSITY)) {
            if (argumentsOk(nt == 3 || nt == 4)) verbosity();
        } else if (t.is(0, LRU)) {
            AdminCommands.lru(t, out);
        } else if (unsupported()) {
            out.writeBytes(Ascii.ERROR);
        } else if (t.length(t.count() - 1) >= HTTP.length
                && Ascii.equals(a, t.start(t.count() - 1), HTTP.length, HTTP)) {
            close(Verdict.CLOSE); // memcached hangs up on what looks like an HTTP request
        } else {
            out.writeBytes(Ascii.ERROR);
        }
    }

    /** memcached's WANT_TOKENS checks: a wrong argument count answers ERROR (never suppressed by noreply). */
    private boolean argumentsOk(boolean ok) {
        if (!ok) out.writeBytes(Ascii.ERROR);
        return ok;
    }

    private boolean unsupported() {
        for (byte[] word : UNSUPPORTED) {
            if (tokens.is(0, word)) return true;
        }
        return false;
    }

    /** A reply to a text command, unless it ended with noreply (memcached then drops errors too). */
    private void reply(byte[] line) {
        if (!noreply) out.writeBytes(line);
    }

    // ---------------------------------------------------------------- retrieval

    /**
     * get, gets, gat, gats and bget on a whole line; keys run to {@code end}, past memcached's 24-token batches. Once
     * the replies pass the call's output bound, the keys left are answered by {@link #MULTIGET} in later calls.
     */
    private void get(int end, boolean withCas, boolean touch) {
        Tokens t = tokens;
        long exptime = 0;
        int firstKey = 1;
        if (touch) {
            if (!t.i32(1, 0)) {
                out.writeBytes(Ascii.BAD_EXPTIME);
                return;
            }
            exptime = t.number;
            firstKey = 2;
        }
        byte[] a = t.line();
        int max = config.maxKeyLength();
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
                if (i < end && out.writerIndex() >= outputEnd) {
                    resumeAt = lineStart + (i - lineOffset);
                    keyByKey(withCas, touch, exptime, true);
                    return;
                }
            } else if (i - s > max) {
                out.writeBytes(Ascii.BAD_FORMAT);
                return;
            } else {
                lookUp(a, s, i - s, touch, exptime);
            }
        }
        out.writeBytes(Ascii.END);
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

    /** Answers the rest of a get line key by key ({@link #MULTIGET}) as it arrives. */
    private void keyByKey(boolean withCas, boolean touch, long exptime, boolean anyKeySoFar) {
        multigetCas = withCas;
        multigetTouch = touch;
        multigetExptime = exptime;
        multigetAnyKey = anyKeySoFar;
        state = MULTIGET;
    }

    /** Looks one key up without copying it (touching it for gat/gats). */
    private Item lookUp(byte[] a, int off, int len, boolean touch, long exptime) {
        if (touch) return store.touch(a, off, len, exptime, outcome) == Status.TOUCHED ? outcome.item() : null;
        return store.get(a, off, len);
    }

    /** Looks one key up and writes its VALUE block if it is there. */
    private void fetch(byte[] a, int off, int len, boolean withCas, boolean touch, long exptime) {
        Item it = lookUp(a, off, len, touch, exptime);
        if (it == null) return;
        byte[] v = it.value();
        out.ensureWritable(Ascii.VALUE.length + len + 48 + v.length);
        out.writeBytes(Ascii.VALUE).writeBytes(a, off, len).writeByte(' ');
        Ascii.unsigned32(out, it.flags());
        out.writeByte(' ');
        Ascii.unsigned32(out, v.length);
        if (withCas) {
            out.writeByte(' ');
            Ascii.unsigned(out, it.cas());
        }
        out.writeBytes(Ascii.CRLF).writeBytes(v).writeBytes(Ascii.CRLF);
    }

    // ---------------------------------------------------------------- storage

    /** set, add, replace, append, prepend, cas: the command line; the value follows in {@link #DATA}. */
    private void update(Mode mode) {
        Tokens t = tokens;
        noreply = t.lastIsNoreply();
        int keyLength = t.length(1);
        if (keyLength > config.maxKeyLength()) {
            reply(Ascii.BAD_FORMAT);
            return;
        }
        if (!t.u32(2, 0)) {
            reply(Ascii.BAD_FORMAT);
            return;
        }
        int flags = (int) t.number;
        if (!t.i32(3, 0)) {
            reply(Ascii.BAD_FORMAT);
            return;
        }
        long exptime = t.number;
        if (!t.i32(4, 0)) {
            reply(Ascii.BAD_FORMAT);
            return;
        }
        long length = t.number;
        long cas = 0;
        if (mode == Mode.CAS) {
            if (!t.u64(5, 0)) {
                reply(Ascii.BAD_FORMAT);
                return;
            }
            cas = t.number;
        }
        if (length < 0 || length > Integer.MAX_VALUE - 2) {
            reply(Ascii.BAD_FORMAT);
            return;
        }
        byte[] a = t.line();
        int key = t.start(1);
        if (!store.fits(keyLength, flags, (int) length)) {
            reply(Ascii.TOO_LARGE);
            store.rejectTooLarge(mode, false, a, key, keyLength, outcome);
            swallow(length + 2);
            return;
        }
        Pending p = pending;
        p.begin(false, mode, a, key, keyLength, (int) length);
        p.flags = flags;
        p.exptime = exptime;
        p.cas = cas;
        p.noreply = noreply;
        readValue();
    }

    private void completeUpdate(boolean terminated) {
        Pending p = pending;
        noreply = p.noreply;
        if (!terminated) {
            reply(Ascii.BAD_CHUNK);
            return;
        }
        Status s = store.store(p.mode, p.key, 0, p.keyLength, p.value, p.flags, p.exptime, p.cas, outcome);
        switch (s) {
            case STORED: reply(Ascii.STORED); break;
            case NOT_STORED: reply(Ascii.NOT_STORED); break;
            case EXISTS: reply(Ascii.EXISTS); break;
            case NOT_FOUND: reply(Ascii.NOT_FOUND); break;
            case TOO_LARGE: reply(Ascii.TOO_LARGE); break;
            default: reply(Ascii.NO_MEMORY_STORE); break;
        }
    }

    // ---------------------------------------------------------------- other commands

    private void delete() {
        Tokens t = tokens;
        int nt = t.ntokens();
        if (nt > 3) {
            // Only the legacy "delete <key> 0" and noreply may follow the key.
            boolean zero = t.is(2, ZERO);
            noreply = t.lastIsNoreply();
            if (!((nt == 4 && (zero || noreply)) || (nt == 5 && zero && noreply))) {
                reply(Ascii.DELETE_USAGE);
                return;
            }
        }
        if (t.length(1) > config.maxKeyLength()) {
            reply(Ascii.BAD_FORMAT);
            return;
        }
        Status s = store.delete(t.line(), t.start(1), t.length(1), 0, outcome);
        reply(s == Status.DELETED ? Ascii.DELETED : Ascii.NOT_FOUND);
    }

    private void arithmetic(boolean incr) {
        Tokens t = tokens;
        noreply = t.lastIsNoreply();
        if (t.length(1) > config.maxKeyLength()) {
            reply(Ascii.BAD_FORMAT);
            return;
        }
        if (!t.u64(2, 0)) {
            reply(Ascii.BAD_DELTA);
            return;
        }
        long delta = t.number;
        byte[] a = t.line();
        Status s = incr
                ? store.incr(a, t.start(1), t.length(1), delta, 0, 0, ItemStore.UNSET, ItemStore.UNSET, outcome)
                : store.decr(a, t.start(1), t.length(1), delta, 0, 0, ItemStore.UNSET, ItemStore.UNSET, outcome);
        switch (s) {
            case STORED:
                if (!noreply) {
                    Ascii.unsigned(out, outcome.number());
                    out.writeBytes(Ascii.CRLF);
                }
                break;
            case NOT_FOUND: reply(Ascii.NOT_FOUND); break;
            case NON_NUMERIC: reply(Ascii.NON_NUMERIC); break;
            default: reply(Ascii.NO_MEMORY); break;
        }
    }

    private void touch() {
        Tokens t = tokens;
        noreply = t.lastIsNoreply();
        if (t.length(1) > config.maxKeyLength()) {
            reply(Ascii.BAD_FORMAT);
            return;
        }
        if (!t.i32(2, 0)) {
            reply(Ascii.BAD_EXPTIME);
            return;
        }
        Status s = store.touch(t.line(), t.start(1), t.length(1), t.number, outcome);
        reply(s == Status.TOUCHED ? Ascii.TOUCHED : Ascii.NOT_FOUND);
    }

    private void flushAll() {
        Tokens t = tokens;
        noreply = t.lastIsNoreply();
        if (!config.flushEnabled()) {
            reply(FLUSH_DISABLED);
            return;
        }
        long delay = 0;
        if (t.ntokens() != (noreply ? 3 : 2)) {
            if (!t.i32(1, 0)) {
                reply(Ascii.BAD_EXPTIME);
                return;
            }
            delay = t.number;
        }
        store.flushAll(delay);
        reply(Ascii.OK);
    }

    private void verbosity() {
        Tokens t = tokens;
        noreply = t.lastIsNoreply();
        if (!t.u32(1, 0)) {
            reply(Ascii.BAD_FORMAT);
            return;
        }
        config.verbosityListener().accept((int) Math.min(t.number, 2));
        reply(Ascii.OK);
    }

    private void cacheMemlimit() {
        Tokens t = tokens;
        noreply = t.lastIsNoreply();
        if (!t.u32(1, 0)) {
            reply(Ascii.ERROR);
        } else if (t.number < 8) {
            reply(MEMLIMIT_TOO_SMALL);
        } else if (t.number > 1_000_000_000) {
            reply(MEMLIMIT_MEGABYTES);
        } else {
            store.memoryLimit(t.number << 20);
            reply(Ascii.OK);
        }
    }

    private void shutdown() {
        Tokens t = tokens;
        if (!config.shutdownEnabled()) {
            out.writeBytes(SHUTDOWN_DISABLED);
        } else if (t.ntokens() == 2 || (t.ntokens() == 3 && t.is(1, GRACEFUL))) {
            close(Verdict.SHUTDOWN);
        } else {
            out.writeBytes(SHUTDOWN_MODE);
        }
    }

    // ---------------------------------------------------------------- stats

    private void stats() {
        Tokens t = tokens;
        String sub = "";
        if (t.ntokens() > 2) {
            if (t.is(1, RESET)) {
                stats.reset();
                out.writeBytes(Ascii.RESET);
                return;
            }
            if (t.is(1, DETAIL)) {
                // The source counts: on and off answer OK, dump writes memcached's text (END included).
                Map<String, String> d = t.ntokens() < 4 ? null
                        : t.is(2, ON) ? stats.section("detail on")
                        : t.is(2, OFF) ? stats.section("detail off")
                        : t.is(2, DUMP) ? stats.section("detail dump") : null;
                if (d == null) {
                    out.writeBytes(DETAIL_USAGE);
                } else if (d.isEmpty()) {
                    out.writeBytes(Ascii.OK);
                } else {
                    out.writeCharSequence(d.get(StoreStats.DETAILED), StandardCharsets.ISO_8859_1);
                }
                return;
            }
            if (t.is(1, CACHEDUMP)) {
                CacheDump.write(t, store, config, out);
                return;
            }
            sub = new String(t.line(), t.start(1), t.length(1), StandardCharsets.ISO_8859_1);
        }
        Map<String, String> m = stats.section(sub);
        if (m == null) {
            out.writeBytes(Ascii.ERROR);
            return;
        }
        for (Map.Entry<String, String> e : m.entrySet()) {
            out.writeBytes(STAT);
            out.writeCharSequence(e.getKey(), StandardCharsets.ISO_8859_1);
            out.writeByte(' ');
            out.writeCharSequence(e.getValue(), StandardCharsets.ISO_8859_1);
            out.writeBytes(Ascii.CRLF);
        }
        out.writeBytes(Ascii.END);
    }
}
