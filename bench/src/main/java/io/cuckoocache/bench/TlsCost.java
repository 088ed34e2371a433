package io.cuckoocache.bench;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The cost of TLS per request, A/B in one run (bench/RESULTS.md, "TLS cost"): the same client (JDK SSLSocket, one
 * thread per connection, one request per round trip, set and get alternating on 1,000 keys, 32-byte values) drives
 * each target a fixed number of requests per round, targets interleaved round by round. Per target: requests/s and
 * server CPU per request (utime+stime of the server's pid, read from its "stats", from /proc); then, with
 * {@code --handshakes}, new connections per second (connect, handshake, one version, close).
 * <pre>
 * TlsCost --ca ca.pem [--conns 4] [--requests 20000] [--rounds 5] [--handshakes 300] [--compare a/b ...]
 *         label=port:tls|plain ...
 * </pre>
 * Each {@code --compare a/b} prints a's figures over b's (per round, then median and range). Loopback only; every
 * read times out.
 */
public final class TlsCost {
    private static final long TICK_NS = 10_000_000L; // USER_HZ 100: /proc's CPU clock ticks

    private record Target(String label, int port, boolean tls) {
    }

    private TlsCost() {
    }

    public static void main(String[] args) throws Exception {
        Path ca = null;
        int conns = 4;
        int requests = 20_000;
        int rounds = 5;
        int handshakes = 0;
        List<Target> targets = new ArrayList<>();
        List<String[]> compare = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--ca" -> ca = Path.of(args[++i]);
                case "--conns" -> conns = Integer.parseInt(args[++i]);
                case "--requests" -> requests = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--handshakes" -> handshakes = Integer.parseInt(args[++i]);
                case "--compare" -> compare.add(args[++i].split("/"));
                default -> {
                    String[] t = args[i].split("[=:]");
                    if (t.length != 3) throw new IllegalArgumentException("target: label=port:tls|plain, not " + args[i]);
                    targets.add(new Target(t[0], Integer.parseInt(t[1]), t[2].equals("tls")));
                }
            }
        }
        if (ca == null || targets.isEmpty()) throw new IllegalArgumentException("need --ca and targets");
        SSLContext ssl = context(ca);
        int n = targets.size();
        double[][] rps = new double[n][rounds];
        double[][] cpu = new double[n][rounds];
        double[][] clientCpu = new double[n][rounds];
        ExecutorService pool = Executors.newFixedThreadPool(conns);
        try {
            for (int r = -1; r < rounds; r++) { // round -1 warms the JITs (client and servers); not reported
                for (int t = 0; t < n; t++) {
                    Target target = targets.get(t);
                    long pid = serverPid(ssl, target);
                    double[] m = load(ssl, target, pid, conns, requests, pool);
                    if (r < 0) continue;
                    rps[t][r] = m[0];
                    cpu[t][r] = m[1];
                    clientCpu[t][r] = m[2];
                    System.out.printf(Locale.ROOT, "round %d %-16s %9.0f req/s  server %6.2f us/req  client %6.2f us/req%n",
                            r + 1, target.label, m[0], m[1], m[2]);
                }
            }
            System.out.printf(Locale.ROOT, "%nmedians over %d rounds (%d connections, %d requests per round)%n",
                    rounds, conns, requests);
            for (int t = 0; t < n; t++) {
                System.out.printf(Locale.ROOT, "%-16s %9.0f req/s  server %6.2f us/req  client %6.2f us/req%n",
                        targets.get(t).label, median(rps[t]), median(cpu[t]), median(clientCpu[t]));
            }
            for (String[] pair : compare) {
                int a = index(targets, pair[0]);
                int b = index(targets, pair[1]);
                // Per round, then the median and the range: the two ran back to back in every round.
                double[] rr = new double[rounds];
                double[] cr = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    rr[r] = rps[a][r] / rps[b][r];
                    cr[r] = cpu[a][r] / cpu[b][r];
                }
                System.out.printf(Locale.ROOT, "%s / %s: req/s x%.2f (%.2f..%.2f), server CPU/req x%.2f"
                                + " (%.2f..%.2f)%n", pair[0], pair[1], median(rr), min(rr), max(rr), median(cr),
                        min(cr), max(cr));
            }
            if (handshakes > 0) {
                System.out.printf(Locale.ROOT, "%nnew connections (connect, handshake, version, close), %d each%n",
                        handshakes);
                for (Target target : targets) {
                    long pid = serverPid(ssl, target);
                    long ticks = ticks(pid);
                    long start = System.nanoTime();
                    for (int i = 0; i < handshakes; i++) {
                        try (Conn c = new Conn(ssl, target)) {
                            c.version();
                        }
                    }
                    double secs = (System.nanoTime() - start) / 1e9;
                    System.out.printf(Locale.ROOT, "%-16s %7.0f conn/s  server %7.1f us/conn%n", target.label,
                            handshakes / secs, (ticks(pid) - ticks) * (double) TICK_NS / 1000 / handshakes);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static int index(List<Target> targets, String label) {
        for (int i = 0; i < targets.size(); i++) if (targets.get(i).label.equals(label)) return i;
        throw new IllegalArgumentException("--compare: no target " + label);
    }

    /** One round on one target: {requests/s, server µs/request, client µs/request}. */
    private static double[] load(SSLContext ssl, Target target, long pid, int conns, int requests,
                                 ExecutorService pool) throws Exception {
        List<Conn> cs = new ArrayList<>();
        try {
            for (int i = 0; i < conns; i++) cs.add(new Conn(ssl, target)); // handshakes before the clock
            for (Conn c : cs) c.version();
            int each = requests / conns;
            long ticks = ticks(pid);
            long clientNs = clientCpuNs();
            long start = System.nanoTime();
            List<Future<?>> fs = new ArrayList<>();
            for (Conn c : cs) fs.add(pool.submit(() -> c.run(each)));
            for (Future<?> f : fs) f.get();
            double secs = (System.nanoTime() - start) / 1e9;
            int done = each * conns;
            return new double[]{done / secs, (ticks(pid) - ticks) * (double) TICK_NS / 1000 / done,
                    (clientCpuNs() - clientNs) / 1000.0 / done};
        } finally {
            for (Conn c : cs) c.close();
        }
    }

    /** The server's pid, from its "stats" (so the target can be any server, started any way). */
    private static long serverPid(SSLContext ssl, Target target) throws IOException {
        try (Conn c = new Conn(ssl, target)) {
            c.out.write("stats\r\n".getBytes(StandardCharsets.US_ASCII));
            c.out.flush();
            long pid = -1;
            for (String line; !(line = c.line()).equals("END"); ) {
                if (line.startsWith("STAT pid ")) pid = Long.parseLong(line.substring(9));
            }
            return pid;
        }
    }

    private static long ticks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static long clientCpuNs() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static SSLContext context(Path ca) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(ca)) {
            ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, tmf.getTrustManagers(), null);
        return c;
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] a) {
        return Arrays.stream(a).min().orElse(Double.NaN);
    }

    private static double max(double[] a) {
        return Arrays.stream(a).max().orElse(Double.NaN);
    }

    /** One connection, plain or TLS, one request per round trip. */
    private static final class Conn implements AutoCloseable {
        private static final byte[] VALUE = "v".repeat(32).getBytes(StandardCharsets.US_ASCII);
        final Socket socket;
        final OutputStream out;
        final InputStream in;
        private final StringBuilder sb = new StringBuilder();

        Conn(SSLContext ssl, Target target) throws IOException {
            Socket s = new Socket();
            s.connect(new InetSocketAddress("127.0.0.1", target.port), 10_000);
            s.setTcpNoDelay(true);
            s.setSoTimeout(30_000);
            if (target.tls) {
                SSLSocket t = (SSLSocket) ssl.getSocketFactory().createSocket(s, "localhost", target.port, true);
                t.startHandshake();
                s = t;
            }
            socket = s;
            out = new BufferedOutputStream(s.getOutputStream(), 4096);
            in = new BufferedInputStream(s.getInputStream(), 16384);
        }

        void version() throws IOException {
            out.write("version\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            if (!line().startsWith("VERSION ")) throw new IOException("not a version reply");
        }

        /** {@code count} requests: set and get alternating, random keys of 1,000. */
        Void run(int count) throws IOException {
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            for (int i = 0; i < count; i++) {
                String key = "tls-cost-" + rnd.nextInt(1000);
                if ((i & 1) == 0) {
                    out.write(("set " + key + " 0 0 " + VALUE.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(VALUE);
                    out.write('\r');
                    out.write('\n');
                    out.flush();
                    if (!line().equals("STORED")) throw new IOException("set not stored");
                } else {
                    out.write(("get " + key + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    for (String l; !(l = line()).equals("END"); ) {
                        if (!l.startsWith("VALUE ") && l.length() != VALUE.length) throw new IOException(l);
                    }
                }
            }
            return null;
        }

        String line() throws IOException {
            sb.setLength(0);
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) throw new IOException("closed");
                if (c != '\r') sb.append((char) c);
            }
            return sb.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
