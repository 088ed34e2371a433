package io.cuckoocache.server;

import net.spy.memcached.AddrUtil;
import net.spy.memcached.ConnectionFactoryBuilder;
import net.spy.memcached.MemcachedClient;
import net.spy.memcached.auth.AuthDescriptor;
import net.spy.memcached.auth.PlainCallbackHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** -S: binary SASL PLAIN against memcached's password file format, with a real client and raw packets. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SaslTest {

    private static byte[] plain(String user, String password) {
        return ("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void passwordFileFromTheCommandLine(@TempDir Path dir) throws Exception {
        Path pwdb = dir.resolve("pwdb");
        Files.writeString(pwdb, "# users\nalice:wonderland\nbob:builder\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Main.Launch launch = Main.configure(new String[] {"-S", "-p", "0", "-l", "127.0.0.1", "-o",
                "sasl_pwdb=" + pwdb}, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
        assertEquals(-1, launch.exitCode, err.toString());
        try (CacheServer server = launch.builder.start(); Raw c = new Raw(server.port())) {
            assertEquals("binary", server.stats("settings").get("binding_protocol"), "-S implies -B binary");
            // Not authenticated: refused, and (as memcached does) the connection is closed.
            try (Raw anonymous = new Raw(server.port())) {
                anonymous.send(Raw.packet(0x00, new byte[0], Raw.ascii("k"), new byte[0], 0));
                assertEquals(0x20, anonymous.response().status);
                assertTrue(anonymous.closedByServer(5000));
            }
            // Wrong password (the connection stays), then right.
            c.send(Raw.packet(0x21, new byte[0], Raw.ascii("PLAIN"), plain("alice", "nope"), 0));
            assertEquals(0x20, c.response().status);
            c.send(Raw.packet(0x21, new byte[0], Raw.ascii("PLAIN"), plain("alice", "wonderland"), 0));
            Raw.Response ok = c.response();
            assertEquals(0, ok.status);
            c.send(Raw.packet(0x00, new byte[0], Raw.ascii("k"), new byte[0], 0));
            assertEquals(0x01, c.response().status, "now a plain miss");
            // A password change takes effect without a restart (the file is read at each attempt).
            Files.writeString(pwdb, "alice:changed\n");
            try (Raw d = new Raw(server.port())) {
                d.send(Raw.packet(0x21, new byte[0], Raw.ascii("PLAIN"), plain("alice", "wonderland"), 0));
                assertEquals(0x20, d.response().status);
            }
            assertEquals("3", server.stats("").get("auth_cmds"));
            assertEquals("2", server.stats("").get("auth_errors"));
        }
    }

    @Test
    void spymemcachedAuthenticates() throws Exception {
        try (CacheServer server = Servers.start(CacheServer.Mode.SMP, b -> b
                .protocol(CacheServer.Protocol.BINARY)
                .saslAuthenticator((u, p) -> u.equals("app") && p.equals("s3cret")))) {
            MemcachedClient c = new MemcachedClient(new ConnectionFactoryBuilder()
                    .setProtocol(ConnectionFactoryBuilder.Protocol.BINARY)
                    .setAuthDescriptor(new AuthDescriptor(new String[] {"PLAIN"},
                            new PlainCallbackHandler("app", "s3cret")))
                    .setOpTimeout(5000)
                    .build(), AddrUtil.getAddresses("127.0.0.1:" + server.port()));
            try {
                assertTrue(c.set("sasl-key", 0, "v").get(10, TimeUnit.SECONDS));
                assertEquals("v", c.get("sasl-key"));
            } finally {
                c.shutdown(5, TimeUnit.SECONDS);
            }
        }
    }
}
