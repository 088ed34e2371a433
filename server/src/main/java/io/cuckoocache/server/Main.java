package io.cuckoocache.server;

import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command line: {@code java -jar cuckoocache.jar [memcached options]}, normally through the {@code ./cuckoocache}
 * launcher. Takes memcached 1.6.18's options (see {@link #HELP}); exits 64 (EX_USAGE) on a bad command line and 71
 * (EX_OSERR) when it cannot listen, as memcached does, and 0 after a SIGTERM, SIGINT or "shutdown" (-A).
 */
public final class Main {
    /** sysexits.h, as memcached uses them. */
    static final int EX_USAGE = 64;
    static final int EX_OSERR = 71;
    static final int EX_CONFIG = 78;
    private static final String LEAK_DETECTION = "io.netty.leakDetection.level";

    private Main() {
    }

    public static void main(String[] args) {
        // Netty's leak detector (on by default, "simple") fills in a stack trace for one buffer in 128: measurable
        // CPU and garbage on the request path (bench/RESULTS.md, server profile). Every buffer here is released by
        // ConnectionHandler, so the server runs without it unless asked (-Dio.netty.leakDetection.level=...).
        if (System.getProperty(LEAK_DETECTION) == null) System.setProperty(LEAK_DETECTION, "disabled");
        Launch launch = configure(args, System.out, System.err);
        if (launch.exitCode >= 0) {
            System.out.flush();
            System.exit(launch.exitCode);
        }
        System.exit(serve(launch, System.err));
    }

    /** What the command line asks for: an exit code (help, version, errors), or a server to start. */
    static final class Launch {
        /** -1: start the server. */
        int exitCode = -1;
        ServerConfig.Builder builder;
        Path pidFile;
        final List<String> notices = new ArrayList<>();
    }

    // ---------------------------------------------------------------- parsing

    /** Parses and checks the command line; prints help, version and errors itself. */
    static Launch configure(String[] args, PrintStream out, PrintStream err) {
        Launch launch = new Launch();
        Options o = new Options();
        CommandLine cl = new CommandLine(o)
                .setOverwrittenOptionsAllowed(true)   // getopt: the last one wins
                .setPosixClusteredShortOptionsAllowed(true) // -vv, -dv
                .setExpandAtFiles(false)
                .setCaseInsensitiveEnumValuesAllowed(true);
        try {
            cl.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            err.println("cuckoocache: " + e.getMessage());
            err.println("Try 'cuckoocache -h' for the options.");
            launch.exitCode = EX_USAGE;
            return launch;
        }
        if (o.help) {
            out.print(HELP);
            launch.exitCode = 0;
            return launch;
        }
        if (o.version) {
            out.println("cuckoocache " + CacheServer.Versions.project() + " (memcached "
                    + CacheServer.MEMCACHED_VERSION + " compatible; netty " + CacheServer.Versions.netty() + ")");
            launch.exitCode = 0;
            return launch;
        }
        if (o.license) {
            out.print(LICENSE);
            launch.exitCode = 0;
            return launch;
        }
        try {
            launch.builder = build(o, launch.notices);
            launch.builder.build(); // the settings' own checks, with memcached's messages
            if (o.pidFile != null) launch.pidFile = Path.of(o.pidFile);
        } catch (UsageException | IllegalArgumentException e) {
            err.println(e.getMessage());
            launch.exitCode = EX_USAGE;
            return launch;
        }
        for (String n : launch.notices) err.println(n);
        return launch;
    }

