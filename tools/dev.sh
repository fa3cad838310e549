#!/bin/sh
# dev.sh: the one entry point for setting up, building, running and testing
# parley on a Debian 12 machine.
#
#   sh tools/dev.sh run     install what is missing, build, forecast the
#                           built-in scenario
#   sh tools/dev.sh test    install what is missing, build warning-free, run
#                           the test suite, again under AddressSanitizer and
#                           UndefinedBehaviorSanitizer, and fuzz the readers
#   sh tools/dev.sh bench   build optimised and run the benchmarks
#   sh tools/dev.sh fuzz [SECONDS]   a longer fuzzing run
#   sh tools/dev.sh mutants [FILTER...]   the mutation check: each mutant of
#                           tools/mutants.txt (the model kernels) applied to a
#                           copy of the tree, the library and its unit tests
#                           rebuilt (Release) and run; prints "N of M mutants
#                           killed" and fails if one survives
#   sh tools/dev.sh fuzz-long [--runs N] [--fast] SECONDS [READER...]
#                           a campaign: each fuzzer (all, or the readers
#                           named) for SECONDS or N executions; new
#                           interesting inputs are merged into the committed
#                           fuzz/corpus/, the merged corpus is replayed under
#                           ASan+UBSan, and a line goes to fuzz/campaign.log.
#                           --fast fuzzes with UBSan only (about 2x faster)
#
# Each fuzzer starts from its committed seed corpus fuzz/corpus/<reader>/
# (deep nesting, long lines, many rows, BOM and invalid UTF-8 among them)
# and the example inputs, with a -max_len that reaches such shapes.
#
# Missing Debian packages are installed with apt-get when run as root;
# otherwise the exact apt-get line is printed and the script stops.
set -eu
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

need() { # need PACKAGE... : install what is missing
    missing=""
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
            missing="$missing $p"
    done
    [ -z "$missing" ] && return 0
    if [ "$(id -u)" = 0 ]; then
        echo "dev.sh: installing:$missing"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends $missing
    else
        echo "dev.sh: these Debian packages are missing; install them with:" >&2
        echo "    sudo apt-get install -y$missing" >&2
        exit 1
    fi
}

RUN_DEPS="gcc libc6-dev make cmake pkg-config libjansson-dev libexpat1-dev"
# install test: man -l (man-db), cpack -G DEB (dpkg-dev: dpkg-shlibdeps), nm -D (binutils);
# the report test: chromium; the MPI sweep test: openmpi-bin, libopenmpi-dev
TEST_DEPS="$RUN_DEPS libcmocka-dev clang libclang-rt-14-dev python3 clang-format man-db dpkg-dev binutils chromium openmpi-bin libopenmpi-dev"

build() { # build DIR [CMAKE ARGS...]
    dir=$1; shift
    cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" > "$dir.log" 2>&1 ||
        { cat "$dir.log"; exit 1; }
    cmake --build "$dir" -j "$jobs" 2>&1 | grep -v '^\[' || true
    cmake --build "$dir" -j "$jobs" > /dev/null
}

# The longest input each fuzzer makes: enough for 85,000 nested XML elements
# or 2,000 nested JSON arrays, lines of tens of thousands of fields, and
# thousands of rows.
FUZZ_MAX_LEN_scenario=262144
FUZZ_MAX_LEN_csv=131072
FUZZ_MAX_LEN_deu=131072
FUZZ_MAX_LEN_genius=262144
FUZZ_MAX_LEN_ktab=131072
FUZZ_MAX_LEN_params=131072
FUZZ_MAX_LEN_decide=131072
FUZZ_MAX_LEN_ktab_xml=131072

FUZZ_READERS="scenario csv deu genius ktab params decide ktab_xml"

fuzz_build() { # fuzz_build DIR SANITIZERS
    build "$1" -DCMAKE_C_COMPILER=clang -DPL_FUZZ=ON -DPL_TESTS=OFF \
        -DPL_BENCH=OFF -DPL_SANITIZE="$2"
}

