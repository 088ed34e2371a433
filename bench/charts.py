#!/usr/bin/env python3
"""Renders benchmark results as SVG charts (Python standard library only; no plotting package needed).

Usage: python3 bench/charts.py [RESULT_DIR ...]      (default: every directory under bench/results/)

For each result directory it writes RESULT_DIR/charts/*.svg from whatever files the directory has:
  jmh-map-*.json        -> jmh-ratios.svg       JMH throughput of each map / ConcurrentHashMap, per operation,
                                                threads and (size, keys) cell
  interleaved-ab.md     -> ab-ratios.svg        the interleaved A/B ratios (median, min..max whiskers)
  jmh-grow-*.json       -> grow-ratios.svg      insert into a growing map, speed / ConcurrentHashMap
  bytes-per-entry.md    -> bytes-per-entry.svg  bytes per entry against entries, every map
  growth-latency.md     -> growth-latency.svg   get/put latency percentiles while the map grows (log scale)
  server-compare.csv    -> server-compare.svg   cuckoocache / memcached per metric, protocol and mode
                                                (header: protocol,mode,metric,cuckoocache,memcached,ratio)
and prints the files written. A directory with none of these gets no charts directory.
"""
import csv
import glob
import math
import os
import re
import sys
from collections import defaultdict
from xml.sax.saxutils import escape

from ratios import load, num  # the JMH JSON reading that ratios.py already does

OPS = ["getHit", "getMiss", "putOverwrite", "mix90get10put", "mix50get50put"]
MAP_NAMES = {"cuckoo": "CuckooMap", "chm": "ConcurrentHashMap", "nbhm": "NonBlockingHashMap"}
COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"]
FONT = 'font-family="DejaVu Sans, Arial, sans-serif"'


# ------------------------------------------------------------------------------------------------ drawing

class Svg:
    def __init__(self, width, height):
        self.width, self.height, self.parts = width, height, []

    def text(self, x, y, s, size=12, anchor="start", weight="normal", color="#222"):
        self.parts.append(f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
                          f'font-weight="{weight}" fill="{color}" {FONT}>{escape(s)}</text>')

    def line(self, x1, y1, x2, y2, color="#ccc", width=1, dash=None):
        d = f' stroke-dasharray="{dash}"' if dash else ""
        self.parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{color}" '
                          f'stroke-width="{width}"{d}/>')

    def rect(self, x, y, w, h, color):
        self.parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{h:.1f}" fill="{color}"/>')

    def circle(self, x, y, r, color):
        self.parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{color}"/>')

    def polyline(self, points, color):
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        self.parts.append(f'<polyline points="{pts}" fill="none" stroke="{color}" stroke-width="1.5"/>')

    def write(self, path):
        with open(path, "w") as f:
            f.write(f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width}" height="{self.height}" '
                    f'viewBox="0 0 {self.width} {self.height}">\n<rect width="100%" height="100%" fill="white"/>\n')
            f.write("\n".join(self.parts))
            f.write("\n</svg>\n")


class Scale:
    """Maps values to pixels, linear from 0 or logarithmic; gives tick values."""

    def __init__(self, lo, hi, p0, p1, log=False, tight=False):
        self.log, self.tight, self.p0, self.p1 = log, tight, p0, p1
        if log and tight:
            self.lo, self.hi = lo / 1.1, hi * 1.1
        elif log:
            self.lo = 10 ** math.floor(math.log10(lo))
            self.hi = 10 ** math.ceil(math.log10(hi))
        else:
            self.lo, self.hi = 0.0, nice_ceiling(hi)

    def __call__(self, v):
        if self.log:
            v = max(v, self.lo)
            f = (math.log10(v) - math.log10(self.lo)) / (math.log10(self.hi) - math.log10(self.lo))
        else:
            f = (v - self.lo) / (self.hi - self.lo)
        return self.p0 + f * (self.p1 - self.p0)

    def ticks(self):
        if self.log:
            e0, e1 = math.floor(math.log10(self.lo)), math.ceil(math.log10(self.hi))
            steps = (1, 2, 5) if self.tight else (1,)
            return [m * 10.0 ** e for e in range(e0, e1 + 1) for m in steps if self.lo <= m * 10.0 ** e <= self.hi]
        step = nice_step(self.hi / 5)
        return [i * step for i in range(int(round(self.hi / step)) + 1)]


