package io.cuckoocache.textproto;

import io.cuckoocache.protocol.StatsSource;
import io.cuckoocache.protocol.StoreStats;
import io.cuckoocache.protocol.Verdict;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The commands about the server rather than a key:
 * <pre>
 * stats [section]                  StatsSource.section   (reset: StatsSource.reset)
 * stats detail on|off|dump         StatsSource.section("detail ...")
 * stats cachedump &lt;class&gt; &lt;limit&gt; ItemStore.cachedump (checks: {@link CacheDump})
 * flush_all [delay] [noreply]      ItemStore.flushAll
 * cache_memlimit &lt;megabytes&gt;       ItemStore.memoryLimit
 * verbosity &lt;level&gt; [noreply]     ProtocolConfig.verbosityListener
 * version, quit, shutdown [graceful]   no store call
 * refresh_certs [noreply]          ProtocolConfig.certRefresher
 * </pre>
 */
final class Admin {
    private static final byte[] GRACEFUL = Ascii.bytes("graceful");
    private static final byte[] RESET = Ascii.bytes("reset");
    private static final byte[] DETAIL = Ascii.bytes("detail");
    private static final byte[] ON = Ascii.bytes("on");
    private static final byte[] OFF = Ascii.bytes("off");
    private static final byte[] DUMP = Ascii.bytes("dump");
    private static final byte[] CACHEDUMP = Ascii.bytes("cachedump");
    private static final byte[] STAT = Ascii.bytes("STAT ");
    private static final byte[] SHUTDOWN_DISABLED = Ascii.line("ERROR: shutdown not enabled");
    private static final byte[] FLUSH_DISABLED = Ascii.line("CLIENT_ERROR flush_all not allowed");
    private static final byte[] SHUTDOWN_MODE = Ascii.line("CLIENT_ERROR invalid shutdown mode");
    private static final byte[] MEMLIMIT_TOO_SMALL = Ascii.line("MEMLIMIT_TOO_SMALL cannot set maxbytes to less than 8m");
    private static final byte[] MEMLIMIT_MEGABYTES =
            Ascii.line("MEMLIMIT_ADJUST_FAILED input value is megabytes not bytes");
    private static final byte[] DETAIL_USAGE = Ascii.line("CLIENT_ERROR usage: stats detail on|off|dump");

    private final Exchange x;
    private final StatsSource stats;
    private final byte[] versionLine;

    Admin(Exchange exchange, StatsSource stats) {
        this.x = exchange;
        this.stats = stats;
        this.versionLine = Ascii.line("VERSION " + exchange.config.version());
    }

    void version() {
        x.out.writeBytes(versionLine);
    }

    void quit() {
        x.close(Verdict.CLOSE);
    }

    void flushAll() {
        Tokens t = x.tokens;
        x.noreply = t.lastIsNoreply();
        if (!x.config.flushEnabled()) {
            x.reply(FLUSH_DISABLED);
            return;
        }
        long delay = 0;
        if (t.ntokens() != (x.noreply ? 3 : 2)) {
            if (!t.i32(1, 0)) {
                x.reply(Ascii.BAD_EXPTIME);
                return;
            }
            delay = t.number;
        }
        x.store.flushAll(delay);
        x.reply(Ascii.OK);
    }

    void verbosity() {
        Tokens t = x.tokens;
        x.noreply = t.lastIsNoreply();
        if (!t.u32(1, 0)) {
            x.reply(Ascii.BAD_FORMAT);
            return;
        }
        x.config.verbosityListener().accept((int) Math.min(t.number, 2));
        x.reply(Ascii.OK);
    }

    void cacheMemlimit() {
        Tokens t = x.tokens;
        x.noreply = t.lastIsNoreply();
        if (!t.u32(1, 0)) {
            x.reply(Ascii.ERROR);
        } else if (t.number < 8) {
            x.reply(MEMLIMIT_TOO_SMALL);
        } else if (t.number > 1_000_000_000) {
            x.reply(MEMLIMIT_MEGABYTES);
        } else {
            x.store.memoryLimit(t.number << 20);
            x.reply(Ascii.OK);
        }
    }

    /** memcached's: OK (suppressed by noreply) or its error line (never suppressed). */
    void refreshCerts() {
        x.noreply = x.tokens.lastIsNoreply();
        String error = x.config.certRefresher().get();
        if (error == null) {
            x.reply(Ascii.OK);
        } else {
            x.out.writeBytes(Ascii.line(error));
        }
    }

    void shutdown() {
        Tokens t = x.tokens;
        if (!x.config.shutdownEnabled()) {
            x.out.writeBytes(SHUTDOWN_DISABLED);
        } else if (t.ntokens() == 2) {
            x.close(Verdict.SHUTDOWN);
        } else if (t.ntokens() == 3 && t.is(1, GRACEFUL)) {
            x.close(Verdict.SHUTDOWN_GRACEFUL);
        } else {
            x.out.writeBytes(SHUTDOWN_MODE);
        }
    }

    void stats() {
        Tokens t = x.tokens;
        ByteBuf out = x.out;
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
                CacheDump.write(t, x.store, x.config, out);
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
