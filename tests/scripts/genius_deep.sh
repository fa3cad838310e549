#!/bin/sh
# genius_deep.sh PARLEY: a GENIUS domain nested 1,000,000 elements deep
# (about 7 MB, made on the fly) is refused with FILE:LINE:COL and exit 2 --
# it used to crash `parley deals --genius` (a recursive free of the tree).
parley=$1
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT
cd "$dir" || exit 1
awk 'BEGIN {
    printf "<negotiation_template>\n";
    for (i = 0; i < 1000000; i++) printf "<a>";
    for (i = 0; i < 1000000; i++) printf "</a>";
    printf "\n</negotiation_template>\n";
}' > deep.xml
printf '<utility_space><objective/></utility_space>\n' > party.xml
"$parley" deals --genius deep.xml party.xml > out 2> err
code=$?
fail=0
if [ "$code" != 2 ]; then
    echo "exit code $code, expected 2"; fail=1
fi
want='deep.xml:2:766: error: expected at most 256 nested elements, found deeper nesting'
if ! grep -qxF "$want" err; then
    echo "expected on standard error: $want"; echo "found:"; head -c 2000 err; fail=1
fi
[ -s out ] && { echo "unexpected standard output:"; head -c 2000 out; fail=1; }
exit $fail
