#!/usr/bin/env bash
# Monitoring that works unchanged: collectd's memcached plugin reads a ./cuckoocache's `stats`, and its
# write_prometheus plugin serves them as Prometheus metrics. Uses the shipped collectd.conf (only the ports, the
# interval and collectd's own files are changed), drives known traffic (metrics_check.py traffic), scrapes /metrics
# with curl and checks that items, connections, commands, hits/misses, bytes and memory are populated with at least
# what the traffic produced. Everything is killed on exit; bounded by 60 s of waiting in all.
#   ecosystem/monitoring-check.sh        (needs collectd-core, libmicrohttpd12, libprotobuf-c1, curl)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source ecosystem/lib.sh

command -v collectd >/dev/null || { echo "monitoring-check: collectd is not installed" >&2; exit 1; }
start=$SECONDS

eco_start_cuckoocache -m 32
port="$eco_port"
prom_port="$(eco_free_port)"
{
  echo "BaseDir \"$eco_tmp\""
  echo "PIDFile \"$eco_tmp/collectd.pid\""
  sed -e 's/^Interval 10$/Interval 1/' -e "s/^    Port 11211$/    Port $port/" -e "s/^  Port 9103$/  Port $prom_port/" \
    ecosystem/collectd.conf
} >"$eco_tmp/collectd.conf"
grep -q "Port $port" "$eco_tmp/collectd.conf" && grep -q "Port $prom_port" "$eco_tmp/collectd.conf"

# The traffic's three connections stay open while collectd reads.
eco_hold_traffic "$port" monitoring-check

collectd -f -C "$eco_tmp/collectd.conf" >"$eco_tmp/collectd.log" 2>&1 &
collectd_pid=$!
eco_pids+=("$collectd_pid")
scraped=0
for _ in $(seq 1 300); do
  kill -0 "$collectd_pid" 2>/dev/null || break
  if curl -sf "http://127.0.0.1:$prom_port/metrics" >"$eco_tmp/metrics" 2>/dev/null \
      && grep -q '^collectd_memcached_memcached_items' "$eco_tmp/metrics"; then
    scraped=1
    break
  fi
  sleep 0.1
done
if ((!scraped)); then
  echo "monitoring-check: no memcached metrics at http://127.0.0.1:$prom_port/metrics; collectd said:" >&2
  cat "$eco_tmp/collectd.log" >&2
  exit 1
fi
echo "scraped http://127.0.0.1:$prom_port/metrics (collectd memcached plugin -> cuckoocache on 127.0.0.1:$port):"
(cd ecosystem && python3 metrics_check.py check "$eco_tmp/metrics")
exec 3>&-
echo "monitoring check (collectd + write_prometheus): passed in $((SECONDS - start)) s"
