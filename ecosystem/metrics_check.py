#!/usr/bin/env python3
"""Drives known traffic into a memcached-protocol server, then checks that a Prometheus scrape of collectd's
memcached plugin (write_prometheus) shows it. Standard library only.

    metrics_check.py traffic SERVER_PORT        sets 200 keys, gets 300 (200 hits, 100 misses); keeps 3 clients open
    metrics_check.py check METRICS_FILE         the /metrics text, after collectd has read the server's stats

`traffic` prints nothing and stays alive until its standard input closes, so the connections count."""
import re
import sys

from spread_check import Text

KEYS = 200


def traffic(port):
    clients = [Text(port) for _ in range(3)]
    c = clients[0]
    keys = [f"metrics:{i}" for i in range(KEYS)]
    c.set_many([(k, "x" * 100) for k in keys])
    if len(c.get_many(keys)) != KEYS:
        sys.exit("traffic: not every key read back")
    if c.get_many([f"absent:{i}" for i in range(100)]):
        sys.exit("traffic: an absent key was found")
    print("traffic done", flush=True)
    sys.stdin.read()


def samples(text):
    """(name, labels) -> value for every sample line of the Prometheus text format."""
    out = {}
    for line in text.splitlines():
        m = re.match(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)', line)
        if m and not line.startswith("#"):
            out[(m.group(1), m.group(2) or "")] = float(m.group(3))
    return out


def check(path):
    got = samples(open(path).read())
    memcached = {k: v for k, v in got.items() if k[0].startswith("collectd_memcached_")}
    if not memcached:
        sys.exit("no collectd_memcached_* metrics in the scrape")

    def value(name, type_):
        hits = [v for (n, labels), v in memcached.items()
                if n == name and (type_ is None or f'type="{type_}"' in labels)]
        if not hits:
            sys.exit(f"missing: {name} type={type_}; the scrape has: "
                     + ", ".join(sorted(f"{n}{labels}" for n, labels in memcached)))
        return hits[0]

    # (metric, type label or None, lowest acceptable value): what the traffic above must have produced.
    expected = [
        ("collectd_memcached_memcached_items", "current", KEYS),
        ("collectd_memcached_memcached_connections", "current", 3),
        ("collectd_memcached_connections_total", "opened", 3),
        ("collectd_memcached_memcached_command_total", "set", KEYS),
        ("collectd_memcached_memcached_command_total", "get", KEYS + 100),
        ("collectd_memcached_memcached_ops_total", "hits", KEYS),
        ("collectd_memcached_memcached_ops_total", "misses", 100),
        ("collectd_memcached_memcached_octets_rx_total", None, KEYS * 100),
        ("collectd_memcached_memcached_octets_tx_total", None, KEYS * 100),
        ("collectd_memcached_df_used", "cache", KEYS * 100),
        ("collectd_memcached_df_free", "cache", 1),
        ("collectd_memcached_ps_count_threads", None, 1),
        ("collectd_memcached_ps_cputime_user_total", None, 1),
    ]
    failed = False
    for name, type_, low in expected:
        v = value(name, type_)
        ok = v >= low
        failed |= not ok
        shown = f'{name}{{type="{type_}"}}' if type_ else name
        print(f"{'ok  ' if ok else 'FAIL'} {shown} = {v:g} (>= {low})")
    # collectd_memcached_percent{type="hitratio"} is not checked: collectd computes it from the hits and misses
    # between two of its reads, so it is NaN until gets arrive between reads (with memcached as well).
    others = sorted({n for n, _ in memcached} - {n for n, _, _ in expected})
    print("also exported:", ", ".join(others) if others else "nothing else")
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    if sys.argv[1] == "traffic":
        traffic(int(sys.argv[2]))
    else:
        check(sys.argv[2])
