package io.cuckoocache.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server in a child JVM started by the launcher, {@code ./cuckoocache} (on this test's class path instead of the
 * jar, which is built after the tests), so it runs with the heap, collector and -XX:+ExitOnOutOfMemoryError that
 * operators get, plus a GC log. Its heap is measured apart from the test's clients, and it has its own
 * file-descriptor limit (10,000 connections are 10,000 descriptors on each side).
 */
final class ChildServer implements AutoCloseable {
    private static final Pattern STARTED = Pattern.compile(" listening on 127\\.0\\.0\\.1:(\\d+) ");
    /** G1: "211M->173M(339M)"; ZGC: "120M(35%)->40M(12%)". */
    private static final Pattern GC_HEAP = Pattern.compile("(\\d+)M(?:\\(\\d+%\\))?->(\\d+)M");
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)([KMG])|(\\d+)([KMG]) used");

    final Process process;
    final int port;
    private final Path dir;
    private final Path output;
    private final Path gcLog;
    private Raw monitor;

    private ChildServer(Process process, int port, Path dir, Path output, Path gcLog) {
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.output = output;
        this.gcLog = gcLog;
    }

    static ChildServer start(String... serverArgs) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("cuckoocache-child");
        Path output = dir.resolve("server.out");
        Path gcLog = dir.resolve("gc.log");
        Path launcher = Path.of(System.getProperty("basedir", "."), "..", "cuckoocache").normalize();
        List<String> cmd = new ArrayList<>(List.of(launcher.toString(), "-l", "127.0.0.1", "-p", "0"));
        cmd.addAll(List.of(serverArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("CUCKOOCACHE_CLASSPATH",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        // GC.run (heapUsedAfterCollectionMb) compacts the whole heap on every collector: Shenandoah's System.gc() is
        // otherwise a concurrent cycle that leaves regions under a quarter garbage as they are.
        pb.environment().put("CUCKOOCACHE_JAVA_OPTS", "-Xlog:gc:file=" + gcLog + " -XX:-ExplicitGCInvokesConcurrent");
        Process p = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && p.isAlive()) {
            Matcher m = STARTED.matcher(Files.readString(output));
            if (m.find()) return new ChildServer(p, Integer.parseInt(m.group(1)), dir, output, gcLog);
            Thread.sleep(50);
        }
        p.destroyForcibly();
        throw new IOException("the server did not start: " + Files.readString(output));
    }

    /**
     * "stats" (or "stats conns", ...) over one text connection kept open for the purpose, so that reading them
     * needs no free connection slot (and the count of connections includes it, always).
     */
    synchronized Map<String, String> stats(String sub) throws IOException {
        if (monitor == null) monitor = new Raw(port);
        monitor.send(sub.isEmpty() ? "stats\r\n" : "stats " + sub + "\r\n");
        Map<String, String> m = new LinkedHashMap<>();
        for (String l; !(l = monitor.line()).equals("END"); ) {
            String[] f = l.split(" ", 3);
            m.put(f[1], f.length > 2 ? f[2] : "");
        }
        return m;
    }

    long stat(String name) throws IOException {
        return Long.parseLong(stats("").get(name));
    }

    /** Client connections the server holds internally ("stats conns" entries with a state, minus listeners). */
    long connectionsHeld() throws IOException {
        return stats("conns").entrySet().stream()
                .filter(e -> e.getKey().endsWith(":state") && !e.getValue().equals("conn_listening")).count();
    }

    /** A jcmd command on the server's JVM (the launcher execs it: same process); its output. */
    String jcmd(String command) throws IOException, InterruptedException {
        Process j = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(process.pid()), command).redirectErrorStream(true).start();
        String out = new String(j.getInputStream().readAllBytes());
        if (!j.waitFor(30, TimeUnit.SECONDS)) j.destroyForcibly();
        return out;
    }

    /**
     * Bytes of the objects live now, from jcmd GC.class_histogram (which collects first): exact whatever the
     * collector, where a GC log's "after" also counts space the collector has not compacted.
     */
    long liveHeapBytes() throws IOException, InterruptedException {
        String histogram = jcmd("GC.class_histogram");
        Matcher m = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)").matcher(histogram);
        if (!m.find()) throw new IOException("no total in: " + histogram.lines().limit(5).toList());
        return Long.parseLong(m.group(1));
    }

    /**
     * From the GC log: {the most heap in use before a collection, the most left after one},
     * in MB. Unlike a class histogram these count what the collector spends on the objects (regions, pages).
     */
    long[] heapFromGcLog() throws IOException {
        long maxBefore = 0;
        long maxAfter = 0;
        for (String line : Files.readAllLines(gcLog)) {
            Matcher m = GC_HEAP.matcher(line);
            if (!m.find()) continue;
            maxBefore = Math.max(maxBefore, Long.parseLong(m.group(1)));
            maxAfter = Math.max(maxAfter, Long.parseLong(m.group(2)));
        }
        return new long[] {maxBefore, maxAfter};
    }

    /**
     * Runs a whole-heap collection ({@code GC.run}) and returns the heap in use after it, in MB, as {@code GC.heap_info}
     * reports it for G1 ("used 1265177K"), ZGC ("used 1240M") and Shenandoah ("302M used").
     */
    long heapUsedAfterCollectionMb() throws IOException, InterruptedException {
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        Matcher m = HEAP_USED.matcher(info);
        if (!m.find()) throw new IOException("no heap use in: " + info);
        String n = m.group(1) != null ? m.group(1) : m.group(3);
        String unit = m.group(1) != null ? m.group(2) : m.group(4);
        long v = Long.parseLong(n);
        return unit.equals("K") ? v >> 10 : unit.equals("G") ? v << 10 : v;
    }

    /**
     * GC log lines that mean the heap ran short: G1 falling back to a full collection of its own, ZGC stalling an
     * allocation, Shenandoah degenerating into a pause or a full collection.
     */
    List<String> heapShortages() throws IOException {
        return Files.readAllLines(gcLog).stream().filter(l -> l.contains("Pause Full (G1 Compaction Pause)")
                || l.contains("Allocation Failure") || l.contains("Allocation Stall")
                || l.contains("Pause Degenerated") || l.contains("Pause Full (Allocation")).toList();
    }

    /** VmHWM (peak resident set) of the server process in kB, or -1 where /proc is missing. */
    long peakRssKb() throws IOException {
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        if (!Files.exists(status)) return -1;
        for (String l : Files.readAllLines(status)) {
            if (l.startsWith("VmHWM:")) return Long.parseLong(l.replaceAll("[^0-9]", ""));
        }
        return -1;
    }

    String output() throws IOException {
        return Files.readString(output);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (monitor != null) monitor.close();
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        for (Path f : List.of(output, gcLog)) Files.deleteIfExists(f);
        Files.deleteIfExists(dir);
    }
}
