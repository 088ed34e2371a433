#!/usr/bin/env python3
"""Tables of bench/memory-compare.sh, from memory.csv and soak.csv in one results directory.

Usage: memory-summary.py <results dir>

Prints Markdown: per cell (workload, -m) and per cuckoocache run in it (JDK, collector) the items held and RSS of
both servers with the ratios cuckoocache / memcached against issue 19's targets, and the GC pauses; then the soak
runs, if any.
"""
import csv
import os
import sys

ITEMS_TARGET = {"v100-k14": 1.2, "v1000-k14": 1.05, "v10-k250": 1.0}  # items held, cuckoocache / memcached
RSS_TARGET = 1.1                                                       # RSS, cuckoocache / memcached, at most


def read(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return list(csv.DictReader(f))


def ratio(a, b):
    return float(a) / float(b) if a and b and float(b) else None


def count(x):
    return f"{int(x):,}" if x else "n/a"


def mark(r, ok, target):
    return "n/a" if r is None else f"**{r:.2f}** ({'met' if ok(r) else 'missed'}: {target})"


def matrix(rows):
    mc = {(r["workload"], r["mem"]): r for r in rows if r["server"] == "memcached"}
    print("| workload | -m | JDK | GC | items cuckoocache | items memcached | items ratio | RSS cuckoocache MB "
          "| RSS memcached MB | RSS ratio | HWM cc / mc MB | Pss cc / mc MB | max GC pause ms | pauses > 10 ms |")
    print("|---|---:|---|---|---:|---:|---|---:|---:|---|---:|---:|---:|---:|")
    for r in rows:
        if r["server"] != "cuckoocache":
            continue
        m = mc.get((r["workload"], r["mem"]), {})
        target = ITEMS_TARGET.get(r["workload"], 1.0)
        items = ratio(r["curr_items"], m.get("curr_items"))
        rss = ratio(r["rss_mb"], m.get("rss_mb"))
        print(f"| {r['workload']} | {r['mem']} | {r['jdk']} | {r['gc']} ({r['collector']}) "
              f"| {count(r['curr_items'])} | {count(m.get('curr_items'))} "
              f"| {mark(items, lambda x: x >= target, f'>= {target}')} | {r['rss_mb']} | {m.get('rss_mb', '')} "
              f"| {mark(rss, lambda x: x <= RSS_TARGET, f'<= {RSS_TARGET}')} | {r['hwm_mb']} / {m.get('hwm_mb', '')} "
              f"| {r['pss_mb']} / {m.get('pss_mb', '')} | {r['max_pause_ms']} | {r['gc_pauses_over_10ms']} |")


def soak(rows):
    print("| JDK | GC | -m | curr_items | RSS MB | HWM MB | Pss MB | gets | hit ratio | gets/s | pauses | max pause ms "
          "| pauses > 10 ms | read phase: max pause ms | read phase: > 10 ms | max allocation stall ms |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['jdk']} | {r['gc']} ({r['collector']}) | {r['mem']} | {count(r['curr_items'])} | {r['rss_mb']} "
              f"| {r['hwm_mb']} | {r['pss_mb']} | {count(r['gets'])} | {r['hit_ratio']} | {r['gets_per_s']} "
              f"| {r['gc_pauses']} | {r['max_pause_ms']} | {r['gc_pauses_over_10ms']} | {r['read_max_pause_ms']} "
              f"| {r['read_pauses_over_10ms']} | {r['max_alloc_stall_ms']} |")


def main():
    out = sys.argv[1]
    rows = read(os.path.join(out, "memory.csv"))
    if rows:
        print("## Items held and RSS of a full cache (ratios cuckoocache / memcached)\n")
        matrix(rows)
    soaks = read(os.path.join(out, "soak.csv"))
    if soaks:
        print("\n## Soak: fill, then reads for a bounded time (cuckoocache, per collector)\n")
        soak(soaks)


if __name__ == "__main__":
    main()
