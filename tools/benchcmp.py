#!/usr/bin/env python3
"""benchcmp.py: compare the benchmark programs of two builds, line by line.

    python3 tools/benchcmp.py [-n REPEATS] BEFORE_DIR AFTER_DIR [BENCH...]

BEFORE_DIR and AFTER_DIR are build folders holding bench_* programs (built
Release, e.g. `cmake -B build-bench -DCMAKE_BUILD_TYPE=Release`).  Each
benchmark is run REPEATS times (default 5), alternating before and after so
that a slow spell of the machine falls on both.  Every output line is keyed
by its words (the numbers taken out); for each number of a line the median
over the repeats is printed for before and after, with after/before.

A single run of a benchmark on a shared virtual machine varies by 10-20%;
the median of interleaved repeats is what a before/after claim should
quote.  Numbers whose meaning is "higher is better" (r/s, runs/s) and
"lower is better" (s, us, ns) are not told apart: read the column header.
"""
import os
import re
import statistics
import subprocess
import sys

NUM = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def run(path):
    out = subprocess.run([path], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        return None
    return out.stdout.splitlines()


def key_of(line):
    return NUM.sub("#", line).strip()


def collect(lines, into):
    seen = {}
    for line in lines:
        k = key_of(line)
        if "#" not in k:
            continue
        n = seen.get(k, 0)
        seen[k] = n + 1
        into.setdefault((k, n), []).append([float(x) for x in NUM.findall(line)])


def fmt(x):
    if x == 0:
        return "0"
    if abs(x) >= 1000:
        return "%.0f" % x
    if abs(x) >= 10:
        return "%.1f" % x
    return "%.3g" % x


def main(argv):
    reps = 5
    if len(argv) > 2 and argv[1] == "-n":
        reps = int(argv[2])
        argv = argv[:1] + argv[3:]
    if len(argv) < 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    before, after = argv[1], argv[2]
    benches = argv[3:] or sorted(
        b for b in os.listdir(after) if b.startswith("bench_") and
        os.access(os.path.join(after, b), os.X_OK))
    for b in benches:
        res = {"before": {}, "after": {}}
        order = []
        ok = {"before": True, "after": True}
        for _ in range(reps):
            for side, d in (("before", before), ("after", after)):
                p = os.path.join(d, b)
                if not ok[side]:
                    continue
                if not os.access(p, os.X_OK):
                    ok[side] = False
                    continue
                lines = run(p)
                if lines is None:
                    ok[side] = False
                    continue
                if side == "after" and not order:
                    order = lines
                collect(lines, res[side])
        print("== %s (median of %d, before -> after)" % (b, reps))
        if not ok["before"]:
            print("   (no before: the program is missing or failed there)")
        seen = {}
        for line in order:
            k = key_of(line)
            if "#" not in k:
                print("   " + line)
                continue
            n = seen.get(k, 0)
            seen[k] = n + 1
            a = res["after"].get((k, n))
            bf = res["before"].get((k, n))
            med_a = [statistics.median(c) for c in zip(*a)]
            parts = []
            for i, va in enumerate(med_a):
                if bf and len(bf[0]) == len(med_a):
                    vb = statistics.median(r[i] for r in bf)
                    if fmt(va) == fmt(vb):
                        parts.append(fmt(va))
                    else:
                        ratio = (" (%+.0f%%)" % (100 * (va / vb - 1))) if vb else ""
                        parts.append("%s->%s%s" % (fmt(vb), fmt(va), ratio))
                else:
                    parts.append(fmt(va))
            label = re.sub(r"\s+", " ", k.replace("#", "").strip())
            print("   %-40s %s" % (label[:40], "  ".join(parts)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
