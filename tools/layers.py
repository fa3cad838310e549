#!/usr/bin/env python3
"""layers.py: check parley's include graph (and its call graph) against its layers.

    python3 tools/layers.py [ROOT] [--objects BUILD_DIR]

The library lives in one folder per layer under src/.  A file may include
headers of its own layer and of the layers below it, never above; within a
layer, no two files may include each other's headers (directly or round a
longer loop), and two layers of the same rank (models and deals; sim and
io) may not include each other at all.  cli/ sits on top and reaches the library only
through the public headers (include/parley.h, include/parley/*.h).

With --objects, the same rules are checked on the calls themselves: for
each object file of the library built in BUILD_DIR (src/LAYER/NAME.c.o),
every symbol it uses that another library object defines (nm) must come
from its own layer or one below, and no two objects may use each other
round a loop -- an include can be avoided by declaring a function by hand;
a call cannot.

Prints every breach and exits 1 if there is one.  docs/architecture.md
says why the layers are what they are.
"""
import os
import re
import subprocess
import sys

# rank of each layer: a file may include a header of a layer of lower rank,
# or of its own layer
RANK = {
    "core": 0,
    "scenario": 1,
    "models": 2,
    "deals": 2,
    "sim": 3,
    "io": 3,
    "analysis": 4,
    "report": 5,
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def includes(path):
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            m = INCLUDE.match(line)
            if m:
                yield n, m.group(1)


def direction(layer, to_layer):
    """None when layer may use to_layer, else 'above it' or 'beside it'."""
    if to_layer == layer or RANK[to_layer] < RANK[layer]:
        return None
    return "above it" if RANK[to_layer] > RANK[layer] else "beside it"


def find_circles(graph, what, bad):
    state, stack = {}, []

    def visit(u):
        state[u] = 1
        stack.append(u)
        for v in sorted(graph.get(u, ())):
            if state.get(v) == 1:
                loop = stack[stack.index(v):] + [v]
                bad.append("src: a circle of %s: %s" % (what, " -> ".join(loop)))
            elif v not in state:
                visit(v)
        stack.pop()
        state[u] = 2

    for u in sorted(graph):
        if u not in state:
            visit(u)


def check_includes(root, bad):
    src = os.path.join(root, "src")
    edges = {}  # file (src-relative) -> set of files (src-relative) it includes
    for layer in sorted(os.listdir(src)):
        d = os.path.join(src, layer)
        if not os.path.isdir(d):
            continue
        if layer not in RANK:
            bad.append("src/%s: a folder that is not a layer (layers: %s)"
                       % (layer, ", ".join(sorted(RANK))))
            continue
        for name in sorted(os.listdir(d)):
            if not name.endswith((".c", ".h")):
                continue
            rel = layer + "/" + name
            edges.setdefault(rel, set())
            for n, inc in includes(os.path.join(d, name)):
                where = "src/%s:%d" % (rel, n)
                if inc.startswith("parley") or inc == "builtin_data.h":
                    continue  # the public headers; the generated data
                if "/" not in inc:
                    bad.append('%s: "%s": include a header by its layer ("core/%s", ...)'
                               % (where, inc, inc))
                    continue
                to_layer = inc.split("/", 1)[0]
                if to_layer not in RANK:
                    bad.append('%s: "%s": no such layer' % (where, inc))
                    continue
                if not os.path.exists(os.path.join(src, inc)):
                    bad.append('%s: "%s": no such header' % (where, inc))
                    continue
                d_ = direction(layer, to_layer)
                if d_:
                    bad.append("%s: %s (layer %s) includes %s of layer %s, which is %s"
                               % (where, rel, layer, inc, to_layer, d_))
                edges[rel].add(inc)

    # circles: a file "uses" another when it includes that file's header;
    # a header counts as its .c (model_eum.h -> model_eum.c)
    def unit(f):
        return f[:-2] if f.endswith((".c", ".h")) else f

    graph = {}
    for f, tos in edges.items():
        u = unit(f)
        graph.setdefault(u, set())
        for t in tos:
            if unit(t) != u:
                graph[u].add(unit(t))
    find_circles(graph, "includes", bad)

    # the command-line tool sees the public face only
    cli = os.path.join(root, "cli")
    own = set(os.listdir(cli)) if os.path.isdir(cli) else set()
    for name in sorted(own):
        if not name.endswith((".c", ".h")):
            continue
        for n, inc in includes(os.path.join(cli, name)):
            if not (inc.startswith("parley") or inc in own):
                bad.append('cli/%s:%d: "%s": the command-line tool includes only the public '
                           "headers and its own" % (name, n, inc))
    return len(edges)


def nm(path, *flags):
    out = subprocess.run(["nm", "--format=posix", *flags, path], capture_output=True,
                         text=True, check=True).stdout
    return {line.split()[0] for line in out.splitlines() if line.strip()}


def check_objects(root, build, bad):
    """The calls between the library's objects point down and do not circle."""
    objs = {}
    for dirpath, _, files in os.walk(build):
        for f in files:
            m = re.search(r"/src/([a-z]+)/([a-z0-9_]+)\.c\.o$", os.path.join(dirpath, f))
            # (an object whose source is gone is left from before a move)
            if m and m.group(1) in RANK and os.path.exists(
                    os.path.join(root, "src", m.group(1), m.group(2) + ".c")):
                # the newest object of a source (a build keeps old targets' objects)
                path = os.path.join(dirpath, f)
                unit = m.group(1) + "/" + m.group(2)
                if unit not in objs or os.path.getmtime(path) > os.path.getmtime(objs[unit]):
                    objs[unit] = path
    if not objs:
        bad.append("%s: no object files of the library (build it first)" % build)
        return 0
    defined = {}
    for unit, path in objs.items():
        for sym in nm(path, "--defined-only", "--extern-only"):
            defined.setdefault(sym, unit)
    graph = {}
    for unit, path in sorted(objs.items()):
        layer = unit.split("/")[0]
        graph.setdefault(unit, set())
        for sym in sorted(nm(path, "--undefined-only")):
            to = defined.get(sym)
            if not to or to == unit:
                continue
            d_ = direction(layer, to.split("/")[0])
            if d_:
                bad.append("src/%s.c: calls %s of src/%s.c (layer %s), which is %s"
                           % (unit, sym, to, to.split("/")[0], d_))
            graph[unit].add(to)
    find_circles(graph, "calls", bad)
    return len(objs)


def main(argv):
    objects = None
    if "--objects" in argv:
        i = argv.index("--objects")
        if i + 1 >= len(argv):
            print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
            return 2
        objects = argv[i + 1]
        argv = argv[:i] + argv[i + 2:]
    root = argv[1] if len(argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    root = os.path.abspath(root)
    bad = []
    n_files = check_includes(root, bad)
    n_objects = check_objects(root, objects, bad) if objects else 0
    for b in bad:
        print(b)
    if bad:
        print("layers.py: %d breach%s" % (len(bad), "es" if len(bad) > 1 else ""))
        return 1
    print("layers.py: %d files in %d layers, every include points down, no circles"
          % (n_files, len(RANK)))
    if objects:
        print("layers.py: %d objects, every call between them points down, no circles"
              % n_objects)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
