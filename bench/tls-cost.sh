#!/usr/bin/env bash
# TLS cost per request (bench/RESULTS.md, "TLS cost (issue #21)"): one run, A/B interleaved round by round, on
# loopback. Servers: cuckoocache --mode=single with the JDK engine and with OpenSSL (BoringSSL, netty-tcnative),
# each with a TLS listener and a notls: one, and memcached 1.6.18 -t 1 -Z likewise; the same client
# (io.cuckoocache.bench.TlsCost: JDK SSLSocket, one request per round trip) drives all six listeners.
#   bench/tls-cost.sh [conns=4] [requests per round=20000] [rounds=5] [handshakes=300]
# Needs bench/target/benchmarks.jar and server/target/cuckoocache.jar (./mvnw -o package -DskipTests -pl bench,server -am).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
conns="${1:-4}" requests="${2:-20000}" rounds="${3:-5}" handshakes="${4:-300}"
tmp="$(mktemp -d)"
pids=()
cleanup() {
  local p
  for p in "${pids[@]:-}"; do [[ -n "$p" ]] && kill "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
cp server/src/test/resources/tls/{ca,server-a}.{pem,key} "$tmp/"
chmod 755 "$tmp"; chmod 644 "$tmp"/*
ssl="ssl_chain_cert=$tmp/server-a.pem,ssl_key=$tmp/server-a.key"
port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
await() { # port
  for _ in $(seq 1 300); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nothing listens on $1" >&2; return 1
}

args=()
for engine in jdk openssl; do
  t="$(port)" p="$(port)"
  ./cuckoocache -p "$t" -l 127.0.0.1 -l "notls:127.0.0.1:$p" -m 64 --mode=single -Z -o "$ssl,ssl_engine=$engine" \
    >"$tmp/cc-$engine.log" 2>&1 &
  pids+=("$!")
  await "$t"; await "$p"
  head -n 1 "$tmp/cc-$engine.log"
  args+=("cc-$engine-plain=$p:plain" "cc-$engine-tls=$t:tls")
done
t="$(port)" p="$(port)"
user=(); [[ "$(id -u)" == 0 ]] && user=(-u nobody)
memcached "${user[@]}" -U 0 -t 1 -m 64 -p "$t" -l "127.0.0.1,notls:127.0.0.1:$p" -Z -o "$ssl" >"$tmp/mc.log" 2>&1 &
pids+=("$!")
await "$t"; await "$p"
echo "memcached $(memcached -V) -t 1 -Z"
args+=("mc-plain=$p:plain" "mc-tls=$t:tls")

echo "nproc $(nproc), load average $(cut -d' ' -f1-3 /proc/loadavg)"
timeout 900 java -cp bench/target/benchmarks.jar io.cuckoocache.bench.TlsCost --ca "$tmp/ca.pem" \
  --conns "$conns" --requests "$requests" --rounds "$rounds" --handshakes "$handshakes" \
  --compare cc-jdk-tls/cc-jdk-plain --compare cc-openssl-tls/cc-openssl-plain --compare mc-tls/mc-plain \
  --compare cc-openssl-tls/cc-jdk-tls --compare cc-openssl-tls/mc-tls "${args[@]}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
