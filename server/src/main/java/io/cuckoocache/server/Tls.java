package io.cuckoocache.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.CipherSuiteConverter;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.AttributeKey;

import javax.net.ssl.SSLException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * memcached's TLS (-Z and the -o ssl_* options) on Netty's {@link SslHandler}: one server context, rebuilt from the
 * same files by {@code refresh_certs}; a connection keeps the context it shook hands with, new ones take the newest.
 * Loading checks what memcached's load_server_certificates checks, in its order (chain, key, key against chain, CA)
 * and fails with its message prefixes, but atomically: a failed refresh leaves the served context as it was. A
 * refresh runs on the event loop of the connection that asked, which waits for the files, as memcached's worker does.
 */
final class Tls {
    /** Set on the connections of listeners that speak TLS (every listener under -Z, except "notls:" ones). */
    static final AttributeKey<Boolean> ON = AttributeKey.valueOf("cuckoocache.tls");

    /** The TLS engine: the JDK's, or BoringSSL through netty-tcnative. */
    enum Engine {
        /** OpenSSL when netty-tcnative loads, else the JDK. */
        AUTO,
        JDK,
        OPENSSL
    }

    /** memcached's -o ssl_* settings, with its defaults; Main checks each value as memcached does. */
    static final class Settings {
        String chainCert;
        String key;
        String caCert;
        /** memcached's ssl_verify_mode: 0 none, 1 request, 2 require, 3 once. */
        int verifyMode;
        String ciphers;
        /** memcached's ssl_min_version: 0 TLS 1.0, 1 TLS 1.1, 2 TLS 1.2 (default), 3 TLS 1.3. */
        int minVersion = 2;
        /** memcached's SSL_FILETYPE_PEM; the only format read here. */
        int keyFormat = 1;
        int wbufSize = 16 * 1024;
        boolean sessionCache;
        Engine engine = Engine.AUTO;

        /** OpenSSL's verify flags for the mode, as memcached's "stats settings" prints them. */
        int verifyFlags() {
            return new int[]{0, 1, 3, 7}[verifyMode];
        }

        String minVersionName() {
            return new String[]{"tlsv1.0", "tlsv1.1", "tlsv1.2", "tlsv1.3"}[minVersion];
        }

