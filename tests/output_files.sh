#!/bin/sh
# output_files.sh PARLEY SOURCE_DIR: what -o PATH may and may not do
# (issue 11, section 4), and write errors on standard output.
#   - a regular file is replaced whole, keeping its mode; a new file gets
#     0666 less the umask; no temporary file is left behind
#   - a symbolic link (a chain, relative links) is followed: its target is
#     replaced and the link stays a link
#   - a FIFO and a character device are written directly, never renamed over
#   - a directory is bad usage (exit 2); a 255-byte name works
#   - a run that fails leaves the file as it was
#   - --help, --version and results to a full device: exit 1 and a message
#   - validate: one report for every file given
parley=$1
src=$2
. "$(dirname "$0")/lib.sh"
no_temp() { # no .parley-* temporary anywhere under .
    left=$(find . -name '.parley-*' | head -1)
    [ -z "$left" ] || fail "$1: temporary file left: $left"
}
mode_of() { stat -c %a "$1"; }

# a regular file: replaced, its mode kept
echo old > out.txt
chmod 604 out.txt
"$parley" scenarios -o out.txt || fail "scenarios -o out.txt: exit $?"
grep -q armistice-2025 out.txt || fail "out.txt not replaced"
[ "$(mode_of out.txt)" = 604 ] || fail "out.txt mode $(mode_of out.txt), expected 604"
no_temp "regular file"

# a new file: 0666 less the umask
(umask 027; "$parley" scenarios -o new.txt) || fail "scenarios -o new.txt"
[ "$(mode_of new.txt)" = 640 ] || fail "new.txt mode $(mode_of new.txt), expected 640"

# a chain of symbolic links, the last one relative to its own folder
mkdir sub
echo old > sub/target.txt
ln -s target.txt sub/rel
ln -s sub/rel link1
ln -s link1 link2
"$parley" scenarios -o link2 || fail "scenarios -o link2: exit $?"
[ -L link2 ] && [ -L link1 ] && [ -L sub/rel ] || fail "a link was replaced by a file"
grep -q armistice-2025 sub/target.txt || fail "the link's target was not written"
[ "$(readlink link2)" = link1 ] || fail "link2 changed"
no_temp "symlink"
# a dangling link: its target is created
ln -s made.txt dangling
"$parley" scenarios -o dangling || fail "scenarios -o dangling: exit $?"
[ -L dangling ] && grep -q armistice-2025 made.txt || fail "dangling link not followed"

# a FIFO: written directly, still a FIFO
mkfifo pipe
timeout 10 cat pipe > from_pipe.txt & # bounded: a parley that renames over the FIFO never opens it
reader=$!
"$parley" scenarios -o pipe || fail "scenarios -o pipe: exit $?"
wait $reader
[ -p pipe ] || fail "the FIFO was replaced"
grep -q armistice-2025 from_pipe.txt || fail "nothing came through the FIFO"
no_temp "FIFO"

# a character device: written directly.  As root, a parley that renames
# over devices would replace the system's /dev/null and /dev/full, so the
# test makes its own nodes when it can (a user cannot rename over /dev).
null=/dev/null full=/dev/full
if mknod null c 1 3 2> /dev/null && mknod full c 1 7 2> /dev/null; then
    null=$work/null full=$work/full
fi
"$parley" scenarios -o "$null" || fail "scenarios -o null: exit $?"
[ -c "$null" ] || fail "$null is no longer a device"
"$parley" scenarios -o "$full" 2> err.txt
code=$?
[ "$code" = 1 ] || fail "-o full: exit $code, expected 1"
grep -q "parley: $full: cannot write: No space left on device" err.txt ||
    fail "-o full: message: $(cat err.txt)"
[ -c "$full" ] || fail "$full is no longer a device"
# /dev/stdout (as root through a link of our own to what it points to)
stdout=/dev/stdout
[ "$null" = /dev/null ] || { ln -s /proc/self/fd/1 stdout && stdout=$work/stdout; }
"$parley" scenarios -o "$stdout" > via_stdout.txt || fail "-o $stdout: exit $?"
grep -q armistice-2025 via_stdout.txt || fail "-o $stdout wrote nothing to stdout"
[ -L "$stdout" ] || fail "$stdout is no longer a link"

# a directory: bad usage
"$parley" scenarios -o sub 2> err.txt
code=$?
[ "$code" = 2 ] || fail "-o DIRECTORY: exit $code, expected 2"
grep -q 'expected a file name, found the directory "sub"' err.txt ||
    fail "-o DIRECTORY: message: $(cat err.txt)"
[ -d sub ] || fail "the directory is gone"

# names up to NAME_MAX (255 bytes)
for len in 245 250 255; do
    name=$(printf "%${len}s" "" | tr ' ' n)
    "$parley" scenarios -o "$name" || fail "a $len-byte name: exit $?"
    [ -f "$name" ] || fail "a $len-byte name: no file"
done
no_temp "long names"

# a failed run leaves the file as it was, and no temporary
echo keep > kept.txt
"$parley" show "$src/tests/cli/validate-bad/bad.json" -o kept.txt 2> /dev/null
[ $? = 2 ] || fail "show BAD: expected exit 2"
[ "$(cat kept.txt)" = keep ] || fail "a failed run changed the output file"
no_temp "failed run"

# write errors on standard output
for args in --help --version "scenarios" "forecast --help" "validate $src/tests/cli/validate-ok/tiny.json"; do
    # shellcheck disable=SC2086
    "$parley" $args > /dev/full 2> err.txt
    code=$?
    [ "$code" = 1 ] || fail "parley $args > /dev/full: exit $code, expected 1"
    grep -q "No space left on device" err.txt || fail "parley $args > /dev/full: message: $(cat err.txt)"
done

# validate: one report for all the files
ok="$src/tests/cli/validate-ok/tiny.json"
bad="$src/tests/cli/validate-bad/bad.json"
"$parley" validate -q -o report.txt "$ok" "$bad" "$ok" 2> /dev/null
[ $? = 2 ] || fail "validate OK BAD OK: expected exit 2"
[ "$(wc -l < report.txt)" = 3 ] || fail "validate -o: expected 3 lines, found: $(cat report.txt)"
grep -q "bad.json: invalid" report.txt || fail "validate -o: the bad file's line is missing"
"$parley" validate -f json "$ok" "$bad" > report.json 2> /dev/null
grep -q '}{' report.json && fail "validate -f json: two documents run together"
[ "$(grep -c '"file": ' report.json)" -ge 2 ] || fail "validate -f json: not every file reported"
if command -v python3 > /dev/null; then
    python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert len(d["files"]) == 2 and d["valid"] is False' report.json ||
        fail "validate -f json: not one JSON document with both files"
fi
"$parley" validate -f csv "$bad" "$bad" > report.csv 2> /dev/null
[ "$(grep -c '^severity,file' report.csv)" = 1 ] || fail "validate -f csv: expected one header"

finish output-file
