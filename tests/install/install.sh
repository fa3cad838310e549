#!/bin/sh
# install.sh SOURCE BUILD: parley installed as a user gets it (issue 16, part 1).
#   - cmake --install into a temporary prefix: every file where it belongs;
#   - the shared library exports only the public API (tools/public_symbols.py
#     on the installed copy, which reads nm -D) and carries its SONAME;
#   - examples/forecast.c built against the installed copy with pkg-config
#     and with find_package(parley) (shared and static), run, same output;
#   - every manual page renders with man -l, without a groff warning;
#   - the completion files parse (bash -n; zsh -n where zsh is installed);
#   - cpack -G DEB makes a .deb; unpacked in a temporary root (dpkg -x), its
#     parley prints its version and a forecast, its library runs the example.
set -eu
src=$(cd "$1" && pwd)
build=$(cd "$2" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "install.sh: $*" >&2; exit 1; }

prefix=$tmp/prefix
cmake --install "$build" --prefix "$prefix" > "$tmp/install.log" || { cat "$tmp/install.log"; fail "cmake --install failed"; }
for f in bin/parley include/parley.h include/parley/smp.h include/parley/eum.h \
    include/parley/deals.h include/parley/negotiate.h lib/libparley.a lib/libparley.so \
    lib/libparley.so.0 lib/pkgconfig/parley.pc lib/cmake/parley/parleyConfig.cmake \
    lib/cmake/parley/parleyConfigVersion.cmake share/man/man1/parley.1 \
    share/man/man1/parley-forecast.1 share/bash-completion/completions/parley \
    share/zsh/vendor-completions/_parley lib/python3/dist-packages/parley/__init__.py; do
    [ -e "$prefix/$f" ] || fail "cmake --install did not install $f"
done
echo "ok: installed into a temporary prefix"

# the SONAME and the exports
soname=$(objdump -p "$prefix/lib/libparley.so" | awk '$1 == "SONAME" {print $2}')
[ "$soname" = libparley.so.0 ] || fail "expected SONAME libparley.so.0, found '$soname'"
python3 "$src/tools/public_symbols.py" "$prefix/lib/libparley.so" || fail "exports"
if nm -D --defined-only "$prefix/lib/libparley.so" | awk '$2 ~ /[TtWiDdBbRr]/ {print $3}' |
    grep -v '^pl_' | grep -v -x -e _init -e _fini -e _edata -e _end -e __bss_start; then
    fail "the library exports names other than pl_ ones (above)"
fi
echo "ok: SONAME libparley.so.0; nm -D lists only the public pl_ functions"

# the example, three ways
mkdir "$tmp/ex"
cp "$src/examples/forecast.c" "$src/examples/Makefile" "$src/examples/CMakeLists.txt" "$tmp/ex/"
PKG_CONFIG_PATH=$prefix/lib/pkgconfig make -s -C "$tmp/ex" forecast-pc CFLAGS="-O2 -Wall -Wextra -Werror" ||
    fail "the example did not build with pkg-config"
cmake -S "$tmp/ex" -B "$tmp/ex/build" -DCMAKE_PREFIX_PATH="$prefix" > "$tmp/ex.log" 2>&1 ||
    { cat "$tmp/ex.log"; fail "find_package(parley) failed"; }
cmake --build "$tmp/ex/build" > "$tmp/ex.log" 2>&1 || { cat "$tmp/ex.log"; fail "the example did not build with CMake"; }
LD_LIBRARY_PATH=$prefix/lib "$tmp/ex/forecast-pc" > "$tmp/out-pc" || fail "the pkg-config build failed to run"
"$tmp/ex/build/forecast" > "$tmp/out-cmake" || fail "the CMake build failed to run"
"$tmp/ex/build/forecast_static" > "$tmp/out-static" || fail "the static build failed to run"
cmp "$tmp/out-pc" "$tmp/out-cmake" || fail "pkg-config and CMake builds print different forecasts"
cmp "$tmp/out-pc" "$tmp/out-static" || fail "shared and static builds print different forecasts"
ldd "$tmp/ex/build/forecast" | grep -q "libparley.so.0 => $prefix/lib" ||
    fail "the CMake build does not load the installed libparley.so.0"
grep -q "^Armistice talks" "$tmp/out-pc" || fail "unexpected example output: $(head -1 "$tmp/out-pc")"
# its figures are the tool's
issues=$("$prefix/bin/parley" forecast -f json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["issues"]))')
[ "$(($(wc -l < "$tmp/out-pc") - 1))" = "$issues" ] || fail "expected $issues issue lines from the example"
first=$("$prefix/bin/parley" forecast -f json | python3 -c 'import json,sys; i=json.load(sys.stdin)["issues"][0]; print("%s %.4g" % (i["id"], i["forecast"]["compromise"]))')
got=$(sed -n '2s/^\([^:]*\): compromise=\([^ ]*\).*/\1 \2/p' "$tmp/out-pc")
[ "$got" = "$first" ] || fail "example says '$got', parley forecast says '$first'"
echo "ok: the example builds with pkg-config and find_package(parley) (shared, static) and agrees with the tool"

