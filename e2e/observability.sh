#!/usr/bin/env bash
# End-to-end observability suite: a real Prometheus (Debian package) scrapes the gateway and answers PromQL with
# the expected per-version counts; a real Zipkin server (io.zipkin:zipkin-server exec jar from Maven Central)
# receives spans, and its query API shows one trace holding both the primary and the mirror spans.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh"
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

need_pkg prometheus prometheus
jar="$(shadowgate_jar)"
zipkin_version=3.6.1
zipkin_jar="${XDG_CACHE_HOME:-$HOME/.cache}/shadowgate-e2e/zipkin-server-$zipkin_version-exec.jar"
if [ ! -f "$zipkin_jar" ]; then
  mkdir -p "$(dirname "$zipkin_jar")"
  curl -fsSL -o "$zipkin_jar.tmp" \
    "https://repo.maven.apache.org/maven2/io/zipkin/zipkin-server/$zipkin_version/zipkin-server-$zipkin_version-exec.jar"
  mv "$zipkin_jar.tmp" "$zipkin_jar"
fi

zport=$(free_port); gport=$(free_port); aport=$(free_port); pport=$(free_port)

java -Xmx256m -jar "$zipkin_jar" --server.port="$zport" --logging.level.root=WARN >"$work/zipkin.log" 2>&1 &
pids+=($!)
java -jar "$jar" demo --traffic 0 --listen "127.0.0.1:$gport" --admin "127.0.0.1:$aport" --access-log off \
  --tracing-exporter zipkin --tracing-endpoint "http://127.0.0.1:$zport/api/v2/spans" >"$work/gateway.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$aport/ready" 60 || { cat "$work/gateway.log"; fail "gateway not ready"; }

cat >"$work/prometheus.yml" <<YAML
global: {scrape_interval: 1s}
scrape_configs:
- job_name: shadowgate
  metrics_path: /stats/prometheus
  static_configs: [{targets: ["127.0.0.1:$aport"]}]
YAML
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prom" \
  --web.listen-address="127.0.0.1:$pport" >"$work/prometheus.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$pport/-/ready" 60 || { cat "$work/prometheus.log"; fail "prometheus not ready"; }
wait_http "http://127.0.0.1:$zport/health" 120 || { tail -50 "$work/zipkin.log"; fail "zipkin not ready"; }

n=40
for i in $(seq 1 $n); do
  curl -fsS -o /dev/null "http://127.0.0.1:$gport/api/products/$(( i % 3 + 1 ))" || fail "request $i failed"
done

promql() {
  curl -fsS --get "http://127.0.0.1:$pport/api/v1/query" --data-urlencode "query=$1" |
    python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(" ".join(m["metric"].get(sys.argv[1],"")+"="+m["value"][1] for m in r))' "$2"
}
deadline=$((SECONDS + 30))
while :; do
  prod="$(promql 'sum by (destination_version) (istio_requests_total{reporter="source"})' destination_version)"
  # Noise samples (safe requests sent a second time to the primary's own version, docs/compare.md) are mirrors
  # to v1 and counted in the same series under v1's labels; the copies to v2 are the ones under test here.
  mirr="$(promql 'sum by (destination_version) (shadowgate_mirror_requests_total{destination_version="v2"})' destination_version)"
  [ "$prod" = "v1=$n" ] && [ "$mirr" = "v2=$n" ] && break
  [ $SECONDS -ge $deadline ] && fail "PromQL: production '$prod' (want v1=$n), mirror '$mirr' (want v2=$n)"
  sleep 1
done
pass "Prometheus: istio_requests_total by version: $prod; mirror series: $mirr (mirrors never in production totals)"

deadline=$((SECONDS + 30))
while :; do
  verdict="$(curl -fsS "http://127.0.0.1:$zport/api/v2/traces?serviceName=shadowgate&limit=100" | python3 -c '
import json, sys
traces = json.load(sys.stdin)
for t in traces:
    names = [s.get("name", "") for s in t]
    kinds = [s.get("kind", "") for s in t]
    ids = {s["traceId"] for s in t}
    if len(ids) == 1 and "SERVER" in kinds and any(n.startswith("mirror") for n in names):
        print("ok", t[0]["traceId"], sorted(names)); break
else:
    print("none", len(traces))')"
  case "$verdict" in ok*) break ;; esac
  [ $SECONDS -ge $deadline ] && fail "Zipkin: no trace with both the server span and a mirror span ($verdict)"
  sleep 1
done
pass "Zipkin: one trace holds the primary and the mirror: $verdict"
