#!/bin/bash
# scratch: perf record the server child during the measured window
cd /work/wt/lead
XARGS="--perf-basic-prof" node scripts/bench/scratch/threads.mjs ${1:-shimmy} > /tmp/lead/perf-threads.out 2>&1 &
LOADER=$!
sleep 4.5
PID=$(pgrep -f "server-child.mjs ${1:-shimmy}" | head -1)
perf record -F 2000 -g -p $PID -o /tmp/lead/perf.data -- sleep 3 2>/dev/null >/dev/null
wait $LOADER
cat /tmp/lead/perf-threads.out
