#!/usr/bin/env bash
# TLS (-Z) with other people's clients, against ./cuckoocache and memcached 1.6.18 alike: for each server, one
# instance with -Z (ssl_verify_mode=1, the test CA) plus a notls: listener, and one with ssl_verify_mode=2 (mutual
# TLS); tls_check.py then drives openssl s_client and pymemcache over TLS (set/get, a plain client on the TLS port,
# the notls: listener, refresh_certs, refused and accepted client certificates, the ssl stats). Each server must
# pass on its own, and both must give the same observations (lines tls_check.py marks "info:" may differ).
# The certificates are the tests' (server/src/test/resources/tls). Everything is killed on exit; bounded by 120 s.
#   ecosystem/tls-check.sh        (needs memcached 1.6.18 built with TLS, openssl, python3-pymemcache)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source ecosystem/lib.sh

command -v memcached >/dev/null || { echo "tls-check: memcached is not installed" >&2; exit 1; }
command -v openssl >/dev/null || { echo "tls-check: openssl is not installed" >&2; exit 1; }
# Debian's package lives in the system Python (a pyenv or venv python3 on the PATH would not see it).
py=/usr/bin/python3
"$py" -c 'import pymemcache' 2>/dev/null || { echo "tls-check: apt-get install python3-pymemcache" >&2; exit 1; }
start=$SECONDS

# memcached drops to -u nobody when run as root: give it copies it can read.
certs="$eco_tmp/certs"
mkdir -p "$certs"
cp server/src/test/resources/tls/*.pem server/src/test/resources/tls/*.key "$certs/"
chmod 755 "$eco_tmp" "$certs"
chmod 644 "$certs"/*
ssl="ssl_chain_cert=$certs/server-a.pem,ssl_key=$certs/server-a.key,ssl_ca_cert=$certs/ca.pem"

run_memcached() { # port, then memcached's arguments
  local user=()
  [[ "$(id -u)" == 0 ]] && user=(-u nobody)
  memcached "${user[@]}" -U 0 -m 32 -p "$1" "${@:2}" >"$eco_tmp/memcached-$1.log" 2>&1 &
  eco_pids+=("$!")
  eco_await_port "$1"
}

check() { # name tls_port plain_port mtls_port
  echo "== $1"
  timeout 60 "$py" -u ecosystem/tls_check.py "$certs" "$2" "$3" "$4" | tee "$eco_tmp/$1.out"
}

plain_port="$(eco_free_port)"
eco_start_cuckoocache -m 32 --mode=single -l "notls:127.0.0.1:$plain_port" -Z -o "$ssl,ssl_verify_mode=1"
cc_port="$eco_port"
eco_start_cuckoocache -m 32 --mode=single -Z -o "$ssl,ssl_verify_mode=2"
check cuckoocache "$cc_port" "$plain_port" "$eco_port"

mc_port="$(eco_free_port)"
mc_plain="$(eco_free_port)"
mc_mtls="$(eco_free_port)"
run_memcached "$mc_port" -l "127.0.0.1,notls:127.0.0.1:$mc_plain" -Z -o "$ssl,ssl_verify_mode=1"
run_memcached "$mc_mtls" -l 127.0.0.1 -Z -o "$ssl,ssl_verify_mode=2"
check memcached "$mc_port" "$mc_plain" "$mc_mtls"

if ! diff <(grep -v '^info:' "$eco_tmp/cuckoocache.out") <(grep -v '^info:' "$eco_tmp/memcached.out"); then
  echo "tls-check: cuckoocache and memcached 1.6.18 differ (above: < cuckoocache, > memcached)" >&2
  exit 1
fi
echo "tls-check: cuckoocache and memcached 1.6.18 -Z agree ($((SECONDS - start)) s)"
