package io.cuckoocache.textproto;

import java.util.ArrayList;
import java.util.List;

import static io.cuckoocache.textproto.Wire.bytes;
import static io.cuckoocache.textproto.Wire.repeat;

/**
 * Raw requests for {@link MemcachedDifferentialTest}, run in this order against one server. Each case is one
 * connection; "{CAS}" is replaced by the last CAS unique the server returned. A case must leave the connection
 * ready for a new command (or close it), and must not depend on the clock beyond a second or two.
 */
final class DifferentialCorpus {
    /** One connection's worth of input: parts sent as separate reads, 100 ms apart. */
    static final class Case {
        final String name;
        final List<byte[]> parts;
        final boolean closes;

        Case(String name, List<byte[]> parts, boolean closes) {
            this.name = name;
            this.parts = parts;
            this.closes = closes;
        }
    }

    private final List<Case> cases = new ArrayList<>();

    private DifferentialCorpus() {
    }

    private void add(String name, String request) {
        cases.add(new Case(name, List.of(bytes(request)), false));
    }

    private void parts(String name, String... parts) {
        List<byte[]> l = new ArrayList<>();
        for (String p : parts) l.add(bytes(p));
        cases.add(new Case(name, l, false));
    }

    private void closing(String name, String... parts) {
        List<byte[]> l = new ArrayList<>();
        for (String p : parts) l.add(bytes(p));
        cases.add(new Case(name, l, true));
    }

    static List<Case> cases() {
        DifferentialCorpus c = new DifferentialCorpus();
        c.storage();
        c.retrieval();
        c.arithmetic();
        c.deleteTouchFlush();
        c.misc();
        c.lines();
        c.metaGet();
        c.metaSet();
        c.metaDelete();
        c.metaArithmetic();
        c.metaDebug();
        return c.cases;
    }