fuzz_seed() { # fuzz_seed NAME: the example inputs of one reader -> build-fuzz/corpus-NAME
    case $1 in
    scenario) seed build-fuzz/corpus-scenario scenarios/*.json tests/cli/*/*.json ;;
    csv) seed build-fuzz/corpus-csv ../shared/data/emission/*.csv tests/cli/*/*.csv ;;
    deu) seed build-fuzz/corpus-deu tests/cli/*/*.tsv ;;
    genius)
        mkdir -p build-fuzz/corpus-genius # seeds: a domain, "\n--\n", a profile
        for d in ../shared/data/genius/*/ tests/data/genius-nonlinear/; do
            dom=$(grep -l '<negotiation_template' "$d"*.xml | head -n 1)
            prof=$(grep -L '<negotiation_template' "$d"*.xml | grep -v pareto | head -n 1)
            [ -n "$dom" ] && [ -n "$prof" ] && { cat "$dom"; printf '\n--\n'; cat "$prof"; } \
                > "build-fuzz/corpus-genius/$(basename "$d")"
        done
        seed build-fuzz/corpus-genius tests/data/geniusweb-laptop/*.json ;;
    decide) seed build-fuzz/corpus-decide ../shared/data/exchange/*.txt ../shared/data/exchange/*.csv tests/cli/exchange-*/*.txt ;;
    ktab) seed build-fuzz/corpus-ktab ../shared/data/ktab/*.csv tests/cli/smp-*/*.csv ;;
    params) seed build-fuzz/corpus-params tests/cli/*/params.json ;;
    ktab_xml) seed build-fuzz/corpus-ktab_xml examples/data/ktab/*.xml ;;
    *) echo "dev.sh: no fuzzer for '$1' (readers: $FUZZ_READERS)" >&2; exit 2 ;;
    esac
}

fuzz_dict() { # fuzz_dict NAME: the dictionary flag of a fuzzer, if it has one
    [ -f "fuzz/$1.dict" ] && echo "-dict=fuzz/$1.dict"
    return 0
}

fuzz() { # fuzz SECONDS: run every fuzz target for SECONDS on its seed corpus
    fuzz_build build-fuzz address,undefined,fuzzer-no-link
    for name in $FUZZ_READERS; do
        fuzz_seed "$name"
        run_fuzz build-fuzz "$name" "$1" 0 $(fuzz_dict "$name")
    done
}

# fuzz_long SECONDS RUNS FAST READER...: a campaign.  Each reader's fuzzer
# runs until RUNS executions (0: no limit) or SECONDS; what it found that
# adds coverage is merged into fuzz/corpus/, and the whole merged corpus is
# then replayed under AddressSanitizer and UndefinedBehaviorSanitizer.
# FAST=1 fuzzes with UndefinedBehaviorSanitizer only (about twice the
# executions per second; memory errors that do not crash are then caught
# only by the replay).  Every run appends a line to fuzz/campaign.log.
fuzz_long() {
    secs=$1; runs=$2; fast=$3; shift 3
    fuzz_build build-fuzz address,undefined,fuzzer-no-link
    fbuild=build-fuzz
    if [ "$fast" = 1 ]; then
        fuzz_build build-fuzz-fast undefined,fuzzer-no-link
        fbuild=build-fuzz-fast
    fi
    for name in "$@"; do
        fuzz_seed "$name"
        run_fuzz "$fbuild" "$name" "$secs" "$runs" $(fuzz_dict "$name")
        merge_corpus "$name"
        replay_corpus "$name"
        printf '%s\t%s\t%s\t%s\t%s s\t%s\tno failure; corpus %s files, replayed under ASan+UBSan\n' \
            "$(date -u +%Y-%m-%dT%H:%MZ)" "$(git rev-parse --short HEAD 2>/dev/null || echo ?)" \
            "$name" "$execs" "$elapsed" "$( [ "$fast" = 1 ] && echo ubsan || echo asan+ubsan)" \
            "$(ls fuzz/corpus/$name | wc -l)" >> fuzz/campaign.log
    done
}

seed() { # seed DIR FILES...: a corpus folder from example inputs
    dir=$1; shift
    mkdir -p "$dir"
    for f in "$@"; do
        [ -f "$f" ] && cp "$f" "$dir/$(echo "$f" | tr / _)"
    done
    return 0
}

run_fuzz() { # run_fuzz DIR NAME SECONDS RUNS [FLAGS...]
    fbuild=$1; name=$2; secs=$3; runs=$4; shift 4
    if [ "$runs" -gt 0 ]; then
        echo "== fuzzing fuzz_$name for $runs executions or $secs s"
    else
        echo "== fuzzing fuzz_$name for $secs s"
    fi
    log=build-fuzz/fuzz_$name.log
    eval "max_len=\$FUZZ_MAX_LEN_$name"
    [ "$runs" -gt 0 ] && set -- -runs="$runs" "$@"
    start=$(date +%s)
    # New inputs go to the first folder; the committed corpus is read only.
    # A 2 MB stack (not 8): recursion that grows with the input overflows
    # within max_len (it found the GENIUS tree's recursive free at once).
    if ! (ulimit -s 2048 && exec "$fbuild/fuzz_$name" -max_total_time="$secs" \
        -max_len="$max_len" -print_final_stats=1 -close_fd_mask=3 \
        -artifact_prefix=build-fuzz/ "$@" build-fuzz/corpus-$name fuzz/corpus/$name) \
        > "$log" 2>&1; then
        tail -n 60 "$log"
        echo "fuzz_$name: the fuzzer found a failure (input saved as build-fuzz/crash-*)" >&2
        exit 1
    fi
    elapsed=$(( $(date +%s) - start ))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    echo "fuzz_$name: ${execs:-?} executions in $elapsed s, no failure"
    return 0
}

merge_corpus() { # merge_corpus NAME: new interesting inputs -> fuzz/corpus/NAME
    name=$1
    eval "max_len=\$FUZZ_MAX_LEN_$name"
    # bounded: only inputs up to 64 KB are offered, and the merge keeps
    # just those that add coverage to the committed corpus
    rm -rf build-fuzz/merge-$name && mkdir -p build-fuzz/merge-$name
    find build-fuzz/corpus-$name -type f -size -65537c \
        -exec cp {} build-fuzz/merge-$name/ \;
    before=$(ls fuzz/corpus/$name | wc -l)
    (ulimit -s 2048 && exec build-fuzz/fuzz_$name -merge=1 -max_len="$max_len" \
        -close_fd_mask=3 fuzz/corpus/$name build-fuzz/merge-$name) \
        > build-fuzz/merge-$name.log 2>&1 ||
        { tail -n 20 build-fuzz/merge-$name.log; exit 1; }
    echo "fuzz_$name: $(( $(ls fuzz/corpus/$name | wc -l) - before )) new inputs merged into fuzz/corpus/$name"
}

replay_corpus() { # replay_corpus NAME: every input of fuzz/corpus/NAME under ASan+UBSan
    name=$1
    (ulimit -s 2048 && exec build-fuzz/fuzz_$name -runs=0 -close_fd_mask=3 \
        -artifact_prefix=build-fuzz/ fuzz/corpus/$name) > build-fuzz/replay-$name.log 2>&1 ||
        { tail -n 40 build-fuzz/replay-$name.log
          echo "fuzz_$name: replaying fuzz/corpus/$name under ASan+UBSan failed" >&2; exit 1; }
    echo "fuzz_$name: $(ls fuzz/corpus/$name | wc -l) corpus inputs replayed under ASan+UBSan, no failure"
}

case "${1:-}" in
run)
    need $RUN_DEPS
    build build -DPL_TESTS=OFF -DPL_BENCH=OFF
    ./build/parley
    ;;
test)
    need $TEST_DEPS
    # reference data missing from ../shared fails the run instead of a skip,
    # and so does a missing browser (the report_browser test)
    export PL_REQUIRE_SHARED=1
    unset PL_SKIP_BROWSER
    echo "== format (.clang-format)"
    git ls-files '*.c' '*.h' | xargs clang-format --dry-run --Werror ||
        { echo "dev.sh: run clang-format -i on the files above" >&2; exit 1; }
    echo "== build (gcc, warnings are errors) and test"
    build build -DPL_WERROR=ON -DPL_TESTS=ON -DPL_BENCH=ON
    (cd build && ctest --output-on-failure -j "$jobs")
    echo "== build (clang, AddressSanitizer + UndefinedBehaviorSanitizer) and test"
    build build-asan -DCMAKE_C_COMPILER=clang -DPL_WERROR=ON -DPL_TESTS=ON -DPL_BENCH=OFF \
        -DPL_SANITIZE=address,undefined
    (cd build-asan && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j "$jobs")
    echo "== build (gcc, -DPL_MPI=ON: the tool alone) and the MPI sweep test"
    cmake -S . -B build-mpi -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPL_WERROR=ON -DPL_TESTS=ON \
        -DPL_BENCH=OFF -DPL_MPI=ON > build-mpi.log 2>&1 || { cat build-mpi.log; exit 1; }
    cmake --build build-mpi -j "$jobs" --target parley > /dev/null
    (cd build-mpi && ctest --output-on-failure -R '^sweep_mpi$')
    fuzz "${PL_FUZZ_SECONDS:-20}"
    echo "== all tests passed"
    ;;
bench)
    need $RUN_DEPS
    build build-bench -DCMAKE_BUILD_TYPE=Release -DPL_TESTS=OFF
    for b in build-bench/bench_*; do echo "== $b"; "$b"; done
    ;;
fuzz)
    need $TEST_DEPS
    fuzz "${2:-600}"
    ;;
mutants)
    need $TEST_DEPS python3
    shift
    python3 tools/mutants.py "$@"
    ;;
screenshots)
    # docs/report.png: the top of the built-in scenario's HTML report as
    # headless Chromium draws it (the README shows it)
    need $RUN_DEPS chromium
    build build -DPL_TESTS=OFF -DPL_BENCH=OFF
    tmp=$(mktemp -d)
    (cd "$tmp" && "$OLDPWD/build/parley" report -q -o report.html)
    chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-extensions \
        --user-data-dir="$tmp/profile" --hide-scrollbars --window-size=1000,1500 \
        --screenshot="$PWD/docs/report.png" "file://$tmp/report.html" >/dev/null 2>&1
    rm -rf "$tmp"
    echo "docs/report.png: $(wc -c < docs/report.png) bytes"
    ;;
fuzz-long)
    shift
    runs=0; fast=0
    while [ $# -gt 0 ]; do
        case $1 in
        --runs) runs=${2:?--runs needs a count}; shift 2 ;;
        --fast) fast=1; shift ;;
        *) break ;;
        esac
    done
    case ${1:-} in
    ''|*[!0-9]*)
        echo "usage: sh tools/dev.sh fuzz-long [--runs N] [--fast] SECONDS [READER...]" >&2
        exit 2 ;;
    esac
    secs=$1; shift
    [ $# -gt 0 ] || set -- $FUZZ_READERS
    need $TEST_DEPS
    fuzz_long "$secs" "$runs" "$fast" "$@"
    ;;
*)
    echo "usage: sh tools/dev.sh run|test|bench|screenshots|fuzz [SECONDS]|fuzz-long [--runs N] [--fast] SECONDS [READER...]|mutants [FILTER...]" >&2
    exit 2
    ;;
esac
