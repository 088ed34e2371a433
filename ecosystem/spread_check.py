#!/usr/bin/env python3
"""Sets KEYS keys through a memcached proxy, then checks (memcached text protocol, standard library only) that
every key reads back through the proxy and that each backend, asked directly, holds a fair share and no key twice.

    spread_check.py PROXY_PORT BACKEND_PORT... [--keys N] [--min-share 0.2]

Exits 1 with a message on the first failed check. Every socket call times out after 10 s."""
import argparse
import socket
import sys

BATCH = 100


class Text:
    """One text-protocol connection to 127.0.0.1:port."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.buf = b""

    def line(self):
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("connection closed")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line.decode()

    def exactly(self, n):
        while len(self.buf) < n + 2:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("connection closed")
            self.buf += chunk
        data, self.buf = self.buf[:n], self.buf[n + 2:]
        return data.decode()

    def set_many(self, pairs):
        self.sock.sendall(b"".join(
            b"set %s 0 0 %d\r\n%s\r\n" % (k.encode(), len(v), v.encode()) for k, v in pairs))
        for k, _ in pairs:
            reply = self.line()
            if reply != "STORED":
                sys.exit(f"set {k}: {reply}")

    def get_many(self, keys):
        self.sock.sendall(("get " + " ".join(keys) + "\r\n").encode())
        found = {}
        while True:
            head = self.line()
            if head == "END":
                return found
            parts = head.split()
            if parts[0] != "VALUE":
                sys.exit(f"get: unexpected reply {head!r}")
            found[parts[1]] = self.exactly(int(parts[3]))

    def stats(self):
        self.sock.sendall(b"stats\r\n")
        out = {}
        while (line := self.line()) != "END":
            _, name, value = line.split(" ", 2)
            out[name] = value
        return out


def batches(items):
    return [items[i:i + BATCH] for i in range(0, len(items), BATCH)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("proxy", type=int)
    ap.add_argument("backends", type=int, nargs="+")
    ap.add_argument("--keys", type=int, default=3000)
    ap.add_argument("--min-share", type=float, default=0.2)
    a = ap.parse_args()

    keys = [f"spread:{i}" for i in range(a.keys)]
    value = {k: f"value-of-{k}" for k in keys}
    proxy = Text(a.proxy)
    for chunk in batches(keys):
        proxy.set_many([(k, value[k]) for k in chunk])

    back = {}
    for chunk in batches(keys):
        back.update(proxy.get_many(chunk))
    wrong = [k for k in keys if back.get(k) != value[k]]
    if wrong:
        sys.exit(f"{len(wrong)} of {a.keys} keys did not read back through the proxy, e.g. {wrong[:3]}")

    holder = {}
    for port in a.backends:
        direct = Text(port)
        held = {}
        for chunk in batches(keys):
            held.update(direct.get_many(chunk))
        for k, v in held.items():
            if v != value[k]:
                sys.exit(f"{k} on backend {port}: {v!r}")
            if k in holder:
                sys.exit(f"{k} is on backends {holder[k]} and {port}")
            holder[k] = port
        items = int(direct.stats()["curr_items"])
        share = len(held) / a.keys
        print(f"backend 127.0.0.1:{port}: {len(held)} keys ({share:.1%}), curr_items {items}")
        if items != len(held):
            sys.exit(f"backend {port}: curr_items {items}, but {len(held)} of our keys")
        if share < a.min_share:
            sys.exit(f"backend {port} holds only {share:.1%} of the keys (< {a.min_share:.0%})")
    if len(holder) != a.keys:
        sys.exit(f"only {len(holder)} of {a.keys} keys are on any backend")
    print(f"{a.keys} keys set through the proxy on 127.0.0.1:{a.proxy}: all read back through it, "
          f"each on exactly one of {len(a.backends)} backends")


if __name__ == "__main__":
    main()
