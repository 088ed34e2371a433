#!/usr/bin/env python3
"""Ratio tables of bench/compare-memcached.sh, from the raw files in one results directory.

Usage: server-ratios.py <results dir> <clock ticks per second> <-m in MB>

Reads caslap-runs.csv (one line per memcaslap run, with the server's CPU ticks over it), latency.csv (rows already
in the final format, written by ServerLatency) and memory.csv; prints Markdown tables and writes server-compare.csv
(protocol,mode,metric,cuckoocache,memcached,ratio). For memcaslap metrics the two server columns are medians over
the rounds and the ratio is the median of the per-round ratios (each from two adjacent runs), so a slow drift of
the machine's load cancels out.
"""
import csv
import os
import statistics
import sys

TARGETS = {  # metric -> (comparison, bound) on the ratio cuckoocache / memcached (issue 20's; p50 and p99.9 too)
    "ops_per_s": (">=", 1.15), "cpu_us_per_op": ("<=", 0.85), "p50_us": ("<=", 1.0), "p99_us": ("<=", 1.0),
    "p999_us": ("<=", 1.0), "p99_us_round_median": ("<=", 1.0), "items_held": (">=", 1.0),
}


def verdict(metric, ratio):
    if metric not in TARGETS:
        return ""
    op, bound = TARGETS[metric]
    ok = ratio >= bound if op == ">=" else ratio <= bound
    return f"{'met' if ok else 'MISSED'} ({op} {bound})"


def spread(values):
    return f"{min(values):.2f}..{max(values):.2f}"


def runs(path, kind):
    rows = []
    if os.path.exists(path):
        with open(path) as f:
            rows = [r for r in csv.DictReader(f) if r["kind"] == kind]
    return rows


def per_op_us(row, tick):
    return int(row["cpu_ticks"]) * 1e6 / tick / int(row["ops"])


def paired(rows, a, b, tick):
    """Per round: (a ops/s, b ops/s, a cpu us/op, b cpu us/op), rounds in order; warm-up runs apart."""
    by_round = {}
    for r in rows:
        by_round.setdefault(r["round"], {})[r["server"]] = r
    measured = [v for k, v in sorted(by_round.items()) if k != "warmup" and a in v and b in v]
    pairs = [(int(v[a]["ops_per_s"]), int(v[b]["ops_per_s"]), per_op_us(v[a], tick), per_op_us(v[b], tick))
             for v in measured]
    return pairs, by_round.get("warmup", {})


def summary(pairs):
    """Per-round ratios a/b of ops/s and of CPU per op, and the medians of each side's ops/s and CPU per op."""
    return ([p[0] / p[1] for p in pairs], [p[2] / p[3] for p in pairs],
            statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs),
            statistics.median(p[2] for p in pairs), statistics.median(p[3] for p in pairs))


