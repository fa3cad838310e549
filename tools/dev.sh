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

RUN_DEPS="gcc libc6-dev make cmake pkg-config libjansson-dev"
TEST_DEPS="$RUN_DEPS libcmocka-dev clang libclang-rt-14-dev"

build() { # build DIR [CMAKE ARGS...]
    dir=$1; shift
    cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" > "$dir.log" 2>&1 ||
        { cat "$dir.log"; exit 1; }
    cmake --build "$dir" -j "$jobs" 2>&1 | grep -v '^\[' || true
    cmake --build "$dir" -j "$jobs" > /dev/null
}

fuzz() { # fuzz SECONDS
    build build-fuzz -DCMAKE_C_COMPILER=clang -DPL_FUZZ=ON -DPL_TESTS=OFF \
        -DPL_BENCH=OFF -DPL_SANITIZE=address,undefined,fuzzer-no-link
    mkdir -p build-fuzz/corpus
    cp scenarios/*.json build-fuzz/corpus/
    for f in tests/cli/*/*.json; do cp "$f" "build-fuzz/corpus/$(echo "$f" | tr / _)"; done
    echo "== fuzzing the scenario reader for $1 s"
    build-fuzz/fuzz_scenario -max_total_time="$1" -dict=fuzz/scenario.dict \
        -print_final_stats=0 -close_fd_mask=3 build-fuzz/corpus 2>&1 | tail -n 3
}

case "${1:-}" in
run)
    need $RUN_DEPS
    build build -DPL_TESTS=OFF -DPL_BENCH=OFF
    ./build/parley
    ;;
test)
    need $TEST_DEPS
    echo "== build (gcc, warnings are errors) and test"
    build build -DPL_WERROR=ON -DPL_TESTS=ON -DPL_BENCH=ON
    (cd build && ctest --output-on-failure -j "$jobs")
    echo "== build (clang, AddressSanitizer + UndefinedBehaviorSanitizer) and test"
    build build-asan -DCMAKE_C_COMPILER=clang -DPL_WERROR=ON -DPL_TESTS=ON -DPL_BENCH=OFF \
        -DPL_SANITIZE=address,undefined
    (cd build-asan && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j "$jobs")
    fuzz "${PL_FUZZ_SECONDS:-30}"
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
*)
    echo "usage: sh tools/dev.sh run|test|bench|fuzz [SECONDS]" >&2
    exit 2
    ;;
esac
