#!/usr/bin/env python3
"""Turns JMH JSON results (MapBench*, MapGrowBench*) into Markdown tables of ratios against ConcurrentHashMap.

Usage: python3 bench/ratios.py RESULT.json [MORE.json ...] > ratios.md

Every ratio is a speed ratio, "x" = (this map's operations per second) / (ConcurrentHashMap's), from the same run:
> 1 means faster than ConcurrentHashMap. For the throughput benchmarks that is score / score; for putGrow
(SingleShotTime, milliseconds per fill) it is chm_time / this_time, and its allocation is shown per insert.
"""
import json
import math
import sys
from collections import OrderedDict, defaultdict

IMPLS = ["cuckoo", "chm", "nbhm"]
ORDER = ["getHit", "getMiss", "putOverwrite", "mix90get10put", "mix50get50put", "putGrow"]


def load(paths):
    rows = []
    for p in paths:
        with open(p) as f:
            rows.extend(json.load(f))
    return rows


def num(x):
    """JMH writes "NaN" (a string) for an error it could not compute."""
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def fmt(x, digits=2):
    x = num(x)
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def main(paths):
    data = defaultdict(dict)  # (bench, threads, size, keys) -> impl -> (score, err, unit, mode, alloc)
    for r in load(paths):
        name = r["benchmark"].rsplit(".", 1)[-1]
        p = r.get("params", {})
        key = (name, r["threads"], int(p["size"]), p["keys"])
        pm = r["primaryMetric"]
        alloc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score")
        data[key][p["impl"]] = (pm["score"], pm.get("scoreError"), pm["scoreUnit"], r["mode"], alloc)

    def speed(key, impl):
        d = data[key]
        if impl not in d or "chm" not in d:
            return None
        s, _, _, mode, _ = d[impl]
        c = d["chm"][0]
        if mode == "ss" or mode == "avgt" or mode == "sample":
            return c / s if s else None
        return s / c if c else None

    keys = sorted(data, key=lambda k: (ORDER.index(k[0]) if k[0] in ORDER else 99, k[1], k[2], k[3]))
    print("| benchmark | threads | size | keys | cuckoo / chm | nbhm / chm | cuckoo | chm | nbhm | unit "
          "| alloc B/op cuckoo | chm | nbhm |")
    print("|---|---:|---:|---|---:|---:|---:|---:|---:|---|---:|---:|---:|")
    per_bench = defaultdict(list)
    for k in keys:
        d = data[k]
        unit = next(iter(d.values()))[2]

        def score(impl):
            if impl not in d:
                return "-"
            s, e, _, _, _ = d[impl]
            e = num(e)
            if e is None or math.isnan(e):
                return fmt(s)
            return f"{fmt(s)} ± {fmt(e)}"

        def alloc(impl):
            if impl not in d or num(d[impl][4]) is None:
                return "-"
            a = num(d[impl][4])
            if k[0] == "putGrow":  # one op = one thread's whole share of the fill: report bytes per insert
                a = a * k[1] / k[2]
            return fmt(a, 1)

        rc, rn = speed(k, "cuckoo"), speed(k, "nbhm")
        if rc:
            per_bench[(k[0], k[1])].append(rc)
        print(f"| {k[0]} | {k[1]} | {k[2]:,} | {k[3]} | **{fmt(rc)}** | {fmt(rn)} | {score('cuckoo')} | "
              f"{score('chm')} | {score('nbhm')} | {unit} | {alloc('cuckoo')} | {alloc('chm')} | {alloc('nbhm')} |")
    print()
    print("Geometric mean of cuckoo / chm over sizes and key types:")
    print()
    print("| benchmark | threads | cuckoo / chm (geo mean) | cells |")
    print("|---|---:|---:|---:|")
    for (b, t) in sorted(per_bench, key=lambda x: (ORDER.index(x[0]) if x[0] in ORDER else 99, x[1])):
        v = per_bench[(b, t)]
        g = math.exp(sum(math.log(x) for x in v) / len(v))
        print(f"| {b} | {t} | {g:.2f} | {len(v)} |")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
