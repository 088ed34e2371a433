package io.cuckoocache.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stopping: the text "shutdown" with -A, close() with clients connected, and SIGTERM to a real process. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ShutdownTest {

    @Test
    void shutdownCommandNeedsDashA() throws Exception {
        try (CacheServer server = Servers.start(CacheServer.Mode.SMP); Raw c = new Raw(server.port())) {
            c.send("shutdown\r\n");
            assertEquals("ERROR: shutdown not enabled", c.line());
            assertFalse(server.awaitTermination(200, TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void shutdownCommandStopsTheServer() throws Exception {
        CacheServer server = Servers.start(CacheServer.Mode.SINGLE, b -> b.shutdownEnabled(true));
        try (Raw bystander = new Raw(server.port()); Raw c = new Raw(server.port())) {
            bystander.send("version\r\n");
            bystander.line();
            c.send("shutdown\r\n");
            assertTrue(c.closedByServer(5000));
            assertTrue(server.awaitTermination(15, TimeUnit.SECONDS), "stopped");
            assertTrue(bystander.closedByServer(5000), "other connections are closed too");
        } finally {
            server.close();
        }
    }

    @Test
    void closeFlushesAndClosesConnections() throws Exception {
        CacheServer server = Servers.start(CacheServer.Mode.SMP);
        try (Raw c = new Raw(server.port())) {
            c.send("version\r\n");
            c.line();
            server.close();
            assertTrue(c.closedByServer(5000));
            assertTrue(server.awaitTermination(1, TimeUnit.SECONDS));
            server.close(); // idempotent
        }
    }

    /** The real command line in its own JVM: starts, serves, and exits 0 on SIGTERM after a graceful stop. */
    @Test
    void sigtermStopsTheProcessWithExitCodeZero(@TempDir Path dir) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Path log = dir.resolve("server.log");
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "-p", "0", "-l", "127.0.0.1", "--mode=single", "-m", "16"));
        pb.redirectErrorStream(true);
        // A file, not a pipe: Process.destroy() closes the pipes, and the output after SIGTERM is what we check.
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        try {
            // The startup line (the test class path may add other libraries' warnings before it).
            Pattern startup = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+) .*transport (\\w+) .*mode single");
            Matcher m = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (m == null && System.nanoTime() < deadline && p.isAlive()) {
                Matcher candidate = startup.matcher(Files.readString(log));
                if (candidate.find()) {
                    m = candidate;
                } else {
                    Thread.sleep(50);
                }
            }
            assertNotNull(m, "no startup line: " + Files.readString(log));
            try (Raw c = new Raw(Integer.parseInt(m.group(1)))) {
                c.send("set k 0 0 1\r\nv\r\n");
                assertEquals("STORED", c.line());
                p.destroy(); // SIGTERM
                assertTrue(c.closedByServer(10_000), "the client is disconnected");
            }
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the process exits");
            assertEquals(0, p.exitValue(), Files.readString(log));
            String output = Files.readString(log);
            assertTrue(output.contains("Signal handled: Terminated."), output);
            assertTrue(output.contains("cuckoocache: stopped"), output);
        } finally {
            p.destroyForcibly();
        }
    }
}