    private void storage() {
        add("flush", "flush_all\r\n");
        add("set get", "set foo 5 0 3\r\nbar\r\nget foo\r\n");
        add("set empty value", "set e 0 0 0\r\n\r\nget e\r\n");
        add("set binary value", "set bin 1 0 6\r\na\r\nb\0c\r\nget bin\r\n");
        add("set noreply", "set nr 0 0 1 noreply\r\nx\r\nget nr\r\n");
        add("set 7th token not noreply", "set j 0 0 1 junk\r\nx\r\nget j\r\n");
        add("set noreply as length", "set j 0 0 noreply\r\nx\r\n");
        add("add existing", "add foo 0 0 1\r\nx\r\n");
        add("add missing", "add newkey 3 0 2\r\nhi\r\nget newkey\r\n");
        add("add noreply", "add foo 0 0 1 noreply\r\nx\r\nadd nk2 0 0 1 noreply\r\ny\r\nget foo nk2\r\n");
        add("replace missing", "replace nokey 0 0 1\r\nx\r\n");
        add("replace existing", "replace foo 7 0 3\r\nbaz\r\nget foo\r\n");
        add("append missing", "append nokey 0 0 1\r\nx\r\n");
        add("append keeps flags", "append foo 99 99 2\r\nzz\r\nget foo\r\n");
        add("prepend", "prepend foo 0 0 2\r\naa\r\nget foo\r\n");
        add("prepend missing", "prepend nokey 0 0 1\r\nx\r\n");
        add("append noreply", "append foo 0 0 1 noreply\r\n!\r\nget foo\r\n");
        add("gets for cas", "gets foo\r\n");
        add("cas match", "cas foo 1 0 3 {CAS}\r\nnew\r\ngets foo\r\n");
        add("cas stale", "cas foo 1 0 3 1\r\nold\r\n");
        add("cas missing", "cas nokey 0 0 1 1\r\nx\r\n");
        add("gets before cas noreply", "gets foo\r\n");
        add("cas noreply match", "cas foo 0 0 1 {CAS} noreply\r\nq\r\nget foo\r\n");
        add("cas bad unique", "cas foo 0 0 1 x\r\nx\r\n");
        add("cas negative unique", "cas foo 0 0 1 -1\r\nx\r\n");
        add("cas too few", "cas foo 0 0 1\r\n");
        add("cas unique 2^64-1", "cas foo 0 0 1 18446744073709551615\r\nx\r\n");
        add("flags 2^32-1", "set fl 4294967295 0 1\r\nx\r\nget fl\r\n");
        add("flags 2^32 wraps", "set fl 4294967296 0 1\r\nx\r\nget fl\r\n");
        add("flags 2^32+5", "set fl 4294967301 0 1\r\nx\r\nget fl\r\n");
        add("flags negative", "set fl -1 0 1\r\nx\r\n");
        add("flags -0", "set fl -0 0 1\r\nx\r\nget fl\r\n");
        add("flags plus", "set fl +7 0 1\r\nx\r\nget fl\r\n");
        add("flags leading zeros", "set fl 007 0 1\r\nx\r\nget fl\r\n");
        add("flags tab", "set fl \t9 0 1\r\nx\r\nget fl\r\n");
        add("flags trailing tab", "set fl 9\t 0 1\r\nx\r\nget fl\r\n");
        add("flags trailing junk", "set fl 9x 0 1\r\nx\r\n");
        add("flags hex", "set fl 0x10 0 1\r\nx\r\n");
        add("flags 2^64", "set fl 18446744073709551616 0 1\r\nx\r\n");
        add("flags abc", "set fl abc 0 1\r\nx\r\n");
        add("exptime negative", "set neg 0 -1 1\r\nx\r\nget neg\r\n");
        add("exptime 2^32-1 is -1", "set ex 0 4294967295 1\r\nx\r\nget ex\r\n");
        add("exptime 2^32 is 0", "set ex 0 4294967296 1\r\nx\r\nget ex\r\n");
        add("exptime 2^31 is negative", "set ex 0 2147483648 1\r\nx\r\nget ex\r\n");
        add("exptime past absolute", "set ex 0 1000000000 1\r\nx\r\nget ex\r\n");
        add("exptime relative", "set ex 0 100 1\r\nx\r\nget ex\r\n");
        add("exptime 30 days", "set ex 0 2592000 1\r\nx\r\nget ex\r\n");
        add("exptime 2^63 overflows", "set ex 0 9223372036854775808 1\r\nx\r\n");
        add("exptime abc", "set ex 0 abc 1\r\nx\r\n");
        add("length negative", "set foo 0 0 -1\r\n");
        add("length abc", "set foo 0 0 abc\r\nx\r\n");
        add("length 2^32+1 is 1", "set l 0 0 4294967297\r\nx\r\nget l\r\n");
        add("length INT_MAX", "set l 0 0 2147483647\r\n");
        add("length plus", "set l 0 0 +1\r\nx\r\nget l\r\n");
        add("bad data chunk", "set foo 0 0 3\r\nbarbaz\r\n");
        add("bad data chunk LF only", "set foo 0 0 1\r\nx\ny\r\n");
        add("bad data chunk short", "set foo 0 0 5\r\nab\r\nxyz\r\n");
        add("bad data chunk noreply", "set foo 0 0 1 noreply\r\nxyz\r\n");
        parts("data split across reads", "set p 0 0 10\r\n01234", "56789\r", "\nget p\r\n");
        parts("crlf split", "set p 0 0 1\r\nx\r", "\nget p\r\n");
        add("value too large", "set big 0 0 2000000\r\n" + repeat('x', 2000000) + "\r\nget big\r\n");
        add("value too large drops old", "set big 0 0 1\r\nx\r\nset big 0 0 2000000\r\n" + repeat('x', 2000000)
                + "\r\nget big\r\n");
        add("add too large keeps old", "set big 0 0 1\r\nx\r\nadd big 0 0 2000000\r\n" + repeat('x', 2000000)
                + "\r\nget big\r\n");
        add("value too large noreply", "set big 0 0 2000000 noreply\r\n" + repeat('x', 2000000) + "\r\nmn\r\n");
        parts("value too large split", "set big 0 0 1048577\r\n" + repeat('x', 500000),
                repeat('x', 548577) + "\r\nget big\r\n");
        add("value 1 MB minus overhead", "set big2 0 0 1048000\r\n" + repeat('y', 1048000) + "\r\nget nope\r\n");
        add("key 250", "set " + repeat('k', 250) + " 0 0 1\r\nx\r\nget " + repeat('k', 250) + "\r\n");
        add("key 251 set", "set " + repeat('k', 251) + " 0 0 1\r\nx\r\n");
        add("key 251 set noreply", "set " + repeat('k', 251) + " 0 0 1 noreply\r\nx\r\n");
        add("set too few", "set a 0 0\r\n");
        add("set too many", "set a 0 0 1 noreply x\r\nx\r\n");
        add("set alone", "set\r\n");
    }