    /** A command line memcached would refuse too (or one asking for something this server cannot do). */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    private static ServerConfig.Builder build(Options o, List<String> notices) throws UsageException {
        ServerConfig.Builder b = CacheServer.builder();
        int verbosity = o.verbose.length;
        b.verbosity(verbosity);

        // Things this server does not serve: refuse rather than silently run without them.
        if (o.udpPort != 0) {
            throw new UsageException("cuckoocache: UDP is not served (-U " + o.udpPort
                    + "); leave -U out or give -U 0 (memcached's default since 1.5.6)");
        }
        if (o.unixSocket != null) {
            throw new UsageException("cuckoocache: UNIX domain sockets (-s) are not served; use -l/-p (TCP)");
        }
        if (o.memoryFile != null) {
            if (o.memoryFile.isEmpty()) throw new UsageException("cuckoocache: -e needs a file name");
            Path file = Path.of(o.memoryFile).toAbsolutePath();
            // Found out now rather than at the stop that should save (memcached opens its file at start too).
            if (Files.exists(file) && !Files.isRegularFile(file)) {
                throw new UsageException("cuckoocache: -e " + o.memoryFile + ": not a regular file");
            }
            if (!Files.isDirectory(file.getParent()) || !Files.isWritable(file.getParent())) {
                throw new UsageException("cuckoocache: -e " + o.memoryFile + ": " + file.getParent()
                        + " is not a writable directory");
            }
            b.memoryFile(Path.of(o.memoryFile));
        }

        b.port(o.port);
        List<String> listen = new ArrayList<>();
        for (String l : o.listen) {
            for (String s : l.split(",")) {
                if (s.isBlank()) continue;
                if (!o.ssl && s.trim().startsWith(CacheServer.NOTLS)) {
                    throw new UsageException("'notls' option is valid only when SSL is enabled");
                }
                listen.add(s.trim());
            }
        }
        if (!listen.isEmpty()) {
            try {
                CacheServer.resolve(listen, o.port);
            } catch (UnknownHostException e) {
                throw new UsageException("cuckoocache: -l: " + e.getMessage());
            }
            b.listen(listen.toArray(new String[0]));
        }

        b.memoryLimit(parseSize(o.memoryLimit, 1L << 20, "-m"));
        if (o.maxItemSize != null) b.itemSizeMax(parseSize(o.maxItemSize, 1, "-I"));
        // memcached reads -f with atof and -n with atoi: a bad number is 0, which it refuses.
        if (o.slabGrowthFactor != null) b.slabGrowthFactor(leadingNumber(o.slabGrowthFactor, true));
        if (o.slabMinSize != null) b.slabMinSize((int) leadingNumber(o.slabMinSize, false));
        if (o.prefixDelimiter != null) {
            // memcached: -D takes the first character and turns per-prefix stats on
            if (o.prefixDelimiter.isEmpty()) throw new UsageException("No delimiter specified");
            b.statsPrefixDelimiter(o.prefixDelimiter.charAt(0));
        }
        b.evictionsEnabled(!o.disableEvictions);
        b.casEnabled(!o.disableCas);
        b.maxConnections(o.connLimit);
        b.reqsPerEvent(o.reqsPerEvent);
        b.backlog(o.backlog);
        b.shutdownEnabled(o.enableShutdown);
        b.flushEnabled(!o.disableFlushAll);
        b.dumpEnabled(!o.disableDumping);

        CacheServer.Protocol protocol = CacheServer.Protocol.AUTO;
        if (o.protocol != null) {
            switch (o.protocol) {
                case "auto":
                    protocol = CacheServer.Protocol.AUTO;
                    break;
                case "binary":
                    protocol = CacheServer.Protocol.BINARY;
                    break;
                case "ascii":
                    protocol = CacheServer.Protocol.ASCII;
                    break;
                default:
                    throw new UsageException("Invalid value for binding protocol: " + o.protocol
                            + "\n -- should be one of auto, binary, or ascii");
            }
        }

        // -o: memcached's extended options, and this server's (transport, mode, reuseport, sasl_pwdb, metrics_port).
        String mode = o.mode;
        String transport = o.transport;
        boolean reusePort = o.reusePort;
        String saslPwdb = System.getenv("MEMCACHED_SASL_PWDB");
        boolean saslPwdbGiven = false;
        boolean crawler = true;
        int crawlerSleep = 100;
        int crawlerToCrawl = 0;
        Tls.Settings tls = new Tls.Settings();
        boolean tlsOptions = false;
        for (String group : o.extended) {
            for (String item : group.split(",")) {
                String opt = item.trim();
                if (opt.isEmpty()) continue;
                int eq = opt.indexOf('=');
                String name = eq < 0 ? opt : opt.substring(0, eq);
                String value = eq < 0 ? null : opt.substring(eq + 1);
                switch (name) {
                    case "idle_timeout":
                        b.idleTimeoutSeconds(intValue(name, value, 0, Integer.MAX_VALUE));
                        break;
                    case "metrics_port":
                        b.metricsPort(intValue(name, value, 0, 65535));
                        break;
                    case "hashpower": {
                        int hp = intValue(name, value, 0, 64);
                        if (hp < 12) throw new UsageException("Initial hashtable multiplier of " + hp + " is too low");
                        if (hp > 32) throw new UsageException("Initial hashtable multiplier of " + hp + " is too high\n"
                                + "Choose a value based on \"STAT hash_power_level\" from a running instance");
                        b.hashPower(hp);
                        break;
                    }
                    case "maxconns_fast":
                        b.maxConnectionsFast(true);
                        break;
                    case "no_maxconns_fast":
                        b.maxConnectionsFast(false);
                        break;
                    case "lru_crawler":
                        crawler = true;
                        break;
                    case "no_lru_crawler":
                        crawler = false;
                        break;
                    case "lru_crawler_sleep":
                        crawlerSleep = intValue(name, value, 0, 1_000_000);
                        break;
                    case "lru_crawler_tocrawl":
                        crawlerToCrawl = intValue(name, value, 0, Integer.MAX_VALUE);
                        break;
                    case "track_sizes":
                        b.trackSizes(true);
                        break;
                    case "slab_chunk_max":
                        b.slabChunkMax(intValue(name, value, 1, Integer.MAX_VALUE));
                        break;
                    case "transport":
                        transport = required(name, value);
                        break;
                    case "mode":
                        mode = required(name, value);
                        break;
                    case "reuseport":
                        reusePort = true;
                        break;
                    case "no_reuseport":
                        reusePort = false;
                        break;
                    case "sasl_pwdb":
                    case "sasl_file":
                        saslPwdb = required(name, value);
                        saslPwdbGiven = true;
                        break;
                    default:
                        if (name.startsWith("ssl_")) {
                            tls.set(name, value, notices);
                            tlsOptions = true;
                        } else if (name.startsWith("ext_")) {
                            notices.add("cuckoocache: -o " + name + ": external storage (extstore) is not supported;"
                                    + " ignored");
                        } else if (NO_EFFECT.contains(name)) {
                            if (verbosity > 0) {
                                notices.add("cuckoocache: -o " + name + ": memcached slab/LRU tuning, no effect here");
                            }
                        } else {
                            notices.add("cuckoocache: -o " + name + ": unknown option, ignored");
                        }
                }
            }
        }
        b.lruCrawler(crawler, crawlerSleep, crawlerToCrawl);
        if (o.ssl) {
            try {
                Tls.check(tls); // memcached loads its files before it listens, and exits 64 when one fails
            } catch (Tls.LoadException e) {
                throw new UsageException(e.getMessage());
            }
            b.tls(tls);
        } else if (tlsOptions) {
            notices.add("cuckoocache: -o ssl_*: TLS is off without -Z; the ssl_ options are ignored");
        }

        CacheServer.Mode m = CacheServer.Mode.SMP;
        if (mode != null) {
            switch (mode.toLowerCase(Locale.ROOT)) {
                case "single":
                    m = CacheServer.Mode.SINGLE;
                    break;
                case "smp":
                    m = CacheServer.Mode.SMP;
                    break;
                default:
                    throw new UsageException("cuckoocache: --mode must be single or smp, not " + mode);
            }
        }
        b.mode(m);
        if (o.threads != null) {
            b.threads(o.threads);
            if (o.threads > 64) {
                notices.add("WARNING: Setting a high number of worker threads is not recommended.\n"
                        + " Set this value to the number of cores in your machine or less.");
            }
            if (m == CacheServer.Mode.SINGLE) notices.add("cuckoocache: -t has no effect in single mode (one thread)");
        }
        b.reusePort(reusePort);
        if (transport != null) b.transport(parseTransport(transport));

        if (saslPwdbGiven && !o.sasl) {
            // A password file without -S would leave the server open while its operator believes it is not.
            throw new UsageException("cuckoocache: -o sasl_pwdb is given but -S is not: authentication would be off;"
                    + " add -S (or, for the text protocol, use -Y <file>)");
        }
        // -S and -Y choose their protocol unless -B is given; a -B they cannot authenticate is refused by build().
        if (o.sasl) {
            if (o.protocol == null) protocol = CacheServer.Protocol.BINARY;
            if (saslPwdb == null || saslPwdb.isEmpty()) {
                throw new UsageException("cuckoocache: -S needs a password file: set MEMCACHED_SASL_PWDB=<file> or"
                        + " give -o sasl_pwdb=<file> (lines of user:password)");
            }
            Path pwdb = Path.of(saslPwdb);
            if (!Files.isReadable(pwdb)) {
                throw new UsageException("cuckoocache: cannot read the SASL password file " + pwdb);
            }
            b.saslAuthenticator(passwordFile(pwdb));
        }
        if (o.authFile != null) {
            // memcached 1.6.18: -Y makes the protocol ascii, and refuses -B binary or auto.
            if (o.protocol == null && !o.sasl) protocol = CacheServer.Protocol.ASCII;
            Path file = Path.of(o.authFile);
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException | UncheckedIOException e) {
                throw new UsageException("cuckoocache: cannot read the authentication file (-Y) " + file + ": " + e);
            }
            for (String line : lines) {
                if (!line.isEmpty() && !line.startsWith("#") && line.indexOf(':') <= 0) {
                    throw new UsageException("cuckoocache: the authentication file (-Y) " + file
                            + " has a malformed entry; each line should be 'user:password'");
                }
            }
            b.asciiAuthenticator(passwordFile(file));
        }
        b.protocol(protocol);

