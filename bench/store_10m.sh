#!/bin/bash
# 10M triples, measured once (docs/store.md): each step in its own process, with the
# wall time, CPU time and peak RSS that /usr/bin/time reports.
# Usage: bench/store_10m.sh [FOLDER]   (needs ~6 GB of memory and ~2 GB of disk)
W=${1:-/tmp/store-10m}; mkdir -p $W
F=$W/syn-10000000.ttl
D=$W/store
PY=${PYTHON:-python}
[ -f $F ] || nice $PY bench/generate.py --triples 10000000 --seed 1 -o $F
AG=${ALLIANCE_GRAPH:-alliance-graph}
SYN=https://w3id.org/alliance-graph/resource/synthetic/
step() { name=$1; shift; echo "== $name $(date +%T)"; /usr/bin/time -f "$name wall %e s, user %U s, sys %S s, peak RSS %M KB" nice -n 5 "$@" 2>&1 | tail -3; }
step bare-parse $PY -c "import pyoxigraph as ox,time; t=time.perf_counter(); s=ox.Store(); s.load(path='$F', format=ox.RdfFormat.TURTLE); print(len(s), 'parse', time.perf_counter()-t)"
step open_store $PY -c "import time; t=time.perf_counter(); from alliance_graph.load import open_store; s=open_store(['$F']); print(len(s), 'open_store', time.perf_counter()-t)"
rm -rf $D
step store-build $PY -c "import time; t=time.perf_counter(); from alliance_graph.load import open_store; s=open_store(['$F'], store_dir='$D'); print(len(s), 'build', time.perf_counter()-t)"
for i in 1 2 3; do
step cold-query-warm-store-$i $AG query stake-history -p holder=${SYN}c0 -p held=${SYN}c1 -p claims=all -f csv --data $F --store $D
done
step integrated-first $AG ownership integrated ${SYN}c0 --at 2010-06-30 --no-validate -f csv --data $F --store $D
for i in 1 2 3; do
step integrated-kept-$i $AG ownership integrated ${SYN}c0 --at 2010-06-30 --no-validate -f csv --data $F --store $D
done
# the same command with the per-company path (holdings.sqlite) switched off: bench_store.py's
WHOLE=$(sed -n '/^WHOLE_NETWORK = """/,/^"""/p' bench/bench_store.py | sed '1d;$d')
step integrated-whole-network $PY -c "$WHOLE" ownership integrated ${SYN}c0 --at 2010-06-30 --no-validate -f csv --data $F --store $D
du -sh $D/*
echo "== done $(date +%T)"
