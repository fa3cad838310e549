#!/usr/bin/env python3
"""public_symbols.py: the shared library exports the public API, all of it
and nothing else.

    python3 tools/public_symbols.py LIBPARLEY.so [CC [NM]]

The library is compiled with -fvisibility=hidden; a function is exported
only when its declaration in a public header (include/parley.h,
include/parley/*.h) carries PL_API.  This checks, on the built library:

  - every exported symbol starts with pl_ (not pl__) and is a function
    declared in a public header: no internal function (eum_*, smp_*,
    deals_*, pl__malloc, ...) leaks out;
  - every function declared in a public header is exported: a declaration
    that lacks PL_API (or has no definition) fails here;
  - each public header compiles when a program includes it first (-Wall
    -Wextra -Wpedantic -Werror, C11).

The declarations are read from the preprocessor's output (CC, default cc),
so comments and macros do not fool the parser; the exports from NM -D
(default nm).  Prints every problem and
exits 1 if there is one.
"""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INCLUDE = os.path.join(ROOT, "include")
HEADERS = ["parley.h"] + sorted(
    "parley/" + f for f in os.listdir(os.path.join(INCLUDE, "parley")) if f.endswith(".h"))

# What some linkers add to every shared library's dynamic symbols (older GNU
# ld: the section bounds).  Nothing else is let through.
LINKER = {"_init", "_fini", "_edata", "_end", "__bss_start"}


def exported(lib, nm):
    out = subprocess.run([nm, "-D", "--defined-only", lib], check=True,
                         capture_output=True, text=True).stdout
    names = set()
    for line in out.splitlines():
        fields = line.split()
        if len(fields) >= 2:
            names.add(fields[-1].split("@")[0])
    return names


def preprocess(cc, header):
    return subprocess.run([cc, "-E", "-std=c11", "-I", INCLUDE, "-x", "c", "-"],
                          input="#include <%s>\n" % header, check=True,
                          capture_output=True, text=True).stdout


def declared(cc):
    """The functions the public headers declare, with the header of each."""
    text = preprocess(cc, "parley.h")
    # keep only what comes from our headers (line markers: # N "FILE" ...)
    keep, lines, current = False, [], None
    for line in text.splitlines():
        m = re.match(r'#\s*\d+\s+"([^"]*)"', line)
        if m:
            path = os.path.abspath(m.group(1))
            keep = path.startswith(INCLUDE + os.sep)
            current = os.path.relpath(path, INCLUDE) if keep else None
            continue
        if keep:
            lines.append((current, line))
    # split into top-level statements; bodies of structs and enums are
    # skipped by depth
    functions = {}
    depth, stmt, where = 0, "", None
    for header, line in lines:
        for ch in line + " ":
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            elif ch == ";" and depth == 0:
                name = function_name(stmt)
                if name:
                    functions[name] = where
                stmt, where = "", None
                continue
            if depth == 0 and ch not in "{}":
                if not stmt.strip() and not ch.isspace():
                    where = header
                stmt += ch
    return functions


def function_name(stmt):
    s = stmt.strip()
    # drop attributes (PL_API), keep the rest
    while "__attribute__" in s:
        i = s.index("__attribute__")
        j, level = s.index("(", i), 0
        for k in range(j, len(s)):
            level += {"(": 1, ")": -1}.get(s[k], 0)
            if level == 0:
                break
        s = s[:i] + s[k + 1:]
    if s.startswith("typedef") or "(" not in s:
        return None
    m = re.search(r"([A-Za-z_][A-Za-z0-9_]*)\s*\(", s)
    return m.group(1) if m else None


def main():
    args = sys.argv[1:]
    if len(args) not in (1, 2, 3):
        print("usage: " + __doc__.strip().splitlines()[3].strip(), file=sys.stderr)
        return 2
    lib = args[0]
    cc = args[1] if len(args) > 1 else "cc"
    nm = args[2] if len(args) > 2 else "nm"
    problems = []

    for header in HEADERS:
        r = subprocess.run([cc, "-fsyntax-only", "-std=c11", "-Wall", "-Wextra", "-Wpedantic",
                            "-Werror", "-I", INCLUDE, "-x", "c", "-"],
                           input="#include <%s>\n" % header, capture_output=True, text=True)
        if r.returncode != 0:
            problems.append("include/%s does not compile when included first:\n%s"
                            % (header, r.stderr.rstrip()))

    decl = declared(cc)
    exp = exported(lib, nm) - LINKER
    for name in sorted(exp - set(decl)):
        why = ("not a pl_ name" if not re.match(r"pl_[a-z0-9]", name)
               else "not declared in a public header")
        problems.append("%s exports %s: %s" % (os.path.basename(lib), name, why))
    for name in sorted(set(decl) - exp):
        if not re.match(r"pl_[a-z0-9]", name):
            problems.append("include/%s declares %s: public names start with pl_"
                            % (decl[name], name))
        problems.append("include/%s declares %s, which %s does not export: "
                        "mark the declaration PL_API (or define the function)"
                        % (decl[name], name, os.path.basename(lib)))
    for p in problems:
        print(p)
    if problems:
        print("public_symbols: %d problem(s)" % len(problems))
        return 1
    print("public_symbols: %d functions declared, %d exported, all pl_, the same set"
          % (len(decl), len(exp)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