def nice_step(raw):
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if m * mag >= raw:
            return m * mag
    return 10 * mag


def nice_ceiling(v):
    step = nice_step(v / 5)
    return step * math.ceil(v / step)


def label(v):
    if v >= 1000:
        return f"{v:,.0f}"
    return f"{v:g}"


def legend(svg, x, y, names):
    for i, name in enumerate(names):
        svg.rect(x, y + i * 16 - 9, 10, 10, COLORS[i % len(COLORS)])
        svg.text(x + 15, y + i * 16, name, size=11)


def bar_chart(path, title, note, groups, series, axis, ref=None, log=False):
    """Horizontal grouped bars. groups: labels; series: [(name, [value or None], [(lo, hi) or None])]."""
    left, right, top, bar, gap = 230, 40, 66 + 16 * len(series), 12, 10
    width = 900
    height = top + len(groups) * (len(series) * bar + gap) + 50
    svg = Svg(width, height)
    svg.text(12, 22, title, size=15, weight="bold")
    svg.text(12, 40, note, size=11, color="#555")
    legend(svg, left, 60, [s[0] for s in series])
    known = [v for _, vals, errs in series for v in vals if v is not None]
    known += [hi for _, _, errs in series for e in (errs or []) if e for hi in e]
    if ref is not None:
        known.append(ref)
    positive = [v for v in known if v > 0]
    scale = Scale(min(positive) if log else 0, max(known) * 1.05, left, width - right, log)
    bottom = height - 40
    for t in scale.ticks():
        svg.line(scale(t), top - 6, scale(t), bottom)
        svg.text(scale(t), bottom + 14, label(t), size=10, anchor="middle", color="#555")
    svg.text((left + width - right) / 2, bottom + 32, axis, size=11, anchor="middle")
    if ref is not None:
        svg.line(scale(ref), top - 6, scale(ref), bottom, color="#444", width=1.5, dash="4,3")
    y = top
    for g, name in enumerate(groups):
        svg.text(left - 8, y + len(series) * bar / 2 + 4, name, size=11, anchor="end")
        for s, (_, vals, errs) in enumerate(series):
            v = vals[g]
            if v is not None:
                svg.rect(scale(scale.lo), y + s * bar, scale(v) - scale(scale.lo), bar - 2, COLORS[s % len(COLORS)])
                e = errs[g] if errs else None
                if e:
                    cy = y + s * bar + (bar - 2) / 2
                    svg.line(scale(e[0]), cy, scale(e[1]), cy, color="#000")
                    svg.line(scale(e[0]), cy - 3, scale(e[0]), cy + 3, color="#000")
                    svg.line(scale(e[1]), cy - 3, scale(e[1]), cy + 3, color="#000")
                svg.text(scale(max(v, e[1]) if e else v) + 4, y + s * bar + bar - 3,
                         f"{v:,.0f}" if v >= 1000 else f"{v:.3g}", size=9)
        y += len(series) * bar + gap
    svg.write(path)


def line_chart(path, title, note, series, xaxis, yaxis):
    """series: [(name, [(x, y)])], x on a log scale."""
    left, right, top, bottom_margin = 70, 30, 70 + 16 * len(series), 50
    width, height = 900, 480 + 16 * len(series)
    svg = Svg(width, height)
    svg.text(12, 22, title, size=15, weight="bold")
    svg.text(12, 40, note, size=11, color="#555")
    legend(svg, left + 60, 62, [s[0] for s in series])
    xs = [x for _, pts in series for x, _ in pts]
    ys = [y for _, pts in series for _, y in pts]
    sx = Scale(min(xs), max(xs), left, width - right, log=True, tight=True)
    bottom = height - bottom_margin
    sy = Scale(0, max(ys) * 1.05, bottom, top)
    for t in sx.ticks():
        svg.line(sx(t), top, sx(t), bottom)
        svg.text(sx(t), bottom + 14, label(t), size=10, anchor="middle", color="#555")
    for t in sy.ticks():
        svg.line(left, sy(t), width - right, sy(t))
        svg.text(left - 6, sy(t) + 4, label(t), size=10, anchor="end", color="#555")
    svg.text((left + width - right) / 2, bottom + 34, xaxis, size=11, anchor="middle")
    svg.text(left, top - 8, yaxis, size=11, anchor="middle")
    for i, (_, pts) in enumerate(series):
        c = COLORS[i % len(COLORS)]
        pts = sorted(pts)
        svg.polyline([(sx(x), sy(y)) for x, y in pts], c)
        for x, y in pts:
            svg.circle(sx(x), sy(y), 2.5, c)
    svg.write(path)