def main():
    out, tick, mem = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    compare = []  # rows of server-compare.csv

    caslap = runs(os.path.join(out, "caslap-runs.csv"), "caslap")
    if caslap:
        print("## memcaslap: cuckoocache / memcached, median of per-round ratios (min..max)\n")
        print("| protocol | mode | rounds | ops/s ratio | CPU/op ratio | cuckoocache ops/s | memcached ops/s "
              "| cuckoocache CPU us/op | memcached CPU us/op | warm-up run / measured median ops/s (cc, mc) |")
        print("|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
        cells = sorted({(r["protocol"], r["mode"]) for r in caslap}, key=lambda c: (c[0] != "text", c[1]))
        for proto, mode in cells:
            rows = [r for r in caslap if r["protocol"] == proto and r["mode"] == mode]
            pairs, warm = paired(rows, "cuckoocache", "memcached", tick)
            if not pairs:
                continue
            ops_ratio, cpu_ratio, cc_ops, mc_ops, cc_cpu, mc_cpu = summary(pairs)
            warm_note = ", ".join(f"{int(warm[s]['ops_per_s']) / m:.2f}" for s, m in
                                  (("cuckoocache", cc_ops), ("memcached", mc_ops)) if s in warm)
            print(f"| {proto} | {mode} | {len(pairs)} | **{statistics.median(ops_ratio):.2f}** ({spread(ops_ratio)}) "
                  f"| **{statistics.median(cpu_ratio):.2f}** ({spread(cpu_ratio)}) | {cc_ops:.0f} | {mc_ops:.0f} "
                  f"| {cc_cpu:.2f} | {mc_cpu:.2f} | {warm_note} |")
            compare.append((proto, mode, "ops_per_s", f"{cc_ops:.0f}", f"{mc_ops:.0f}",
                            statistics.median(ops_ratio)))
            compare.append((proto, mode, "cpu_us_per_op", f"{cc_cpu:.2f}", f"{mc_cpu:.2f}",
                            statistics.median(cpu_ratio)))
        print()

    latency = os.path.join(out, "latency.csv")
    if os.path.exists(latency) and os.path.getsize(latency):
        with open(latency) as f:
            for proto, mode, metric, cc, mc, ratio in csv.reader(f):
                compare.append((proto, mode, metric, cc, mc, float(ratio)))

    memory = os.path.join(out, "memory.csv")
    if os.path.exists(memory) and os.path.getsize(memory):
        with open(memory) as f:
            held = {server: (int(items), int(rss)) for server, items, rss in csv.reader(f)}
        if "cuckoocache" in held and "memcached" in held:
            (ci, cr), (mi, mr) = held["cuckoocache"], held["memcached"]
            compare.append(("-", "-", "items_held", str(ci), str(mi), ci / mi))
            compare.append(("-", "-", "rss_mb", str(cr), str(mr), cr / mr))
            print(f"## memory at -m {mem}: cuckoocache RSS {cr} MB = {cr / mem:.2f} x -m "
                  f"({'met' if cr <= 1.25 * mem else 'MISSED'} (<= 1.25 x -m)); memcached RSS {mr} MB = "
                  f"{mr / mem:.2f} x -m\n")

    modes = runs(os.path.join(out, "caslap-runs.csv"), "modes")
    if modes:
        print("## our modes: --mode=smp -t 2 / --mode=single, memcaslap text -T 2, median (min..max)\n")
        print("| connections | rounds | ops/s ratio smp/single | CPU/op ratio smp/single | single ops/s | smp ops/s "
              "| single CPU us/op | smp CPU us/op |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|")
        for conns in sorted({r["conns"] for r in modes}, key=int):
            pairs, _ = paired([r for r in modes if r["conns"] == conns], "smp", "single", tick)
            if not pairs:
                continue
            ops_ratio, cpu_ratio, smp_ops, single_ops, smp_cpu, single_cpu = summary(pairs)
            print(f"| {conns} | {len(pairs)} | **{statistics.median(ops_ratio):.2f}** ({spread(ops_ratio)}) "
                  f"| {statistics.median(cpu_ratio):.2f} ({spread(cpu_ratio)}) "
                  f"| {single_ops:.0f} | {smp_ops:.0f} | {single_cpu:.2f} | {smp_cpu:.2f} |")
        print()

    if compare:
        with open(os.path.join(out, "server-compare.csv"), "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["protocol", "mode", "metric", "cuckoocache", "memcached", "ratio"])
            for proto, mode, metric, cc, mc, ratio in compare:
                w.writerow([proto, mode, metric, cc, mc, f"{ratio:.3f}"])
        print("## all metrics (server-compare.csv): ratio = cuckoocache / memcached\n")
        print("| protocol | mode | metric | cuckoocache | memcached | ratio | target |")
        print("|---|---|---|---:|---:|---:|---|")
        for proto, mode, metric, cc, mc, ratio in compare:
            target = verdict(metric, ratio)
            if metric == "rss_mb":
                target = f"{'met' if float(cc) <= 1.25 * mem else 'MISSED'} (cuckoocache <= 1.25 x -m = {1.25 * mem:.0f})"
            print(f"| {proto} | {mode} | {metric} | {cc} | {mc} | {ratio:.2f} | {target} |")


if __name__ == "__main__":
    main()
