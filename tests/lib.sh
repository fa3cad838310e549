# lib.sh: what the shell tests share; sourced with `. "$(dirname "$0")/lib.sh"`.
# It makes a scratch folder $work (removed at exit) and moves into it, and
# gives fail MESSAGE (counts a failure) and finish WHAT (the summary line
# and the exit status: 0 when nothing failed).
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
finish() {
    if [ $fails = 0 ]; then
        echo "all $1 checks passed"
        exit 0
    fi
    echo "$fails $1 check(s) failed"
    exit 1
}
