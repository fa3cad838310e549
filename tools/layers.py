#!/usr/bin/env python3
"""layers.py: check parley's include graph against its layers.

    python3 tools/layers.py [ROOT]

The library lives in one folder per layer under src/.  A file may include
headers of its own layer and of the layers below it, never above; within a
layer, no two files may include each other's headers (directly or round a
longer loop), and two layers of the same rank (models and deals) may not
include each other at all.  cli/ sits on top and reaches the library only
through the public headers (include/parley.h, include/parley/*.h).

Prints every breach as FILE:LINE: message and exits 1 if there is one.
docs/architecture.md says why the layers are what they are.
"""
import os
import re
import sys

# rank of each layer: a file may include a header of a layer of lower rank,
# or of its own layer
RANK = {
    "core": 0,
    "scenario": 1,
    "models": 2,
    "deals": 2,
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


def main(argv):
    root = argv[1] if len(argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    root = os.path.abspath(root)
    src = os.path.join(root, "src")
    bad = []
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
                if to_layer != layer and RANK[to_layer] >= RANK[layer]:
                    bad.append("%s: %s (layer %s) includes %s of layer %s, which is %s"
                               % (where, rel, layer, inc, to_layer,
                                  "above it" if RANK[to_layer] > RANK[layer]
                                  else "beside it"))
                edges[rel].add(inc)
    # circles: a .c file "uses" another when it includes that file's header;
    # fold each header into its .c (model_eum.h -> model_eum.c)
    def unit(f):
        return f[:-2] if f.endswith((".c", ".h")) else f

    graph = {}
    for f, tos in edges.items():
        u = unit(f)
        graph.setdefault(u, set())
        for t in tos:
            if unit(t) != u:
                graph[u].add(unit(t))
    state, stack = {}, []

    def visit(u):
        state[u] = 1
        stack.append(u)
        for v in sorted(graph.get(u, ())):
            if state.get(v) == 1:
                loop = stack[stack.index(v):] + [v]
                bad.append("src: a circle of includes: %s" % " -> ".join(loop))
            elif v not in state:
                visit(v)
        stack.pop()
        state[u] = 2

    for u in sorted(graph):
        if u not in state:
            visit(u)
    # the command-line tool sees the public face only
    cli = os.path.join(root, "cli")
    for name in sorted(os.listdir(cli)) if os.path.isdir(cli) else []:
        if not name.endswith((".c", ".h")):
            continue
        for n, inc in includes(os.path.join(cli, name)):
            if not (inc.startswith("parley") or inc in os.listdir(cli)):
                bad.append('cli/%s:%d: "%s": the command-line tool includes only the public '
                           "headers and its own" % (name, n, inc))
    for b in bad:
        print(b)
    n_files = len(edges)
    if bad:
        print("layers.py: %d breach%s in %d files" % (len(bad), "es" if len(bad) > 1 else "",
                                                      n_files))
        return 1
    print("layers.py: %d files in %d layers, every include points down, no circles"
          % (n_files, len(RANK)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
