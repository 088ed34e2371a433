package io.cuckoocache.server;

import io.netty.channel.DefaultEventLoopGroup;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS as memcached 1.6.18 -Z serves it, driven by the JDK's SSLSocket: both protocols, mutual TLS, plain clients on
 * a TLS port, "notls:" listeners, refresh_certs, the stats. The certificates are committed in
 * src/test/resources/tls (made by its gen-certs.sh, valid for 100 years).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsTest {
    static Path cert(String name) {
        try {
            return Path.of(TlsTest.class.getResource("/tls/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Tls.Settings settings(Tls.Engine engine) {
        Tls.Settings s = new Tls.Settings();
        s.chainCert = cert("server-a.pem").toString();
        s.key = cert("server-a.key").toString();
        s.engine = engine;
        return s;
    }

    private static CacheServer start(Tls.Settings tls) throws IOException {
        return Servers.start(CacheServer.Mode.SMP, b -> b.tls(tls));
    }

    /** A client trusting the test CA, presenting {@code clientCert} (a name in /tls, or null for none). */
    private static SSLSocketFactory client(String clientCert) throws IOException {
        SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                .trustManager(cert("ca.pem").toFile());
        if (clientCert != null) {
            b.keyManager(cert(clientCert + ".pem").toFile(), cert(clientCert + ".key").toFile());
        }
        return ((JdkSslContext) b.build()).context().getSocketFactory();
    }

    private static Raw tls(int port, String clientCert) throws IOException {
        SSLSocket s = (SSLSocket) client(clientCert).createSocket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(5000);
        s.startHandshake();
        return new Raw(s);
    }

    private static String peerName(Raw r) throws IOException {
        X509Certificate c = (X509Certificate) ((SSLSocket) r.socket).getSession().getPeerCertificates()[0];
        return c.getSubjectX500Principal().getName();
    }

    /** Everything the server sends before it closes (or 3 s of silence), as text; an exception counts as closed. */
    private static String drain(Socket s) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try {
            s.setSoTimeout(3000);
            InputStream in = s.getInputStream();
            byte[] b = new byte[4096];
            for (int n; (n = in.read(b)) >= 0; ) got.write(b, 0, n);
        } catch (SocketTimeoutException e) {
            got.writeBytes("<silent>".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            got.writeBytes(("<" + e.getClass().getSimpleName() + ">").getBytes(StandardCharsets.US_ASCII));
        }
        return got.toString(StandardCharsets.ISO_8859_1);
    }

    private static long sinceRefresh(CacheServer server) {
        return Long.parseLong(server.stats("").get("time_since_server_cert_refresh"));
    }

    private static long handshakeErrors(CacheServer server) {
        return Long.parseLong(server.stats("").get("ssl_handshake_errors"));
    }

    @ParameterizedTest
    @EnumSource(value = Tls.Engine.class, names = {"JDK", "OPENSSL"})
    void textMetaAndBinaryOverTls(Tls.Engine engine) throws Exception {
        try (CacheServer server = start(settings(engine));
             Raw text = tls(server.port(), null);
             Raw bin = tls(server.port(), null)) {
            assertTrue(server.describe().contains("| tls " + engine.name().toLowerCase()), server.describe());
            text.send("set k 5 0 5\r\nhello\r\nget k\r\n");
            assertEquals("STORED", text.line());
            assertEquals("VALUE k 5 5", text.line());
            assertEquals("hello", text.line());
            assertEquals("END", text.line());
            text.send("mg k v f\r\n");
            assertEquals("VA 5 f5", text.line());
            assertEquals("hello", text.line());

            // A value larger than a TLS record (16 KB) crosses several records both ways.
            String big = "x".repeat(100_000);
            bin.send(Raw.packet(0x01, new byte[8], Raw.ascii("big"), Raw.ascii(big), 0));
            assertEquals(0, bin.response().status);
            bin.send(Raw.packet(0x00, new byte[0], Raw.ascii("big"), new byte[0], 0));
            Raw.Response r = bin.response();
            assertEquals(0, r.status);
            assertEquals(big, r.valueString());
            bin.send(Raw.packet(0x00, new byte[0], Raw.ascii("k"), new byte[0], 0));
            assertEquals("hello", bin.response().valueString());
            assertEquals(0, handshakeErrors(server));
        }
    }

    @Test
    void aPlainClientOnATlsPortGetsNoCacheReplyAndCountsAsAFailedHandshake() throws Exception {
        try (CacheServer server = start(settings(Tls.Engine.AUTO));
             Socket plain = new Socket("127.0.0.1", server.port())) {
            plain.getOutputStream().write("set k 0 0 1\r\nx\r\nversion\r\n".getBytes(StandardCharsets.US_ASCII));
            String got = drain(plain);
            assertFalse(got.contains("STORED") || got.contains("VERSION"), got);
            assertFalse(got.contains("<silent>"), "the server closes the connection: " + got);
            assertEquals(1, handshakeErrors(server));
            assertNull(server.store().get(Raw.ascii("k"), 0, 1), "nothing reached the store");
        }
    }

    @Test
    void notlsListenerStaysPlain() throws Exception {
        try (CacheServer server = Servers.start(CacheServer.Mode.SINGLE,
                b -> b.tls(settings(Tls.Engine.JDK)).listen("notls:127.0.0.1:0"))) {
            assertEquals(2, server.addresses().size(), server.addresses().toString());
            assertTrue(server.describe().contains(", 127.0.0.1:" + server.addresses().get(1).getPort() + " (notls) |"),
                    server.describe());
            try (Raw secure = tls(server.addresses().get(0).getPort(), null);
                 Raw plain = new Raw(server.addresses().get(1).getPort())) {
                assertEquals("VERSION 1.6.18", secure.send("version\r\n").line());
                assertEquals("VERSION 1.6.18", plain.send("version\r\n").line());
            }
            assertThrows(IOException.class, () -> tls(server.addresses().get(1).getPort(), null),
                    "no TLS on the notls: listener");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Tls.Engine.class, names = {"JDK", "OPENSSL"})
    void requiredClientCertificates(Tls.Engine engine) throws Exception {
        Tls.Settings s = settings(engine);
        s.caCert = cert("ca.pem").toString();
        s.verifyMode = 2;
        try (CacheServer server = start(s)) {
            assertEquals("3", server.stats("settings").get("ssl_verify_mode"), "OpenSSL's flags, as memcached shows");
            try (Raw ok = tls(server.port(), "client")) {
                assertEquals("VERSION 1.6.18", ok.send("version\r\n").line());
            }
            for (String refused : new String[]{null, "rogue-client"}) {
                long before = handshakeErrors(server);
                // TLS 1.3: the client's side of the handshake may finish before the server refuses it; then the
                // refusal arrives as an alert on the first read. Either way no reply.
                String got;
                try {
                    Raw r = tls(server.port(), refused);
                    r.send("version\r\n");
                    got = drain(r.socket);
                    r.close();
                } catch (IOException e) {
                    got = "<handshake refused>";
                }
                assertFalse(got.contains("VERSION") || got.contains("<silent>"), refused + ": " + got);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (handshakeErrors(server) == before && System.nanoTime() < deadline) Thread.sleep(10);
                assertEquals(before + 1, handshakeErrors(server), refused + " counted");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Tls.Engine.class, names = {"JDK", "OPENSSL"})
    void withoutACaNoClientCertificateVerifies(Tls.Engine engine, @TempDir Path dir) throws Exception {
        // The JDK's default trust store made to trust the test CA: were it used (the engines' default without
        // ssl_ca_cert), the CA's client would be accepted; memcached accepts no client certificate then.
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(cert("ca.pem"))) {
            trusted.setCertificateEntry("test-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        Path store = dir.resolve("trust.p12");
        try (OutputStream out = Files.newOutputStream(store)) {
            trusted.store(out, "changeit".toCharArray());
        }
        Map<String, String> saved = new java.util.HashMap<>();
        for (String k : new String[]{"javax.net.ssl.trustStore", "javax.net.ssl.trustStoreType",
                "javax.net.ssl.trustStorePassword"}) {
            saved.put(k, System.getProperty(k));
        }
        System.setProperty("javax.net.ssl.trustStore", store.toString());
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
        System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
        Tls.Settings s = settings(engine);
        s.verifyMode = 1;
        try (CacheServer server = start(s)) {
            try (Raw anonymous = tls(server.port(), null)) {
                assertEquals("VERSION 1.6.18", anonymous.send("version\r\n").line(), "mode 1 only requests");
            }
            String got;
            try (Raw r = tls(server.port(), "client")) {
                got = drain(r.send("version\r\n").socket);
            } catch (IOException e) {
                got = "<handshake refused>";
            }
            assertFalse(got.contains("VERSION") || got.contains("<silent>"), "not the JDK's default trust: " + got);
        } finally {
            saved.forEach((k, v) -> {
                if (v == null) System.clearProperty(k); else System.setProperty(k, v);
            });
        }
    }

    @ParameterizedTest
    @EnumSource(value = Tls.Engine.class, names = {"JDK", "OPENSSL"})
    void refreshCertsServesTheNewCertificateToNewConnections(Tls.Engine engine, @TempDir Path dir)
            throws Exception {
        Path chain = dir.resolve("server.pem");
        Path key = dir.resolve("server.key");
        Files.copy(cert("server-a.pem"), chain);
        Files.copy(cert("server-a.key"), key);
        Tls.Settings s = settings(engine);
        s.chainCert = chain.toString();
        s.key = key.toString();
        try (CacheServer server = start(s); Raw old = tls(server.port(), null)) {
            assertEquals("CN=cuckoocache-test-a", peerName(old));
            Thread.sleep(2100);
            assertTrue(sinceRefresh(server) >= 2, "seconds since the files were loaded at start");
            Files.copy(cert("server-b.pem"), chain, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(cert("server-b.key"), key, StandardCopyOption.REPLACE_EXISTING);
            assertEquals("OK", old.send("refresh_certs\r\n").line());
            try (Raw fresh = tls(server.port(), null)) {
                assertEquals("CN=cuckoocache-test-b", peerName(fresh));
                assertEquals("VERSION 1.6.18", fresh.send("version\r\n").line());
            }
            assertEquals("VERSION 1.6.18", old.send("version\r\n").line(), "the old connection stays");
            assertTrue(sinceRefresh(server) <= 1, "reset by the refresh");

            // noreply suppresses OK only; a failed load answers memcached's line and keeps the served certificate.
            old.send("refresh_certs noreply\r\nversion\r\n");
            assertEquals("VERSION 1.6.18", old.line());
            Files.copy(cert("server-a.key"), key, StandardCopyOption.REPLACE_EXISTING);
            assertTrue(old.send("refresh_certs noreply\r\n").line().startsWith("Error loading the key: " + key
                    + " : the key does not belong to the first certificate of " + chain));
            Files.writeString(chain, "not a certificate");
            assertTrue(old.send("refresh_certs\r\n").line().startsWith("Error loading the certificate chain: "
                    + chain + " : "));
            Files.delete(chain);
            assertTrue(old.send("refresh_certs\r\n").line().startsWith("Error loading the certificate chain: "
                    + chain + " : "));
            try (Raw fresh = tls(server.port(), null)) {
                assertEquals("CN=cuckoocache-test-b", peerName(fresh));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Tls.Engine.class, names = {"JDK", "OPENSSL"})
    void cipherListsInOpenSslOrIanaNamesChooseTheTls12Suite(Tls.Engine engine) throws Exception {
        for (String list : new String[]{"ECDHE-RSA-AES256-GCM-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                "NO-SUCH-CIPHER:ECDHE-RSA-AES256-GCM-SHA384"}) {
            Tls.Settings s = settings(engine);
            s.ciphers = list;
            try (CacheServer server = start(s)) {
                SSLSocket socket = (SSLSocket) client(null).createSocket();
                socket.setEnabledProtocols(new String[]{"TLSv1.2"});
                socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
                try (Raw r = new Raw(socket)) {
                    assertEquals("VERSION 1.6.18", r.send("version\r\n").line());
                    assertEquals("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", socket.getSession().getCipherSuite(), list);
                }
                try (Raw r = tls(server.port(), null)) {
                    assertEquals("TLSv1.3", ((SSLSocket) r.socket).getSession().getProtocol(), "TLS 1.3 stays on");
                }
            }
        }
    }

    @Test
    void statsAndRefreshWithoutTlsAreMemcacheds() throws Exception {
        try (CacheServer server = Servers.start(CacheServer.Mode.SINGLE); Raw r = new Raw(server.port())) {
            Map<String, String> general = server.stats("");
            assertFalse(general.containsKey("ssl_handshake_errors"), "memcached prints them only under -Z");
            assertFalse(general.containsKey("time_since_server_cert_refresh"));
            assertEquals("no", server.stats("settings").get("ssl_enabled"));
            assertEquals("Error TLS not enabled", r.send("refresh_certs\r\n").line());
        }
        Tls.Settings s = settings(Tls.Engine.AUTO);
        s.sessionCache = true;
        s.minVersion = 3;
        s.ciphers = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";
        try (CacheServer server = start(s); Raw r = tls(server.port(), null)) {
            assertEquals("TLSv1.3", ((SSLSocket) r.socket).getSession().getProtocol());
            // A reply means the server has finished its side of the handshake (TLS 1.3's client finishes first).
            assertEquals("VERSION 1.6.18", r.send("version\r\n").line());
            Map<String, String> general = server.stats("");
            assertEquals("1", general.get("ssl_new_sessions"));
            assertEquals("0", general.get("ssl_handshake_errors"));
            DefaultEventLoopGroup loops = new DefaultEventLoopGroup(1); // the report's per-loop part needs a group
            String metrics = new MetricsReport(server, loops).render(false);
            loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            assertTrue(metrics.contains("# TYPE memcached_time_since_server_cert_refresh gauge\n"), "it falls at a refresh");
            assertTrue(metrics.contains("# TYPE memcached_ssl_handshake_errors_total counter\n"), metrics);
            Map<String, String> settings = server.stats("settings");
            assertEquals("yes", settings.get("ssl_enabled"));
            assertEquals(s.chainCert, settings.get("ssl_chain_cert"));
            assertEquals("tlsv1.3", settings.get("ssl_min_version"));
            assertEquals("yes", settings.get("ssl_session_cache"));
            assertEquals("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", settings.get("ssl_ciphers"));
        }
    }

    @Test
    void filesThatDoNotLoadStopTheStartWithMemcachedsMessages(@TempDir Path dir) throws Exception {
        Tls.Settings s = settings(Tls.Engine.AUTO);
        s.chainCert = dir.resolve("missing.pem").toString();
        assertStartFails(s, "Error loading the certificate chain: " + s.chainCert + " : ");
        s = settings(Tls.Engine.AUTO);
        s.key = cert("server-b.key").toString();
        assertStartFails(s, "Error loading the key: " + s.key + " : the key does not belong");
        s = settings(Tls.Engine.AUTO);
        s.key = cert("ca.pem").toString();
        assertStartFails(s, "Error loading the key: " + s.key + " : ");
        s = settings(Tls.Engine.AUTO);
        s.caCert = dir.resolve("no-ca.pem").toString();
        assertStartFails(s, "Error loading the CA certificate: " + s.caCert + " : ");
        s = settings(Tls.Engine.AUTO);
        s.ciphers = "FOO:BAR";
        assertStartFails(s, "Error setting the provided cipher(s): FOO:BAR");
    }

    private static void assertStartFails(Tls.Settings s, String prefix) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> start(s).close());
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    }

    @Test
    void theCommandLineTakesMemcachedsTlsOptions() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(err, true);
        String files = "ssl_chain_cert=" + cert("server-a.pem") + ",ssl_key=" + cert("server-a.key");
        Main.Launch l = Main.configure(new String[]{"-Z", "-p", "0", "-l", "127.0.0.1,notls:127.0.0.1:0", "-o",
                files + ",ssl_ca_cert=" + cert("ca.pem") + ",ssl_verify_mode=1,ssl_min_version=3"}, ps, ps);
        assertEquals(-1, l.exitCode, err.toString());
        try (CacheServer server = l.builder.start()) {
            Map<String, String> settings = server.stats("settings");
            assertEquals("1", settings.get("ssl_verify_mode"));
            assertEquals(cert("ca.pem").toString(), settings.get("ssl_ca_cert"));
            try (Raw anonymous = tls(server.addresses().get(0).getPort(), null);
                 Raw plain = new Raw(server.addresses().get(1).getPort())) {
                assertEquals("VERSION 1.6.18", anonymous.send("version\r\n").line(), "mode 1 only requests");
                assertEquals("VERSION 1.6.18", plain.send("version\r\n").line());
            }
        }
        String[][] refused = {
                {"-l", "notls:127.0.0.1"}, {"'notls' option is valid only when SSL is enabled"},
                {"-Z", "-o", files + ",ssl_verify_mode=4"}, {"Invalid ssl_verify_mode. Use help to see valid options."},
                {"-Z", "-o", files + ",ssl_min_version=x"}, {"could not parse argument to ssl_min_version"},
                {"-Z", "-o", files + ",ssl_keyformat=2"}, {"only 1 (PEM"},
                {"-Z", "-o", files + ",ssl_kernel_tls"}, {"Kernel TLS offload is not available"},
                {"-Z", "-o", files + ",ssl_engine=gnutls"}, {"ssl_engine must be auto, jdk or openssl"},
                {"-Z", "-o", "ssl_chain_cert"}, {"Missing ssl_chain_cert argument"},
                {"-Z", "-o", "ssl_chain_cert=" + cert("server-a.pem")}, {"Error loading the key: "},
        };
        for (int i = 0; i < refused.length; i += 2) {
            err.reset();
            assertEquals(Main.EX_USAGE, Main.configure(refused[i], ps, ps).exitCode, String.join(" ", refused[i]));
            assertTrue(err.toString().contains(refused[i + 1][0]), err.toString());
        }
    }
}
