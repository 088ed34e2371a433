# ab.sh <proto text|binary> <pairs>: server CPU per request of a.jar (A) and b.jar (B), both running, alternating
# bounded memcaslap runs; prints B/A per pair.
proto=$1; pairs=$2; cd /work/main
fp() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
start() { CUCKOOCACHE_CLASSPATH=/work/tmp/$1.jar ./cuckoocache -p $2 -m 1024 --mode=single > /tmp/ab-$1.log 2>&1 & echo $!; }
pa=$(fp); pb=$(fp); A=$(start a $pa); B=$(start b $pb)
for i in $(seq 100); do grep -q listening /tmp/ab-a.log && grep -q listening /tmp/ab-b.log && break; sleep 0.1; done
flags=""; [[ $proto == binary ]] && flags="-B"
ticks() { awk '{print $14+$15}' /proc/$1/stat; }
run() { local pid=$1 port=$2 t0 t1 out; t0=$(ticks $pid); out=$(timeout 300 memcaslap -s 127.0.0.1:$port -T 1 -c 32 -x 300000 $flags 2>&1 | grep -o 'TPS: [0-9]*' | awk '{print $2}'); t1=$(ticks $pid); echo "$out $(( t1 - t0 ))"; }
run $A $pa > /dev/null; run $B $pb > /dev/null   # warm-up
for p in $(seq $pairs); do
  if (( p % 2 )); then ra=$(run $A $pa); rb=$(run $B $pb); else rb=$(run $B $pb); ra=$(run $A $pa); fi
  set -- $ra $rb
  awk -v ta=$1 -v ca=$2 -v tb=$3 -v cb=$4 'BEGIN { hz=100; ua=ca*1e6/hz/300000; ub=cb*1e6/hz/300000; printf "A %d ops/s %.2f us/op | B %d ops/s %.2f us/op | B/A ops %.2f cpu %.2f\n", ta, ua, tb, ub, tb/ta, ub/ua }'
done
kill $A $B; wait
