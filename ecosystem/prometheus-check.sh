#!/usr/bin/env bash
# A real Prometheus scraping ./cuckoocache -o metrics_port: the server serves its own metrics (no exporter), the
# shipped prometheus.yml scrapes them (only the interval and the port are changed, to 1 s and the chosen port), and
# the values Prometheus stores must equal `stats` at that moment (prometheus_check.py says how that is made exact);
# then promtool checks the text format 0.0.4 (Prometheus scrapes OpenMetrics).
# Everything listens on 127.0.0.1 only and is killed on exit; bounded by about 60 s of waiting in all.
#   ecosystem/prometheus-check.sh        (needs prometheus and promtool: Debian's prometheus package, 2.42 here)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source ecosystem/lib.sh

command -v prometheus >/dev/null || { echo "prometheus-check: prometheus is not installed" >&2; exit 1; }
start=$SECONDS

eco_start_cuckoocache -m 32 -o metrics_port=0
port="$eco_port"
metrics_port="$(sed -n 's|.* metrics http://127\.0\.0\.1:\([0-9][0-9]*\)/metrics.*|\1|p' "$eco_log" | head -n 1)"
[[ -n "$metrics_port" ]] || { echo "prometheus-check: no metrics address on the startup line:" >&2; cat "$eco_log" >&2; exit 1; }
prom_port="$(eco_free_port)"
sed -e 's/^  scrape_interval: 15s$/  scrape_interval: 1s/' -e 's/^  scrape_timeout: 10s$/  scrape_timeout: 1s/' \
  -e "s/'127\.0\.0\.1:9150'/'127.0.0.1:$metrics_port'/" ecosystem/prometheus.yml >"$eco_tmp/prometheus.yml"
grep -q "scrape_interval: 1s" "$eco_tmp/prometheus.yml" && grep -q "127.0.0.1:$metrics_port" "$eco_tmp/prometheus.yml"

# The traffic's three connections stay open while Prometheus scrapes.
eco_hold_traffic "$port" prometheus-check

prometheus --config.file="$eco_tmp/prometheus.yml" --storage.tsdb.path="$eco_tmp/prometheus-data" \
  --web.listen-address="127.0.0.1:$prom_port" >"$eco_tmp/prometheus.log" 2>&1 &
prom_pid=$!
eco_pids+=("$prom_pid")
ready=0
for _ in $(seq 1 300); do
  kill -0 "$prom_pid" 2>/dev/null || break
  if python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
      "http://127.0.0.1:$prom_port/-/ready" 2>/dev/null; then
    ready=1
    break
  fi
  sleep 0.1
done
if ((!ready)); then
  echo "prometheus-check: prometheus did not become ready on 127.0.0.1:$prom_port; it said:" >&2
  cat "$eco_tmp/prometheus.log" >&2
  exit 1
fi
echo "prometheus on 127.0.0.1:$prom_port scraping http://127.0.0.1:$metrics_port/metrics (cuckoocache on 127.0.0.1:$port):"
if ! (cd ecosystem && python3 prometheus_check.py "$port" "$prom_port"); then
  echo "prometheus-check: Prometheus does not hold what stats says; prometheus said:" >&2
  tail -n 20 "$eco_tmp/prometheus.log" >&2
  exit 1
fi
# Prometheus scraped OpenMetrics (its Accept header prefers it); the text format 0.0.4, which a client that asks for
# nothing gets, goes through promtool's parser and its naming rules.
python3 -c 'import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=10).read().decode())' \
  "http://127.0.0.1:$metrics_port/metrics" >"$eco_tmp/metrics.txt"
if ! promtool check metrics <"$eco_tmp/metrics.txt"; then
  echo "prometheus-check: promtool check metrics rejects the text format (above)" >&2
  exit 1
fi
echo "ok   promtool check metrics: $(grep -c '^# TYPE' "$eco_tmp/metrics.txt") families in the text format 0.0.4, no problems"
exec 3>&-
echo "prometheus check (cuckoocache -o metrics_port, scraped by prometheus $(prometheus --version 2>&1 | sed -n '1s/^prometheus, version \([^ ]*\).*/\1/p')): passed in $((SECONDS - start)) s"