# ------------------------------------------------------------------------------------------------ data

def score(row):
    v = num(row["primaryMetric"]["score"])
    return None if v is None or math.isnan(v) else v


def jmh_ratio_chart(rows, path, grow):
    """Speed of each map / ConcurrentHashMap's, from one JMH run."""
    by = {}
    for r in rows:
        op = r["benchmark"].rsplit(".", 1)[1]
        p = r["params"]
        by[(op, r["threads"], p["size"], p["keys"], p["impl"])] = score(r)
    cells = sorted({(k[2], k[3]) for k in by}, key=lambda c: (int(c[0]), c[1]))
    keys = sorted({(k[0], k[1]) for k in by}, key=lambda k: (OPS.index(k[0]) if k[0] in OPS else 99, k[1]))
    groups, series = [], {impl: [] for impl in ("cuckoo", "nbhm")}
    for size, keytype in cells:
        for op, threads in keys:
            chm = by.get((op, threads, size, keytype, "chm"))
            if not chm:
                continue
            groups.append(f"{op}, {threads}T, {int(size) // 1000000}M {keytype}")
            for impl in series:
                v = by.get((op, threads, size, keytype, impl))
                # throughput: score / chm; single-shot time (putGrow): chm time / this time
                series[impl].append(None if not v else (chm / v if grow else v / chm))
    if not groups:
        return False
    bar_chart(path,
              "Insert into a growing map: speed / ConcurrentHashMap (JMH)" if grow
              else "Map throughput / ConcurrentHashMap (JMH)",
              "> 1 = faster than ConcurrentHashMap. One fork per map and cell: noisy on a shared machine; "
              "prefer the interleaved A/B chart where both exist.",
              groups, [(MAP_NAMES[i] + " / CHM", v, None) for i, v in series.items()],
              "speed ratio against ConcurrentHashMap", ref=1.0)
    return True


def md_tables(path):
    """Each Markdown table in the file as (heading line before it, [dict per row])."""
    tables, heading, header, rows = [], "", None, None
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("|"):
                cells = [c.strip().replace("**", "") for c in line.strip("|").split("|")]
                if header is None:
                    header, rows = cells, []
                elif not set(line) <= set("|-: "):
                    rows.append(dict(zip(header, cells)))
            else:
                if header is not None:
                    tables.append((heading, rows))
                    header = None
                if line.strip():
                    heading = line.strip()
    if header is not None:
        tables.append((heading, rows))
    return tables


RANGE = re.compile(r"([\d.]+)\s*\(([\d.]+)\.\.([\d.]+)\)")


def ab_chart(path_md, path):
    groups, cuckoo, cuckoo_err, nbhm = [], [], [], []
    for heading, rows in md_tables(path_md):
        m = re.match(r"size (\d+), keys (\w+)", heading)
        if not m or not rows or "op" not in rows[0]:
            continue
        cell = f"{int(m.group(1)) // 1000000}M {m.group(2)}"
        for r in rows:
            c = RANGE.match(r.get("cuckoo / chm per CPU time, median (min..max)", ""))
            n = RANGE.match(r.get("nbhm / chm median", ""))
            if not c:
                continue
            groups.append(f"{r['op']}, {r['threads']}T, {cell}")
            cuckoo.append(float(c.group(1)))
            cuckoo_err.append((float(c.group(2)), float(c.group(3))))
            nbhm.append(float(n.group(1)) if n else None)
    if not groups:
        return False
    bar_chart(path, "Map throughput / ConcurrentHashMap, interleaved A/B (per CPU time)",
              "> 1 = faster than ConcurrentHashMap. Median of the rounds; whiskers: min..max over the rounds.",
              groups, [("CuckooMap / CHM", cuckoo, cuckoo_err), ("NonBlockingHashMap / CHM", nbhm, None)],
              "speed ratio against ConcurrentHashMap", ref=1.0)
    return True


