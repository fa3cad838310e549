#!/bin/sh
# samecli.sh OLD_PARLEY NEW_PARLEY: the same output, byte for byte?
#
# Runs a battery of commands -- every command on the built-in scenario in
# every format, the models one by one, Monte Carlo, sensitivity, what-if,
# the spatial model, deals (scenario and GENIUS), backtest, validate,
# show, scenarios and the help texts -- with both binaries and compares
# standard output, standard error and the exit status.  For refactoring:
# a change that should change nothing must pass this (and tests/cli).
# Prints each difference and exits 1 if there is one.
old=$1 new=$2
[ -x "$old" ] && [ -x "$new" ] || { echo "usage: samecli.sh OLD_PARLEY NEW_PARLEY" >&2; exit 2; }
cd "$(dirname "$0")/.." || exit 2
shared=../shared
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
ktab=$(ls $shared/data/ktab/*.csv 2>/dev/null | head -n 1)
genius=$(ls -d $shared/data/genius/*/ 2>/dev/null | head -n 1)
deu=$(ls tests/cli/*/*.tsv 2>/dev/null | head -n 1)
exch=$(ls $shared/data/exchange/*.txt 2>/dev/null | head -n 1)
n=0 bad=0
run() { # run ARGS...: one case
    n=$((n + 1))
    "$old" "$@" > "$work/o1" 2> "$work/e1"; r1=$?
    "$new" "$@" > "$work/o2" 2> "$work/e2"; r2=$?
    if [ $r1 != $r2 ] || ! cmp -s "$work/o1" "$work/o2" || ! cmp -s "$work/e1" "$work/e2"; then
        bad=$((bad + 1))
        echo "DIFFERS: parley $* (exit $r1 -> $r2)"
        diff "$work/o1" "$work/o2" | head -n 6
        diff "$work/e1" "$work/e2" | head -n 6
    fi
}
for f in text json csv; do
    run -f $f
    for m in compromise median nash eum eum-mean sticky snap candidate ensemble; do
        run forecast --model $m -f $f
    done
    run forecast --model eum --preset bdm --offers -f $f
    run forecast --runs 300 --seed 7 -f $f
    run forecast --runs 200 --seed 3 --model smp -f $f
    run forecast --model smp -f $f
    run forecast --model smp --smp history -f $f
    run forecast --set us.nato.position=60 --set turkey.capability=30 --add eu:Europe:40 -f $f
    run forecast --model smp --drop china -f $f
    run forecast --drop china --runs 100 -f $f
    run sensitivity -f $f
    run show -f $f
    run scenarios -f $f
    run deals -f $f
    run validate scenarios/armistice-2025.json -f $f
    [ -n "$ktab" ] && run forecast --model smp "$ktab" -f $f
    [ -n "$ktab" ] && run forecast --model smp --smp history,challenges,probs "$ktab" -f $f
    [ -n "$genius" ] && run deals --genius "$genius" -f $f
    [ -n "$deu" ] && run backtest "$deu" -f $f
    run forecast --model exchange -f $f
    [ -n "$exch" ] && run forecast --model exchange "$exch" -f $f
    [ -n "$exch" ] && run forecast --model exchange --p 0.5 --repetitions 20 "$exch" -f $f
    [ -n "$genius" ] && run deals --engine merge --genius "$genius" -f $f
    run show --format ktab
done
# the charts and pages (written to standard output with -o -)
run forecast --format svg
run sensitivity --format svg
run deals --format svg
[ -n "$deu" ] && run backtest "$deu" --format html
run report --runs 100 -o -
[ -n "$ktab" ] && run report --runs 50 "$ktab" -o -
[ -n "$genius" ] && run report --genius "$genius" -o -
for c in "" forecast validate show scenarios sensitivity backtest deals negotiate report; do run $c --help; done
run --version
run forecast --model nope
run validate tests/cli/validate-bad/bad.json
for d in tests/cli/*/; do
    for j in "$d"*.json; do [ -f "$j" ] && run forecast "$j" -f json; done
done
echo "samecli.sh: $n cases, $bad differ"
[ $bad = 0 ]
