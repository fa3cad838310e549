#!/bin/sh
# missing_shared.sh TEST...: unit tests whose reference data live in the
# shared folder never pass silently without it.  With PL_SHARED_DIR an
# empty folder each must exit 77 (ctest's visible skip), and with
# PL_REQUIRE_SHARED=1 (CI) fail with another status that is not 0.
empty=$(mktemp -d) || exit 1
trap 'rmdir "$empty"' EXIT
status=0
for t in "$@"; do
    PL_SHARED_DIR=$empty PL_REQUIRE_SHARED= "$t" > /dev/null 2>&1
    rc=$?
    if [ "$rc" != 77 ]; then
        echo "$t: expected exit 77 (skipped) without the shared data, found $rc"
        status=1
    fi
    PL_SHARED_DIR=$empty PL_REQUIRE_SHARED=1 "$t" > /dev/null 2>&1
    rc=$?
    if [ "$rc" = 0 ] || [ "$rc" = 77 ]; then
        echo "$t: expected a failure under PL_REQUIRE_SHARED=1 without the shared data, found $rc"
        status=1
    fi
done
exit $status
