package io.cuckoocache.server;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/**
 * memcached 1.6.18's command line (its {@code -h}), plus this server's own long options. Parsed by picocli; checked
 * and turned into a {@link ServerConfig.Builder} by {@link Main}. Flags memcached has but this server cannot honour are
 * still recognised, so that memcached command lines keep working; {@link Main} says what each does here.
 */
@Command(name = "cuckoocache", usageHelpAutoWidth = true)
final class Options {
    @Option(names = {"-p", "--port"}, paramLabel = "<num>")
    int port = 11211;

    @Option(names = {"-U", "--udp-port"}, paramLabel = "<num>")
    int udpPort;

    @Option(names = {"-s", "--unix-socket"}, paramLabel = "<file>")
    String unixSocket;

    @Option(names = {"-a", "--unix-mask"}, paramLabel = "<mask>")
    String unixMask;

    @Option(names = {"-A", "--enable-shutdown"})
    boolean enableShutdown;

    @Option(names = {"-l", "--listen"}, paramLabel = "<addr>")
    List<String> listen = new ArrayList<>();

    @Option(names = {"-d", "--daemon"})
    boolean daemon;

    @Option(names = {"-r", "--enable-coredumps"})
    boolean coredumps;

    @Option(names = {"-u", "--user"}, paramLabel = "<user>")
    String user;

    @Option(names = {"-m", "--memory-limit"}, paramLabel = "<num>")
    String memoryLimit = "64";

    @Option(names = {"-M", "--disable-evictions"})
    boolean disableEvictions;

    @Option(names = {"-c", "--conn-limit"}, paramLabel = "<num>")
    int connLimit = 1024;

    @Option(names = {"-k", "--lock-memory"})
    boolean lockMemory;

    @Option(names = {"-v", "--verbose"})
    boolean[] verbose = new boolean[0];

    @Option(names = {"-h", "--help"})
    boolean help;

    @Option(names = {"-i", "--license"})
    boolean license;

    @Option(names = {"-V", "--version"})
    boolean version;

    @Option(names = {"-P", "--pidfile"}, paramLabel = "<file>")
    String pidFile;

    @Option(names = {"-f", "--slab-growth-factor"}, paramLabel = "<num>")
    String slabGrowthFactor;

    @Option(names = {"-n", "--slab-min-size"}, paramLabel = "<bytes>")
    String slabMinSize;

    @Option(names = {"-L", "--enable-largepages"})
    boolean largePages;

    @Option(names = {"-D"}, paramLabel = "<char>")
    String prefixDelimiter;

    @Option(names = {"-t", "--threads"}, paramLabel = "<num>")
    Integer threads;

    @Option(names = {"-R", "--max-reqs-per-event"}, paramLabel = "<num>")
    int reqsPerEvent = 20;

    @Option(names = {"-C", "--disable-cas"})
    boolean disableCas;

    @Option(names = {"-b", "--listen-backlog"}, paramLabel = "<num>")
    int backlog = 1024;

    @Option(names = {"-B", "--protocol"}, paramLabel = "<name>")
    String protocol;

    @Option(names = {"-I", "--max-item-size"}, paramLabel = "<num>")
    String maxItemSize;

    @Option(names = {"-S", "--enable-sasl"})
    boolean sasl;

    @Option(names = {"-F", "--disable-flush-all"})
    boolean disableFlushAll;

    @Option(names = {"-X", "--disable-dumping"})
    boolean disableDumping;

    @Option(names = {"-W", "--disable-watch"})
    boolean disableWatch;

    @Option(names = {"-Y", "--auth-file"}, paramLabel = "<file>")
    String authFile;

    @Option(names = {"-e", "--memory-file"}, paramLabel = "<file>")
    String memoryFile;

    @Option(names = {"-Z", "--enable-ssl"})
    boolean ssl;

    @Option(names = {"-o", "--extended"}, paramLabel = "<opts>")
    List<String> extended = new ArrayList<>();

    @Option(names = {"-N", "--napi_ids"}, paramLabel = "<num>")
    String napiIds;

    // ---------------------------------------------------------------- not memcached's

    @Option(names = "--mode", paramLabel = "single|smp")
    String mode;

    @Option(names = "--transport", paramLabel = "auto|epoll|kqueue|io_uring|nio")
    String transport;

    @Option(names = "--reuseport")
    boolean reusePort;
}
