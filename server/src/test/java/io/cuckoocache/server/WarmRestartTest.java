package io.cuckoocache.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * -e PATH end to end, against the server started by the launcher in a child JVM, as operators run it: a graceful
 * stop (SIGUSR1, "shutdown graceful") saves, a start restores exactly; SIGTERM and "shutdown" do not save; a
 * damaged or incompatible file is refused with a log line and the server starts cold.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class WarmRestartTest {
    /** Every tenth item lives 2 s (gone after the restart), every tenth + 1 lives 1000 s, the others forever. */
    private static final int SHORT_TTL = 2;
    private static final int LONG_TTL = 1000;

    private static String key(int i) {
        return "key:" + i;
    }

    private static String value(int i) {
        StringBuilder b = new StringBuilder("v").append(i).append('-');
        for (int j = b.length(); j < 20 + i % 80; j++) b.append((char) ('a' + (i + j) % 26));
        return b.toString();
    }

    private static long flags(int i) {
        return i % 3 == 0 ? 0 : (i * 2654435761L) & 0xFFFF_FFFFL;
    }

    private static int ttl(int i) {
        return i % 10 == 0 ? SHORT_TTL : i % 10 == 1 ? LONG_TTL : 0;
    }

    /** One connection that pipelines: a thread writes every request while the caller reads the replies. */
    private static final class Pipe implements AutoCloseable {
        final Socket socket = new Socket();
        final InputStream in;

        Pipe(int port) throws IOException {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(20_000);
            in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        }

        /** Sends what {@code requests} writes from another thread, so that the replies never block it. */
        Thread send(IoWriter requests, AtomicReference<Throwable> failure) {
            Thread t = new Thread(() -> {
                try {
                    OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
                    requests.write(out);
                    out.flush();
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "warm-restart-test-writer");
            t.start();
            return t;
        }

        String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream(64);
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) throw new EOFException("closed after " + b);
                b.write(c);
            }
            String s = b.toString(StandardCharsets.ISO_8859_1);
            return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    interface IoWriter {
        void write(OutputStream out) throws IOException;
    }

    private static void fill(int port, int n) throws Exception {
        try (Pipe p = new Pipe(port)) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread t = p.send(out -> {
                for (int i = 0; i < n; i++) {
                    String v = value(i);
                    out.write(("set " + key(i) + " " + flags(i) + " " + ttl(i) + " " + v.length() + " noreply\r\n" + v
                            + "\r\n").getBytes(StandardCharsets.US_ASCII));
                }
                out.write("mn\r\n".getBytes(StandardCharsets.US_ASCII));
            }, failure);
            assertEquals("MN", p.line());
            t.join(10_000);
            assertNull(failure.get());
        }
    }

    /** What mg reported for every key: {CAS, TTL} per key, CAS -1 for a miss; values and flags checked on the way. */
    private static long[][] readAll(int port, int n) throws Exception {
        long[][] seen = new long[n][];
        try (Pipe p = new Pipe(port)) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread t = p.send(out -> {
                for (int i = 0; i < n; i++) out.write(("mg " + key(i) + " v f c t\r\n").getBytes(StandardCharsets.US_ASCII));
            }, failure);
            for (int i = 0; i < n; i++) {
                String head = p.line();
                if (head.equals("EN")) {
                    seen[i] = new long[] {-1, 0};
                    continue;
                }
                String v = value(i);
                assertEquals("VA " + v.length() + " f" + flags(i), head.substring(0, head.indexOf(" c")), key(i));
                assertEquals(v, p.line(), key(i));
                String[] f = head.split(" ");
                seen[i] = new long[] {Long.parseLong(f[3].substring(1)), Long.parseLong(f[4].substring(1))};
            }
            t.join(10_000);
            assertNull(failure.get());
        }
        return seen;
    }

    /** Sends a signal with kill(1) and waits for the process to exit; its exit status. */
    private static int signal(ChildServer s, String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(s.process.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor());
        assertTrue(s.process.waitFor(60, TimeUnit.SECONDS), "the server exits after SIG" + name);
        return s.process.exitValue();
    }

    private static int command(ChildServer s, String command) throws Exception {
        try (Raw c = new Raw(s.port)) {
            c.send(command + "\r\n");
            assertTrue(c.closedByServer(10_000));
        }
        assertTrue(s.process.waitFor(60, TimeUnit.SECONDS), "the server exits after " + command);
        return s.process.exitValue();
    }

    /** The number the first match of {@code regex}'s group 1 is, in the server's output. */
    private static long logged(ChildServer s, String regex) throws IOException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(regex).matcher(s.output());
        assertTrue(m.find(), regex + " in " + s.output());
        return Long.parseLong(m.group(1));
    }

    private static String quoted(Path p) {
        return java.util.regex.Pattern.quote(p.toString());
    }

    @Test
    void sigusr1SavesEveryItemAndTheNextStartRestoresThemExactly(@TempDir Path dir) throws Exception {
        int n = 300_000;
        Path file = dir.resolve("cache");
        String[] args = {"-m", "128", "-e", file.toString()};
        long[][] before;
        long filledAt;
        long fillEnd;
        long saved;
        try (ChildServer s = ChildServer.start(args)) {
            assertTrue(s.output().contains("[restart] no memory file " + file + ", starting with a clean cache"),
                    s.output());
            filledAt = System.currentTimeMillis();
            fill(s.port, n);
            fillEnd = System.currentTimeMillis();
            before = readAll(s.port, n);
            assertEquals(0, signal(s, "USR1"), s.output());
            String out = s.output();
            assertTrue(out.contains("Signal handled: User defined signal 1. Gracefully stopping"), out);
            // the 2-second items may begin to expire before the save, the others are all there
            saved = logged(s, "\\[restart] saved (\\d+) items to " + quoted(file) + ": ");
            assertTrue(saved >= n - n / 10 && saved <= n, out);
            assertTrue(out.contains("cuckoocache: stopped"), out);
        }
        assertTrue(Files.exists(file));
        long max = 0;
        for (int i = 0; i < n; i++) {
            if (ttl(i) != SHORT_TTL) assertTrue(before[i][0] > 0, key(i));
            max = Math.max(max, before[i][0]);
        }
        // The 2-second items expire while the server is down.
        long wait = fillEnd + (SHORT_TTL + 1) * 1000L - System.currentTimeMillis();
        if (wait > 0) Thread.sleep(wait);

        try (ChildServer s = ChildServer.start(args)) {
            long restartedAt = System.currentTimeMillis();
            int kept = n - n / 10;
            assertEquals(kept, logged(s, "\\[restart] restored (\\d+) items from " + quoted(file)));
            assertEquals(saved - kept, logged(s, "; (\\d+) expired meanwhile\\): .* MB/s\\); file removed\n"));
            assertFalse(Files.exists(file), "the file is consumed");
            assertEquals(kept, s.stat("curr_items"));
            long[][] after = readAll(s.port, n);
            long readEnd = System.currentTimeMillis();
            // Seconds of TTL an item set in [filledAt, fillEnd] with 1000 s can have left when read after the restart.
            long most = LONG_TTL - (restartedAt / 1000 - fillEnd / 1000) + 1;
            long least = LONG_TTL - (readEnd / 1000 - filledAt / 1000) - 1;
            assertTrue(most < LONG_TTL, "the server was down for a while");
            for (int i = 0; i < n; i++) {
                if (ttl(i) == SHORT_TTL) {
                    assertEquals(-1, after[i][0], key(i) + " expired");
                    continue;
                }
                assertEquals(before[i][0], after[i][0], key(i) + "'s CAS");
                if (ttl(i) == 0) {
                    assertEquals(-1, after[i][1], key(i));
                } else {
                    assertTrue(after[i][1] >= least && after[i][1] <= most,
                            key(i) + ": TTL " + after[i][1] + " not in [" + least + ", " + most + "]");
                }
            }
            try (Raw c = new Raw(s.port)) {
                c.send("set new 0 0 1\r\nx\r\nmg new c\r\n");
                assertEquals("STORED", c.line());
                String cas = c.line();
                assertTrue(Long.parseLong(cas.substring(4)) > max, cas + " after a largest restored CAS of " + max);
            }
        }
    }

    @Test
    void shutdownGracefulSavesAndPlainShutdownAndSigtermDoNot(@TempDir Path dir) throws Exception {
        int n = 20_000;
        Path file = dir.resolve("cache");
        String[] args = {"-m", "64", "-A", "-e", file.toString()};
        long[][] before;
        try (ChildServer s = ChildServer.start(args)) {
            fill(s.port, n);
            before = readAll(s.port, n);
            assertEquals(0, command(s, "shutdown graceful"));
            assertTrue(s.output().contains("[restart] saved " + n + " items"), s.output());
        }
        try (ChildServer s = ChildServer.start(args)) {
            long restored = logged(s, "\\[restart] restored (\\d+) items");
            long[][] after = readAll(s.port, n);
            long hits = 0;
            for (int i = 0; i < n; i++) {
                if (after[i][0] != -1) hits++;
                // a 2-second item may have expired meanwhile; every other one is there, as it was
                if (ttl(i) != SHORT_TTL || after[i][0] != -1) assertEquals(before[i][0], after[i][0], key(i));
            }
            assertTrue(hits >= n - n / 10 && hits <= restored, hits + " of " + restored); // 2-s items may expire now
            assertEquals(0, command(s, "shutdown"));
            assertFalse(s.output().contains("[restart] saved"), s.output());
        }
        assertFalse(Files.exists(file), "plain shutdown saves nothing");
        try (ChildServer s = ChildServer.start(args)) {
            assertTrue(s.output().contains("[restart] no memory file"), s.output());
            assertEquals(0, s.stat("curr_items"));
            fill(s.port, 100);
            assertEquals(0, signal(s, "TERM"));
            assertTrue(s.output().contains("Signal handled: Terminated."), s.output());
            assertFalse(s.output().contains("[restart] saved"), s.output());
        }
        assertFalse(Files.exists(file), "SIGTERM saves nothing");
    }

    /** One good file, then each damage or mismatch in turn: refused, logged, a cold start; finally the good one loads. */
    @Test
    void damagedOrIncompatibleFilesAreRefusedAndTheServerStartsCold(@TempDir Path dir) throws Exception {
        int n = 30_000;
        Path file = dir.resolve("cache");
        String[] args = {"-m", "64", "-e", file.toString()};
        try (ChildServer s = ChildServer.start(args)) {
            fill(s.port, n);
            assertEquals(0, signal(s, "USR1"));
        }
        byte[] good = Files.readAllBytes(file);
        assertTrue(good.length > 2 * MemoryFile.BLOCK, "more than one block: " + good.length);

        byte[] flipped = good.clone();
        flipped[good.length - 200] ^= 0x10; // in the last block: met after the first blocks were loaded
        byte[] v9 = good.clone();
        ByteBuffer.wrap(v9).putInt(8, 9);
        String[][] cases = {
                // content, extra arguments, the reason the log line must give
                {"flipped", "", "block \\d+ at byte \\d+: checksum mismatch"},
                {"truncated", "", "truncated: block \\d+ at byte \\d+ needs \\d+ bytes, the file ends at byte \\d+"},
                {"version", "", "format version 9, this server reads version 1"},
                {"good", "-m 128", "saved with settings \"maxbytes=67108864 item_size_max=1048576 use_cas=true\", this"
                        + " server runs with \"maxbytes=134217728 item_size_max=1048576 use_cas=true\""},
                {"good", "-I 2m", "saved with settings .*, this server runs with \"maxbytes=67108864"
                        + " item_size_max=2097152 use_cas=true\""},
                {"good", "-C", "saved with settings .*use_cas=true\", this server runs with .*use_cas=false\""},
        };
        for (String[] c : cases) {
            byte[] content = switch (c[0]) {
                case "flipped" -> flipped;
                case "truncated" -> java.util.Arrays.copyOf(good, good.length - 1000);
                case "version" -> v9;
                default -> good;
            };
            Files.write(file, content);
            String[] more = c[1].isEmpty() ? new String[0] : c[1].split(" ");
            String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.Arrays.stream(more))
                    .toArray(String[]::new);
            try (ChildServer s = ChildServer.start(all)) {
                String out = s.output();
                assertTrue(out.matches("(?s)(.*\n)?\\[restart] " + java.util.regex.Pattern.quote(file.toString())
                        + " refused: " + c[2] + "; starting with a clean cache \\(file moved to "
                        + java.util.regex.Pattern.quote(file + ".rejected") + "\\)\n.*"), c[0] + " " + c[1] + ": " + out);
                assertEquals(0, s.stat("curr_items"), c[0] + " " + c[1]);
                assertFalse(Files.exists(file));
                assertEquals(file.toString(), s.stats("settings").get("memory_file"));
            }
        }
        Files.write(file, good);
        try (ChildServer s = ChildServer.start(args)) {
            assertTrue(s.output().contains("[restart] restored "), s.output());
            assertTrue(s.stat("curr_items") >= n - n / 10, s.output());
        }
    }
}
