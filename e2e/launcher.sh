#!/usr/bin/env bash
# End-to-end check of the README's first command: the launcher starts the demo, the built-in v1/v2 backends answer
# through the gateway, and the comparison finds v2's real differences — exactly them, never the noisy timestamp — on
# every run (the demo is run several times: the verdict must not depend on timing).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh"
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
runs="${DEMO_RUNS:-3}"
for run in $(seq 1 "$runs"); do
  timeout 180 "$here/../shadowgate" demo --exit --listen 127.0.0.1:0 --admin 127.0.0.1:0 --access-log off \
    >"$out" 2>&1 || { cat "$out"; fail "run $run: ./shadowgate demo exited with an error"; }
  grep -q "200 of 200 answered by v1" "$out" || { cat "$out"; fail "run $run: the demo's requests did not all succeed"; }
  verdict="$(grep -E "^  v2 matches v1" "$out" | head -1)"
  [ -n "$verdict" ] || { cat "$out"; fail "run $run: no verdict line"; }
  grep -q "FAIL$" <<<"$(grep -B1 -E "^  v2 matches v1" "$out" | head -1)" \
    || { cat "$out"; fail "run $run: the route's verdict is not FAIL"; }
  # The fields the verdict names: "$.x (description...)" after "N fields differ: ".
  named="$(sed -E 's/.*fields? differs?: //' <<<"$verdict" | grep -oE '(^|, )\$\.[A-Za-z]+ \(' \
    | sed -E 's/^, //; s/ \($//' | sort | tr '\n' ' ')"
  [ "$named" = '$.available $.inStock $.price ' ] \
    || { cat "$out"; fail "run $run: the verdict names [$named], expected exactly \$.available \$.inStock \$.price"; }
  if grep -q 'generatedAt' <<<"$verdict"; then cat "$out"; fail "run $run: the verdict reports the noisy timestamp"; fi
  grep -qE '^\$\.generatedAt .* noise ' "$out" || { cat "$out"; fail "run $run: \$.generatedAt is not decided noise"; }
done
pass "./shadowgate demo ($runs runs): v1 answered, v2 mirrored, the verdict names exactly v2's real differences"
