package io.cuckoocache.textproto;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded random requests for {@link MemcachedDifferentialTest}: every command, valid and mangled (numbers replaced by
 * edge values, tokens added or dropped, bad data chunks), over a few keys so that commands meet each other's items.
 * <p>
 * incr, decr and ma work on their own keys, which nothing reads back with get, mg v/s/h/l or me: memcached
 * rewrites a shorter result in place (space-padded, the fetched mark kept) or in a new item (exact length, the mark
 * cleared) depending on whether a background thread holds a reference at that moment, so those bytes are not
 * deterministic. Left out as documented differences or clock-dependent: base64 keys, md C0, T together with N or R
 * (memcached applies them in request order), t before T or N, opaques over 32 bytes, the I flag (a stale item's
 * recache token can go to our me or ma t, which ask the store with a meta get), overlong keys in gets (memcached then
 * drops earlier pipelined replies), values of white space only (memcached's incr reads past them), lines past the
 * limit, quit, shutdown, stats values, flush_all with a delay, and short expiry times.
 */
final class RandomRequests {
    private static final String[] KEYS = {"a", "b", "c", "K", "\t", "x:y", "k-1"};
    /** Keys for incr, decr and ma only. */
    private static final String[] NUMERIC_KEYS = {"n", "num"};
    private static final String[] ALL_KEYS = {"a", "b", "c", "K", "\t", "x:y", "k-1", "n", "num"};
    /** Numbers that exercise memcached's parsing: wrap, truncation, sign and overflow rules. */
    private static final String[] NUMBERS = {"0", "1", "-1", "+5", "007", "abc", "4294967295", "4294967296",
            "4294967301", "2147483648", "-2147483649", "18446744073709551615", "18446744073709551616",
            "9223372036854775808", "-0", "1x", "\t3", "3\t"};
    private static final String[] EXPTIMES = {"0", "0", "0", "100", "1000", "-1", "2592000", "1000000000",
            "4294967295", "4294967296"};
    private static final String[] VALUES = {"", "x", "hello", "12", "0", " 7", "18446744073709551615",
            "99999999999999999999", "-3", "1 ", "a b", "\r\n5"};
    private static final String[] NUMERIC_VALUES = {"0", "12", " 7", "1 ", "18446744073709551615",
            "99999999999999999999", "-3", "x", ""};
    private static final String[] META_FLAGS = {"v", "k", "c", "f", "s", "t", "h", "l", "q", "u", "O1", "Oab",
            "T0", "T100", "N0", "N100", "R30", "R2000", "F7", "F4294967296", "C1", "C0", "MS", "ME", "MA",
            "MP", "MR", "MI", "MD", "M+", "M-", "MX", "D3", "J9", "Dx", "Tx", "!", "P", "L", "E1", "x"};

    private final Random random;

    RandomRequests(long seed) {
        random = new Random(seed);
    }

    private String pick(String[] a) {
        return a[random.nextInt(a.length)];
    }

    private boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }

    /** One request: a command line, and the data block where the command takes one. */
    String next() {
        switch (random.nextInt(16)) {
            case 0:
            case 1:
            case 2: return storage();
            case 3: return retrieval();
            case 4: return arithmetic();
            case 5: return "delete " + pick(ALL_KEYS) + (chance(20) ? " 0" : "") + noreply() + "\r\n";
            case 6: return "touch " + pick(ALL_KEYS) + " " + number(EXPTIMES) + noreply() + "\r\n";
            case 7: return chance(10) ? "flush_all" + (chance(50) ? " 0" : "") + noreply() + "\r\n" : "mn\r\n";
            case 8:
            case 9: return meta("mg", false);
            case 10:
            case 11: return meta("ms", true);
            case 12: return meta("md", false);
            case 13: return meta("ma", false);
            case 14: return "me " + pick(KEYS) + "\r\n";
            default: return misc();
        }
    }

    private String noreply() {
        return chance(15) ? " noreply" : "";
    }

    private String number(String[] usual) {
        return chance(15) ? pick(NUMBERS) : pick(usual);
    }

    private String storage() {
        boolean numeric = chance(25);
        String[] commands = numeric ? new String[] {"set", "add", "replace", "cas"}
                : new String[] {"set", "add", "replace", "append", "prepend", "cas"};
        String command = pick(commands);
        String value = pick(numeric ? NUMERIC_VALUES : VALUES);
        List<String> t = new ArrayList<>(List.of(command, pick(numeric ? NUMERIC_KEYS : KEYS), number(new String[] {"0", "5", "4294967295"}),
                number(EXPTIMES), length(value.length())));
        if (command.equals("cas")) t.add(chance(50) ? "{CAS}" : pick(new String[] {"1", "0", "x", "-1"}));
        if (chance(15)) t.add("noreply");
        mangle(t);
        return String.join(" ", t) + "\r\n" + data(value);
    }

    /** A data length that memcached reads as {@code n}, or now and then one it refuses (then no data is read). */
    private String length(int n) {
        switch (random.nextInt(12)) {
            case 0: return "+" + n;
            case 1: return "0" + n;
            case 2: return Long.toString(4294967296L + n);
            case 3: return pick(new String[] {"-1", "abc", "2147483647", "9223372036854775808"});
            default: return Integer.toString(n);
        }
    }

    /**
     * The data block; now and then with a bad terminator (memcached reads its length + 2 bytes, then a command).
     * Always ends with CRLF, so that the sentinel after it is a line of its own even when the length was refused.
     */
    private String data(String value) {
        if (chance(8)) return value + "XY\r\n";
        if (chance(4)) return value + "\nX\r\n";
        return value + "\r\n";
    }

    /**
     * Drops the last token or adds one now and then. Only the last: dropping one in the middle could shift a larger
     * number into the length, and memcached would wait for data that never comes.
     */
    private void mangle(List<String> t) {
        if (chance(5) && t.size() > 1) t.remove(t.size() - 1);
        if (chance(5)) t.add(pick(new String[] {"junk", "noreply", "0", "1"}));
    }

    private String retrieval() {
        String[] commands = {"get", "gets", "gat", "gats", "bget"};
        String command = pick(commands);
        List<String> t = new ArrayList<>(List.of(command));
        if (command.startsWith("gat")) t.add(number(EXPTIMES));
        int keys = random.nextInt(5);
        for (int i = 0; i < keys; i++) t.add(pick(KEYS));
        return String.join(chance(10) ? "  " : " ", t) + "\r\n";
    }

    private String arithmetic() {
        List<String> t = new ArrayList<>(List.of(chance(50) ? "incr" : "decr", pick(NUMERIC_KEYS),
                number(new String[] {"1", "5", "18446744073709551615"})));
        if (chance(15)) t.add("noreply");
        mangle(t);
        return String.join(" ", t) + "\r\n";
    }

    private String meta(String command, boolean withData) {
        String[] keys = command.equals("ma") ? NUMERIC_KEYS : command.equals("md") ? ALL_KEYS : KEYS;
        List<String> t = new ArrayList<>(List.of(command, pick(keys)));
        String value = pick(VALUES);
        if (withData) t.add(length(value.length()));
        int flags = random.nextInt(6);
        for (int i = 0; i < flags; i++) {
            String f = pick(META_FLAGS);
            if (f.equals("C0") && command.equals("md")) continue; // documented difference
            char letter = f.charAt(0);
            // memcached applies T, N and R in request order, and reports t as of its position
            if (letter == 'T' && (has(t, 'N') || has(t, 'R') || has(t, 't'))) continue;
            if ((letter == 'N' || letter == 'R') && has(t, 'T')) continue;
            if (letter == 'N' && has(t, 't')) continue;
            t.add(f);
        }
        return String.join(" ", t) + "\r\n" + (withData ? data(value) : "");
    }

    private static boolean has(List<String> tokens, char flag) {
        for (int i = 2; i < tokens.size(); i++) {
            if (tokens.get(i).charAt(0) == flag) return true;
        }
        return false;
    }

    private String misc() {
        String[] lines = {"version\r\n", "verbosity 1\r\n", "verbosity\r\n", "bogus\r\n", "\r\n", "GET a\r\n",
                "stats bogus\r\n", "stats detail dump\r\n", "mx\r\n", "get\r\n", "cache_memlimit 64\r\n",
                "shutdown\r\n", "gets\r\n", "set\r\n", "md\r\n"};
        return pick(lines);
    }
}
