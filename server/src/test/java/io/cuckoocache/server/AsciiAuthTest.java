package io.cuckoocache.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** -Y (memcached's ASCII authentication) end to end: the command line, a real server, its counters. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AsciiAuthTest {

    @Test
    void onlyAuthenticatedConnectionsAreServed(@TempDir Path dir) throws Exception {
        Path users = dir.resolve("users");
        Files.writeString(users, "# users\nalice:secret\nbob:builder\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Main.Launch launch = Main.configure(new String[] {"-Y", users.toString(), "-p", "0", "-l", "127.0.0.1"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
        assertEquals(-1, launch.exitCode, err.toString());
        try (CacheServer server = launch.builder.start(); Raw c = new Raw(server.port())) {
            c.send("get k\r\nversion\r\nmg k v\r\n");
            for (int i = 0; i < 3; i++) assertEquals("CLIENT_ERROR unauthenticated", c.line());
            c.send("set auth 0 0 11\r\nalice wrong\r\n");
            assertEquals("CLIENT_ERROR authentication failure", c.line());
            c.send("set auth 0 0 12\r\nalice secret\r\nset k 0 0 1\r\nv\r\nget k\r\nmn\r\n");
            assertEquals("STORED", c.line());
            assertEquals("STORED", c.line());
            assertEquals("VALUE k 0 1", c.line());
            assertEquals("v", c.line());
            assertEquals("END", c.line());
            assertEquals("MN", c.line());

            // Another connection is not authenticated by this one; binary requests are text here (-Y implies
            // -B ascii), so a binary noop is text: "\x80" up to its opcode byte (a newline), then a line cut at its
            // first NUL; neither is an authentication, both are refused, as memcached does.
            try (Raw other = new Raw(server.port())) {
                other.send(new byte[] {(byte) 0x80, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                        0, 0, 0, 0, 'g', 'e', 't', ' ', 'k', '\r', '\n'});
                assertEquals("CLIENT_ERROR unauthenticated", other.line());
                assertEquals("CLIENT_ERROR unauthenticated", other.line());
                // The password file is read at each attempt: a change applies without a restart.
                Files.writeString(users, "bob:rebuilt\n");
                other.send("set a 0 0 11\r\nbob builder\r\nset a 0 0 11\r\nbob rebuilt\r\n");
                assertEquals("CLIENT_ERROR authentication failure", other.line());
                assertEquals("STORED", other.line());
            }
            assertEquals("4", server.stats("").get("auth_cmds"));
            assertEquals("2", server.stats("").get("auth_errors"));
        }
    }
}