# the Python package from the prefix: it finds the library there by itself
py=${PL_PYTHON:-/usr/bin/python3}
[ -x "$py" ] || py=python3
got=$(cd "$tmp" && env -u PARLEY_LIB PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$prefix/lib/python3/dist-packages" "$py" -c '
import parley
r = parley.Scenario.builtin("armistice-2025").forecast()
print(parley.library_path)
print("%s %.4g" % (r.issues[0].id, r.issues[0].forecast["compromise"]))') || fail "import parley from the prefix"
[ "$(echo "$got" | sed -n 1p)" = "$prefix/lib/libparley.so.0" ] ||
    fail "the installed package loaded $(echo "$got" | sed -n 1p), not the prefix's library"
[ "$(echo "$got" | sed -n 2p)" = "$first" ] || fail "the installed package says '$(echo "$got" | sed -n 2p)'"
echo "ok: the Python package imports from the prefix and finds its library ($prefix/lib)"

# manual pages
n=0
for page in "$prefix"/share/man/man1/*.1; do
    LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$page" > "$tmp/page" 2> "$tmp/warn" ||
        { cat "$tmp/warn"; fail "man -l $page failed"; }
    [ -s "$tmp/warn" ] && { cat "$tmp/warn"; fail "groff warns about $page"; }
    grep -q "^NAME" "$tmp/page" || fail "$page has no NAME section"
    n=$((n + 1))
done
commands=$("$prefix/bin/parley" --help | awk '/^Commands:/ {on = 1; next} on && /^$/ {exit} on {print $2}')
for c in $commands; do
    [ -f "$prefix/share/man/man1/parley-$c.1" ] || fail "no manual page for parley $c"
    grep -q "^    $c)" "$prefix/share/bash-completion/completions/parley" || fail "bash completion lacks $c"
    grep -q "^    $c)" "$prefix/share/zsh/vendor-completions/_parley" || fail "zsh completion lacks $c"
done
echo "ok: $n manual pages render with man -l"
bash -n "$prefix/share/bash-completion/completions/parley" || fail "bash completion"
if command -v zsh > /dev/null; then zsh -n "$prefix/share/zsh/vendor-completions/_parley" || fail "zsh completion"; fi
# bash completion at work: the options of 'parley deals --'
got=$(bash -c ". '$prefix/share/bash-completion/completions/parley'; COMP_WORDS=(parley deals --gr); COMP_CWORD=2; _parley; echo \${COMPREPLY[*]}")
[ "$got" = "--grid" ] || fail "bash completion of 'parley deals --gr' gave '$got'"
echo "ok: completion files"

# the Debian package
if [ ! -f "$build/CPackConfig.cmake" ]; then fail "no CPackConfig.cmake in $build"; fi
(cd "$tmp" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/deb" > "$tmp/cpack.log" 2>&1) ||
    { cat "$tmp/cpack.log"; fail "cpack -G DEB failed"; }
deb=$(ls "$tmp"/deb/*.deb)
dpkg-deb -f "$deb" Depends | grep -q libjansson || fail "the .deb does not depend on libjansson: $(dpkg-deb -f "$deb" Depends)"
dpkg-deb -x "$deb" "$tmp/root"
[ -e "$tmp/root/usr/lib/libparley.so.0" ] || [ -e "$tmp/root/usr/lib/x86_64-linux-gnu/libparley.so.0" ] ||
    fail "the .deb holds no libparley.so.0"
"$tmp/root/usr/bin/parley" --version | grep -q "^parley [0-9]" || fail "parley --version from the .deb"
"$tmp/root/usr/bin/parley" forecast > "$tmp/deb-forecast" || fail "parley forecast from the .deb"
"$build/parley" forecast | cmp - "$tmp/deb-forecast" || fail "the .deb's forecast differs from the build's"
LD_LIBRARY_PATH=$(dirname "$(find "$tmp/root" -name libparley.so.0 | head -n 1)") "$tmp/ex/forecast-pc" |
    cmp - "$tmp/out-pc" || fail "the example on the .deb's library differs"
pydir=$(find "$tmp/root" -type d -path '*/dist-packages' | head -n 1)
got=$(cd "$tmp" && env -u PARLEY_LIB PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$pydir" "$py" -c '
import parley
r = parley.Scenario.builtin("armistice-2025").forecast()
print("%s %.4g" % (r.issues[0].id, r.issues[0].forecast["compromise"]))') || fail "import parley from the .deb"
[ "$got" = "$first" ] || fail "the .deb's Python package says '$got'"
echo "ok: cpack -G DEB: $(basename "$deb") ($(dpkg-deb -f "$deb" Depends)) runs from a temporary root"
