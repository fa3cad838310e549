#!/bin/sh
# input_limits.sh PARLEY: hostile inputs end promptly, in bounded memory,
# with a clear message (issue 11): an endless device, a line of ten million
# commas, a long string under a memory limit.  Address-space limits
# (ulimit -v) stand in for a small machine; CMake registers this test only
# for builds without sanitizers (they reserve terabytes of address space).
parley=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# 1. /dev/zero: refused at the default cap (256 MiB), in about that much memory.
(ulimit -v 600000; exec timeout 20 "$parley" forecast /dev/zero) > /dev/null 2> "$tmp/err"
code=$?
[ "$code" = 2 ] || bad "forecast /dev/zero: exit $code, expected 2"
grep -q '^/dev/zero: error: expected input of at most 268435456 bytes (the input cap, --max-input), found more$' \
    "$tmp/err" || { bad "forecast /dev/zero: message"; cat "$tmp/err"; }

# 2. Ten million commas on a line: 50 errors and a count of the rest, in
#    constant memory (the file itself is 10 MB).
{ echo 'Actor,Capability,Position,Salience'; printf a; head -c 10000000 /dev/zero | tr '\0' ','; echo; } \
    > "$tmp/commas.csv"
(ulimit -v 150000; exec timeout 20 "$parley" validate "$tmp/commas.csv") > "$tmp/out" 2> "$tmp/err"
code=$?
[ "$code" = 2 ] || bad "validate commas.csv: exit $code, expected 2"
n=$(grep -c 'error: expected at most 64 fields on a line, found more' "$tmp/out" "$tmp/err" | awk -F: '{s += $2} END {print s}')
[ "$n" = 50 ] || bad "validate commas.csv: $n errors shown, expected 50"
grep -q 'commas.csv: error: \.\.\. and 9999887 more errors' "$tmp/out" "$tmp/err" ||
    { bad "validate commas.csv: no '... and 9999887 more errors'"; tail -3 "$tmp/out" "$tmp/err"; }

# 3. A 60 MB string under a 130 MB address-space limit: out of memory,
#    promptly (jansson alone would retry a doomed allocation for every byte).
{ printf '{"parley": 1, "id": "x", "name": "'; head -c 60000000 /dev/zero | tr '\0' a; printf '"}\n'; } \
    > "$tmp/long.json"
(ulimit -v 130000; exec timeout 20 "$parley" validate "$tmp/long.json") > /dev/null 2> "$tmp/err"
code=$?
[ "$code" = 1 ] || bad "validate long.json: exit $code, expected 1 (out of memory)"
grep -q 'long.json: out of memory' "$tmp/err" || { bad "validate long.json: message"; cat "$tmp/err"; }
# ... and without the limit it is valid JSON (so the failure above is memory's)
"$parley" validate "$tmp/long.json" > "$tmp/out" 2>&1
grep -q 'expected key "name"\|expected key "actors"' "$tmp/out" ||
    { bad "validate long.json without a limit"; head -3 "$tmp/out"; }
exit $fail
