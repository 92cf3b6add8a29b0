#!/usr/bin/env bash
# End-to-end check of the README's first command: the launcher starts the demo, the built-in v1/v2 backends answer
# through the gateway, and the comparison finds v2's real difference.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh"
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
timeout 180 "$here/../shadowgate" demo --exit --listen 127.0.0.1:0 --admin 127.0.0.1:0 --access-log off \
  >"$out" 2>&1 || { cat "$out"; fail "./shadowgate demo exited with an error"; }
grep -q "200 of 200 answered by v1" "$out" || { cat "$out"; fail "the demo's requests did not all succeed"; }
for field in '\$.price' '\$.inStock' '\$.available'; do
  grep -E "^  v2 matches v1" "$out" | grep -q "$field" || { cat "$out"; fail "the verdict does not name $field"; }
done
if grep -E "^  v2 matches v1" "$out" | grep -q 'generatedAt'; then cat "$out"; fail "the verdict reports the noisy timestamp"; fi
pass "./shadowgate demo: v1 answered, v2 mirrored, verdict names the real difference only"
