#!/bin/sh
# readers_linear.sh PARLEY: the readers take large inputs in linear time.
# Each input below took minutes when names were looked up by a linear
# search (100,000 CSV rows: 96 s); each must now be read within LIMIT
# seconds of processor time (default 15: ample for a sanitizer build; a
# second is typical), and within WALL_LIMIT seconds (default 300: a busy
# machine).
parley=$1
limit=${LIMIT:-15}
wall_limit=${WALL_LIMIT:-300}
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT
cd "$dir" || exit 1
fail=0

# The processor time (user + system) of this shell's finished children, as
# written by `times` (run in this shell, not in a subshell) to FILE.
child_cpu() {
    awk 'NR == 2 { t = 0
        for (i = 1; i <= 2; i++) { split($i, p, "m"); t += p[1] * 60 + p[2] }
        print t }' "$1"
}

check() { # check NAME WANT_STATUS COMMAND...: run within the limits
    name=$1; want=$2; shift 2
    times > times.before
    timeout -s KILL "$wall_limit" "$@" > out 2> err
    code=$?
    times > times.after
    secs=$(awk -v a="$(child_cpu times.before)" -v b="$(child_cpu times.after)" \
        'BEGIN { printf "%.2f", b - a }')
    if [ "$code" = 137 ]; then
        echo "$name: not done in $wall_limit s"; fail=1
    elif [ "$code" != "$want" ]; then
        echo "$name: exit code $code, expected $want"; head -c 2000 err; fail=1
    elif awk -v s="$secs" -v l="$limit" 'BEGIN { exit !(s > l) }'; then
        echo "$name: $secs s of processor time, expected at most $limit"; fail=1
    else
        echo "$name: $secs s of processor time"
    fi
}

awk 'BEGIN { print "Actor,Capability,Position,Salience";
             for (i = 0; i < 100000; i++) printf "Actor %d,%d,%d,0.%02d\n", i, 1 + i % 97, i % 101, i % 100 }' \
    > actors.csv
check "CSV, 100,000 rows" 0 "$parley" validate actors.csv

awk 'BEGIN { n = 100000;
    print "{\"parley\": 1, \"id\": \"big\", \"name\": \"Big\", \"actors\": [";
    for (i = 0; i < n; i++)
        printf "{\"id\": \"a%d\", \"name\": \"A\", \"capability\": 1, \"assumption\": \"x\"}%s\n", i, i + 1 < n ? "," : "";
    print "], \"issues\": [{\"id\": \"i\", \"name\": \"I\", \"scale\": {\"min\": 0, \"max\": 100, \"min_label\": \"a\", \"max_label\": \"b\"}}],";
    print "\"positions\": [";
    for (i = n - 1; i >= 0; i--)
        printf "{\"actor\": \"a%d\", \"issue\": \"i\", \"position\": %d, \"salience\": 50, \"assumption\": \"x\"}%s\n", i, i % 101, i ? "," : "";
    print "]}" }' > big.json
check "scenario JSON, 100,000 actors" 0 "$parley" validate big.json

awk 'BEGIN { n = 100000;
    print "<negotiation_template><utility_space><objective name=\"big\">";
    print "<issue index=\"1\" name=\"x\" type=\"discrete\">";
    for (i = 0; i < n; i++) printf "<item value=\"v%d\"/>\n", i;
    print "</issue><issue index=\"2\" name=\"y\" type=\"discrete\"><item value=\"a\"/><item value=\"b\"/></issue>";
    print "</objective></utility_space></negotiation_template>" }' > domain.xml
for p in 1 2; do
    awk -v p="$p" 'BEGIN { n = 100000;
        print "<utility_space><objective><issue index=\"1\" name=\"x\">";
        for (i = n - 1; i >= 0; i--) printf "<item value=\"v%d\" evaluation=\"%d\"/>\n", i, 1 + (i * p) % 97;
        print "</issue><issue index=\"2\" name=\"y\"><item value=\"a\" evaluation=\"1\"/><item value=\"b\" evaluation=\"2\"/></issue>";
        print "<weight index=\"2\" value=\"1\"/><weight index=\"1\" value=\"2\"/></objective></utility_space>" }' \
        > "party$p.xml"
done
check "GENIUS domain, 100,000 values" 0 "$parley" deals --genius domain.xml party1.xml party2.xml
exit $fail
