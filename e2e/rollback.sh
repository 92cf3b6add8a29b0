#!/usr/bin/env bash
# End-to-end check of reloads and rollbacks as a user does them (issue 13), with the runnable jar and two small
# local backends (python3 -m http.server): a typo is rejected and the last good config keeps serving; rollback steps
# back one version at a time and then refuses (exit 1); `touch` and a save without changes do not undo a rollback;
# `status` says the files differ; new content applies.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh"
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

jar="$(shadowgate_jar)"
sg() { java -jar "$jar" "$@"; }
p1=$(free_port); p2=$(free_port); gport=$(free_port); aport=$(free_port)
for v in v1 v2; do
  mkdir -p "$work/$v" && echo "$v" >"$work/$v/index.html"
done
python3 -m http.server "$p1" --bind 127.0.0.1 --directory "$work/v1" >/dev/null 2>&1 & pids+=($!)
python3 -m http.server "$p2" --bind 127.0.0.1 --directory "$work/v2" >/dev/null 2>&1 & pids+=($!)

mkdir -p "$work/config"
config() { # config SUBSET [ROUTE-EXTRA]
  cat <<YAML
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: app}
spec:
  hosts: [app.local]
  ports: [{number: 80, name: http, protocol: HTTP}]
  resolution: STATIC
  endpoints:
  - {address: 127.0.0.1, ports: {http: $p1}, labels: {version: v1}}
  - {address: 127.0.0.1, ports: {http: $p2}, labels: {version: v2}}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: app}
spec:
  host: app.local
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v2, labels: {version: v2}}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: app}
spec:
  hosts: [127.0.0.1]
  http:
  - route:
    - destination: {host: app.local, subset: $1}
${2:-}
YAML
}
file="$work/config/app.yaml"
config v1 >"$file"
sg run -f "$work/config" --listen "127.0.0.1:$gport" --admin "127.0.0.1:$aport" --access-log off \
  >"$work/gateway.log" 2>&1 & pids+=($!)
wait_http "http://127.0.0.1:$aport/ready" 60 || { cat "$work/gateway.log"; fail "gateway not ready"; }
serving() { curl -fsS "http://127.0.0.1:$gport/index.html" | tr -d '\n'; }
await_serving() { # await_serving VERSION WHAT
  local deadline=$((SECONDS + 10))
  until [ "$(serving)" = "$1" ]; do
    [ $SECONDS -ge $deadline ] && { cat "$work/gateway.log"; fail "$2: still $(serving), expected $1"; }
    sleep 0.3
  done
}
config_field() { curl -fsS "http://127.0.0.1:$aport/config" | python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
await_serving v1 "start"

config v2 >"$file"
await_serving v2 "edit to v2"
config v2 "    timeout: 5s" >"$file"
sleep 1.5
[ "$(config_field number)" = "3" ] || fail "three versions expected, /config says #$(config_field number)"

# A typo (letter O for zero): rejected, v2 keeps serving.
config v1 "    mirror: {host: app.local, subset: v2}
    mirrorPercentage: {value: 5O}" >"$file"
deadline=$((SECONDS + 10))
until [ "$(config_field rejections)" = "1" ]; do
  [ $SECONDS -ge $deadline ] && fail "the typo was not rejected"; sleep 0.3
done
[ "$(serving)" = "v2" ] || fail "a rejected change changed what serves"
pass "a typo'd change is rejected and the last good config keeps serving"
config v2 "    timeout: 5s" >"$file"   # back to what #3 says
sleep 1.5

# Rollback: #3 -> #2 -> #1, then refused; never toggles.
sg rollback --admin "127.0.0.1:$aport" >/dev/null || fail "first rollback failed"
[ "$(config_field number)" = "2" ] || fail "first rollback did not go to #2"
sg rollback --admin "127.0.0.1:$aport" >/dev/null || fail "second rollback failed"
await_serving v1 "second rollback"
if sg rollback --admin "127.0.0.1:$aport" >"$work/third.json"; then fail "a third rollback succeeded"; fi
grep -q "nothing to roll back to" "$work/third.json" || fail "the refusal does not say why: $(cat "$work/third.json")"
[ "$(serving)" = "v1" ] || fail "the refused rollback changed what serves"
pass "rollback steps back #3 -> #2 -> #1 and then refuses (exit 1)"

# touch and a save of the same bytes do not undo the rollback; status says the files differ.
touch "$file"; cp "$file" "$file.tmp" && mv "$file.tmp" "$file"
sleep 2
[ "$(serving)" = "v1" ] || fail "touch undid the rollback"
sg status --admin "127.0.0.1:$aport" >"$work/status.txt"
grep -q "config files: DIFFER from what is serving: rolled back to #1" "$work/status.txt" \
  || { cat "$work/status.txt"; fail "status does not say the files differ"; }
pass "touch and a no-op save keep the rollback; status says the files differ"

sg rollback --admin "127.0.0.1:$aport" --to 3 >/dev/null || fail "rollback --to 3 failed"
await_serving v2 "rollback --to 3"
config v1 "    timeout: 7s" >"$file"
await_serving v1 "new content after rollback"
[ "$(config_field sources_match_serving)" = "True" ] || fail "the files should match what serves now"
pass "rollback --to picks a version; new content after a rollback applies"
