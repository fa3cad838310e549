#!/usr/bin/env python3
"""mutants.py: a mutation check of the model kernels (sh tools/dev.sh mutants).

Each mutant in tools/mutants.txt changes one piece of text in one source
file (a flipped comparison, a changed constant, a swapped sign).  The
mutants are applied one at a time to a copy of the tree in
build-mutants/tree (the working files are never touched, so an interrupted
run leaves nothing behind); after each, only the library and the unit tests
of the mutated file are rebuilt (Release, no sanitizer) and run with a
timeout.  A mutant is killed when a test fails, crashes or times out, and
survives when every test passes.

    python3 tools/mutants.py [--list] [FILTER...]

FILTER (a substring of the file name, or a mutant number) limits the run.
Exit status: 0 every mutant killed, 1 some survived, 2 the list or the
build is broken (a mutant whose text is not found exactly once, a mutant
that does not compile, the unmutated tests failing).
"""
import os
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, "build-mutants")
TREE = os.path.join(WORK, "tree")
BUILD = os.path.join(WORK, "build")
LIST = os.path.join(ROOT, "tools", "mutants.txt")
COPIED = ["CMakeLists.txt", "src", "include", "cli", "tests", "tools", "scenarios", "cmake",
          "python", "examples", "docs", "bench"]

# The unit tests that cover each mutated file, the quickest killers first.
TESTS = {
    "src/models/model_eum.c": ["test_eum", "test_mc", "test_forecast"],
    "src/models/eum_lanes.c": ["test_eum", "test_eum_lanes", "test_mc"],
    "src/models/eum_lanes_impl.h": ["test_eum", "test_eum_lanes", "test_mc"],
    "src/models/model_smp.c": ["test_smp"],
    "src/models/smp_sorted.c": ["test_smp"],
    "src/deals/deals.c": ["test_deals", "test_io_genius"],
    "src/deals/space.c": ["test_deals", "test_io_genius"],
    "src/deals/space_int.h": ["test_deals", "test_io_genius"],
    "src/models/model_baseline.c": ["test_baseline", "test_forecast", "test_mc", "test_backtest"],
    "src/models/model_snap.c": ["test_candidate"],
    "src/models/model_candidate.c": ["test_candidate"],
}


