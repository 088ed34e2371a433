package io.cuckoocache.binproto;

import io.cuckoocache.protocol.ProtocolConfig;
import io.cuckoocache.protocol.Session;
import io.cuckoocache.protocol.StatsSource;
import io.cuckoocache.protocol.Verdict;
import io.cuckoocache.store.Item;
import io.cuckoocache.store.ItemStore;
import io.cuckoocache.store.MetaRequest;
import io.cuckoocache.store.Mode;
import io.cuckoocache.store.Outcome;
import io.cuckoocache.store.Status;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * One connection's memcached binary protocol, as memcached 1.6.18 speaks it: request packets in, store calls, response
 * packets out. Not thread-safe; one per connection, fed its bytes in order. The commands ({@link Command}: opcode,
 * quiet opcode) and the store call each maps to:
 * <pre>
 * get, getq, getk, getkq                  ItemStore.get
 * touch, gat, gatq, gatk, gatkq           ItemStore.touch
 * set, add, replace (q), append, prepend (q)   ItemStore.store   (a CAS in the header: Mode.CAS for set)
 * delete (q)                              ItemStore.delete
 * increment, decrement (q)                ItemStore.meta().incr, .decr   (delta, initial, expiry: a MetaRequest)
 * flush (q)                               ItemStore.flushAll
 * stat                                    StatsSource.section / reset
 * noop, version, quit (q), SASL list/auth/step   no store call
 * </pre>
 *
 * <h2>Reading</h2>
 * A request is decided from its 24-byte header alone (magic, length and shape checks, authentication, whether a value
 * fits the item size limit), before any of its body is held. The extras and key are then read whole (at most
 * 20 + 250 bytes once the header passed). A value the command needs is copied as it arrives into the item the store
 * will keep ({@link ItemStore#prepare}), so the caller's buffer never has to hold it; any other body bytes (an unknown
 * command's, a refused value) are skipped as they arrive. So the session keeps at most one value within the item size
 * limit, and the caller at most one header plus extras and key.
 *
 * <h2>Answers</h2>
 * Replies are appended to the output in request order, so the replies of quiet commands before a noop are already
 * ahead of the noop's. Everything about items (CAS, expiry, incr/decr, flush, sizes) is the store's; this class only
 * maps bytes to its calls and its {@link Status} to binary status codes.
 */
public final class BinarySession implements Session {
    private static final int HEADER_LENGTH = 24;
    private static final int REQUEST_MAGIC = 0x80;
    private static final int RESPONSE_MAGIC = 0x81;
    /** memcached's MAX_SASL_MECH_LEN. */
    private static final int SASL_MECHANISM_MAX = 32;

    // Response statuses.
    private static final int SUCCESS = 0x00;
    private static final int KEY_ENOENT = 0x01;
    private static final int KEY_EEXISTS = 0x02;
    private static final int E2BIG = 0x03;
    private static final int EINVAL = 0x04;
    private static final int NOT_STORED = 0x05;
    private static final int DELTA_BADVAL = 0x06;
    private static final int AUTH_ERROR = 0x20;
    private static final int AUTH_CONTINUE = 0x21;
    private static final int UNKNOWN_COMMAND = 0x81;
    private static final int ENOMEM = 0x82;

    // Bodies, as memcached writes them.
    private static final byte[] EMPTY = new byte[0];
    private static final byte[] AUTHENTICATED = ascii("Authenticated");
    private static final byte[] NOT_FOUND_TEXT = ascii("Not found");
    private static final byte[] EXISTS_TEXT = ascii("Data exists for key.");
    private static final byte[] TOO_LARGE_TEXT = ascii("Too large.");
    private static final byte[] INVALID_TEXT = ascii("Invalid arguments");
    private static final byte[] NOT_STORED_TEXT = ascii("Not stored.");
    private static final byte[] NON_NUMERIC_TEXT = ascii("Non-numeric server-side value for incr or decr");
    private static final byte[] AUTH_TEXT = ascii("Auth failure.");
    private static final byte[] UNKNOWN_TEXT = ascii("Unknown command");
    private static final byte[] OOM_TEXT = ascii("Out of memory");
    private static final byte[] OOM_ITEM_TEXT = ascii("Out of memory allocating item");
    private static final byte[] OOM_INCR_TEXT = ascii("Out of memory incrementing value");

    /** {@link #request}'s verdicts. */
    private static final int MORE = 0;
    private static final int NEXT = 1;
    private static final int STOP = 2;

    private final ItemStore store;
    private final ProtocolConfig config;
    private final byte[] version;
    private final StatsSource stats;
    /** SASL state; {@code null} when authentication is off. */
    private final PlainSasl sasl;
    private final Outcome outcome = new Outcome();
    /** incr/decr's options; the call clears it. */
    private final MetaRequest request = new MetaRequest();

    // The request in progress. Extras and key are validated before they are read, so these arrays suffice.
    private int opcode;
    private Command command;
    private boolean quiet;
    private int extlen;
    private int keylen;
    private int opaque;
    private long cas;
    private final byte[] extras = new byte[20];
    private final byte[] key = new byte[ItemStore.KEY_MAX_LENGTH];
    /** Where the value being read goes, or {@code null}: a prepared item (stores) or an array (SASL), to its end. */
    private byte[] value;
    private int valueRead;
    /** Body bytes still to discard. */
    private long skip;
    private boolean closed;

    /**
     * One per connection. The binary stat asks {@code stats} for the sections memcached 1.6.18's does: "",
     * "settings" (matched by prefix), "items", "slabs", "sizes", "sizes_enable", "sizes_disable" and "detail ..."
     * (whole); never "conns", which memcached serves in text only. "reset" (by prefix) resets it.
     *
     * @param store  the items
     * @param config the settings shared by the server's sessions
     * @param stats  what the stat opcode answers (a section it does not have: "Not found") and resets
     */
    public BinarySession(ItemStore store, ProtocolConfig config, StatsSource stats) {
        this.store = Objects.requireNonNull(store);
        this.config = Objects.requireNonNull(config);
        this.version = config.version().getBytes(StandardCharsets.US_ASCII);
        this.stats = Objects.requireNonNull(stats);
        this.sasl = config.authenticator() == null ? null : new PlainSasl(config.authenticator());
    }

    /**
     * Consumes the complete requests in {@code in} (leaving a partial one unread), appends replies to {@code out},
     * and returns early, with requests left in {@code in}, once the replies pass the bound set by
     * {@link ProtocolConfig#outputPerCall()}. Of a partial request whose value or skipped body is arriving, the
     * bytes so far are consumed (the session keeps its place), so call this with every byte the connection receives,
     * in order, and again once {@code out} is written. After {@link Verdict#CLOSE}, flush {@code out} and close;
     * further calls read nothing.
     */
    @Override
    public Verdict process(ByteBuf in, ByteBuf out) {
        if (closed) return Verdict.CLOSE;
        long outputEnd = (long) out.writerIndex() + config.outputPerCall();
        // Each pass consumes a skipped or value chunk, or a whole header, or returns.
        while (out.writerIndex() < outputEnd) {
            if (skip > 0) {
                int n = (int) Math.min(skip, in.readableBytes());
                in.skipBytes(n);
                skip -= n;
                if (skip > 0) return Verdict.CONTINUE;
            }
            if (value != null) {
                int n = Math.min(value.length - valueRead, in.readableBytes());
                in.readBytes(value, valueRead, n);
                valueRead += n;
                if (valueRead < value.length) return Verdict.CONTINUE;
                byte[] v = value;
                value = null;
                executeWithValue(v, out);
                continue;
            }
            if (in.readableBytes() < HEADER_LENGTH) return Verdict.CONTINUE;
            int verdict = request(in, out);
            if (verdict == MORE) return Verdict.CONTINUE;
            if (verdict == STOP) {
                closed = true;
                return Verdict.CLOSE;
            }
        }
        return Verdict.CONTINUE;
    }

    /** memcached has no answer for a request it cannot buffer: the connection just closes. */
    @Override
    public void inputTooLarge(ByteBuf out) {
    }

    @Override
    public String name() {
        return "binary";
    }

    /** Bytes this session holds between calls: the value being received, if any. */
    int heldBytes() {
        return value == null ? 0 : value.length;
    }

    /** Reads and decides the request whose header is at the reader index. */
    private int request(ByteBuf in, ByteBuf out) {
        int r = in.readerIndex();
        // memcached closes on a bad magic without answering: there is no opcode or opaque it could trust.
        if (in.getUnsignedByte(r) != REQUEST_MAGIC) return STOP;
        opcode = in.getUnsignedByte(r + 1);
        keylen = in.getUnsignedShort(r + 2);
        extlen = in.getUnsignedByte(r + 4);
        long bodylen = in.getUnsignedInt(r + 8);
        opaque = in.getInt(r + 12);
        cas = in.getLong(r + 16);
        command = Command.of(opcode);
        quiet = Command.quiet(opcode);

        // memcached 1.6.18's checks, in its order; each failure answers and closes.
        if (keylen + extlen > bodylen) return answer(out, UNKNOWN_COMMAND, STOP);
        if (sasl != null && !sasl.allows(command)) return answer(out, AUTH_ERROR, STOP);
        if (keylen > ItemStore.KEY_MAX_LENGTH) return answer(out, EINVAL, STOP);
        if (command != null && !command.accepts(extlen, keylen, bodylen)) return answer(out, EINVAL, STOP);
        if (command == null || (sasl == null && isSasl(command))) {
            // memcached 1.6.18 swallows bodylen bytes counted after the extras and key, so it eats the start of
            // the next request; we skip exactly this request's body.
            in.skipBytes(HEADER_LENGTH);
            skip = bodylen;
            return answer(out, UNKNOWN_COMMAND, NEXT);
        }
        if (in.readableBytes() < HEADER_LENGTH + extlen + keylen) return MORE;

        in.skipBytes(HEADER_LENGTH);
        in.readBytes(extras, 0, extlen);
        in.readBytes(key, 0, keylen);
        long rest = bodylen - extlen - keylen;
        if (!command.takesValue()) {
            // Only stat, touch and gat(k) may have bytes here; memcached would parse them as the next request.
            skip = rest;
            return execute(out) ? NEXT : STOP;
        }
        if (isSasl(command) && keylen > SASL_MECHANISM_MAX) {
            skip = rest;
            return answer(out, EINVAL, NEXT);
        }
        // Only set, add and replace carry flags (8 bytes of extras); memcached sizes the others with flags 0.
        if (rest > Integer.MAX_VALUE || !store.fits(keylen, rest, extlen == 8 ? extrasInt(0) : 0)) {
            skip = rest;
            refuseTooLarge(out);
            return NEXT;
        }
        if (isSasl(command)) {
            value = new byte[(int) rest];
            valueRead = 0;
        } else {
            // Read straight into the item the store will keep (append and prepend carry no flags).
            value = store.prepare(key, 0, keylen, extlen == 8 ? extrasInt(0) : 0, (int) rest);
            valueRead = Item.valueOffset(value);
        }
        return NEXT;
    }

    private static boolean isSasl(Command c) {
        return c == Command.SASL_LIST_MECHS || c == Command.SASL_AUTH || c == Command.SASL_STEP;
    }

    /** A value over the item size limit, answered before it arrives: memcached's item allocation failing. */
    private void refuseTooLarge(ByteBuf out) {
        if (isSasl(command)) {
            error(out, ENOMEM);
            return;
        }
        store.rejectTooLarge(storeMode(), key, 0, keylen, outcome);
        error(out, E2BIG);
    }

    /** Runs a command that takes no value; false when the connection closes after the reply. */
    private boolean execute(ByteBuf out) {
        switch (command) {
            case GET:
            case GETK:
                itemReply(out, store.get(key, 0, keylen));
                return true;
            case TOUCH:
            case GAT:
            case GATK: {
                Status s = store.touch(key, 0, keylen, Integer.toUnsignedLong(extrasInt(0)), outcome);
                itemReply(out, s == Status.TOUCHED ? outcome.item() : null);
                return true;
            }
            case DELETE:
                storeReply(out, store.delete(key, 0, keylen, cas, outcome), 0);
                return true;
            case INCREMENT:
            case DECREMENT:
                arithmetic(out);
                return true;
            case FLUSH:
                if (!config.flushEnabled()) {
                    error(out, AUTH_ERROR);
                    return true;
                }
                store.flushAll(extlen == 4 ? Integer.toUnsignedLong(extrasInt(0)) : 0);
                if (!quiet) reply(out, EMPTY);
                return true;
            case NOOP:
                reply(out, EMPTY);
                return true;
            case VERSION:
                reply(out, version);
                return true;
            case QUIT:
                if (!quiet) reply(out, EMPTY);
                return false;
            case STAT:
                stat(out);
                return true;
            case SASL_LIST_MECHS:
                reply(out, sasl.listMechanisms());
                return true;
            default:
                throw new AssertionError(command);
        }
    }

    /**
     * The store mode of the current storage command. A CAS in the header makes set, add or replace a cas command,
     * as in memcached; with CAS off (-C) memcached drops the header's CAS first, so they stay plain stores.
     */
    private Mode storeMode() {
        switch (command) {
            case APPEND: return Mode.APPEND;
            case PREPEND: return Mode.PREPEND;
            default:
                if (cas != 0 && store.casEnabled()) return Mode.CAS;
                return command == Command.SET ? Mode.SET : command == Command.ADD ? Mode.ADD : Mode.REPLACE;
        }
    }

    /** Runs a command whose value has arrived. */
    private void executeWithValue(byte[] v, ByteBuf out) {
        switch (command) {
            case SET:
            case ADD:
            case REPLACE: {
                Status s = store.store(storeMode(), v, cas, Integer.toUnsignedLong(extrasInt(4)), outcome);
                storeReply(out, s, casOf(outcome.item()));
                return;
            }
            case APPEND:
            case PREPEND: {
                Status s = store.store(storeMode(), v, cas, 0, outcome);
                storeReply(out, s, casOf(outcome.item()));
                return;
            }
            case SASL_AUTH:
                saslReply(out, sasl.auth(key, keylen, v));
                return;
            case SASL_STEP:
                saslReply(out, sasl.step(v));
                return;
            default:
                throw new AssertionError(command);
        }
    }

    /** A get, getk, touch, gat or gatk answer: flags, then the key (getk, gatk), then the value (not touch). */
    private void itemReply(ByteBuf out, byte[] it) {
        boolean withKey = command == Command.GETK || command == Command.GATK;
        if (it == null) {
            if (quiet) return;
            if (withKey) {
                header(out, KEY_ENOENT, 0, keylen, keylen, 0);
                out.writeBytes(key, 0, keylen);
            } else {
                error(out, KEY_ENOENT);
            }
            return;
        }
        int k = withKey ? keylen : 0;
        int vlen = command == Command.TOUCH ? 0 : Item.valueLength(it);
        header(out, SUCCESS, 4, k, 4 + k + vlen, Item.cas(it));
        out.writeInt(Item.flags(it));
        out.writeBytes(key, 0, k);
        out.writeBytes(it, Item.valueOffset(it), vlen);
    }

    /** Answers a storage command or delete: success carries the new item's CAS (0 for delete). */
    private void storeReply(ByteBuf out, Status s, long newCas) {
        switch (s) {
            case STORED:
            case DELETED:
                if (!quiet) header(out, SUCCESS, 0, 0, 0, newCas);
                return;
            case EXISTS:
                error(out, KEY_EEXISTS);
                return;
            case NOT_FOUND:
                error(out, KEY_ENOENT);
                return;
            case NOT_STORED:
                // memcached reports a failed add as "exists" and a failed replace as "not found".
                error(out, command == Command.ADD ? KEY_EEXISTS
                        : command == Command.REPLACE ? KEY_ENOENT : NOT_STORED);
                return;
            case TOO_LARGE:
                error(out, E2BIG);
                return;
            case OUT_OF_MEMORY:
                error(out, ENOMEM, OOM_ITEM_TEXT);
                return;
            default:
                throw new AssertionError(s);
        }
    }

    /** incr/decr: create with the initial value on a miss unless the expiration is 0xFFFFFFFF. */
    private void arithmetic(ByteBuf out) {
        MetaRequest r = request.delta(extrasLong(0)).initial(extrasLong(8)).cas(cas);
        long expiration = Integer.toUnsignedLong(extrasInt(16));
        if (expiration != 0xFFFF_FFFFL) r.vivify(expiration);
        Status s = command == Command.INCREMENT
                ? store.meta().incr(key, 0, keylen, r, outcome)
                : store.meta().decr(key, 0, keylen, r, outcome);
        switch (s) {
            case STORED:
                if (!quiet) {
                    header(out, SUCCESS, 0, 0, 8, casOf(outcome.item()));
                    out.writeLong(outcome.number());
                }
                return;
            case NOT_FOUND:
                error(out, KEY_ENOENT);
                return;
            case EXISTS:
                error(out, KEY_EEXISTS);
                return;
            case NON_NUMERIC:
                error(out, DELTA_BADVAL);
                return;
            case OUT_OF_MEMORY:
                error(out, ENOMEM, OOM_INCR_TEXT);
                return;
            default:
                throw new AssertionError(s);
        }
    }

    /** One packet per stat (key = name, value = value), then an empty one; unknown sub-commands: "Not found". */
    private void stat(ByteBuf out) {
        String sub = statSubcommand();
        Map<String, String> pairs;
        if ("reset".equals(sub)) {
            stats.reset();
            pairs = Map.of();
        } else {
            pairs = sub == null ? null : stats.section(sub);
        }
        if (pairs == null) {
            error(out, KEY_ENOENT);
            return;
        }
        for (Map.Entry<String, String> e : pairs.entrySet()) {
            byte[] name = ascii(e.getKey());
            byte[] val = ascii(e.getValue());
            header(out, SUCCESS, 0, name.length, name.length + val.length, 0);
            out.writeBytes(name);
            out.writeBytes(val);
        }
        header(out, SUCCESS, 0, 0, 0, 0);
    }

    /**
     * The sub-command as memcached 1.6.18's binary stat matches it: "reset" and "settings" by prefix, "detail ..."
     * passed whole, a few names exactly; anything else (also "conns", which only its text protocol has) is unknown.
     */
    private String statSubcommand() {
        String s = new String(key, 0, keylen, StandardCharsets.ISO_8859_1);
        if (s.startsWith("reset")) return "reset";
        if (s.startsWith("settings")) return "settings";
        if (s.isEmpty() || s.startsWith("detail")) return s;
        switch (s) {
            case "items":
            case "slabs":
            case "sizes":
            case "sizes_enable":
            case "sizes_disable":
                return s;
            default:
                return null;
        }
    }

    private void saslReply(ByteBuf out, PlainSasl.Result r) {
        switch (r) {
            case OK:
                reply(out, AUTHENTICATED);
                return;
            case CONTINUE:
                header(out, AUTH_CONTINUE, 0, 0, 0, 0);
                return;
            default:
                error(out, AUTH_ERROR);
        }
    }

    // ---------------------------------------------------------------- encoding

    private void header(ByteBuf out, int status, int extLength, int keyLength, int bodyLength, long casValue) {
        out.writeByte(RESPONSE_MAGIC);
        out.writeByte(opcode);
        out.writeShort(keyLength);
        out.writeByte(extLength);
        out.writeByte(0); // datatype: raw bytes
        out.writeShort(status);
        out.writeInt(bodyLength);
        out.writeInt(opaque);
        out.writeLong(casValue);
    }

    private void reply(ByteBuf out, byte[] body) {
        header(out, SUCCESS, 0, 0, body.length, 0);
        out.writeBytes(body);
    }

    /** An error with memcached's text for {@code status}, then {@code verdict} for {@link #request} to return. */
    private int answer(ByteBuf out, int status, int verdict) {
        error(out, status);
        return verdict;
    }

    /** An error with memcached's text for {@code status}. */
    private void error(ByteBuf out, int status) {
        error(out, status, message(status));
    }

    private void error(ByteBuf out, int status, byte[] text) {
        header(out, status, 0, 0, text.length, 0);
        out.writeBytes(text);
    }

    /** memcached's write_bin_error texts. */
    private static byte[] message(int status) {
        switch (status) {
            case KEY_ENOENT: return NOT_FOUND_TEXT;
            case KEY_EEXISTS: return EXISTS_TEXT;
            case E2BIG: return TOO_LARGE_TEXT;
            case EINVAL: return INVALID_TEXT;
            case NOT_STORED: return NOT_STORED_TEXT;
            case DELTA_BADVAL: return NON_NUMERIC_TEXT;
            case AUTH_ERROR: return AUTH_TEXT;
            case UNKNOWN_COMMAND: return UNKNOWN_TEXT;
            case ENOMEM: return OOM_TEXT;
            default: throw new AssertionError(status);
        }
    }

    private int extrasInt(int off) {
        return (extras[off] & 0xFF) << 24 | (extras[off + 1] & 0xFF) << 16 | (extras[off + 2] & 0xFF) << 8
                | (extras[off + 3] & 0xFF);
    }

    private long extrasLong(int off) {
        return (long) extrasInt(off) << 32 | Integer.toUnsignedLong(extrasInt(off + 4));
    }

    /** The CAS a success answer carries; a store that keeps no item (stored already expired) has none to give. */
    private static long casOf(byte[] it) {
        return it == null ? 0 : Item.cas(it);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
