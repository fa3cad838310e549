#!/bin/sh
# sweep_mpi.sh PARLEY SRCDIR (a build with -DPL_MPI=ON): mpirun -np K
# prints byte for byte what one process prints, for K = 2 and 3, small
# sweeps of several models, tournaments and sensitivity analyses, in every
# format and to a file with -o; a rank without runs (K above the runs)
# changes nothing; errors end every rank with the same exit code
# (docs/distributed.md).
parley=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$2" && pwd)
. "$(dirname "$0")/lib.sh"
command -v mpirun > /dev/null || { echo "mpirun not found (Debian: openmpi-bin)"; exit 1; }
# root in CI containers; more ranks than cores on small machines
mpi() { np=$1; shift; mpirun --allow-run-as-root --oversubscribe -np "$np" "$parley" "$@"; }

csv="$src/examples/data/emission/ec-emissions-1994.csv"
# same FORMATS ARGS: one process against 2 and 3 ranks in each format
same() {
    formats=$1
    shift
    for f in $formats; do
        "$parley" forecast "$@" -f $f > one.out 2> one.err || fail "$* -f $f: exit $?"
        for np in 2 3; do
            mpi $np forecast "$@" -f $f > ranks.out 2> ranks.err || fail "-np $np $* -f $f: exit $?"
            cmp -s one.out ranks.out || fail "-np $np $* -f $f: output differs"
        done
    done
}
same "text json csv" --runs 1000 --seed 7
same text --runs 301 --seed 3 --model eum --model sticky "$csv"
same text --runs 24 --seed 5 --model smp
same text --runs 2 --seed 4
"$parley" forecast --runs 50 --model exchange --p 0.5 > one.txt
mpi 3 forecast --runs 50 --model exchange --p 0.5 -o ranks.txt > ranks.out || fail "-o: exit $?"
cmp -s one.txt ranks.txt || fail "-np 3 -o: file differs"
[ -s ranks.out ] && fail "-np 3 -o: expected nothing on stdout"

# tournaments (over the negotiations) and sensitivity analyses (over the
# inputs): CMD "FORMATS" ARGS against 2 and 3 ranks
split() {
    cmd=$1
    formats=$2
    shift 2
    for f in $formats; do
        "$parley" "$cmd" "$@" -f $f > one.out 2> one.err || fail "$cmd $* -f $f: exit $?"
        for np in 2 3; do
            mpi $np "$cmd" "$@" -f $f > ranks.out 2> ranks.err ||
                fail "-np $np $cmd $* -f $f: exit $?"
            cmp -s one.out ranks.out || fail "-np $np $cmd $* -f $f: output differs"
        done
    done
}
split tournament "text json" --agents boulware,linear,conceder --threads 1
split tournament text --agents boulware,random:0.3 --repeat 2 --steps 30 \
    "$src/examples/data/genius/Laptop" armistice-2025 --threads 1
split sensitivity "text csv" --top 0
split sensitivity text --model exchange --top 0
# 4 negotiations on 5 ranks: a rank without any
"$parley" tournament --agents boulware,linear "$src/examples/data/genius/Laptop" > one.txt
mpi 5 tournament --agents boulware,linear "$src/examples/data/genius/Laptop" --threads 1 \
    -o ranks.txt > ranks.out || fail "tournament -np 5 -o: exit $?"
cmp -s one.txt ranks.txt || fail "tournament -np 5 -o: file differs"
[ -s ranks.out ] && fail "tournament -np 5 -o: expected nothing on stdout"
mpi 2 tournament --agents boulware,linear --run-range 0:5 > out 2> err
[ $? = 2 ] || fail "tournament --run-range under mpirun: expected exit 2"
mpi 2 sensitivity --model no-such > out 2> err
[ $? = 2 ] || fail "sensitivity, a bad model under mpirun: expected exit 2"

# errors: every rank, the same code
mpi 2 forecast --runs 10 --run-range 0:5 > out 2> err
[ $? = 2 ] || fail "--run-range under mpirun: expected exit 2"
grep -q "expected one process" err || fail "--run-range under mpirun: message"
mpi 2 forecast --runs 10 --bins 0 > out 2> err
[ $? = 2 ] || fail "a bad option under mpirun: expected exit 2"
mpi 2 forecast --runs 10 no-such.json > out 2> err
[ $? = 2 ] || fail "a missing scenario under mpirun: expected exit 2"
finish "MPI sweep"