    private void retrieval() {
        add("get multi miss mixed", "get foo nope foo\r\n");
        add("get no key", "get\r\n");
        add("get spaces only", "get   \r\n");
        add("gets no key", "gets\r\n");
        add("get leading trailing spaces", "   get  foo   \r\n");
        add("get tab in key", "get foo\tx\r\n");
        add("get tab after command", "get\tfoo\r\n");
        add("get NUL cuts line", "get foo\0 nope\r\n");
        add("get CR in key", "get foo\r\r\n");
        add("get LF only", "get foo\n");
        StringBuilder many = new StringBuilder("set m 0 0 1\r\nm\r\nget");
        for (int i = 0; i < 100; i++) many.append(i % 3 == 0 ? " m" : " x" + i);
        add("get 100 keys", many + "\r\n");
        add("gets many", "gets m m m m m m m m m m m m m m m m m m m m m m m m m m m m m m\r\n");
        add("get key 251", "get " + repeat('k', 251) + "\r\n");
        add("get hit then key 251", "get m " + repeat('k', 251) + " m\r\n");
        add("gets key 250", "gets " + repeat('k', 250) + "\r\n");
        add("gat", "set t 0 0 1\r\nx\r\ngat 100 t nokey\r\n");
        add("gats", "gats 0 t\r\n");
        add("gat no key", "gat 10\r\n");
        add("gat bad exptime", "gat abc t\r\n");
        add("gat negative exptime", "set t2 0 0 1\r\nx\r\ngat -1 t2\r\nget t2\r\n");
        add("gat key 251", "gat 1 " + repeat('k', 251) + "\r\n");
        add("gat alone", "gat\r\n");
        add("bget", "bget m nope\r\n");
        add("bget alone", "bget\r\n");
        add("unknown g command", "gett m\r\n");
        add("upper case GET", "GET foo\r\n");
    }

    private void arithmetic() {
        add("incr non-numeric", "set s 0 0 3\r\nabc\r\nincr s 1\r\n");
        add("incr missing", "incr nokey 1\r\n");
        add("incr bad delta", "set n 0 0 1\r\n5\r\nincr n abc\r\n");
        add("incr negative delta", "incr n -1\r\n");
        add("incr delta 2^64", "incr n 18446744073709551616\r\n");
        add("incr wrap", "set n 0 0 20\r\n18446744073709551615\r\nincr n 2\r\n");
        add("incr by 2^64-1", "set n 0 0 1\r\n5\r\nincr n 18446744073709551615\r\n");
        add("decr below zero", "set n 0 0 2\r\n10\r\ndecr n 100\r\n");
        add("decr shrink keeps length", "set n 0 0 3\r\n100\r\ndecr n 1\r\nget n\r\n");
        add("incr grow", "set n 0 0 2\r\n99\r\nincr n 1\r\nget n\r\n");
        add("incr leading space", "set n 0 0 3\r\n 12\r\nincr n 1\r\n");
        add("incr trailing space", "set n 0 0 2\r\n1 \r\nincr n 1\r\n");
        add("incr 20 digit overflow", "set n 0 0 20\r\n99999999999999999999\r\nincr n 1\r\n");
        add("incr empty value", "set n 0 0 0\r\n\r\nincr n 1\r\n");
        add("incr negative value", "set n 0 0 2\r\n-1\r\nincr n 1\r\n");
        add("incr noreply", "set n 0 0 1\r\n1\r\nincr n 5 noreply\r\nget n\r\n");
        add("incr plus delta", "incr n +1\r\n");
        add("decr two spaces", "decr n  1\r\n");
        add("incr too few", "incr n\r\n");
        add("incr too many", "incr n 1 2 3\r\n");
        add("incr key 251", "incr " + repeat('k', 251) + " 1\r\n");
        add("incr keeps flags", "set n 42 0 1\r\n1\r\nincr n 1\r\ngets n\r\n");
    }

