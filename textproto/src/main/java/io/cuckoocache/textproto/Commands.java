package io.cuckoocache.textproto;

import io.cuckoocache.protocol.StatsSource;
import io.cuckoocache.protocol.Verdict;
import io.cuckoocache.store.Mode;

/**
 * memcached's process_command_ascii: a request line's first token picks the handler, after memcached's argument
 * count checks (a wrong count answers ERROR, never suppressed by noreply). The handlers, and the commands each serves:
 * {@link Retrieval} (get, gets, gat, gats, bget), {@link Storage} (set, add, replace, append, prepend, cas, delete,
 * incr, decr, touch), {@link Meta} (mg, ms, md, ma, mn, me), {@link Admin} (stats, flush_all, cache_memlimit,
 * verbosity, version, quit, shutdown, refresh_certs), {@link SlabAndLruCommands} (slabs, lru). To add a command: a branch here and a
 * method in the handler it belongs to.
 */
final class Commands {
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
    private static final byte[] FLUSH_ALL = Ascii.bytes("flush_all");
    private static final byte[] VERSION = Ascii.bytes("version");
    private static final byte[] QUIT = Ascii.bytes("quit");
    private static final byte[] VERBOSITY = Ascii.bytes("verbosity");
    private static final byte[] HTTP = Ascii.bytes("HTTP/");
    private static final byte[] SLABS = Ascii.bytes("slabs");
    private static final byte[] LRU = Ascii.bytes("lru");
    private static final byte[] REFRESH_CERTS = Ascii.bytes("refresh_certs");
    /**
     * memcached commands for its crawler, log watchers and extstore, none of which exist here: ERROR, without
     * the HTTP check unknown commands get. ("slabs" and "lru" are {@link SlabAndLruCommands}.)
     */
    private static final byte[][] UNSUPPORTED = {Ascii.bytes("lru_crawler"), Ascii.bytes("watch"),
            Ascii.bytes("extstore")};

    private final Exchange x;
    final Retrieval retrieval;
    final Storage storage;
    final Meta meta;
    private final Admin admin;

    Commands(Exchange exchange, StatsSource stats) {
        this.x = exchange;
        this.retrieval = new Retrieval(exchange);
        this.storage = new Storage(exchange);
        this.meta = new Meta(exchange);
        this.admin = new Admin(exchange, stats);
    }

    /** Handles the line whose tokens are in the exchange; {@code end} is where its array's line ends. */
    void execute(byte[] a, int end) {
        Tokens t = x.tokens;
        int nt = t.ntokens();
        if (nt < 2 || t.length(0) < 2) {
            x.out.writeBytes(Ascii.ERROR);
            return;
        }
        byte first = t.first(0);
        if (first == 'm' && t.length(0) == 2) {
            meta.execute(a[t.start(0) + 1]);
        } else if (first == 'g') {
            if (nt < 3) {
                x.out.writeBytes(Ascii.ERROR);
            } else if (t.is(0, GET)) {
                retrieval.get(end, false, false);
            } else if (t.is(0, GETS)) {
                retrieval.get(end, true, false);
            } else if (t.is(0, GAT)) {
                retrieval.get(end, false, true);
            } else if (t.is(0, GATS)) {
                retrieval.get(end, true, true);
            } else {
                x.out.writeBytes(Ascii.ERROR);
            }
        } else if (first == 's') {
            if (t.is(0, SET)) {
                if (argumentsOk(nt == 6 || nt == 7)) storage.update(Mode.SET);
            } else if (t.is(0, STATS)) {
                admin.stats();
            } else if (t.is(0, SHUTDOWN)) {
                admin.shutdown();
            } else if (t.is(0, SLABS)) {
                SlabAndLruCommands.slabs(t, x.out);
            } else {
                x.out.writeBytes(Ascii.ERROR);
            }
        } else if (first == 'a') {
            if (t.is(0, ADD)) {
                if (argumentsOk(nt == 6 || nt == 7)) storage.update(Mode.ADD);
            } else if (t.is(0, APPEND)) {
                if (argumentsOk(nt == 6 || nt == 7)) storage.update(Mode.APPEND);
            } else {
                x.out.writeBytes(Ascii.ERROR);
            }
        } else if (first == 'c') {
            if (t.is(0, CAS)) {
                if (argumentsOk(nt == 7 || nt == 8)) storage.update(Mode.CAS);
            } else if (t.is(0, CACHE_MEMLIMIT)) {
                if (argumentsOk(nt == 3 || nt == 4)) admin.cacheMemlimit();
            } else {
                x.out.writeBytes(Ascii.ERROR);
            }
        } else if (first == 'i') {
            if (t.is(0, INCR)) {
                if (argumentsOk(nt == 4 || nt == 5)) storage.arithmetic(true);
            } else {
                x.out.writeBytes(Ascii.ERROR);
            }
        } else if (first == 'd') {
            if (t.is(0, DELETE)) {
                if (argumentsOk(nt >= 3 && nt <= 5)) storage.delete();
            } else if (t.is(0, DECR)) {
                if (argumentsOk(nt == 4 || nt == 5)) storage.arithmetic(false);
            } else {
                x.out.writeBytes(Ascii.ERROR);
            }
        } else if (first == 't') {
            if (t.is(0, TOUCH)) {
                if (argumentsOk(nt == 4 || nt == 5)) storage.touch();
            } else {
                x.out.writeBytes(Ascii.ERROR);
            }
        } else if (t.is(0, REFRESH_CERTS)) {
            admin.refreshCerts();
        } else if (t.is(0, REPLACE)) {
            if (argumentsOk(nt == 6 || nt == 7)) storage.update(Mode.REPLACE);
        } else if (t.is(0, PREPEND)) {
            if (argumentsOk(nt == 6 || nt == 7)) storage.update(Mode.PREPEND);
        } else if (t.is(0, BGET)) {
            if (argumentsOk(nt >= 3)) retrieval.get(end, false, false);
        } else if (t.is(0, FLUSH_ALL)) {
            if (argumentsOk(nt >= 2 && nt <= 4)) admin.flushAll();
        } else if (t.is(0, VERSION)) {
            admin.version();
        } else if (t.is(0, QUIT)) {
            admin.quit();
        } else if (t.is(0, VERBOSITY)) {
            if (argumentsOk(nt == 3 || nt == 4)) admin.verbosity();
        } else if (t.is(0, LRU)) {
            SlabAndLruCommands.lru(t, x.out);
        } else if (unsupported()) {
            x.out.writeBytes(Ascii.ERROR);
        } else if (t.length(t.count() - 1) >= HTTP.length
                && Ascii.equals(a, t.start(t.count() - 1), HTTP.length, HTTP)) {
            x.close(Verdict.CLOSE); // memcached hangs up on what looks like an HTTP request
        } else {
            x.out.writeBytes(Ascii.ERROR);
        }
    }

    /** memcached's WANT_TOKENS checks: a wrong argument count answers ERROR (never suppressed by noreply). */
    private boolean argumentsOk(boolean ok) {
        if (!ok) x.out.writeBytes(Ascii.ERROR);
        return ok;
    }

    private boolean unsupported() {
        for (byte[] word : UNSUPPORTED) {
            if (x.tokens.is(0, word)) return true;
        }
        return false;
    }
}
