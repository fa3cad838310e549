#!/bin/sh
# sweep.sh PARLEY SRCDIR: a Monte Carlo sweep, a tournament or a
# sensitivity analysis split with --run-range and joined by parley merge
# prints byte for byte what one process prints, in every format and for
# any split (uneven ones, a part of one run, parts given in any order);
# parts that do not make one sweep are refused with exit 2
# (docs/distributed.md).
parley=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$2" && pwd)
. "$(dirname "$0")/lib.sh"

# split CMD "FORMATS" ERR ARGS -- RANGE...: one run of CMD ARGS against the
# parts of RANGE... merged (given in reverse order: merge sorts them), in
# each format and to a file with -o; ERR "err": the messages must match too
split() {
    cmd=$1
    formats=$2
    err=$3
    shift 3
    args=""
    while [ "$1" != "--" ]; do args="$args $1"; shift; done
    shift
    rm -f part-*.json
    k=0
    for r in "$@"; do
        k=$((k + 1))
        # shellcheck disable=SC2086
        "$parley" $cmd $args --run-range "$r" -o "part-$k.json" ||
            fail "$cmd $args --run-range $r: exit $?"
    done
    for f in $formats; do
        # shellcheck disable=SC2086
        "$parley" $cmd $args -f $f > one.out 2> one.err || fail "$cmd $args -f $f: exit $?"
        # shellcheck disable=SC2046
        "$parley" merge -f $f $(ls -r part-*.json) > merged.out 2> merged.err ||
            fail "merge $cmd $args -f $f: exit $?"
        cmp -s one.out merged.out || fail "$cmd $args -f $f, ranges $*: merged output differs"
        [ "$err" != err ] || cmp -s one.err merged.err ||
            fail "$cmd $args -f $f, ranges $*: merged messages differ"
    done
    "$parley" merge -o merged.txt part-*.json || fail "merge -o: exit $?"
    # shellcheck disable=SC2086
    "$parley" $cmd $args > one.txt
    cmp -s one.txt merged.txt || fail "$cmd $args, ranges $*: merge -o differs"
}

# same ARGS -- RANGE...: a Monte Carlo forecast split, in text, json, csv
# and svg (svg draws no what-if), its messages compared too
same() {
    formats="text json csv svg"
    case "$*" in *--set*) formats="text json csv" ;; esac
    split forecast "$formats" err "$@"
}

csv="$src/examples/data/emission/ec-emissions-1994.csv"
same --runs 1000 --seed 7 -- 0:1 1:499 500:500
same --runs 1000 --seed 7 -- 0:600 600:400
same --runs 1000 --seed 7 --threads 1 -- 0:1000
same --runs 300 --seed 3 --model eum --model sticky --bins 7 "$csv" -- 0:100 100:1 101:199
same --runs 40 --seed 5 --model smp -- 0:13 13:27
same --runs 24 --seed 2 --model exchange --p 0.5 --model compromise -- 0:5 5:19
same --runs 200 --seed 9 --set russia.nato.position=20 --drop france -- 0:77 77:123

# the range's threads change nothing, the part is the same bytes
"$parley" forecast --runs 100 --run-range 10:50 --threads 1 -o t1.json
"$parley" forecast --runs 100 --run-range 10:50 --threads 2 -o t2.json
cmp -s t1.json t2.json || fail "a part depends on --threads"

# refuse ARGS MESSAGE: exit 2 and MESSAGE on stderr
refuse() {
    want=$1
    shift
    "$parley" "$@" > out 2> err
    rc=$?
    [ $rc = 2 ] || fail "$*: exit $rc, expected 2"
    grep -q "$want" err || fail "$*: expected \"$want\" on stderr, found: $(cat err)"
}
"$parley" forecast --runs 100 --run-range 0:50 -o a.json
"$parley" forecast --runs 100 --run-range 50:50 -o b.json
"$parley" forecast --runs 100 --run-range 40:20 -o over.json
"$parley" forecast --runs 100 --run-range 60:40 -o c.json
"$parley" forecast --runs 100 --seed 2 --run-range 50:50 -o seed2.json
"$parley" forecast --runs 200 --run-range 50:50 -o n200.json
refuse "cover every run" merge a.json
refuse "cover every run" merge b.json c.json
refuse "do not overlap" merge a.json b.json over.json
refuse "do not overlap" merge a.json b.json b.json
refuse "another sweep" merge a.json seed2.json
refuse "another sweep" merge a.json n200.json
refuse "expected partial results" merge
refuse "expected FIRST:COUNT" forecast --runs 100 --run-range 5
refuse "expected FIRST:COUNT" forecast --runs 100 --run-range 90:11
refuse "expected FIRST:COUNT" forecast --runs 100 --run-range 0:0
refuse "expected FIRST:COUNT" forecast --runs 100 --run-range x:1
refuse "goes with --runs" forecast --run-range 0:1
printf '{"parley_part": 1, "command": 3}\n' > bad.json
refuse "bad.json:1:" merge bad.json
printf '{"parley_part": 2}\n' > v2.json
refuse "v2.json:1:" merge v2.json
printf 'not json' > junk.json
refuse "junk.json:1:" merge junk.json
refuse "no-such.json" merge no-such.json
# the values cut short
sed 's/"count": 50/"count": 49/' a.json > short.json
refuse "short.json:" merge short.json b.json
# a scenario changed after the parts were made
cp "$csv" changed.csv
"$parley" forecast --runs 20 changed.csv --run-range 0:20 -o ch.json
sed 's/^Netherlands,0.08/Netherlands,0.09/' "$csv" > changed.csv
cmp -s "$csv" changed.csv && fail "changed.csv: expected a change"
refuse "the scenario changed" merge ch.json
# Tournaments and sensitivity analyses split the same way: over the
# negotiations (in the tournament's order) and over the inputs swung.
# split CMD "FORMATS" - ARGS -- RANGE... (defined above) for each.
laptop="$src/examples/data/genius/Laptop"
# 2187 negotiations of 7 parties; a part of one; uneven blocks (chunks of 16
# cut anywhere)
split tournament "text json csv" - --agents boulware,linear,conceder -- 0:1 1:1000 1001:1186
# two domains (a GENIUS folder, a scenario) and repeats: 8 + 256
# negotiations, ranges across the domains' boundary
split tournament "text json csv" - --agents boulware,random:0.3 --repeat 2 --steps 30 --seed 5 \
    "$laptop" armistice-2025 -- 0:5 5:100 105:159
