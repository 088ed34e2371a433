package io.cuckoocache.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The monitoring tools shipped beside memcached see the same shape from both servers: libmemcached's memcstat
 * (every stat name, in order) and Debian's memcached-tool ("stats": every name; "display": its columns and the
 * slab classes listed) after the same writes to memcached 1.6.18 and to this server. Skipped without the tools or
 * memcached; failed without them when CI=true.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class MonitoringToolsTest {
    private static final Path MEMCACHED = Path.of("/usr/bin/memcached");
    private static final Path MEMCSTAT = Path.of("/usr/bin/memcstat");
    private static final Path MEMCACHED_TOOL = Path.of("/usr/share/memcached/scripts/memcached-tool");

    private static Process memcached;
    private static int memcachedPort;
    private static CacheServer ours;

    @BeforeAll
    static void start() throws Exception {
        for (Path p : List.of(MEMCACHED, MEMCSTAT, MEMCACHED_TOOL)) {
            if (Files.isRegularFile(p)) continue;
            if ("true".equals(System.getenv("CI"))) fail(p + " is missing: install memcached and libmemcached-tools");
            Assumptions.abort(p + " is missing (apt-get install memcached libmemcached-tools)");
        }
        try (ServerSocket s = new ServerSocket(0)) {
            memcachedPort = s.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(List.of(MEMCACHED.toString(), "-p", Integer.toString(memcachedPort),
                "-U", "0", "-l", "127.0.0.1", "-t", "2"));
        if ("root".equals(System.getProperty("user.name"))) cmd.addAll(List.of("-u", "root"));
        memcached = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        ours = Servers.start(CacheServer.Mode.SMP);
        for (int port : new int[] {memcachedPort, ours.port()}) {
            try (Raw c = connect(port)) {
                for (int size : new int[] {1, 30, 300, 3000, 30000}) {
                    c.send("set k" + size + " 0 0 " + size + "\r\n" + "v".repeat(size) + "\r\n");
                    assertEquals("STORED", c.line());
                }
            }
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (ours != null) ours.close();
        if (memcached != null) {
            memcached.destroy();
            memcached.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static Raw connect(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return new Raw(port);
            } catch (IOException e) {
                if (System.nanoTime() > deadline) throw e;
                Thread.sleep(50);
            }
        }
    }

    @Test
    void memcstatListsTheSameNames() throws Exception {
        assertEquals(firstFields(run(MEMCSTAT.toString(), "--servers=127.0.0.1:" + memcachedPort), ":", 1),
                firstFields(run(MEMCSTAT.toString(), "--servers=127.0.0.1:" + ours.port()), ":", 1));
    }

    @Test
    void memcachedToolShowsTheSameShape() throws Exception {
        List<String> theirs = firstFields(tool("stats", memcachedPort), " ", 1);
        assertTrue(theirs.contains("lrutail_reflocked"), theirs.toString());
        assertEquals(theirs, firstFields(tool("stats", ours.port()), " ", 1));
        String[] display = tool("display", memcachedPort).split("\n");
        String[] mine = tool("display", ours.port()).split("\n");
        assertEquals(display[0], mine[0], "the columns");
        assertEquals(5, display.length, "a header and four classes (1 and 30 bytes share class 1): "
                + String.join("\n", display));
        for (int i = 1; i < display.length; i++) {
            // class, chunk size, (age differs), pages, count, full?, evicted, evict time, oom
            assertEquals(display[i].replaceAll("\\s+\\d+s\\s+", " * "), mine[i].replaceAll("\\s+\\d+s\\s+", " * "));
        }
    }

    private static String tool(String mode, int port) throws Exception {
        return run("perl", MEMCACHED_TOOL.toString(), "127.0.0.1:" + port, mode);
    }

    /** The first field of each line (split at {@code separator}), from line {@code skip} on, trimmed. */
    private static List<String> firstFields(String output, String separator, int skip) {
        List<String> names = new ArrayList<>();
        String[] lines = output.split("\n");
        for (int i = skip; i < lines.length; i++) {
            String line = lines[i].trim();
            if (!line.isEmpty()) names.add(line.split(separator)[0].trim());
        }
        return names;
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", cmd));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + out);
        return out;
    }
}