def bytes_chart(path_md, path):
    series = defaultdict(list)
    for _, rows in md_tables(path_md):
        for r in rows:
            if "bytes/entry" not in r:
                continue
            m = re.match(r"([\d.]+)", r["bytes/entry"])
            if m:
                series[r["map"]].append((int(r["entries"]), float(m.group(1))))
    if not series:
        return False
    line_chart(path, "Bytes per entry, excluding key and value objects (JOL)",
               "Sweep points and one insert either side of every growth; the saw-tooth is each doubling.",
               [(MAP_NAMES.get(k, k), v) for k, v in series.items()], "entries (log scale)", "bytes/entry")
    return True


def latency_chart(path_md, path):
    wanted = [("get p99 us", "get p99"), ("get p99.9 us", "get p99.9"), ("in-resize p99.9 us", "get p99.9 in a resize"),
              ("quiet p99.9 us", "get p99.9, quiet control"), ("get max us", "get max"),
              ("in-resize max us", "get max in a resize"), ("put max us", "writer's longest put")]
    merged = [rows for heading, rows in md_tables(path_md) if rows and "get p99 us" in rows[0]]
    if not merged:
        return False
    rows = merged[-1]
    groups = [name for col, name in wanted if col in rows[0]]
    series = [(MAP_NAMES.get(r["map"], r["map"]), [float(r[col]) for col, _ in wanted if col in r], None)
              for r in rows]
    bar_chart(path, "Latency while the map grows (all rounds merged)",
              "Microseconds, log scale. The maxima include the machine's own stalls (see the quiet control).",
              groups, series, "microseconds (log scale)", log=True)
    return True


def server_chart(path_csv, path):
    with open(path_csv) as f:
        rows = list(csv.DictReader(f))
    if not rows:
        return False
    combos = sorted({(r["protocol"], r["mode"]) for r in rows})
    metrics = list(dict.fromkeys(r["metric"] for r in rows))
    series = []
    for protocol, mode in combos:
        vals = []
        for metric in metrics:
            hit = [r for r in rows if (r["protocol"], r["mode"], r["metric"]) == (protocol, mode, metric)]
            vals.append(float(hit[0]["ratio"]) if hit and hit[0]["ratio"] not in ("", "NaN") else None)
        series.append((f"{protocol}, {mode}", vals, None))
    bar_chart(path, "cuckoocache / memcached 1.6.18",
              "Ratio per metric (as the CSV's ratio column): for ops_per_s and items_held > 1 is better; for CPU, "
              "latency and memory < 1 is better.",
              metrics, series, "cuckoocache / memcached", ref=1.0)
    return True


def render(directory):
    out = os.path.join(directory, "charts")
    made = []

    def make(name, fn, *args):
        os.makedirs(out, exist_ok=True)
        path = os.path.join(out, name)
        if fn(*args, path):
            made.append(path)

    f = os.path.join
    maps = sorted(glob.glob(f(directory, "jmh-map-*.json")))
    grows = sorted(glob.glob(f(directory, "jmh-grow-*.json")))
    if maps:
        make("jmh-ratios.svg", lambda p: jmh_ratio_chart(load(maps), p, grow=False))
    if grows:
        make("grow-ratios.svg", lambda p: jmh_ratio_chart(load(grows), p, grow=True))
    for name, source, fn in (("ab-ratios.svg", "interleaved-ab.md", ab_chart),
                             ("bytes-per-entry.svg", "bytes-per-entry.md", bytes_chart),
                             ("growth-latency.svg", "growth-latency.md", latency_chart),
                             ("server-compare.svg", "server-compare.csv", server_chart)):
        if os.path.exists(f(directory, source)):
            make(name, fn, f(directory, source))
    if os.path.isdir(out) and not os.listdir(out):
        os.rmdir(out)
    return made


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    dirs = argv or sorted(d for d in glob.glob(os.path.join(here, "results", "*")) if os.path.isdir(d))
    for d in dirs:
        for path in render(d):
            print(path)


if __name__ == "__main__":
    main(sys.argv[1:])