    private void deleteTouchFlush() {
        add("delete", "set d 0 0 1\r\nx\r\ndelete d\r\ndelete d\r\n");
        add("delete 0", "set d 0 0 1\r\nx\r\ndelete d 0\r\n");
        add("delete 5", "delete d 5\r\n");
        add("delete noreply", "set d 0 0 1\r\nx\r\ndelete d noreply\r\nget d\r\n");
        add("delete 0 noreply", "set d 0 0 1\r\nx\r\ndelete d 0 noreply\r\nget d\r\n");
        add("delete noreply 0", "delete d noreply 0\r\n");
        add("delete 1 noreply", "delete d 1 noreply\r\nmn\r\n");
        add("delete x", "delete d x\r\n");
        add("delete too many", "delete a b c d\r\n");
        add("delete alone", "delete\r\n");
        add("delete key 251", "delete " + repeat('k', 251) + "\r\n");
        add("delete key 251 5", "delete " + repeat('k', 251) + " 5\r\n");
        add("touch", "set t 0 0 1\r\nx\r\ntouch t 100\r\ntouch nokey 10\r\n");
        add("touch bad exptime", "touch t abc\r\n");
        add("touch noreply", "touch t 10 noreply\r\ntouch nokey 10 noreply\r\nmn\r\n");
        add("touch extra token", "touch t 1 2\r\n");
        add("touch negative expires", "set t3 0 0 1\r\nx\r\ntouch t3 -1\r\nget t3\r\n");
        add("touch too few", "touch t\r\n");
        add("touch key 251", "touch " + repeat('k', 251) + " 1\r\n");
        add("flush_all", "set f 0 0 1\r\nx\r\nflush_all\r\nget f\r\n");
        add("flush_all then set", "flush_all\r\nset f 0 0 1\r\nx\r\nget f\r\n");
        add("flush_all noreply", "flush_all noreply\r\nmn\r\n");
        add("flush_all 0 noreply", "flush_all 0 noreply\r\nflush_all 0\r\n");
        add("flush_all negative", "flush_all -5\r\n");
        add("flush_all bad", "flush_all abc\r\n");
        add("flush_all noreply first", "flush_all noreply 5\r\n");
        add("flush_all too many", "flush_all 1 2 3\r\n");
    }