        /**
         * One -o ssl_* option, as memcached parses it; what has no effect here says so in {@code notices}.
         *
         * @throws IllegalArgumentException with memcached's message (the command line exits 64)
         */
        void set(String name, String value, List<String> notices) {
            switch (name) {
                case "ssl_chain_cert":
                    chainCert = required(name, value);
                    break;
                case "ssl_key":
                    key = required(name, value);
                    break;
                case "ssl_ca_cert":
                    caCert = required(name, value);
                    break;
                case "ssl_ciphers":
                    ciphers = required(name, value);
                    break;
                case "ssl_verify_mode":
                    verifyMode = number(name, value, 3, "Invalid ssl_verify_mode. Use help to see valid options.");
                    break;
                case "ssl_min_version":
                    minVersion = number(name, value, 3, "Invalid ssl_min_version. Use help to see valid options.");
                    break;
                case "ssl_keyformat":
                    keyFormat = number(name, value, Integer.MAX_VALUE, null);
                    if (keyFormat != 1) {
                        throw new IllegalArgumentException("cuckoocache: -o ssl_keyformat=" + value
                                + ": only 1 (PEM, memcached's default) is read here");
                    }
                    break;
                case "ssl_wbuf_size":
                    wbufSize = (int) Math.min(Integer.MAX_VALUE,
                            1024L * number(name, value, Integer.MAX_VALUE / 1024, null));
                    notices.add("cuckoocache: -o ssl_wbuf_size: no effect here (Netty sizes its TLS records itself)");
                    break;
                case "ssl_session_cache":
                    sessionCache = true;
                    notices.add("cuckoocache: -o ssl_session_cache: the OpenSSL engine's server session cache is on"
                            + " (the JDK engine has its own either way); ssl_new_sessions counts every completed"
                            + " handshake");
                    break;
                case "ssl_kernel_tls":
                    throw new IllegalArgumentException("Kernel TLS offload is not available");
                case "ssl_engine": // ours
                    try {
                        engine = Engine.valueOf(required(name, value).toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("cuckoocache: -o ssl_engine must be auto, jdk or openssl,"
                                + " not " + value);
                    }
                    break;
                default:
                    notices.add("cuckoocache: -o " + name + ": unknown option, ignored");
            }
        }

        private static String required(String name, String value) {
            if (value == null) throw new IllegalArgumentException("Missing " + name + " argument");
            return value;
        }

        /** memcached's safe_strtol, then a range check with its message ({@code invalid}; null: the parse one). */
        private static int number(String name, String value, int max, String invalid) {
            long v;
            try {
                v = Long.parseLong(required(name, value).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("could not parse argument to " + name);
            }
            if (v < 0 || v > max) {
                throw new IllegalArgumentException(invalid != null ? invalid : "could not parse argument to " + name);
            }
            return (int) v;
        }
    }

    /** A context that cannot be built; the message is memcached's line (without CRLF). */
    static final class LoadException extends Exception {
        LoadException(String message) {
            super(message);
        }
    }

    final Settings settings;
    final SslProvider provider;
    final LongAdder handshakeErrors = new LongAdder();
    final LongAdder newSessions = new LongAdder();
    private volatile SslContext context;
    private volatile long refreshedAtNanos;
    private final ChannelHandler events = new HandshakeEvents();

    Tls(Settings settings) throws LoadException {
        this.settings = settings;
        boolean openssl = settings.engine == Engine.OPENSSL
                || (settings.engine == Engine.AUTO && OpenSsl.isAvailable());
        if (openssl && !OpenSsl.isAvailable()) {
            throw new LoadException("cuckoocache: -o ssl_engine=openssl: netty-tcnative does not load here: "
                    + OpenSsl.unavailabilityCause());
        }
        this.provider = openssl ? SslProvider.OPENSSL : SslProvider.JDK;
        this.context = load();
        this.refreshedAtNanos = System.nanoTime();
    }

    /** Loads the files once, for their errors (the server loads them again when it starts). */
    static void check(Settings settings) throws LoadException {
        new Tls(settings);
    }

    /** refresh_certs: null when the files are loaded and serve new handshakes, else memcached's error line. */
    String refresh() {
        try {
            SslContext fresh = load();
            context = fresh;
            refreshedAtNanos = System.nanoTime();
            return null;
        } catch (LoadException e) {
            return e.getMessage();
        }
    }

    long secondsSinceRefresh() {
        return (System.nanoTime() - refreshedAtNanos) / 1_000_000_000L;
    }

    String engineName() {
        return provider == SslProvider.OPENSSL ? "openssl (" + OpenSsl.versionString() + ")" : "jdk";
    }

    /** Puts TLS in front of a new connection's pipeline. */
    void install(Channel ch) {
        SslHandler ssl = context.newHandler(ch.alloc());
        ch.pipeline().addLast(ssl, events);
    }

    private SslContext load() throws LoadException {
        String chainPath = settings.chainCert;
        List<X509Certificate> chain = certificates(chainPath, "Error loading the certificate chain: ");
        // No ssl_key: the key is read from the chain file (memcached's help says so; its 1.6.18 code refuses).
        String keyPath = settings.key != null ? settings.key : chainPath;
        PrivateKey key;
        try {
            key = KeyReader.read(new File(keyPath));
        } catch (Exception e) {
            throw new LoadException("Error loading the key: " + keyPath + " : " + reason(e));
        }
        if (!matches(key, chain.get(0))) {
            throw new LoadException("Error loading the key: " + keyPath
                    + " : the key does not belong to the first certificate of " + chainPath);
        }
        SslContextBuilder b = SslContextBuilder.forServer(key, chain.toArray(new X509Certificate[0]))
                .sslProvider(provider)
                .protocols(protocols(settings.minVersion))
                .clientAuth(settings.verifyMode == 0 ? ClientAuth.NONE
                        : settings.verifyMode == 1 ? ClientAuth.OPTIONAL : ClientAuth.REQUIRE);
        if (settings.caCert != null) {
            b.trustManager(certificates(settings.caCert, "Error loading the CA certificate: ")
                    .toArray(new X509Certificate[0]));
        } else if (settings.verifyMode > 0) {
            // As in memcached (OpenSSL without verify locations), no CA means no client certificate verifies;
            // the engines' default would trust every public CA in the JDK's cacerts.
            b.trustManager(new X509Certificate[0]);
        }
        List<String> requested = settings.ciphers == null ? null : requestedCiphers();
        if (requested != null) b.ciphers(withTls13(requested), SupportedCipherSuiteFilter.INSTANCE);
        SslContext ctx;
        try {
            ctx = b.build();
        } catch (SSLException | RuntimeException e) {
            // An engine may refuse a list with an unknown suite here; the JDK drops unknown names (checked below).
            if (settings.ciphers != null && reason(e).toLowerCase(Locale.ROOT).contains("cipher")) {
                throw new LoadException("Error setting the provided cipher(s): " + settings.ciphers);
            }
            throw new LoadException("Error validating the certificate: " + reason(e));
        }
        if (requested != null && requested.stream().noneMatch(ctx.cipherSuites()::contains)) {
            throw new LoadException("Error setting the provided cipher(s): " + settings.ciphers);
        }
        // memcached's default is no server session cache; netty-tcnative can turn its cache off, the JDK cannot.
        if (ctx.sessionContext() instanceof OpenSslSessionContext) {
            ((OpenSslSessionContext) ctx.sessionContext()).setSessionCacheEnabled(settings.sessionCache);
        }
        return ctx;
    }

    private static List<X509Certificate> certificates(String path, String prefix) throws LoadException {
        if (path == null) throw new LoadException(prefix + "(null) : no file given (-o ssl_chain_cert=<file>)");
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            List<X509Certificate> out = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) throw new LoadException(prefix + path + " : no PEM certificate in the file");
            return out;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new LoadException(prefix + path + " : " + reason(e));
        }
    }

