#!/bin/sh
# cli_oom.sh PARLEY FAILMALLOC_SO DATA_DIR: every command of the tool with
# its N-th allocation failing (and every later one), for N = 0, 1, ... up
# to the number of allocations the command makes, sampled past the first
# 30 (failmalloc.c, preloaded: the tool has no hook of its own; the
# library's own test_alloc_paths tries every point).  Each run must either give the result
# of a run with unlimited memory (its exit code and standard output: the
# failure was gone around), or exit 1 with "out of memory" on standard
# error naming the input FILE -- never the scenario's id, never exit 2 (bad
# input), never a crash.  DATA_DIR holds the inputs (tests/oom/data).
parley=$1
shim=$2
data=$3
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
cp "$data"/* "$work"/ || exit 1
cp -r "$data"/../../data/genius-nonlinear "$data"/../../data/geniusweb-laptop "$work"/ || exit 1
cd "$work" || exit 1

fail=0
total=0
# check NAME FILE ARGS...: FILE is what the messages must name.  N runs
# from 0 to 29, then in about 25 steps to the count, then over its last 5.
check() {
    name=$1 file=$2
    shift 2
    "$parley" "$@" > ref.out 2> ref.err < /dev/null
    want=$?
    n=$(PL_FAIL_MALLOC_COUNT=1 LD_PRELOAD=$shim "$parley" "$@" 2>&1 >/dev/null < /dev/null | tail -n 1)
    case $n in ''|*[!0-9]*) echo "$name: no allocation count ($n)"; fail=1; return ;; esac
    k=0
    step=$((n / 25 + 1))
    tried=0
    while [ "$k" -lt "$n" ]; do
        tried=$((tried + 1))
        PL_FAIL_MALLOC_AFTER=$k LD_PRELOAD=$shim "$parley" "$@" > got.out 2> got.err < /dev/null
        code=$?
        if [ "$code" = "$want" ] && cmp -s got.out ref.out; then
            : # gone around (or the same input error as with unlimited memory)
        elif [ "$code" != 1 ]; then
            echo "$name: allocation $((k + 1)) failed: exit $code, expected 1 (or $want as without the failure)"
            cat got.err; fail=1; return
        elif ! grep -q "out of memory" got.err; then
            echo "$name: allocation $((k + 1)) failed: no \"out of memory\" message:"
            cat got.err; fail=1; return
        elif ! grep -q "^parley: $file: out of memory\$\|^$file: .*out of memory\|^parley: $file: .*: out of memory\$" got.err; then
            echo "$name: allocation $((k + 1)) failed: the message does not name $file:"
            cat got.err; fail=1; return
        elif [ -s got.out ]; then
            echo "$name: allocation $((k + 1)) failed: exit 1 with output:"
            head -5 got.out; fail=1; return
        fi
        if [ "$k" -lt 30 ] || [ "$k" -ge $((n - 5)) ]; then k=$((k + 1))
        elif [ $((k + step)) -ge $((n - 5)) ]; then k=$((n - 5))
        else k=$((k + step)); fi
    done
    total=$((total + tried))
    echo "$name: $n allocations, $tried failure points tried"
}

check "validate" tiny.json validate tiny.json
check "validate, invalid" bad.json validate bad.json
check "validate, one-issue CSV" tiny.csv validate tiny.csv
check "show -f json" tiny.json show -f json tiny.json
check "forecast" tiny.json forecast tiny.json
check "forecast -f csv, what-if" tiny.json forecast -f csv tiny.json --set a.x.position=30 --drop d
check "forecast --runs" tiny.json forecast tiny.json --runs 3 --threads 1
check "forecast --run-range" tiny.json forecast tiny.json --runs 3 --run-range 1:2 --threads 1
check "forecast --model eum --offers" tiny.json forecast tiny.json --model eum --offers --rounds 3
check "forecast --model smp" tiny.json forecast --model smp --turns 3 --threads 1 tiny.json
check "forecast --model smp, KTAB" ktab.csv forecast -f json --model smp --turns 3 --threads 1 ktab.csv
check "sensitivity" tiny.json sensitivity tiny.json --set b.capability=4
check "deals" tiny.json deals --threads 1 tiny.json
check "deals --genius" domain.xml deals --genius --threads 1 -f json domain.xml p1.xml p2.xml
check "deals --genius, non-linear" genius-nonlinear deals --genius --threads 1 genius-nonlinear
check "deals --genius, GeniusWeb" geniusweb-laptop/laptop_buyer_utility.json deals --genius --threads 1 geniusweb-laptop/laptop_buyer_utility.json geniusweb-laptop/laptop_seller_utility.json
check "negotiate --genius" domain.xml negotiate --genius --trace -f json --agents micro,tit-for-tat domain.xml p1.xml p2.xml
check "negotiate, scenario" tiny.json negotiate --agents boulware,linear,hardliner,conceder -f csv tiny.json
check "negotiate --genius, non-linear" genius-nonlinear negotiate --genius --agents boulware,random genius-nonlinear
# tournament: the message names the domain (reading it) or the command (after: it reads several)
check "tournament" '\(tiny.json\|tournament\)' tournament --agents micro,tit-for-tat,boulware --steps 20 --threads 2 tiny.json
# a tournament's and a sensitivity analysis's parts, and their merge
check "tournament --run-range" '\(tiny.json\|tournament\)' tournament --agents micro,boulware --steps 20 --threads 1 tiny.json --run-range 1:5
check "sensitivity --run-range" tiny.json sensitivity tiny.json --run-range 1:3
"$parley" tournament --agents micro,boulware --steps 20 tiny.json --run-range 0:3 > t1.json
n=$("$parley" tournament --agents micro,boulware tiny.json --run-range 0:1000000000 2>&1 | sed -n 's/.*sweep.s \([0-9]*\) .*/\1/p')
"$parley" tournament --agents micro,boulware --steps 20 tiny.json --run-range "3:$((n - 3))" > t2.json
check "merge, tournament" '\(tiny.json\|t1.json\|t2.json\|tournament\)' merge t1.json t2.json
"$parley" sensitivity tiny.json --run-range 0:2 > s1.json
n=$("$parley" sensitivity tiny.json --run-range 0:1000000 2>&1 | sed -n 's/.*sweep.s \([0-9]*\) .*/\1/p')
"$parley" sensitivity tiny.json --run-range "2:$((n - 2))" > s2.json
check "merge, sensitivity" '\(tiny.json\|s1.json\|s2.json\)' merge -f json s2.json s1.json
check "backtest, DEU" tiny.tsv backtest --folds 2 tiny.tsv
check "backtest, scenario" tiny.json backtest -f csv --folds 2 tiny.json
echo "$total runs with a failure"
exit $fail
