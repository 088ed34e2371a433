package io.cuckoocache.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** memcached's command line: what is accepted, refused (exit 64), warned about, and what it configures. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Main.Launch run(String... args) {
        out.reset();
        err.reset();
        return Main.configure(args, new PrintStream(out, true), new PrintStream(err, true));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void unknownFlagsExit64WithAClearMessage() {
        assertEquals(Main.EX_USAGE, run("--bogus").exitCode);
        assertTrue(err().contains("Unknown option: '--bogus'"), err());
        assertTrue(err().contains("cuckoocache -h"), err());
        assertEquals(Main.EX_USAGE, run("-x").exitCode);
        assertEquals(Main.EX_USAGE, run("-p").exitCode, "a missing value");
        assertEquals(Main.EX_USAGE, run("-p", "eleven").exitCode);
        assertEquals(Main.EX_USAGE, run("stray").exitCode);
    }

    @Test
    void helpVersionLicense() {
        assertEquals(0, run("-h").exitCode);
        assertTrue(out.toString().contains("-p, --port=<num>"));
        assertTrue(out.toString().contains("default: 127.0.0.1"));
        assertEquals(0, run("-V").exitCode);
        assertTrue(out.toString().startsWith("cuckoocache "), out.toString());
        assertTrue(out.toString().contains("memcached 1.6.18"), out.toString());
        assertEquals(0, run("--license").exitCode);
    }

    @Test
    void refusedLikeMemcachedOrBecauseNotServed() {
        assertEquals(Main.EX_USAGE, run("-U", "11211").exitCode);
        assertTrue(err().contains("UDP is not served"), err());
        assertEquals(-1, run("-U", "0").exitCode);
        assertEquals(Main.EX_USAGE, run("-s", "/tmp/mc.sock").exitCode);
        assertEquals(Main.EX_USAGE, run("-Z").exitCode);
        assertTrue(err().contains("Error loading the certificate chain: (null)"), err());
        assertEquals(Main.EX_USAGE, run("-I", "512").exitCode);
        assertTrue(err().contains("Item max size cannot be less than 1024 bytes."), err());
        assertEquals(Main.EX_USAGE, run("-I", "40m").exitCode, "over half of -m 64");
        assertEquals(Main.EX_USAGE, run("-m", "4096", "-I", "2g").exitCode);
        assertEquals(Main.EX_USAGE, run("-B", "json").exitCode);
        assertTrue(err().contains("should be one of auto, binary, or ascii"), err());
        assertEquals(Main.EX_USAGE, run("-t", "0").exitCode);
        assertEquals(Main.EX_USAGE, run("-c", "0").exitCode);
        assertEquals(Main.EX_USAGE, run("-R", "0").exitCode);
        assertEquals(Main.EX_USAGE, run("-m", "lots").exitCode);
        assertEquals(Main.EX_USAGE, run("-S").exitCode, "no password file");
        assertEquals(Main.EX_USAGE, run("-S", "-B", "ascii", "-o", "sasl_pwdb=/etc/hostname").exitCode);
        assertTrue(err().contains("You cannot allow the ASCII protocol while using SASL."), err());
        assertEquals(Main.EX_USAGE, run("-o", "hashpower=4").exitCode);
        assertEquals(Main.EX_USAGE, run("-o", "idle_timeout=soon").exitCode);
        assertEquals(Main.EX_USAGE, run("--mode=turbo").exitCode);
        assertEquals(Main.EX_USAGE, run("--transport=carrier-pigeon").exitCode);
        assertEquals(Main.EX_USAGE, run("-l", "[::1").exitCode);
    }

    @Test
    void memoryFileIsTakenAndShownAsMemcachedShowsIt() throws Exception {
        assertEquals(Main.EX_USAGE, run("-e", "").exitCode);
        assertEquals("cuckoocache: -e needs a file name", err().trim());
        assertEquals(Main.EX_USAGE, run("-e", "/dev/null").exitCode);
        assertEquals("cuckoocache: -e /dev/null: not a regular file", err().trim());
        assertEquals(Main.EX_USAGE, run("-e", "/nonexistent-dir/cache").exitCode);
        assertEquals("cuckoocache: -e /nonexistent-dir/cache: /nonexistent-dir is not a writable directory", err().trim());
        java.nio.file.Path file = java.nio.file.Files.createTempDirectory("cuckoocache-maintest").resolve("cache");
        Main.Launch l = run("-p", "0", "-e", file.toString());
        assertEquals(-1, l.exitCode, err());
        assertEquals(file, l.builder.build().memoryFile);
        try (CacheServer s = CacheServer.builder().port(0).mode(CacheServer.Mode.SINGLE).memoryFile(file)
                .logTo(new PrintStream(err, true)).start()) {
            assertEquals(file.toString(), s.stats("settings").get("memory_file"));
        }
        assertTrue(err().contains("[restart] no memory file " + file + ", starting with a clean cache"), err());
        java.nio.file.Files.delete(file.getParent());
        try (CacheServer s = CacheServer.builder().port(0).mode(CacheServer.Mode.SINGLE).start()) {
            assertEquals("(null)", s.stats("settings").get("memory_file"));
        }
    }

    @Test
    void acceptedWithWarnings() {
        Main.Launch l = run("-o", "no_such_option,slab_reassign,ext_path=/tmp/x:1G", "-k", "-u", "nobody-else", "-d");
        assertEquals(-1, l.exitCode, err());
        assertTrue(err().contains("-o no_such_option: unknown option, ignored"), err());
        assertTrue(err().contains("ext_path"), err());
        assertTrue(err().contains("-k"), err());
        assertTrue(err().contains("-u nobody-else"), err());
        assertTrue(err().contains("-d"), err());
        assertTrue(!err().contains("slab_reassign"), "known memcached tuning is quiet without -v: " + err());
    }

    @Test
    void sizes() throws Exception {
        assertEquals(64L << 20, Main.parseSize("64", 1L << 20, "-m"));
        assertEquals(1L << 30, Main.parseSize("1g", 1L << 20, "-m"));
        assertEquals(1L << 30, Main.parseSize("1G", 1L << 20, "-m"));
        assertEquals(512 * 1024, Main.parseSize("512k", 1, "-I"));
        assertEquals(2048, Main.parseSize("2048", 1, "-I"));
        assertEquals(1 << 20, Main.parseSize("1m", 1, "-I"));
        assertThrows(Main.UsageException.class, () -> Main.parseSize("-5", 1, "-I"));
        assertThrows(Main.UsageException.class, () -> Main.parseSize("5x", 1, "-I"));
    }

    @Test
    void slabSettingsAreCheckedAndShownAsMemcachedDoes() throws Exception {
        assertEquals(Main.EX_USAGE, run("-f", "1.0").exitCode);
        assertEquals("Factor must be greater than 1", err().trim());
        assertEquals(Main.EX_USAGE, run("-f", "abc").exitCode, "atof: 0");
        assertEquals(Main.EX_USAGE, run("-n", "0").exitCode);
        assertEquals("Chunk size must be greater than 0", err().trim());
        assertEquals(Main.EX_USAGE, run("-o", "slab_chunk_max=100000").exitCode);
        assertEquals("-I (item_size_max: 1048576) must be evenly divisible by slab_chunk_max (bytes: 100000)",
                err().trim());
        Main.Launch l = run("-p", "0", "-n", "100", "-f", "2", "-o", "slab_chunk_max=16384,track_sizes");
        assertEquals(-1, l.exitCode, err());
        try (CacheServer server = l.builder.logTo(new PrintStream(new ByteArrayOutputStream())).start()) {
            Map<String, String> s = server.stats("settings");
            assertEquals("2.00", s.get("growth_factor"));
            assertEquals("100", s.get("chunk_size"));
            assertEquals("16384", s.get("slab_chunk_max"));
            assertEquals(2, server.store().slabClass(153), "152-byte chunks first, as memcached -n 100 -f 2");
            assertEquals("no", s.get("detail_enabled"));
            assertEquals("yes", s.get("track_sizes"));
        }
    }

    @Test
    void prefixDelimiterTurnsDetailOnAsInMemcached() throws Exception {
        Main.Launch l = run("-p", "0", "-D", "/x");
        assertEquals(-1, l.exitCode, err());
        try (CacheServer server = l.builder.logTo(new PrintStream(new ByteArrayOutputStream())).start();
             Raw c = new Raw(server.port())) {
            Map<String, String> s = server.stats("settings");
            assertEquals("/", s.get("stat_key_prefix"));
            assertEquals("yes", s.get("detail_enabled"));
            c.send("get a/b\r\nstats detail dump\r\n");
            assertEquals("END", c.line());
            assertEquals("PREFIX a get 1 hit 0 set 0 del 0", c.line());
            assertEquals("END", c.line());
            c.send("stats detail off\r\n");
            assertEquals("OK", c.line());
            assertEquals("no", server.stats("settings").get("detail_enabled"));
        }
    }

    @Test
    void aFullCommandLineConfiguresTheServer() throws Exception {
        Main.Launch l = run("-p", "0", "-l", "127.0.0.1", "--mode=single", "-c", "5", "-m", "8", "-C", "-M", "-A",
                "-R", "5", "-b", "64", "-I", "2k", "-vv", "-o", "idle_timeout=7,hashpower=16,no_lru_crawler",
                "-o", "transport=nio", "-B", "ascii", "-F");
        assertEquals(-1, l.exitCode, err());
        try (CacheServer server = l.builder.logTo(new PrintStream(new ByteArrayOutputStream())).start()) {
            Map<String, String> s = server.stats("settings");
            assertEquals("5", s.get("maxconns"));
            assertEquals("8388608", s.get("maxbytes"));
            assertEquals("no", s.get("cas_enabled"));
            assertEquals("off", s.get("evictions"));
            assertEquals("yes", s.get("shutdown_command"));
            assertEquals("5", s.get("reqs_per_event"));
            assertEquals("64", s.get("tcp_backlog"));
            assertEquals("2048", s.get("item_size_max"));
            assertEquals("7", s.get("idle_timeout"));
            assertEquals("16", s.get("hashpower_init"));
            assertEquals("no", s.get("lru_crawler"));
            assertEquals("2", s.get("verbosity"));
            assertEquals("ascii", s.get("binding_protocol"));
            assertEquals("no", s.get("flush_enabled"));
            assertEquals("1", s.get("num_threads"));
            assertEquals("single", s.get("server_mode"));
            assertEquals("nio", s.get("transport"));
            assertEquals(CacheServer.Transport.NIO, server.transport());
            try (Raw c = new Raw(server.port())) {
                c.send("flush_all\r\n");
                assertEquals("CLIENT_ERROR flush_all not allowed", c.line(), "-F");
                c.send("shutdown\r\n");
                assertTrue(c.closedByServer(5000), "-A");
                assertTrue(server.awaitTermination(15, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void listenAddressesRepeatableAndCommaSeparated() throws Exception {
        Main.Launch l = run("-p", "0", "-l", "127.0.0.1,127.0.0.2", "-l", "127.0.0.3:0");
        assertEquals(-1, l.exitCode, err());
        try (CacheServer server = l.builder.start()) {
            List<InetSocketAddress> as = server.addresses();
            assertEquals(3, as.size(), as.toString());
            assertEquals("127.0.0.1", as.get(0).getAddress().getHostAddress());
            assertEquals("127.0.0.3", as.get(2).getAddress().getHostAddress());
            assertEquals("127.0.0.1,127.0.0.2,127.0.0.3:0", server.stats("settings").get("inter"));
            for (InetSocketAddress a : as) {
                try (java.net.Socket s = new java.net.Socket(a.getAddress(), a.getPort())) {
                    s.setSoTimeout(5000);
                    s.getOutputStream().write("version\r\n".getBytes(StandardCharsets.US_ASCII));
                    byte[] b = new byte[64];
                    assertTrue(s.getInputStream().read(b) > 0);
                }
            }
        }
    }

    @Test
    void contradictoryAuthenticationSettingsExit64(@TempDir Path dir) throws Exception {
        Path users = dir.resolve("users");
        Files.writeString(users, "alice:secret\n");
        String file = users.toString();
        assertEquals(Main.EX_USAGE, run("-Y", file, "-B", "binary").exitCode);
        assertTrue(err().contains("You cannot allow the BINARY protocol while using ascii authentication tokens."),
                err());
        assertEquals(Main.EX_USAGE, run("-Y", file, "-B", "auto").exitCode, "auto would admit binary connections");
        assertEquals(Main.EX_USAGE, run("-Y", file, "-S", "-o", "sasl_pwdb=" + file).exitCode);
        assertTrue(err().contains("cannot be used together"), err());
        assertEquals(Main.EX_USAGE, run("-Y", file, "-U", "11211").exitCode);
        assertEquals(Main.EX_USAGE, run("-S", "-B", "auto", "-o", "sasl_pwdb=" + file).exitCode);
        assertEquals(Main.EX_USAGE, run("-o", "sasl_pwdb=" + file).exitCode, "a password file but no -S");
        assertTrue(err().contains("authentication would be off"), err());
        assertEquals(-1, run("-Y", file, "-B", "ascii").exitCode, err());
        assertEquals(-1, run("-Y", file, "-F", "-A").exitCode, err());
    }

    @Test
    void anAuthenticationFileThatCannotBeUsedExits64(@TempDir Path dir) throws Exception {
        assertEquals(Main.EX_USAGE, run("-Y", dir.resolve("missing").toString()).exitCode);
        assertTrue(err().contains("cannot read the authentication file (-Y)"), err());
        assertEquals(Main.EX_USAGE, run("-Y", dir.toString()).exitCode, "a directory");
        Path malformed = dir.resolve("malformed");
        Files.writeString(malformed, "alice:secret\nnocolon\n");
        assertEquals(Main.EX_USAGE, run("-Y", malformed.toString()).exitCode);
        assertTrue(err().contains("malformed entry"), err());
    }

    @Test
    void theAuthenticationFileImpliesAscii(@TempDir Path dir) throws Exception {
        Path users = dir.resolve("users");
        Files.writeString(users, "alice:secret\n");
        Main.Launch l = run("-Y", users.toString(), "-p", "0");
        assertEquals(-1, l.exitCode, err());
        try (CacheServer server = l.builder.start()) {
            assertEquals("ascii", server.stats("settings").get("binding_protocol"));
            assertEquals("yes", server.stats("settings").get("auth_enabled_ascii"));
        }
    }

    @Test
    void anEmbeddedServerRefusesAnAuthenticatorThatLeavesTheOtherProtocolOpen() {
        assertThrows(IllegalArgumentException.class, () -> CacheServer.builder().port(0)
                .asciiAuthenticator((u, p) -> true).start());
        assertThrows(IllegalArgumentException.class, () -> CacheServer.builder().port(0)
                .protocol(CacheServer.Protocol.AUTO).saslAuthenticator((u, p) -> true).start());
    }

    @Test
    void theDefaultAddressIsLoopback() throws Exception {
        Main.Launch l = run("-p", "0");
        try (CacheServer server = l.builder.start()) {
            assertEquals(1, server.addresses().size());
            assertTrue(server.addresses().get(0).getAddress().isLoopbackAddress());
        }
    }
}