    /** Whether the key signs what the certificate's public key verifies (OpenSSL's SSL_CTX_check_private_key). */
    private static boolean matches(PrivateKey key, X509Certificate cert) throws LoadException {
        String alg;
        switch (key.getAlgorithm()) {
            case "RSA":
                alg = "SHA256withRSA";
                break;
            case "EC":
                alg = "SHA256withECDSA";
                break;
            case "Ed25519":
            case "Ed448":
            case "EdDSA":
                alg = key.getAlgorithm();
                break;
            default:
                return true; // no signature to try; the handshake will tell
        }
        try {
            byte[] probe = "cuckoocache".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(cert.getPublicKey());
            v.update(probe);
            return v.verify(sig);
        } catch (GeneralSecurityException e) {
            throw new LoadException("Error validating the certificate: " + reason(e));
        }
    }

    /** ssl_min_version and every later version. */
    private static String[] protocols(int minVersion) {
        String[] all = {"TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"};
        String[] out = new String[all.length - minVersion];
        System.arraycopy(all, minVersion, out, 0, out.length);
        return out;
    }

    /**
     * ssl_ciphers, colon or comma separated, in OpenSSL's names (memcached's) or the IANA names. Both engines take
     * (and report) IANA names, so OpenSSL names are translated; unknown names are dropped (all dropped: refused).
     */
    private List<String> requestedCiphers() {
        List<String> out = new ArrayList<>();
        for (String c : settings.ciphers.split("[:,]")) {
            String name = c.trim();
            if (name.isEmpty()) continue;
            String java = CipherSuiteConverter.toJava(name, "TLS");
            out.add(java != null ? java : name);
        }
        return out;
    }

    /** As with OpenSSL's cipher list, ssl_ciphers chooses among TLS 1.2 (and older) suites; TLS 1.3's stay on. */
    private static List<String> withTls13(List<String> ciphers) {
        List<String> out = new ArrayList<>(ciphers);
        for (String c : new String[]{"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
                "TLS_CHACHA20_POLY1305_SHA256"}) {
            if (!out.contains(c)) out.add(c);
        }
        return out;
    }

    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String m = root.getMessage();
        return m == null ? root.getClass().getSimpleName() : m.replaceAll("[\\r\\n]+", " ");
    }

    /** Counts handshakes: failures (ssl_handshake_errors) and, with ssl_session_cache, new sessions. */
    @ChannelHandler.Sharable
    private final class HandshakeEvents extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent) {
                if (((SslHandshakeCompletionEvent) evt).isSuccess()) {
                    if (settings.sessionCache) newSessions.increment();
                } else {
                    handshakeErrors.increment();
                }
                ctx.fireUserEventTriggered(evt);
                ctx.pipeline().remove(this);
                return;
            }
            ctx.fireUserEventTriggered(evt);
        }
    }

    /** Netty's PEM private key reader (PKCS#8, plain or encrypted), which it keeps for its subclasses. */
    private abstract static class KeyReader extends SslContext {
        static PrivateKey read(File file) throws Exception {
            PrivateKey k = toPrivateKey(file, null);
            if (k == null) throw new IOException("no private key in the file");
            return k;
        }
    }
}