        // Accepted for compatibility; say what they do here.
        if (o.daemon && !"1".equals(System.getenv("CUCKOOCACHE_DAEMON"))) {
            notices.add("cuckoocache: -d: a JVM cannot fork itself into the background; running in the foreground"
                    + " (the ./cuckoocache launcher runs the server in the background for -d)");
        }
        if (o.user != null) {
            String me = System.getProperty("user.name", "");
            if (!o.user.equals(me)) {
                notices.add("cuckoocache: -u " + o.user + ": a JVM cannot switch users; running as " + me
                        + " (started as root, the ./cuckoocache launcher switches with runuser)");
            }
        }
        if (o.lockMemory) notices.add("cuckoocache: -k: the JVM cannot lock its memory (mlockall); ignored");
        if (o.largePages && !"1".equals(System.getenv("CUCKOOCACHE_LARGE_PAGES"))) {
            notices.add("cuckoocache: -L: large pages are a JVM setting (-XX:+UseTransparentHugePages; the"
                    + " ./cuckoocache launcher adds it)");
        }
        if (verbosity > 0) {
        }
        return b;
    }

    private static final Pattern ATOF = Pattern.compile("^\\s*[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern ATOI = Pattern.compile("^\\s*[-+]?\\d+");

    /** C's atof (or atoi): the number at the start of {@code s}, 0 if none. */
    static double leadingNumber(String s, boolean fraction) {
        Matcher m = (fraction ? ATOF : ATOI).matcher(s);
        if (!m.find()) return 0;
        try {
            double v = Double.parseDouble(m.group().trim());
            return fraction ? v : Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String required(String name, String value) throws UsageException {
        if (value == null || value.isEmpty()) throw new UsageException("cuckoocache: -o " + name + " needs a value");
        return value;
    }

    private static int intValue(String name, String value, int min, int max) throws UsageException {
        try {
            long v = Long.parseLong(required(name, value));
            if (v < min || v > max) throw new NumberFormatException();
            return (int) v;
        } catch (NumberFormatException e) {
            throw new UsageException("cuckoocache: -o " + name + ": not a number in " + min + ".." + max + ": "
                    + value);
        }
    }

    private static CacheServer.Transport parseTransport(String s) throws UsageException {
        switch (s.toLowerCase(Locale.ROOT).replace('-', '_')) {
            case "auto":
                return CacheServer.Transport.AUTO;
            case "epoll":
                return CacheServer.Transport.EPOLL;
            case "kqueue":
                return CacheServer.Transport.KQUEUE;
            case "io_uring":
            case "iouring":
            case "uring":
                return CacheServer.Transport.IO_URING;
            case "nio":
                return CacheServer.Transport.NIO;
            default:
                throw new UsageException("cuckoocache: transport must be auto, epoll, kqueue, io_uring or nio, not "
                        + s);
        }
    }

    /**
     * A size: digits with an optional k, m, g or t suffix (powers of 1024); without a suffix, in {@code unit} bytes
     * (-m counts megabytes, -I bytes, as in memcached).
     */
    static long parseSize(String s, long unit, String flag) throws UsageException {
        String t = s.trim().toLowerCase(Locale.ROOT);
        long mult = unit;
        if (!t.isEmpty()) {
            char c = t.charAt(t.length() - 1);
            int shift = c == 'k' ? 10 : c == 'm' ? 20 : c == 'g' ? 30 : c == 't' ? 40 : -1;
            if (shift >= 0) {
                mult = 1L << shift;
                t = t.substring(0, t.length() - 1);
            } else if (c == 'b' && t.length() > 1) {
                mult = 1;
                t = t.substring(0, t.length() - 1);
            }
        }
        try {
            long v = Long.parseLong(t);
            if (v < 0 || v > Long.MAX_VALUE / mult) throw new NumberFormatException();
            return v * mult;
        } catch (NumberFormatException e) {
            throw new UsageException("cuckoocache: " + flag + ": not a size: " + s + " (digits, then k, m or g)");
        }
    }

    /**
     * memcached's SASL password database (MEMCACHED_SASL_PWDB): lines of {@code user:password}. Read again at every
     * attempt, as memcached does, so a changed file takes effect without a restart.
     */
    static BiPredicate<String, String> passwordFile(Path file) {
        return (user, password) -> {
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (line.isEmpty() || line.startsWith("#")) continue;
                    int colon = line.indexOf(':');
                    if (colon <= 0) continue;
                    if (!line.substring(0, colon).equals(user)) continue;
                    String expected = line.substring(colon + 1);
                    if (expected.endsWith("\r")) expected = expected.substring(0, expected.length() - 1);
                    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                            password.getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                return false;
            }
            return false;
        };
    }

    // ---------------------------------------------------------------- running

    /** Starts the server, waits for it to stop; the exit code. */
    static int serve(Launch launch, PrintStream err) {
        // Handlers first, so a signal that arrives while the server starts still stops it gracefully.
        java.util.concurrent.atomic.AtomicReference<CacheServer> running = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean stopRequested = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicBoolean saveRequested = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable requestStop = () -> {
            stopRequested.set(true);
            CacheServer s = running.get();
            if (s != null) s.closeAsync();
        };
        Runnable requestSave = () -> { // SIGUSR1: memcached's graceful stop, saving with -e
            saveRequested.set(true);
            CacheServer s = running.get();
            if (s != null) s.closeAndSaveAsync();
        };
        Runnable stop = () -> {
            CacheServer s = running.get();
            if (s != null) s.close();
            if (launch.pidFile != null) {
                try {
                    Files.deleteIfExists(launch.pidFile);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        };
        Signals.install(err, requestStop, requestSave);
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "cuckoocache-exit"));

        CacheServer server;
        try {
            server = launch.builder.start();
        } catch (BindException e) {
            err.println(e.getMessage());
            return EX_OSERR;
        } catch (IOException e) {
            err.println("cuckoocache: " + e.getMessage());
            return EX_OSERR;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage()); // a TLS file that does not load: memcached exits EX_USAGE
            return EX_USAGE;
        } catch (RuntimeException e) {
            err.println("cuckoocache: cannot start: " + e);
            return EX_CONFIG;
        }
        running.set(server);
        if (saveRequested.get()) server.closeAndSaveAsync();
        if (stopRequested.get()) server.closeAsync();
        if (launch.pidFile != null) {
            try {
                Files.writeString(launch.pidFile, ProcessHandle.current().pid() + "\n");
            } catch (IOException e) {
                err.println("Could not open the pid file " + launch.pidFile + " for writing: " + e.getMessage());
            }
        }
        err.println(server.describe());
        try {
            server.awaitTermination();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stop.run();
        err.println("cuckoocache: stopped");
        return 0;
    }

    /** Known memcached -o options that tune its slab allocator, LRU or logging: accepted, no effect here. */
    private static final Set<String> NO_EFFECT = Set.of(
            "tail_repair_time", "hash_algorithm", "read_buf_mem_limit", "lru_maintainer", "no_lru_maintainer",
            "hot_lru_pct", "warm_lru_pct", "hot_max_factor", "warm_max_factor", "temporary_ttl",
            "watcher_logbuf_size", "worker_logbuf_size", "no_hashexpand", "modern", "no_modern",
            "sock_cookie_id", "slab_automove_freeratio", "slab_reassign", "no_slab_reassign", "slab_automove",
            "slab_automove_ratio", "slab_automove_window", "lru_segmented", "no_lru_segmented", "inline_ascii_resp",
            "no_inline_ascii_resp", "drop_privileges", "no_drop_privileges", "meta_response_old",
            "resp_obj_mem_limit", "lru_crawler_autoscale");

    static final String HELP = String.join("\n",
            "cuckoocache " + CacheServer.Versions.project() + " (memcached " + CacheServer.MEMCACHED_VERSION
                    + " compatible)",
            "-p, --port=<num>          TCP port to listen on (default: 11211; 0 picks a free port)",
            "-U, --udp-port=<num>      UDP port: only 0 (off) is accepted; UDP is not served",
            "-s, --unix-socket=<file>  not supported (refused)",
            "-a, --unix-mask=<mask>    accepted, no effect (no UNIX socket)",
            "-A, --enable-shutdown     enable ascii \"shutdown\" command",
            "-l, --listen=<addr>       interface to listen on (default: 127.0.0.1, NOT memcached's INADDR_ANY);",
            "                          repeatable and comma-separated; <ip>, <ip>:<port>, [<ipv6>]:<port>",
            "-d, --daemon              run as a daemon (the ./cuckoocache launcher backgrounds the JVM)",
            "-r, --enable-coredumps    accepted, no effect",
            "-u, --user=<user>         run as <user> (the launcher switches user when started as root)",
            "-m, --memory-limit=<num>  item memory in megabytes (default: 64); k/m/g suffixes allowed",
            "-M, --disable-evictions   return error on memory exhausted instead of evicting",
            "-c, --conn-limit=<num>    max simultaneous connections (default: 1024)",
            "-k, --lock-memory         not possible in a JVM; ignored with a warning",
            "-v, --verbose             verbose (print errors/warnings while in event loop)",
            "-vv                       very verbose (also print client commands/responses)",
            "-vvv                      extremely verbose (internal state transitions)",
            "-h, --help                print this help and exit",
            "-i, --license             print license information and exit",
            "-V, --version             print version and exit",
            "-P, --pidfile=<file>      save PID in <file> (also without -d); removed at exit",
            "-f, --slab-growth-factor=<num>, -n, --slab-min-size=<bytes>, -o slab_chunk_max=<bytes>",
            "                          memcached's slab classes, for stats and me (memory is not cut in chunks)",
            "-D <char>                 per-prefix stats delimiter (default ':'); turns \"stats detail\" on",
            "-L, --enable-largepages   the launcher adds -XX:+UseTransparentHugePages",
            "-t, --threads=<num>       number of event loops in smp mode (default: number of cores)",
            "-R, --max-reqs-per-event  protocol calls per connection per event before it yields (default: 20);",
            "                          each call handles up to 64 KB of pipelined requests",
            "-C, --disable-cas         disable use of CAS",
            "-b, --listen-backlog=<num> set the backlog queue limit (default: 1024)",
            "-B, --protocol=<name>     protocol - one of ascii, binary, or auto (default: auto-negotiate)",
            "-I, --max-item-size=<num> adjusts max item size (default: 1m, min: 1k, max: 1024m)",
            "-S, --enable-sasl         turn on SASL PLAIN authentication (binary protocol only); passwords in the",
            "                          file named by MEMCACHED_SASL_PWDB or -o sasl_pwdb=<file> (user:password lines)",
            "-F, --disable-flush-all   disable flush_all command",
            "-X, --disable-dumping     disable stats cachedump",
            "-W                        accepted, no effect (no watch commands)",
            "-Y, --auth-file=<file>    ASCII protocol authentication (implies -B ascii): a connection first sends",
            "                          'set <key> <flags> <exptime> <bytes>' with data '<user> <password>'; the",
            "                          file holds user:password lines (the same format as -S's; read at each attempt)",
            "-e, --memory-file=<file>  warm restart: a graceful stop (SIGUSR1, \"shutdown graceful\") saves the",
            "                          items to <file>; a start with the same -e, -m, -I, -C restores them",
            "-Z, --enable-ssl          enable TLS on every listener; -l notls:<ip>:<port> keeps one plain",
            "-o, --extended            comma separated list of extended options",
            "   - idle_timeout:        timeout for idle connections. (default: 0, no timeout)",
            "   - hashpower:           start the table sized for 2^<num> items (12..32)",
            "   - maxconns_fast:       immediately close new connections after limit (default: enabled);",
            "                          no_maxconns_fast stops accepting instead",
            "   - no_lru_crawler:      disable the background reclaimer of expired items",
            "   - lru_crawler_sleep:   microseconds per item the reclaimer spends (default: 100)",
            "   - lru_crawler_tocrawl: max items per reclaimer pass (default: 0, unlimited)",
            "   - transport:           auto, epoll, kqueue, io_uring or nio (same as --transport)",
            "   - mode, reuseport:     same as --mode and --reuseport",
            "   - sasl_pwdb:           the SASL password file (instead of MEMCACHED_SASL_PWDB; alias sasl_file)",
            "   - metrics_port:        serve Prometheus metrics (GET /metrics) on this port of the -l addresses",
            "                          (default: off; 0 picks a free port)",
            "   - ssl_chain_cert:      certificate chain file in PEM format",
            "   - ssl_key:             private key (PKCS#8 PEM); default: read from the ssl_chain_cert file",
            "   - ssl_keyformat:       private key format: only 1 (PEM, the default)",
            "   - ssl_verify_mode:     peer certificate verification mode, default is 0(None).",
            "                          valid values are 0(None), 1(Request), 2(Require) or 3(Once)",
            "   - ssl_ciphers:         TLS 1.2 cipher suites, ':'-separated (TLS 1.3 suites stay on)",
            "   - ssl_ca_cert:         PEM format file of acceptable client CA's",
            "   - ssl_session_cache:   count new sessions (ssl_new_sessions); OpenSSL engine: server session cache",
            "   - ssl_min_version:     minimum protocol version to accept (default: tlsv1.2)",
            "                          valid values are 0(tlsv1.0), 1(tlsv1.1), 2(tlsv1.2), or 3(tlsv1.3).",
            "   - ssl_engine:          auto (default: OpenSSL when netty-tcnative loads, else the JDK), jdk, openssl",
            "   ssl_wbuf_size is accepted (no effect); ssl_kernel_tls is refused (no kernel TLS offload)",
            "   other memcached options are accepted (slab/LRU tuning has no effect); unknown ones warn",
            "--mode=single|smp         single: one event loop does everything; smp (default): -t event loops",
            "--transport=<name>        auto (default: io_uring, else epoll, else kqueue, else nio), or one of them",
            "--reuseport               smp: one SO_REUSEPORT listening socket per event loop",
            "");

    static final String LICENSE = String.join("\n",
            "cuckoocache: see the LICENSE file of the project.",
            "It bundles Netty (Apache License 2.0) and picocli (Apache License 2.0).",
            "");
}
