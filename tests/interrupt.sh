#!/bin/sh
# interrupt.sh PARLEY: Ctrl-C stops the work (issue 11, section 5).
# Each long computation -- a Monte Carlo run (300,000 runs: more keep so
# many results up front that releasing them takes most of a second under
# ASan), the spatial model on a large KTAB file, the package deals of a
# large space, a tournament of negotiations, a sensitivity analysis, a backtest and one EUM run on many
# actors -- is started with -o FILE, sent SIGINT about 0.5 s later, and
# must: exit 130 within 1 s of the signal, say what was interrupted
# ("parley: interrupted (SIGINT): N of M UNIT; nothing written"), leave FILE
# as it was and no temporary file behind.  SIGTERM gives 143 the same way.
parley=$1
. "$(dirname "$0")/lib.sh"
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# A scenario of NA actors and NI issues with random positions (outcomes when
# OUTCOME is 1).
scenario() {
    awk -v na="$1" -v ni="$2" -v oc="$3" 'BEGIN {
        srand(7);
        printf "{\"parley\": 1, \"id\": \"big\", \"name\": \"Big\", \"date\": \"2024-01-01\",\n";
        printf " \"sources\": [{\"id\": \"m\", \"title\": \"made up\"}],\n \"actors\": [\n";
        for (a = 0; a < na; a++)
            printf "  {\"id\": \"a%d\", \"name\": \"A%d\", \"capability\": %d, \"assumption\": \"x\"}%s\n",
                   a, a, 1 + a % 9, a + 1 < na ? "," : "";
        printf " ],\n \"issues\": [\n";
        for (i = 0; i < ni; i++)
            printf "  {\"id\": \"i%d\", \"name\": \"I%d\", \"status_quo\": 50%s, \"scale\": {\"min\": 0, \"max\": 100, \"min_label\": \"lo\", \"max_label\": \"hi\"}}%s\n",
                   i, i, oc ? ", \"outcome\": 40" : "", i + 1 < ni ? "," : "";
        printf " ],\n \"positions\": [\n";
        for (a = 0; a < na; a++) for (i = 0; i < ni; i++)
            printf "  {\"actor\": \"a%d\", \"issue\": \"i%d\", \"position\": %d, \"salience\": %d, \"assumption\": \"x\"}%s\n",
                   a, i, int(rand() * 101), 10 + int(rand() * 90), (a + 1 < na || i + 1 < ni) ? "," : "";
        printf " ]\n}\n";
    }'
}

# A KTAB CSV file of NA actors on ND dimensions.
ktab() {
    awk -v na="$1" -v nd="$2" 'BEGIN {
        srand(11);
        printf "big,generated,%d,%d\n", na, nd;
        printf "Actor,Description,Power";
        for (k = 0; k < nd; k++) printf ",D%d,S%d", k, k;
        printf "\n";
        for (a = 0; a < na; a++) {
            printf "A%d,actor,%d", a, 10 + a % 90;
            for (k = 0; k < nd; k++) printf ",%d,%.3f", int(rand() * 101), 100.0 / nd * (0.2 + 0.8 * rand());
            printf "\n";
        }
    }'
}

scenario 400 2 0 > sens.json   # sensitivity of the EUM: 2400 swings of 400-actor runs
scenario 1500 3 1 > bt.json    # backtest: the EUM on 3 issues of 1500 actors
scenario 8 14 0 > deals.json   # 5^14 packages of 8 parties
ktab 1000 10 > smp.csv         # the SMP at 1000 actors (KTAB stops at 250; 250 now takes well under a second)
scenario 1500 1 0 > eum.json   # one EUM run of 1500 actors, every offer recorded
scenario 2 10 0 > rank.json    # 5^10 packages: a tournament spends seconds ranking them

# check SIGNAL WANT_CODE UNIT_PATTERN ARGS...: run, signal after 0.5 s, check.
# A signal that comes while the input is still being read (a loaded
# machine) ends the process at once, silently, as it should; then the run
# is tried again with the signal later (1.5 s, 3 s).
check() {
    sig=$1 want=$2 unit=$3
    shift 3
    for delay in 0.5 1.5 3; do
        echo "previous contents" > out.txt
        chmod 640 out.txt
        "$parley" "$@" -q -o out.txt > stdout.txt 2> stderr.txt &
        pid=$!
        sleep $delay
        if ! kill -0 $pid 2> /dev/null; then
            fail "parley $*: finished before the signal (make the input larger)"
            wait $pid
            return
        fi
        t0=$(now_ms)
        kill -"$sig" $pid
        wait $pid
        code=$?
        dt=$(($(now_ms) - t0))
        [ "$code" = "$want" ] && [ ! -s stderr.txt ] || break
        echo "parley $*: SIG$sig after $delay s came while reading the input; again, later"
    done
    [ "$code" = "$want" ] || fail "parley $*: SIG$sig: exit $code, expected $want"
    [ "$dt" -le 1000 ] || fail "parley $*: SIG$sig: stopped after $dt ms, expected at most 1000"
    grep -Eq "^parley: interrupted \(SIG$sig\): [0-9]+ of [0-9]+ $unit; nothing written\$" stderr.txt ||
        fail "parley $*: SIG$sig: message: $(cat stderr.txt)"
    [ "$(cat out.txt)" = "previous contents" ] || fail "parley $*: SIG$sig: the output file changed"
    [ "$(stat -c %a out.txt)" = 640 ] || fail "parley $*: SIG$sig: the output file's mode changed"
    [ ! -s stdout.txt ] || fail "parley $*: SIG$sig: wrote to standard output"
    left=$(find . -name '.parley-*' | head -1)
    [ -z "$left" ] || fail "parley $*: SIG$sig: temporary file left: $left"
    echo "parley $*: SIG$sig: exit $code after $dt ms: $(cat stderr.txt)"
}

check INT 130 "runs finished" forecast --runs 300000 --threads 1
check INT 130 "runs finished" forecast --runs 300000 --threads 2
check INT 130 "turns finished" forecast --model smp smp.csv
check INT 130 "turns finished" forecast --model smp --threads 2 smp.csv
check INT 130 "packages counted" deals deals.json
check INT 130 "negotiations" tournament --agents boulware,linear,conceder,random --repeat 10 --threads 2
check INT 130 "negotiations" tournament --agents boulware,linear --threads 1 rank.json
check INT 130 "swings computed" sensitivity --model eum sens.json
check INT 130 "issues forecast" backtest bt.json
check INT 130 "rounds finished \(of the issue in hand\)" forecast --model eum --rounds 100 eum.json
check TERM 143 "runs finished" forecast --runs 300000
check TERM 143 "turns finished" forecast --model smp smp.csv

finish interrupt