    private void misc() {
        add("version", "version\r\n");
        add("version extra", "version x y\r\n");
        add("verbosity", "verbosity 1\r\nverbosity\r\nverbosity 0 noreply\r\nmn\r\n");
        add("verbosity extra", "verbosity 1 2\r\nverbosity abc\r\nverbosity 5\r\nverbosity 1 2 3\r\n");
        add("verbosity noreply bad", "verbosity noreply\r\nmn\r\n");
        add("verbosity bad numbers", "verbosity -1\r\nverbosity 4294967296\r\nverbosity 1 noreply\r\nmn\r\n");
        add("slabs", "slabs\r\nslabs bogus\r\nslabs automove\r\nslabs automove 1\r\nslabs automove 0\r\n"
                + "slabs automove 3\r\nslabs automove x\r\nslabs automove 1 2\r\n");
        add("lru", "lru\r\nlru bogus\r\nlru tune 10 20 0.1 2.0\r\nlru tune 50 40 0.1 2.0\r\nlru tune 10 20 0 2.0\r\n"
                + "lru tune 10 20 x 2.0\r\nlru tune 1\r\nlru tune 10 20 0.1 2.0 9\r\nlru tune -1 20 .5 1e0\r\n");
        add("cache_memlimit", "cache_memlimit 64\r\n");
        add("cache_memlimit small", "cache_memlimit 7\r\n");
        add("cache_memlimit bytes", "cache_memlimit 1000000001\r\n");
        add("cache_memlimit bad", "cache_memlimit abc\r\ncache_memlimit\r\n");
        add("cache_memlimit noreply", "cache_memlimit 64 noreply\r\ncache_memlimit 64 x\r\n");
        add("shutdown disabled", "shutdown\r\n");
        add("shutdown graceful disabled", "shutdown graceful\r\n");
        add("stats bogus", "stats bogus\r\n");
        add("stats reset", "stats reset\r\n");
        add("stats reset extra", "stats reset x\r\n");
        add("stats detail", "stats detail\r\nstats detail x\r\n");
        add("stats detail dump", "stats detail dump\r\n");
        add("stats detail on off", "stats detail on\r\nstats detail off\r\n");
        add("stats sizes", "stats sizes\r\n");
        add("unknown command", "bogus\r\n");
        add("unknown with args", "bogus a b c\r\n");
        add("empty line", "\r\n");
        add("bare LF", "\n");
        add("one letter", "x\r\n");
        add("CR only line", "\r\r\n");
        add("upper case SET", "SET foo 0 0 1\r\nx\r\n");
        add("mixed case", "Get foo\r\n");
        add("m alone", "m\r\n");
        add("unknown meta", "mx\r\nmgg k\r\n");
        add("pipelined", "set p1 0 0 1\r\na\r\nset p2 0 0 1\r\nb\r\nget p1 p2\r\ndelete p1\r\nget p1 p2\r\n");
        closing("quit", "version\r\nquit\r\nversion\r\n");
        closing("quit extra", "quit now\r\n");
        closing("HTTP request", "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        closing("HTTP POST", "POST /x HTTP/1.0\r\n");
        add("HTTP-like get", "get / HTTP/1.1\r\n");
        add("HTTP-like set", "set / HTTP/1.1\r\n");
        add("many tokens", "bogus 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25\r\n");
        add("many tokens HTTP last", "bogus 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 HTTP/1.1\r\n");
    }

    private void lines() {
        add("set m for the long gets", "set m 0 0 1\r\nm\r\n");
        parts("line of 2048 bytes without newline waits", repeat('x', 2048), "\r\n");
        closing("line of 2049 bytes without newline", repeat('x', 2049));
        closing("line without newline past 2048", repeat('x', 3000));
        closing("set line past 2048", "set k 0 0 1" + repeat(' ', 3000));
        closing("gat line past 2048", "gat 0" + " k".repeat(1100));
        closing("101 spaces then get past 2048", repeat(' ', 101) + "get" + " k".repeat(1100));
        add("complete long line in one read", "set k 0 0 1" + repeat(' ', 3000) + "\r\nx\r\nget k\r\n");
        add("long get line in one read", "get" + " m".repeat(1500) + "\r\n");
        parts("long get arrives in parts", "get" + " m".repeat(1100), " m".repeat(500), " m\r\n");
        parts("long gets arrives in parts", "gets" + " m".repeat(1100), " nope m\r\n");
        parts("long get key split across reads", "get" + " m".repeat(1100) + " mm", "m mmm\r\n");
        parts("long get no hits", "get " + "a ".repeat(1100), "a\r\n");
        parts("long get spaces only", "get " + repeat(' ', 2100), "\r\n");
        parts("100 spaces then long get", repeat(' ', 100) + "get" + " m".repeat(1100), "\r\n");
        parts("long get key 251 before hits", "get" + " nope".repeat(500), " " + repeat('k', 251) + " m\r\n");
        parts("long get NUL", "get" + " m".repeat(1100), " m\0 m m\r\nget m\r\n");
        parts("long get CR before LF", "get" + " m".repeat(1100), " m\r\r\n");
    }

    private void metaGet() {
        add("mn", "mn\r\n");
        add("mn extra", "mn extra\r\n");
        add("ms basic", "ms mk 2 T0 F7 c\r\nhi\r\n");
        add("mg all flags", "mg mk v f t s c k O123 h l\r\n");
        add("mg hit no flags", "mg mk\r\n");
        add("mg again h l", "mg mk h l\r\n");
        add("mg miss", "mg nope v\r\n");
        add("mg miss O k", "mg nope v Oabc k\r\n");
        add("mg miss q", "mg nope v q\r\nmn\r\n");
        add("mg miss q k", "mg nope q k\r\nmn\r\n");
        add("mg hit q", "mg mk v q\r\nmg mk q k\r\n");
        add("mg u", "set mu 0 0 1\r\nx\r\nmg mu u h\r\nmg mu h\r\nmg mu h\r\n");
        add("mg T", "set mt 0 0 1\r\nx\r\nmg mt T30 t\r\nmg mt t\r\n");
        add("mg T then t", "mg mt T40 t v\r\n");
        add("mg N vivify", "mg viv N30 v c t\r\nmg viv N30 v c\r\nmg viv v\r\n");
        add("mg N vivify hd", "mg viv2 N0 s\r\nmg viv2 s\r\n");
        add("mg R recache", "set rc 0 100 1\r\nx\r\nmg rc R30 v\r\nmg rc R200 v c\r\nmg rc R200 v\r\nmg rc v\r\n");
        add("mg R no ttl", "set rc2 0 0 1\r\nx\r\nmg rc2 R30 v\r\n");
        add("mg empty value", "set ev 0 0 0\r\n\r\nmg ev v s\r\n");
        add("mg flags max", "set fm 4294967295 0 1\r\nx\r\nmg fm f\r\n");
        add("mg opaque 32", "mg mk O" + repeat('a', 31) + " v\r\n");
        add("mg opaque 33", "mg mk O" + repeat('a', 32) + " v\r\n");
        add("mg opaque 33 miss", "mg nope O" + repeat('a', 32) + " v\r\n");
        add("mg duplicate", "mg mk v v\r\n");
        add("mg duplicate O", "mg mk O1 O2\r\n");
        add("mg invalid flag", "mg mk v x\r\n");
        add("mg invalid flag !", "mg foo !\r\n");
        add("mg high byte flag", "mg mk \u0080\r\n");
        add("mg DEL byte flag", "mg mk \u007f\r\n");
        add("mg too many tokens", "mg mk 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18\r\n");
        add("mg 17 flags", "mg mk v s f t c k h l O1 q u P L\r\n");
        add("mg 18 flags", "mg mk v s f t c k h l O1 q u P L N0 R0 T0 b\r\n");
        add("mg alone", "mg\r\n");
        add("mg key 251", "mg " + repeat('k', 251) + " v\r\n");
        add("mg key 250", "mg " + repeat('k', 250) + " v\r\n");
        add("mg bad N", "mg mk Nx\r\n");
        add("mg bad T then N", "mg mk Tx Nx\r\n");
        add("mg bad R", "mg mk R\r\n");
        add("mg T 2^31", "mg mk T2147483648 v\r\n");
        add("ms base64 key", "ms Zm9v 2 b\r\nhi\r\nmg Zm9v b v k\r\n");
        add("mg base64 miss", "mg YWJj b k v\r\n");
        add("mg base64 junk skipped", "mg Zm9v! b v\r\n");
        add("mg base64 bad", "mg !!!! b v\r\n");
        add("mg base64 short", "mg a k b\r\n");
        add("mg base64 bad then bad N", "mg !!!! b Nx\r\n");
        add("mg base64 padding", "set a 0 0 1\r\nx\r\nmg YQ== b v\r\n");
        add("mg base64 triple pad", "mg Y=== b v\r\n");
        add("mg base64 dup", "mg Zm9v b b\r\n");
        add("mg P L ignored", "mg mk P L v\r\n");
        add("mg E not in 1.6.18", "mg mk E5\r\n");
        add("mg stale token", "ms st 1 T0\r\nx\r\nmd st I T30\r\nmg st v c\r\nmg st v c\r\n");
        add("mg stale again", "md st I\r\nmg st\r\nmd st\r\nmg st\r\n");
    }

    private void metaSet() {
        add("ms", "ms ms1 3\r\nabc\r\nmg ms1 v\r\n");
        add("ms alone", "ms\r\n");
        add("ms no length", "ms k1\r\n");
        add("ms bad length", "ms k1 abc\r\nhi\r\n");
        add("ms negative length", "ms k1 -1\r\nhi\r\n");
        add("ms invalid flag swallows", "ms k1 2 S\r\nhi\r\nmn\r\n");
        add("ms MS", "ms k1 2 MS\r\nhi\r\n");
        add("ms lower case mode", "ms k1 2 Ms\r\nhi\r\nmn\r\n");
        add("ms invalid mode", "ms mk 2 MZ\r\nhi\r\n");
        add("ms M length", "ms k1 2 MZZ\r\nhi\r\nmn\r\n");
        add("ms bad F", "ms k1 2 Fabc\r\nhi\r\nmn\r\n");
        add("ms bad T", "ms k1 2 Tabc\r\nhi\r\nmn\r\n");
        add("ms bad C", "ms k1 2 Cabc\r\nhi\r\nmn\r\n");
        add("ms bad F then T", "ms k 2 Fx Tx\r\nhi\r\nmn\r\n");
        add("ms bad key then F", "ms !!!! 2 b Fx\r\nhi\r\nmn\r\n");
        add("ms short base64", "ms k 2 b\r\nhi\r\nmn\r\n");
        add("ms F -1", "ms k1 2 F-1\r\nhi\r\nmn\r\n");
        add("ms F 2^32", "ms k1 2 T0 F4294967296\r\nhi\r\nmg k1 f v\r\n");
        add("ms q", "ms k1 2 q\r\nhi\r\nmn\r\n");
        add("ms q bad chunk", "ms k1 2 q\r\nhiya\r\nmn\r\n");
        add("ms q NS shown", "ms k1 2 c q\r\nhi\r\nms k1 2 ME q\r\nhi\r\nmn\r\n");
        add("ms return flags", "ms k1 2 c k O9 T100 F3\r\nhi\r\nmg k1 v f t c\r\n");
        add("ms return flags order", "ms k1 2 O9 k c\r\nhi\r\n");
        add("ms NS flags", "ms k1 2 ME c k O1\r\nhi\r\n");
        add("ms EX", "ms k1 2 C1 c\r\nhi\r\n");
        add("ms MR missing", "ms nope 2 MR c\r\nhi\r\n");
        add("ms C missing", "ms nope 2 C5 c\r\nhi\r\n");
        add("ms ignored flags", "ms k1 2 v s t f h l u\r\nhi\r\n");
        add("ms I without C", "ms k1 2 I\r\nhi\r\n");
        add("ms append", "ms k1 2 MA\r\n++\r\nmg k1 v\r\n");
        add("ms prepend", "ms k1 2 MP\r\n--\r\nmg k1 v\r\n");
        add("ms append missing", "ms nope 2 MA\r\nhi\r\n");
        add("ms replace", "ms k1 2 MR\r\nrr\r\nmg k1 v\r\n");
        add("ms add", "ms k9 2 ME\r\nee\r\nmg k9 v\r\n");
        add("ms cas get", "mg k1 c\r\n");
        add("ms cas match", "ms k1 2 C{CAS} c\r\ncc\r\nmg k1 v c\r\n");
        add("ms cas mismatch", "ms k1 2 C12345 c\r\nxx\r\n");
        add("ms replace with cas", "mg k1 c\r\n");
        add("ms MR C match", "ms k1 2 MR C{CAS}\r\nrc\r\nmg k1 v\r\n");
        add("ms add with cas", "ms k1 2 ME C1\r\nac\r\n");
        add("ms append bad cas", "ms k1 2 MA C1\r\nac\r\n");
        add("ms append cas 0", "ms k1 2 MA C0\r\nac\r\nmg k1 v\r\n");
        add("ms invalidate get cas", "ms inv 1 T0\r\na\r\nmg inv c\r\n");
        add("ms invalidate older cas", "ms inv 1 I C1\r\nb\r\nmg inv v c\r\nmg inv v\r\n");
        add("ms T negative", "ms k2 2 T-1\r\nhi\r\nmg k2 v\r\n");
        add("ms opaque too long swallows", "ms k1 2 O" + repeat('a', 40) + "\r\nhi\r\nmn\r\n");
        add("ms opaque too long bad mode", "ms k1 2 MX O" + repeat('a', 40) + "\r\nhi\r\nmn\r\n");
        add("ms key 251", "ms " + repeat('k', 251) + " 2\r\nhi\r\nmn\r\n");
        add("ms too many tokens", "ms k1 2 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17\r\nhi\r\nmn\r\n");
        add("ms too large", "ms k1 2000000 T0\r\n" + repeat('x', 2000000) + "\r\nmn\r\n");
        add("ms too large q", "ms k1 2000000 q\r\n" + repeat('x', 2000000) + "\r\nmn\r\n");
        add("ms too large add drops old", "set k1 0 0 1\r\nx\r\nms k1 2000000 ME\r\n" + repeat('x', 2000000)
                + "\r\nget k1\r\n");
        add("ms bad chunk", "ms k1 2\r\nabcd\r\n");
        add("ms base64 k", "ms Zm9vYmFy 2 b k c\r\nhi\r\n");
        add("ms E not in 1.6.18", "ms e1 1 E123 c\r\nx\r\nmg e1 c\r\n");
        add("ms length 0", "ms z 0\r\n\r\nmg z v s\r\n");
        add("ms pipelined with mg", "ms p 1\r\na\r\nmg p v\r\nms p 1 MA\r\nb\r\nmg p v\r\n");
    }

    private void metaDelete() {
        add("md", "set d1 0 0 1\r\nx\r\nmd d1\r\nmg d1\r\n");
        add("md miss", "md nope\r\n");
        add("md q", "md nope q\r\nmd nope\r\nmn\r\n");
        add("md q hit", "set d1 0 0 1\r\nx\r\nmd d1 q\r\nmd d1 q\r\nmn\r\n");
        add("md C mismatch", "set d1 0 0 1\r\nx\r\nmd d1 C1\r\n");
        add("md C get", "mg d1 c\r\n");
        add("md C match", "md d1 C{CAS}\r\nmg d1\r\n");
        add("md I T k O", "set d1 0 0 1\r\nx\r\nmd d1 I T30 k O5\r\nmg d1 v t c\r\nmd d1 I\r\nmg d1\r\nmd d1\r\nmg d1\r\n");
        add("md I miss", "md nope I\r\n");
        add("md k O miss", "md nope k O7\r\n");
        add("md alone", "md\r\n");
        add("md invalid flag", "md k1 x\r\n");
        add("md duplicate", "md k1 v v\r\n");
        add("md bad C", "md k1 Cabc\r\n");
        add("md key 251", "md " + repeat('k', 251) + "\r\n");
        add("md opaque too long", "md k1 O" + repeat('a', 40) + "\r\n");
        add("md too many tokens", "md k1 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18\r\n");
        add("md base64", "ms Zm9vMg== 1 b\r\nx\r\nmd Zm9vMg== b k\r\nmg Zm9vMg== b\r\n");
        add("md base64 bad", "md !!!! b\r\n");
    }

    private void metaArithmetic() {
        add("ma miss", "ma cnt\r\n");
        add("ma autoviv", "ma cnt N0 J10 v\r\nma cnt D5 v\r\nma cnt MD D100 v t c\r\n");
        add("ma modes", "set n 0 0 1\r\n5\r\nma n\r\nma n v\r\nma n M+ D10 v\r\nma n M- D100 v\r\nma n MI v\r\n"
                + "ma n MD v q\r\nma n q\r\nmn\r\nget n\r\n");
        add("ma non-numeric", "set n 0 0 1\r\na\r\nma n\r\nma n q\r\nma n C1\r\nma n C1 q\r\nmn\r\n");
        add("ma miss flags", "ma nn q\r\nma nn k O1\r\nma nn N0 J7 k O2 c t v\r\nma nn T10 t v\r\nma nn N0 t v\r\n");
        add("ma keeps width", "set n 0 0 2\r\n10\r\nma n D5 v\r\nget n\r\n");
        add("ma decr width", "set n 0 0 3\r\n100\r\nma n MD v\r\nget n\r\n");
        add("ma C get", "set n 0 0 1\r\n1\r\nmg n c\r\n");
        add("ma C match", "ma n C{CAS} v c\r\n");
        add("ma C0", "set k 0 0 1\r\n1\r\nma k C0 v\r\n");
        add("ma alone", "ma\r\n");
        add("ma invalid flag", "ma k1 x\r\n");
        add("ma bad D", "ma k1 Dabc\r\n");
        add("ma bad J", "ma k1 Jabc\r\n");
        add("ma bad N", "ma k1 Nabc\r\n");
        add("ma invalid mode", "ma k1 MX\r\n");
        add("ma lower case mode", "ma k1 Mi\r\n");
        add("ma M length", "ma k1 MXX\r\n");
        add("ma key 251", "ma " + repeat('k', 251) + "\r\n");
        add("ma too many tokens", "ma k1 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18\r\n");
        add("ma wrap", "set w 0 0 20\r\n18446744073709551615\r\nma w v\r\n");
        add("ma D 2^64-1", "set w 0 0 1\r\n1\r\nma w D18446744073709551615 v\r\n");
        add("ma empty value", "set w 0 0 0\r\n\r\nma w\r\n");
        add("ma base64", "ma Y250 b N0 J3 v k\r\n");
        add("ma T existing", "set w 0 0 1\r\n1\r\nma w T100 t\r\nmg w t\r\n");
    }

    private void metaDebug() {
        add("me", "set mx 3 0 5\r\nhello\r\nme mx\r\nget mx\r\nme mx\r\n");
        add("me ttl", "set mx 3 100 5\r\nhello\r\nme mx\r\n");
        add("me no flags", "set my 0 0 2\r\nhi\r\nme my\r\n");
        add("me 600 KB", "set big 0 0 600000\r\n" + repeat('x', 600000) + "\r\nme big\r\n");
        add("me 1 MB", "set big 5 0 1048000\r\n" + repeat('x', 1048000) + "\r\nme big\r\n");
        add("me class boundaries", "set c1 0 0 35\r\n" + repeat('a', 35) + "\r\nme c1\r\nset c1 0 0 36\r\n"
                + repeat('a', 36) + "\r\nme c1\r\nset c1 0 0 5000\r\n" + repeat('a', 5000) + "\r\nme c1\r\n");
        add("me miss", "me nope\r\n");
        add("me alone", "me\r\n");
        add("me key 251", "me " + repeat('k', 251) + "\r\n");
        add("me extra tokens", "me nope x y\r\n");
        add("me base64", "ms Zm9vMw== 1 b\r\nx\r\nme Zm9vMw== b\r\n");
        add("me base64 bad", "me !!!! b\r\n");
    }
}
