#!/usr/bin/env python3
"""Stop-the-world pauses in a unified GC log, for bench/memory-compare.sh.

Usage: gc-pauses.py <gc log> [over-ms (10)] [after-s (0)]

The log is the JVM's -Xlog:gc*:file=<log>:uptime,level,tags. A pause is a line of a numbered collection that ends
in a time in ms, one per pause whatever the collector:
  G1          [1.2s][info][gc          ] GC(3) Pause Young (Normal) (G1 Evacuation Pause) 25M->23M(340M) 11.262ms
              (also Pause Remark, Pause Cleanup, Pause Full)
  ZGC         [0.9s][info][gc,phases   ] GC(0) Pause Mark Start 0.005ms     (generational: "GC(0) Y: Pause ...")
  Shenandoah  [1.3s][info][gc          ] GC(0) Pause Init Mark (unload classes) 0.050ms  (also Pause Degenerated GC)
The "Pause ..." line without a time is G1's and Shenandoah's start line; the statistics printed at exit have no
GC(n). ZGC's "Allocation Stall (<thread>) N ms" is not a pause of the whole VM but blocks the allocating thread (an
event loop here), so its maximum is reported beside. Only the lines at JVM uptime >= after-s count (to split a
fill from a read phase). Prints one CSV line:
collector,pauses,max_pause_ms,pauses_over,total_pause_ms,max_alloc_stall_ms
"""
import re
import sys

LINE = re.compile(r"^\[(\d+(?:\.\d+)?)s\]\[\w+\s*\]\[[\w,\s]+\] (.*)$")
PAUSE = re.compile(r"^GC\(\d+\) (?:[YO]: )?Pause .* (\d+(?:\.\d+)?)ms$")
STALL = re.compile(r"Allocation Stall \(.*\) (\d+(?:\.\d+)?)ms$")
USING = re.compile(r"^Using (.*)$")
NAMES = {"The Z Garbage Collector": "ZGC"}


def main():
    path = sys.argv[1]
    over = float(sys.argv[2]) if len(sys.argv) > 2 else 10.0
    after = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0
    collector, pauses, stalls = "?", [], []
    with open(path, errors="replace") as f:
        for raw in f:
            m = LINE.match(raw.rstrip("\n"))
            if not m:
                continue
            uptime, text = float(m.group(1)), m.group(2)
            u = USING.match(text)
            if u and collector == "?":
                collector = NAMES.get(u.group(1), u.group(1))
            if uptime < after:
                continue
            p = PAUSE.match(text)
            if p:
                pauses.append(float(p.group(1)))
            s = STALL.search(text)
            if s:
                stalls.append(float(s.group(1)))
    print(f"{collector},{len(pauses)},{max(pauses, default=0):.3f},{sum(1 for p in pauses if p > over)},"
          f"{sum(pauses):.1f},{max(stalls, default=0):.3f}")


if __name__ == "__main__":
    main()
