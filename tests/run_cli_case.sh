#!/bin/sh
# run_cli_case.sh PARLEY CASE_DIR: one command-line case stored as data.
#
# CASE_DIR holds:
#   args    the arguments, one per line (may be absent: no arguments)
#   stdout  the expected standard output (absent: must be empty)
#   stderr  the expected standard error (absent: not checked)
#   status  the expected exit code (absent: 0)
#   ...     any input files the arguments name (the case runs in CASE_DIR)
# With PL_UPDATE=1 the expected files are rewritten from the actual run.
parley=$1
dir=$2
cd "$dir" || exit 1
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
set --
if [ -f args ]; then
    while IFS= read -r line || [ -n "$line" ]; do set -- "$@" "$line"; done < args
fi
"$parley" "$@" > "$out" 2> "$err" < /dev/null
code=$?
want=0
[ -f status ] && want=$(cat status)
if [ "${PL_UPDATE:-0}" = 1 ]; then
    cp "$out" stdout
    [ -s stdout ] || rm -f stdout
    [ -f stderr ] && cp "$err" stderr
    [ "$code" = 0 ] && rm -f status || echo "$code" > status
    echo "updated $dir"
    exit 0
fi
fail=0
if [ "$code" != "$want" ]; then
    echo "exit code $code, expected $want"; fail=1
fi
if [ -f stdout ]; then
    diff -u stdout "$out" || fail=1
elif [ -s "$out" ]; then
    echo "unexpected standard output:"; cat "$out"; fail=1
fi
if [ -f stderr ]; then
    diff -u stderr "$err" || fail=1
fi
[ $fail = 0 ] || { echo "standard error was:"; cat "$err"; }
exit $fail
