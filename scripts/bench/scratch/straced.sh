#!/bin/bash
cd /work/wt/lead
node scripts/bench/scratch/threads.mjs ${1:-shimmy} > /tmp/lead/st-threads.out 2>&1 &
LOADER=$!
sleep 4.5
PID=$(pgrep -f "server-child.mjs ${1:-shimmy}" | head -1)
timeout -s INT 3 strace -c -p $PID -o /tmp/lead/strace-${1:-shimmy}.txt >/dev/null 2>&1
wait $LOADER
head -1 /tmp/lead/st-threads.out
cat /tmp/lead/strace-${1:-shimmy}.txt | head -25