split tournament text - --agents linear,tit-for-tat --protocol single-text "$laptop" -- 0:2 2:2
# above the ranking cap: the agents search the space instead
split tournament "text json" - --agents boulware,random:0.2 --max-outcomes 50 --steps 40 -- \
    0:7 7:100 107:21
# every input (123) of the compromise model; the exchange model's groups
split sensitivity "text json csv svg" - --top 0 -- 0:1 1:60 61:62
split sensitivity "text json csv svg" - --model exchange --top 0 -- 0:44 44:45
split sensitivity "text json" - --model eum "$csv" -- 0:10 10:1 11:19
split sensitivity text - --model median --set russia.nato.position=20 --drop france -- 0:50 50:55
# the part does not depend on --threads
"$parley" tournament --agents boulware,linear --run-range 10:50 --threads 1 -o t1.json
"$parley" tournament --agents boulware,linear --run-range 10:50 --threads 2 -o t2.json
cmp -s t1.json t2.json || fail "a tournament's part depends on --threads"

tour="tournament --agents boulware,linear"
# shellcheck disable=SC2086
{
    "$parley" $tour --run-range 0:64 -o ta.json
    "$parley" $tour --run-range 64:64 -o tb.json
    "$parley" $tour --run-range 60:10 -o tover.json
    "$parley" $tour --seed 2 --run-range 64:64 -o tseed.json
    "$parley" sensitivity --run-range 0:100 -o sa.json
    "$parley" sensitivity --run-range 100:23 -o sb.json
    "$parley" sensitivity --model median --run-range 100:23 -o smed.json
}
refuse "cover every negotiation, found none from negotiation 64" merge ta.json
refuse "over negotiations another part has" merge ta.json tb.json tover.json
refuse "another sweep" merge ta.json tseed.json
refuse "another sweep" merge ta.json sb.json
refuse "cover every input, found none from input 0" merge sb.json
refuse "another sweep" merge sa.json smed.json
refuse "expected FIRST:COUNT, negotiations inside the sweep's 128" $tour --run-range 100:29
refuse "expected FIRST:COUNT, inputs inside the sweep's 123" sensitivity --run-range 123:1
# a negotiation's agreement not 0 or 1, a swing of an input that is not one
sed '0,/^        [01]\.0,$/s//        2.0,/' ta.json > tbad.json
cmp -s ta.json tbad.json && fail "tbad.json: expected a change"
refuse "tbad.json:[0-9]*:[0-9]*: error: expected a negotiation" merge tbad.json tb.json
sed '0,/"inputs": \[/s//"inputs": [[],/' sa.json > sbad.json
refuse "sbad.json:[0-9]*:[0-9]*: error: expected the part's 100 inputs" merge sbad.json sb.json
# a swing's figure so large that sums would overflow
sed '0,/"inputs": \[/!{0,/^ *[0-9][0-9]*\.[0-9]*,$/s//          1e308,/}' sa.json > shuge.json
cmp -s sa.json shuge.json && fail "shuge.json: expected a change"
refuse "shuge.json:[0-9]*:[0-9]*: error: expected a swing.*within 1e100" merge shuge.json sb.json
# the domains changed after the parts were made
cp -r "$laptop" laptop
"$parley" tournament --agents boulware,linear laptop --run-range 0:2 -o l1.json
"$parley" tournament --agents boulware,linear laptop --run-range 2:2 -o l2.json
"$parley" merge l1.json l2.json > /dev/null || fail "merge of the laptop's parts: exit $?"
sed 's/evaluation="12"/evaluation="13"/' "$laptop/laptop_buyer_utility.xml" > laptop/laptop_buyer_utility.xml
cmp -s "$laptop/laptop_buyer_utility.xml" laptop/laptop_buyer_utility.xml &&
    fail "laptop: expected a change"
refuse "the domains changed" merge l1.json l2.json
# a scenario changed after a sensitivity analysis's parts were made
cp "$csv" changed.csv
"$parley" sensitivity changed.csv --run-range 0:30 -o sch.json
sed 's/^Netherlands,0.08/Netherlands,0.09/' "$csv" > changed.csv
refuse "the scenario changed" merge sch.json
finish "sweep"
