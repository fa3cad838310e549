#!/bin/sh
# report_browser.sh PARLEY SOURCE_DIR: the HTML report in a real browser
# (issue 13).  The built-in scenario's report, a 40-actor KTAB report, two
# GENIUS agreement spaces, a DEU backtest page and negotiations' pages (2
# and 3 parties, the single text; issue 14), each rendered by headless
# Chromium (Debian's chromium package):
#   --dump-dom: one chart per issue with a dot per actor (built-in: every
#     actor labelled), every <svg> titled, no script error in the page;
#   the browser's log: no console error;
#   --screenshot: a PNG that is not blank;
#   the file: under 1.5 MB, nothing fetched from elsewhere.
# Without chromium the test fails; PL_SKIP_BROWSER=1 skips it visibly
# (exit 77, which ctest lists as skipped) for a developer without it.
# CI (tools/dev.sh test) installs chromium and never sets it.
set -u
PARLEY=$1
SRC=$2
CHECK="python3 $SRC/tests/browser/check_report.py"
SHARED=${PL_SHARED_DIR:-$SRC/../shared}
CHROMIUM=${PL_CHROMIUM:-chromium}

if ! command -v "$CHROMIUM" >/dev/null 2>&1; then
    if [ "${PL_SKIP_BROWSER:-0}" = 1 ]; then
        echo "SKIPPED: $CHROMIUM not found and PL_SKIP_BROWSER=1 (CI installs it: apt-get install chromium)"
        exit 77
    fi
    echo "FAIL: $CHROMIUM not found: install Debian's chromium package (tools/dev.sh test does), or set PL_SKIP_BROWSER=1 to skip this test locally" >&2
    exit 1
fi

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
status=0

browse() { # HTML NAME: dump the DOM, the log and a screenshot into $dir/NAME.*
    # a profile of its own each time, so that runs never share state
    "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run --disable-extensions \
        --user-data-dir="$dir/profile-$2" --enable-logging=stderr --v=0 \
        --dump-dom "file://$1" >"$dir/$2.dom" 2>"$dir/$2.log" || {
        echo "FAIL: $2: chromium --dump-dom failed" >&2
        cat "$dir/$2.log" >&2
        return 1
    }
    "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run --disable-extensions \
        --user-data-dir="$dir/profile-$2" --hide-scrollbars --window-size=1000,1400 \
        --screenshot="$dir/$2.png" "file://$1" >/dev/null 2>"$dir/$2.shot.log" || {
        echo "FAIL: $2: chromium --screenshot failed" >&2
        cat "$dir/$2.shot.log" >&2
        return 1
    }
}

check() { # NAME HTML EXPECTED [--all-named]
    $CHECK file "$2" 1500000 &&
        browse "$2" "$1" &&
        $CHECK dom "$dir/$1.dom" "$3" ${4:-} &&
        $CHECK console "$dir/$1.log" &&
        $CHECK png "$dir/$1.png"
}

# the built-in scenario
(cd "$dir" && "$PARLEY" report -q) || { echo "FAIL: parley report" >&2; exit 1; }
"$PARLEY" show --format json >"$dir/builtin.json" || exit 1
check builtin "$dir/armistice-2025.html" "$dir/builtin.json" --all-named || status=1

# the agreement space of GENIUS files (two parties: the scatter and frontier;
# three: the panels) and a DEU backtest's page (the error table, the
# calibration chart)
need_shared() { # FILE: present, or a failure (PL_REQUIRE_SHARED=1) or a skip
    [ -e "$1" ] && return 0
    if [ "${PL_REQUIRE_SHARED:-0}" = 1 ]; then
        echo "FAIL: $1 missing (PL_REQUIRE_SHARED=1)" >&2
        status=1
    else
        echo "SKIPPED: a part: $1 missing"
        [ $status = 0 ] && status=77
    fi
    return 1
}
for g in Laptop Atlas3; do
    if need_shared "$SHARED/data/genius/$g"; then
        "$PARLEY" report -q -o "$dir/genius-$g.html" --genius "$SHARED/data/genius/$g" ||
            { echo "FAIL: parley report --genius $g" >&2; exit 1; }
        check "genius-$g" "$dir/genius-$g.html" svgs:1 || status=1
    fi
done
deu="$SHARED/data/deu3/deu3-train.tsv"
if need_shared "$deu"; then
    "$PARLEY" backtest -q --format html -o "$dir/backtest.html" "$deu" ||
        { echo "FAIL: parley backtest --format html" >&2; exit 1; }
    check backtest "$dir/backtest.html" svgs:1 || status=1
fi

# negotiations (parley negotiate --format html): two parties on the Laptop
# domain of examples/ (linear against boulware; the single text), three on
# the shared Politics domain
lap="$SRC/examples/data/genius/Laptop"
"$PARLEY" negotiate -q -f html -o "$dir/neg-laptop.html" --genius "$lap" --agents linear,boulware ||
    { echo "FAIL: parley negotiate --format html (Laptop)" >&2; exit 1; }
check neg-laptop "$dir/neg-laptop.html" negotiation:2:2 || status=1
"$PARLEY" negotiate -q -f html -o "$dir/neg-text.html" --genius "$lap" --agents conceder,linear \
    --protocol single-text || { echo "FAIL: parley negotiate --protocol single-text -f html" >&2; exit 1; }
check neg-text "$dir/neg-text.html" negotiation:2:1 || status=1
pol="$SHARED/data/genius/group2-politics"
if need_shared "$pol"; then
    "$PARLEY" negotiate -q -f html -o "$dir/neg-politics.html" --genius "$pol" \
        --agents boulware,conceder,linear --steps 10000 ||
        { echo "FAIL: parley negotiate --format html (Politics)" >&2; exit 1; }
    check neg-politics "$dir/neg-politics.html" negotiation:3:3 || status=1
fi

# a 40-actor KTAB scenario
ktab="$SHARED/data/ktab/dummyData-a040.csv"
if [ -f "$ktab" ]; then
    "$PARLEY" report -q -o "$dir/ktab.html" "$ktab" || { echo "FAIL: parley report $ktab" >&2; exit 1; }
    check ktab "$dir/ktab.html" counts:1:40 || status=1
elif [ "${PL_REQUIRE_SHARED:-0}" = 1 ]; then
    echo "FAIL: $ktab missing (PL_REQUIRE_SHARED=1)" >&2
    status=1
else
    echo "SKIPPED: the KTAB part: $ktab missing"
    [ $status = 0 ] && status=77
fi
exit $status