def read_list():
    """The mutants: (number, file, find, replace, occurrence, source line)."""
    mutants = []
    with open(LIST, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = [p.strip() for p in line.split(" @@ ")]
            if len(parts) not in (3, 4) or parts[0] not in TESTS:
                sys.exit("%s:%d: expected FILE @@ FIND @@ REPLACE [@@ N], FILE one of %s, "
                         "found %r" % (LIST, lineno, ", ".join(TESTS), line))
            occurrence = int(parts[3]) if len(parts) == 4 else 0
            mutants.append((len(mutants) + 1, parts[0], parts[1], parts[2], occurrence, lineno))
    return mutants


def locate(text, find, occurrence):
    """The offset of the mutated text: the only occurrence of find, or its
    occurrence-th (1-based) when the list says which; None if ambiguous."""
    starts, at = [], text.find(find)
    while at >= 0:
        starts.append(at)
        at = text.find(find, at + 1)
    if occurrence:
        return starts[occurrence - 1] if occurrence <= len(starts) else None
    return starts[0] if len(starts) == 1 else None


def sync_tree():
    """Copy the sources to TREE, rewriting only files that differ (so that
    the build recompiles only what changed since the last run)."""
    for top in COPIED:
        src = os.path.join(ROOT, top)
        if os.path.isfile(src):
            pairs = [(src, os.path.join(TREE, top))]
        else:
            pairs = []
            for d, _, files in os.walk(src):
                for name in files:
                    s = os.path.join(d, name)
                    pairs.append((s, os.path.join(TREE, os.path.relpath(s, ROOT))))
        for s, t in pairs:
            with open(s, "rb") as f:
                data = f.read()
            if os.path.exists(t):
                with open(t, "rb") as f:
                    if f.read() == data:
                        continue
            os.makedirs(os.path.dirname(t), exist_ok=True)
            with open(t, "wb") as f:
                f.write(data)


def build(targets):
    cmd = ["cmake", "--build", BUILD, "-j", os.environ.get("PL_MUTANT_JOBS", "2"), "--target"]
    r = subprocess.run(cmd + targets, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return r.returncode == 0, r.stdout.decode("utf-8", "replace")


def run_tests(tests, timeouts):
    """None when every test passes, else what killed the mutant."""
    env = dict(os.environ, PL_REQUIRE_SHARED="1")
    for t in tests:
        try:
            r = subprocess.run([os.path.join(BUILD, t)], cwd=BUILD, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               timeout=timeouts[t])
        except subprocess.TimeoutExpired:
            return "%s timed out" % t
        if r.returncode != 0:
            return "%s failed" % t
    return None


def interrupted(signum, frame):
    raise KeyboardInterrupt


def main(argv):
    # Ctrl-C and kill stop the run cleanly (the copy is restored), even when
    # started in the background with SIGINT ignored
    signal.signal(signal.SIGINT, interrupted)
    signal.signal(signal.SIGTERM, interrupted)
    mutants = read_list()
    filters = [a for a in argv if a != "--list"]
    if filters:
        mutants = [m for m in mutants
                   if any(f == str(m[0]) or f in m[1] for f in filters)]
    bad = []
    for m in mutants:
        with open(os.path.join(ROOT, m[1]), encoding="utf-8") as f:
            if locate(f.read(), m[2], m[4]) is None:
                bad.append(m)
    for m in bad:
        print("%s:%d: mutant %d: %r is not found exactly once in %s (give its occurrence "
              "as a fourth field, or update the list)" % (LIST, m[5], m[0], m[2], m[1]))
    if "--list" in argv:
        for m in mutants:
            print("%3d  %-22s %s  ->  %s" % (m[0], m[1], m[2], m[3]))
        return 2 if bad else 0
    if bad:
        return 2

    shared = os.path.realpath(os.path.join(ROOT, "..", "shared"))
    os.makedirs(TREE, exist_ok=True)
    sync_tree()
    # an interrupted run may have left an object built from a mutant
    # (its compiler finishing after the source was restored): rebuild them
    for path in TESTS:
        os.utime(os.path.join(TREE, path))
    r = subprocess.run(["cmake", "-S", TREE, "-B", BUILD, "-DCMAKE_BUILD_TYPE=Release",
                        "-DPL_TESTS=ON", "-DPL_BENCH=OFF", "-DPL_WERROR=OFF",
                        "-DPL_SHARED_DIR=" + shared],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if r.returncode != 0:
        print(r.stdout.decode("utf-8", "replace"))
        return 2
    tests = sorted({t for m in mutants for t in TESTS[m[1]]})
    print("== building the library and %s (Release) in %s" % (" ".join(tests), BUILD))
    ok, log = build(tests)
    if not ok:
        print(log)
        return 2
    # the unmutated tests must pass; their times set the timeouts
    timeouts = {}
    for t in tests:
        start = time.time()
        why = run_tests([t], {t: 600})
        if why:
            print("mutants: the unmutated %s (PL_REQUIRE_SHARED=1)" % why)
            return 2
        timeouts[t] = 10 + 5 * (time.time() - start)

    results = {}
    start_all = time.time()
    try:
        for n, path, find, repl, occurrence, _ in mutants:
            target = os.path.join(TREE, path)
            with open(os.path.join(ROOT, path), encoding="utf-8") as f:
                original = f.read()
            at = locate(original, find, occurrence)
            line = original.count("\n", 0, at) + 1
            with open(target, "w", encoding="utf-8") as f:
                f.write(original[:at] + repl + original[at + len(find):])
            try:
                ok, log = build(TESTS[path])
                if not ok:
                    print(log[-3000:])
                    print("mutants: mutant %d (%s:%d) does not compile: fix the list" %
                          (n, path, line))
                    return 2
                why = run_tests(TESTS[path], timeouts)
            finally:
                with open(target, "w", encoding="utf-8") as f:
                    f.write(original)
            results.setdefault(path, []).append((n, line, find, repl, why))
            print("%3d %-8s %s:%d  %s  ->  %s%s" % (n, "killed" if why else "SURVIVED", path,
                                                  line, find, repl,
                                                  "  (%s)" % why if why else ""))
            sys.stdout.flush()
    except KeyboardInterrupt:
        print("\nmutants: interrupted (the working tree was never changed)")
        return 130
    finally:
        sync_tree()  # the copy as the sources are, for the next run

    total = killed = 0
    print("\n== mutants killed, per file")
    for path in sorted(results):
        k = sum(1 for r in results[path] if r[4])
        print("  %-22s %d of %d" % (path, k, len(results[path])))
        total += len(results[path])
        killed += k
    print("%d of %d mutants killed (%.0f s)" % (killed, total, time.time() - start_all))
    return 0 if killed == total else 1


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        print("\nmutants: interrupted (the working tree was never changed)")
        sys.exit(130)
