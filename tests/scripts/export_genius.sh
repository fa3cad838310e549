#!/bin/sh
# export_genius.sh PARLEY: `parley show --format genius -o DIR` writes a
# GENIUS domain and one profile per actor that `parley deals --genius DIR`
# reads back to the same space (packages, frontier; the library's round
# trips are in tests/test_export.c); -o naming a file is refused (2), and
# nothing is written without -o.
set -eu
parley=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "export_genius.sh: $*" >&2; exit 1; }

"$parley" show --format genius -o "$tmp/g" || fail "export failed"
n=$(ls "$tmp/g" | wc -l)
[ "$n" = 8 ] || fail "expected a domain and 7 profiles, found $n files"
[ -f "$tmp/g/armistice-2025-domain.xml" ] || fail "no domain file"
[ -f "$tmp/g/Russia.xml" ] || fail "no profile for Russia"
"$parley" deals -f json > "$tmp/a.json"
"$parley" deals --genius "$tmp/g" -f json > "$tmp/b.json" || fail "parley deals --genius cannot read the export"
count() { sed -n "s/^  \"$1\": \\([0-9]*\\),\$/\\1/p" "$2"; }
for k in n_outcomes n_frontier; do
    [ "$(count $k "$tmp/a.json")" = "$(count $k "$tmp/b.json")" ] ||
        fail "$k: $(count $k "$tmp/a.json") from the scenario, $(count $k "$tmp/b.json") from the export"
done
touch "$tmp/file"
if "$parley" show --format genius -o "$tmp/file" 2> "$tmp/err"; then fail "-o FILE accepted"; fi
grep -q "expected a folder" "$tmp/err" || fail "unexpected message: $(cat "$tmp/err")"
if "$parley" show --format genius > "$tmp/out" 2> "$tmp/err"; then fail "no -o accepted"; fi
[ -s "$tmp/out" ] && fail "wrote to standard output without -o"
if "$parley" forecast --format genius 2> "$tmp/err"; then fail "forecast --format genius accepted"; fi
echo "ok: GENIUS export reads back ($(count n_outcomes "$tmp/b.json") packages, $(count n_frontier "$tmp/b.json") on the frontier)"
