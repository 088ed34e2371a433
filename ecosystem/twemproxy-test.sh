#!/usr/bin/env bash
# Scale-out through twemproxy: three ./cuckoocache instances behind nutcracker with the shipped twemproxy.yml
# (ketama, text protocol; only its addresses are replaced by the instances' free ports, and its 1 s timeout by 10 s:
# on a loaded 2-core CI machine a cold JVM's first pipelined batch can take longer). Sets KEYS keys through the
# proxy, then spread_check.py checks that all read back through it and that each instance, asked directly, holds
# at least 20% of them and no key is on two. Everything is killed on exit; the whole check is bounded by 180 s.
#   ecosystem/twemproxy-test.sh            (needs nutcracker: apt-get install nutcracker)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source ecosystem/lib.sh

command -v nutcracker >/dev/null || { echo "twemproxy-test: nutcracker is not installed" >&2; exit 1; }
keys="${KEYS:-3000}"
# The README shows the shipped configurations inline: they must not drift apart.
python3 - <<'PY'
import sys
readme = open("ecosystem/README.md").read()
for name, lang in (("twemproxy.yml", "yaml"), ("mcrouter.json", "json")):
    if f"```{lang}\n{open('ecosystem/' + name).read()}```" not in readme:
        sys.exit(f"ecosystem/README.md does not show ecosystem/{name} as it is")
PY
start=$SECONDS

ports=()
for _ in 1 2 3; do
  eco_start_cuckoocache -m 32 --mode=single
  ports+=("$eco_port")
done
proxy_port="$(eco_free_port)"
stats_port="$(eco_free_port)"
sed -e "s/^  timeout: 1000$/  timeout: 10000/" \
    -e "s/127\.0\.0\.1:22121/127.0.0.1:$proxy_port/" \
    -e "s/127\.0\.0\.1:11211:/127.0.0.1:${ports[0]}:/" \
    -e "s/127\.0\.0\.1:11212:/127.0.0.1:${ports[1]}:/" \
    -e "s/127\.0\.0\.1:11213:/127.0.0.1:${ports[2]}:/" ecosystem/twemproxy.yml >"$eco_tmp/twemproxy.yml"
grep -q '^  timeout: 10000$' "$eco_tmp/twemproxy.yml"
nutcracker --test-conf -c "$eco_tmp/twemproxy.yml" 2>&1
nutcracker -c "$eco_tmp/twemproxy.yml" -s "$stats_port" -a 127.0.0.1 -o "$eco_tmp/nutcracker.log" &
eco_pids+=("$!")
eco_await_port "$proxy_port"
echo "twemproxy on 127.0.0.1:$proxy_port in front of cuckoocache on ports ${ports[*]}"

if ! timeout 180 python3 ecosystem/spread_check.py "$proxy_port" "${ports[@]}" --keys "$keys"; then
  echo "twemproxy scale-out check: FAILED; nutcracker's log:" >&2
  tail -n 20 "$eco_tmp/nutcracker.log" >&2
  exit 1
fi
echo "twemproxy scale-out check: passed in $((SECONDS - start)) s"
