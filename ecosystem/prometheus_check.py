#!/usr/bin/env python3
"""Checks that a real Prometheus, scraping a cuckoocache's -o metrics_port, holds what `stats` says at that moment.
Standard library only.

    prometheus_check.py SERVER_PORT PROMETHEUS_PORT

Run after `metrics_check.py traffic` (its connections stay open). On one connection of its own: reads `stats` (S1),
waits (at most 30 s) for a scrape that started after S1 arrived, queries Prometheus' HTTP API (/api/v1/query),
then reads `stats` again (S2). Nothing but the two `stats` commands happens meanwhile, so every compared stat is the
same in S1 and S2, except the bytes the first `stats` added: the scrape saw S1's bytes_read (S2 counts the second
request too) and S2's bytes_written (S1's reply had been written). Exits 1 on any difference."""
import json
import sys
import time
import urllib.parse
import urllib.request

from spread_check import Text


def query(prom_port, promql):
    """The single value of an instant query, or None when it has no result."""
    url = f"http://127.0.0.1:{prom_port}/api/v1/query?" + urllib.parse.urlencode({"query": promql})
    with urllib.request.urlopen(url, timeout=10) as r:
        body = json.load(r)
    if body.get("status") != "success":
        sys.exit(f"query {promql!r}: {body}")
    result = body["data"]["result"]
    if len(result) > 1:
        sys.exit(f"query {promql!r}: {len(result)} series, expected one: {result}")
    return float(result[0]["value"][1]) if result else None


def main(port, prom_port):
    c = Text(port)
    s1 = c.stats()
    after = time.time()
    deadline = time.monotonic() + 30
    while True:
        scraped = query(prom_port, "timestamp(memcached_up)")
        if scraped is not None and scraped > after:
            break
        if time.monotonic() > deadline:
            sys.exit(f"no scrape after {after:.3f} within 30 s (last: {scraped})")
        time.sleep(0.2)
    got = {}

    def n(stats, name):
        return float(stats[name])

    # (PromQL, the stats value it must equal, shown as)
    checks = [
        ("memcached_current_items", lambda s: n(s, "curr_items"), "curr_items"),
        ("memcached_items_total", lambda s: n(s, "total_items"), "total_items"),
        ("memcached_current_bytes", lambda s: n(s, "bytes"), "bytes"),
        ("memcached_limit_bytes", lambda s: n(s, "limit_maxbytes"), "limit_maxbytes"),
        ("memcached_current_connections", lambda s: n(s, "curr_connections"), "curr_connections"),
        ("memcached_connections_total", lambda s: n(s, "total_connections"), "total_connections"),
        ('memcached_commands_total{command="get",status="hit"}', lambda s: n(s, "get_hits"), "get_hits"),
        ('memcached_commands_total{command="get",status="miss"}', lambda s: n(s, "get_misses"), "get_misses"),
        ('memcached_commands_total{command="set",status="hit"}',
         lambda s: n(s, "cmd_set") - n(s, "cas_misses") - n(s, "cas_hits") - n(s, "cas_badval"),
         "cmd_set - cas_misses - cas_hits - cas_badval"),
        ("memcached_cmd_get_total", lambda s: n(s, "cmd_get"), "cmd_get"),
        ("sum(memcached_slab_current_items)", lambda s: n(s, "curr_items"), "curr_items"),
    ]
    for promql, _, _ in checks:
        got[promql] = query(prom_port, promql)
    read_bytes = query(prom_port, "memcached_read_bytes_total")
    written_bytes = query(prom_port, "memcached_written_bytes_total")
    up = query(prom_port, 'up{job="cuckoocache"}')
    s2 = c.stats()

    failed = False

    def report(ok, text):
        nonlocal failed
        failed |= not ok
        print(f"{'ok  ' if ok else 'FAIL'} {text}")

    report(up == 1, f'up{{job="cuckoocache"}} = {up}')
    for promql, expected, shown in checks:
        e1, e2 = expected(s1), expected(s2)
        report(e1 == e2 and got[promql] == e1,
               f"{promql} = {got[promql]:.17g}; stats {shown} = {e1:.17g} (again after: {e2:.17g})"
               if got[promql] is not None else f"{promql}: no value in Prometheus")
    report(read_bytes == n(s1, "bytes_read") and n(s2, "bytes_read") == n(s1, "bytes_read") + len("stats\r\n"),
           f"memcached_read_bytes_total = {read_bytes:.17g}; stats bytes_read = {n(s1, 'bytes_read'):.17g}"
           f" (then {n(s2, 'bytes_read'):.17g}, the second stats command)")
    report(written_bytes == n(s2, "bytes_written"),
           f"memcached_written_bytes_total = {written_bytes:.17g}; stats bytes_written = {n(s2, 'bytes_written'):.17g}"
           f" (after the first stats reply)")
    if n(s1, "curr_items") < 200 or n(s1, "get_hits") < 200:
        report(False, "the traffic (200 sets, 200 hits) is missing from stats")
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
