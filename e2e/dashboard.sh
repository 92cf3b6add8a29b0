#!/usr/bin/env bash
# End-to-end check of the web dashboard in a real browser: Debian's Chromium, driven by playwright-core (from npm,
# no browser download), against `shadowgate demo` (overview, route page, example pair, keyboard) and against a
# `shadowgate run -f DIR` gateway whose config changed once (rollback from the page, cross-site POST refused, the
# page surviving a restart). Screenshots go to e2e/artifacts/ (kept by CI).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh"
artifacts="$here/artifacts"
mkdir -p "$artifacts"

need_pkg chromium chromium
need_pkg node nodejs
need_pkg npm npm
# Playwright drives /usr/bin/chromium; it must never fetch a browser of its own.
(cd "$here/dashboard" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --ignore-scripts >/dev/null) \
  || fail "npm ci in e2e/dashboard"
jar="$(shadowgate_jar)"

work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}" $(cat "$work/files.pid" 2>/dev/null || true); do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# 1. The demo, kept running (no --exit).
demo_listen="$(free_port)"; demo_admin="$(free_port)"
java -jar "$jar" demo --listen "127.0.0.1:$demo_listen" --admin "127.0.0.1:$demo_admin" --access-log off \
  >"$work/demo.out" 2>&1 &
pids+=($!)
deadline=$((SECONDS + 120))
until grep -q "backends  v1 on" "$work/demo.out"; do
  [ $SECONDS -lt $deadline ] || { cat "$work/demo.out"; fail "the demo did not start within 120 s"; }
  kill -0 "${pids[0]}" 2>/dev/null || { cat "$work/demo.out"; fail "the demo exited"; }
  sleep 0.5
done
demo_dashboard="$(grep -o 'dashboard http://[^ ]*' "$work/demo.out" | cut -d' ' -f2)"
[ "$demo_dashboard" = "http://127.0.0.1:$demo_admin/ui/" ] || { cat "$work/demo.out"; fail "the demo does not print its dashboard address"; }
v1_port="$(sed -n 's/.*backends  v1 on 127\.0\.0\.1:\([0-9]*\),.*/\1/p' "$work/demo.out")"
v2_port="$(sed -n 's/.*, v2 on 127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$work/demo.out")"
[ -n "$v1_port" ] && [ -n "$v2_port" ] || { cat "$work/demo.out"; fail "no backend ports in the demo's output"; }

# 2. A gateway on files, over the demo's backends, with a config history to roll back.
mkdir -p "$work/conf"
files_listen="$(free_port)"; files_admin="$(free_port)"
java -jar "$jar" demo --print-config --listen "127.0.0.1:$files_listen" \
  | sed "s/{http: 9001}/{http: $v1_port}/; s/{http: 9002}/{http: $v2_port}/" >"$work/conf/app.yaml"
files_cmd=(java -jar "$jar" run -f "$work/conf" --listen "127.0.0.1:$files_listen" --admin "127.0.0.1:$files_admin"
  --access-log off --drain-timeout 1s)
"${files_cmd[@]}" >"$work/files.out" 2>&1 &
echo $! >"$work/files.pid"
until grep -q "Press Ctrl-C" "$work/demo.out"; do
  [ $SECONDS -lt $deadline ] || { cat "$work/demo.out"; fail "the demo did not finish its traffic within 120 s"; }
  kill -0 "${pids[0]}" 2>/dev/null || { cat "$work/demo.out"; fail "the demo exited"; }
  sleep 0.5
done
pass "demo running, dashboard at $demo_dashboard [${SECONDS} s]"
wait_http "http://127.0.0.1:$files_admin/ready" 60 || { cat "$work/files.out"; fail "run -f did not become ready"; }

# Light traffic while the browser looks, so rates are live (bounded: 60 s at most).
( for i in $(seq 1 300); do
    curl -s -o /dev/null "http://127.0.0.1:$demo_listen/api/products/$((i % 3 + 1))" || true; sleep 0.2
  done ) &
pids+=($!)

version() { curl -fsS "http://127.0.0.1:$files_admin/config" | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])'; }
previous="$(version)"
sed -i 's/mirrorPercentage: {value: 100.0}/mirrorPercentage: {value: 50.0}/' "$work/conf/app.yaml"
deadline=$((SECONDS + 30))
until [ "$(version)" != "$previous" ]; do
  [ $SECONDS -lt $deadline ] || { cat "$work/files.out"; fail "the changed file was not applied within 30 s"; }
  sleep 0.5
done
serving="$(version)"
pass "run -f: $previous, then $serving after the file changed [${SECONDS} s]"

# 3. Another site: a page on another origin with a form that posts to the gateway's /rollback.
mkdir -p "$work/attacker"
cat >"$work/attacker/index.html" <<HTML
<!doctype html><title>win a prize</title>
<form method="POST" action="http://127.0.0.1:$files_admin/rollback"><button id="prize">Win a prize</button></form>
HTML
attacker_port="$(free_port)"
python3 -m http.server --bind 127.0.0.1 --directory "$work/attacker" "$attacker_port" >/dev/null 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$attacker_port/index.html" 20

# 4. The browser.
restart="$(python3 -c 'import json,sys; print(json.dumps({"pid": int(sys.argv[1]), "pidFile": sys.argv[2], "cmd": sys.argv[3:]}))' \
  "$(cat "$work/files.pid")" "$work/files.pid" "${files_cmd[@]}")"
DEMO_DASHBOARD="$demo_dashboard" FILES_DASHBOARD="http://127.0.0.1:$files_admin/ui/" \
  FILES_SERVING_VERSION="$serving" FILES_PREVIOUS_VERSION="$previous" FILES_GATEWAY_RESTART="$restart" \
  ATTACKER_PAGE="http://127.0.0.1:$attacker_port/index.html" ARTIFACTS="$artifacts" timeout 240 node "$here/dashboard/dashboard.mjs" \
  || { echo "--- demo"; tail -20 "$work/demo.out"; echo "--- run -f"; tail -20 "$work/files.out"; fail "dashboard checks (screenshots in $artifacts)"; }
pass "dashboard in Chromium: overview, route, example pair, keyboard, rollback, cross-site refusal, restart (screenshots in e2e/artifacts/)"
