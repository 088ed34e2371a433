"""TLS checks against one server (cuckoocache or memcached 1.6.18, both with -Z), by other people's clients:
openssl s_client and pymemcache (Debian's python3-pymemcache) over TLS, and Python's ssl module for mutual TLS.

    tls_check.py CERT_DIR TLS_PORT PLAIN_PORT MTLS_PORT

TLS_PORT: -Z with the server certificate, ssl_ca_cert and ssl_verify_mode=1; PLAIN_PORT: its notls: listener;
MTLS_PORT: a second server with ssl_verify_mode=2. Prints one line per observation (the caller compares the two
servers' lines); lines starting "info:" may differ between servers. Exits 1 when an observation is not what
memcached's TLS gives.
"""
import os
import socket
import ssl
import subprocess
import sys
import time

from pymemcache.client.base import Client
from pymemcache.exceptions import MemcacheError

cert_dir, tls_port, plain_port, mtls_port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
ca = os.path.join(cert_dir, "ca.pem")
failures = []


def observe(name, got, expected=None):
    print(f"{name}: {got}")
    if expected is not None and got != expected:
        failures.append(f"{name}: got {got!r}, expected {expected!r}")


def s_client(port, request, *extra):
    """What openssl s_client receives for the request (stdin closed after 2 s, so replies have arrived)."""
    p = subprocess.Popen(["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-CAfile", ca,
                          "-verify_return_error", "-quiet", "-no_ign_eof", *extra],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    p.stdin.write(request.encode())
    p.stdin.flush()
    time.sleep(2)
    p.stdin.close()  # s_client then closes the connection and exits
    out = p.stdout.read()
    p.wait(timeout=10)
    return out.decode("latin-1")


def context(cert=None):
    ctx = ssl.create_default_context(cafile=ca)
    if cert:
        ctx.load_cert_chain(os.path.join(cert_dir, cert + ".pem"), os.path.join(cert_dir, cert + ".key"))
    return ctx


def pymemcache_roundtrip(port, cert=None):
    """set then get through pymemcache over TLS: 'ok', or the failure's class (a refused handshake)."""
    c = Client(("localhost", port), tls_context=context(cert), connect_timeout=5, timeout=5)
    try:
        c.set("tls-key", b"tls-value")
        return "ok" if c.get("tls-key") == b"tls-value" else "wrong value"
    except (ssl.SSLError, OSError, MemcacheError) as e:
        return "refused (" + type(e).__name__ + ")"
    finally:
        c.close()


def raw_plain(port, request):
    """A plain TCP client: what it reads until the server closes (or 3 s of silence)."""
    with socket.create_connection(("127.0.0.1", port), timeout=3) as s:
        s.sendall(request.encode())
        got = b""
        try:
            while True:
                d = s.recv(4096)
                if not d:
                    return got.decode("latin-1") or "<closed, nothing>"
                got += d
        except socket.timeout:
            return got.decode("latin-1") + "<silent>"
        except ConnectionResetError:
            return got.decode("latin-1") + "<reset>"


def stats(port, sub=""):
    """stats over the notls: listener, as a dict."""
    reply = raw_plain(port, ("stats " + sub).strip() + "\r\nquit\r\n")
    return {p[1]: p[2] for p in (l.split(" ", 2) for l in reply.splitlines()) if len(p) == 3 and p[0] == "STAT"}


# 1. openssl s_client: the text protocol over TLS, the certificate chain verified against the test CA.
out = s_client(tls_port, "set k 0 0 5\r\nhello\r\nget k\r\nmn\r\n")
observe("s_client set/get/mn", " | ".join(out.splitlines()), "STORED | VALUE k 0 5 | hello | END | MN")
# 2. pymemcache over TLS (server certificate checked against the CA and the name localhost).
observe("pymemcache TLS set/get", pymemcache_roundtrip(tls_port), "ok")
# 3. A plain client on the TLS port gets no cache reply.
got = raw_plain(tls_port, "version\r\n")
observe("plain client on the TLS port gets a cache reply", "VERSION" in got, False)
print(f"info: plain client on the TLS port read {got!r}")
# 4. The notls: listener is plain.
observe("notls listener", raw_plain(plain_port, "version\r\nquit\r\n").startswith("VERSION 1.6.18"), True)
# 5. refresh_certs reloads and answers OK.
observe("refresh_certs over TLS", s_client(tls_port, "refresh_certs\r\n").strip(), "OK")
# 6. Mutual TLS (ssl_verify_mode=2): no certificate, or one from another CA, is refused; the CA's client is served.
observe("mTLS, no client certificate (pymemcache)", pymemcache_roundtrip(mtls_port).startswith("refused"), True)
observe("mTLS, no client certificate (s_client)", "VERSION" in s_client(mtls_port, "version\r\n"), False)
observe("mTLS, certificate of another CA (pymemcache)",
        pymemcache_roundtrip(mtls_port, "rogue-client").startswith("refused"), True)
observe("mTLS, the CA's client certificate (pymemcache)", pymemcache_roundtrip(mtls_port, "client"), "ok")
observe("mTLS, the CA's client certificate (s_client)",
        s_client(mtls_port, "version\r\n", "-cert", os.path.join(cert_dir, "client.pem"),
                 "-key", os.path.join(cert_dir, "client.key")).strip(), "VERSION 1.6.18")
# 7. The stats memcached prints under -Z, by name (values differ: see info).
general = stats(plain_port)
for name in ("ssl_handshake_errors", "time_since_server_cert_refresh"):
    observe(f"stats has {name}", name in general, True)
    print(f"info: {name} {general.get(name)}")
settings = stats(plain_port, "settings")
for name, value in (("ssl_enabled", "yes"), ("ssl_verify_mode", "1"), ("ssl_keyformat", "1"),
                    ("ssl_ca_cert", ca), ("ssl_session_cache", "no"), ("ssl_min_version", "tlsv1.2")):
    observe(f"stats settings {name}", settings.get(name), value)

if failures:
    print("FAILED:\n  " + "\n  ".join(failures), file=sys.stderr)
    sys.exit(1)
