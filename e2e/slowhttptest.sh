#!/usr/bin/env bash
# End-to-end check of the slow-client limits (docs/hardening.md) with Debian's slowhttptest:
#   -H slow headers (slowloris)  -> closed by --request-headers-timeout (408)
#   -B slow body (R-U-Dead-Yet)  -> closed by --request-body-timeout (408)
#   -X slow read                 -> reset by --response-send-timeout
# The gateway runs with short limits in front of a python3 backend on loopback; while each attack runs, a curl loop
# sends normal requests, which must all succeed. Each attack must see (nearly) all its connections closed by the
# gateway within its timeout plus a margin: read from slowhttptest's CSV (-H, -B) and from the gateway's side of the
# sockets, sampled with ss every second (all three). Exit status 0 only if everything holds.
# Bounded: the whole script runs under `timeout 170`.
#
# Environment:
#   SHADOWGATE_E2E_GATEWAY=cli (default) | testmain   how to start the gateway: `./shadowgate run` (needs the limit
#                                    flags below), or the proxy module's test main (E2eGatewayMain, same YAML)
#   KEEP=1                           keep the work directory (CSV/HTML reports, logs) and print its path
set -euo pipefail
if [ -z "${SLOWHTTP_E2E_INNER:-}" ]; then
  export SLOWHTTP_E2E_INNER=1
  exec timeout --kill-after=10 170 bash "$0" "$@"
fi
here="$(cd "$(dirname "$0")" && pwd)"
top="$(cd "$here/.." && pwd)"
source "$here/lib.sh"

HEADERS_TIMEOUT=2   # --request-headers-timeout
IDLE_TIMEOUT=5      # --idle-timeout
BODY_TIMEOUT=3      # --request-body-timeout
SEND_TIMEOUT=3      # --response-send-timeout
MARGIN=3            # seconds allowed past a timeout before a slow connection must be gone

need_pkg slowhttptest slowhttptest
need_pkg ss iproute2
command -v curl >/dev/null || fail "curl is required"
command -v python3 >/dev/null || fail "python3 is required"

work="$(mktemp -d)"
pids=()
cleanup() {
  touch "$work/stop-probe" 2>/dev/null || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -n "${KEEP:-}" ]; then echo "e2e: reports and logs kept in $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'echo "e2e: interrupted (time bound reached?)" >&2; exit 124' TERM INT

backend_port="$(free_port)"
proxy_port="$(free_port)"
admin_port="$(free_port)"
base="http://127.0.0.1:$proxy_port"

# --- backend: python3 on loopback; GET serves files, POST reads the whole body first (so slow bodies reach the
#     gateway's body timeout instead of an early 501) -----------------------------------------------------------------
mkdir -p "$work/www"
echo "hello from the e2e backend" > "$work/www/index.html"
head -c $((2 * 1024 * 1024)) /dev/zero > "$work/www/big.bin"
cat > "$work/backend.py" <<'PY'
import http.server, os, sys
class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        while n > 0:
            chunk = self.rfile.read(min(n, 65536))
            if not chunk:
                return
            n -= len(chunk)
        body = b"ok\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
os.chdir(sys.argv[2])
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
PY
python3 "$work/backend.py" "$backend_port" "$work/www" >"$work/backend.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$backend_port/index.html" 15 || fail "the python3 backend did not start"

# --- gateway ---------------------------------------------------------------------------------------------------------
cfg="$work/slowhttptest.yaml"
sed "s/__BACKEND_PORT__/$backend_port/" "$here/slowhttptest.yaml" > "$cfg"
limits=(--request-headers-timeout "${HEADERS_TIMEOUT}s" --idle-timeout "${IDLE_TIMEOUT}s"
        --request-body-timeout "${BODY_TIMEOUT}s" --response-send-timeout "${SEND_TIMEOUT}s")
case "${SHADOWGATE_E2E_GATEWAY:-cli}" in
  cli)
    help="$("$top/shadowgate" run --help 2>&1 || true)"
    missing=()
    for flag in --request-headers-timeout --idle-timeout --request-body-timeout --response-send-timeout; do
      grep -q -- "$flag" <<<"$help" || missing+=("$flag")
    done
    [ ${#missing[@]} -eq 0 ] || fail "'shadowgate run' does not accept ${missing[*]} yet (docs/hardening.md lists \
the flags; SHADOWGATE_E2E_GATEWAY=testmain runs the proxy's test main instead)"
    "$top/shadowgate" run -f "$cfg" --listen "127.0.0.1:$proxy_port" --admin "127.0.0.1:$admin_port" "${limits[@]}" \
      >"$work/gateway.log" 2>&1 &
    pids+=($!)
    ;;
  testmain)
    (cd "$top" && ./mvnw -q -B -pl proxy test-compile dependency:build-classpath -Dmdep.includeScope=test \
      -Dmdep.outputFile="$work/classpath.txt") >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; fail "build"; }
    java -cp "$top/proxy/target/test-classes:$top/proxy/target/classes:$(cat "$work/classpath.txt")" \
      io.shadowgate.proxy.hardening.E2eGatewayMain -f "$cfg" --listen "127.0.0.1:$proxy_port" "${limits[@]}" \
      >"$work/gateway.log" 2>&1 &
    pids+=($!)
    ;;
  *) fail "SHADOWGATE_E2E_GATEWAY must be cli or testmain" ;;
esac
wait_http "$base/index.html" 60 || { cat "$work/gateway.log" >&2; fail "the gateway did not come up"; }

# --- normal traffic during the attacks ---------------------------------------------------------------------------------
probe() {
  local ok=0 bad=0 code
  while [ ! -f "$work/stop-probe" ]; do
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$base/index.html" || true)"
    if [ "$code" = 200 ]; then ok=$((ok + 1)); else bad=$((bad + 1)); echo "$(date +%T) probe got '$code'" >>"$work/probe-failures.log"; fi
    sleep 0.2
  done
  echo "$ok $bad" >"$work/probe.result"
}
probe &
probe_pid=$!
pids+=($probe_pid)

# --- the attacks -----------------------------------------------------------------------------------------------------
# check_csv NAME CONNECTIONS DEADLINE: by second DEADLINE of the run at most 5 % of the connections may still be
# open (connected or pending) and at least 90 % must have been closed; a run that ended earlier because "No open
# connections left" passes (the gateway closed every one of them). slowhttptest's own probe must never have found the
# service unavailable. CSV columns (slowhttptest 1.8): Seconds,Closed,Pending,Connected,Service Available (the
# probe's HTTP status, 0 when it got no answer).
check_csv() {
  local name=$1 conns=$2 deadline=$3 csv="$work/$1.csv" log="$work/$1.log"
  [ -s "$csv" ] || { cat "$log" >&2; fail "$name: slowhttptest wrote no CSV"; }
  python3 - "$csv" "$conns" "$deadline" "$name" "$log" <<'PY' || exit 1
import csv, re, sys
path, conns, deadline, name, log = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
rows = [r for r in csv.reader(open(path)) if r and r[0].strip().isdigit()]
if not rows:
    sys.exit(f"e2e FAIL: {name}: no samples in {path}")
text = re.sub(r"\x1b\[[0-9;]*m", "", open(log, errors="replace").read())
ended = re.search(r"Test ended on (\d+)th second", text)
all_closed = "No open connections left" in text
peak = max(int(r[3]) for r in rows)
unavailable = [r[0] for r in rows if len(r) > 4 and r[4].strip() in ("0", "NO")]
if unavailable:
    sys.exit(f"e2e FAIL: {name}: slowhttptest's probe found the service unavailable at seconds {unavailable}")
at = [r for r in rows if int(r[0]) >= deadline]
if not at:
    end = int(ended.group(1)) if ended else int(rows[-1][0])
    print(f"e2e: {name}: peak {peak} connected; run ended at {end}s, all connections closed: {all_closed}")
    if all_closed and end <= deadline:
        sys.exit(0)
    sys.exit(f"e2e FAIL: {name}: the run ended at {end}s without every connection closed by the gateway")
sec, closed, pending, connected = (int(x) for x in at[0][:4])
print(f"e2e: {name}: peak {peak} connected; at {sec}s closed={closed} pending={pending} connected={connected} "
      f"of {conns}")
if connected + pending > conns * 0.05:
    sys.exit(f"e2e FAIL: {name}: {connected + pending} of {conns} slow connections still open at {sec}s "
             f"(deadline {deadline}s)")
if closed < conns * 0.9:
    sys.exit(f"e2e FAIL: {name}: only {closed} of {conns} connections closed by {sec}s")
PY
}

# attack NAME SLOWHTTPTEST-ARGS...: runs slowhttptest (CSV/HTML in the work directory) while sampling, every second,
# how many established connections the gateway's listen port has (the gateway-side oracle).
attack() {
  local name=$1; shift
  slowhttptest "$@" -g -o "$work/$name" -p 2 >"$work/$name.log" 2>&1 &
  local spid=$! t=0
  : >"$work/$name.gw"
  while kill -0 "$spid" 2>/dev/null; do
    echo "$t $(ss -Htn state established "( sport = :$proxy_port )" | wc -l)" >>"$work/$name.gw"
    sleep 1
    t=$((t + 1))
  done
  wait "$spid" || true
}

# check_gateway NAME CONNECTIONS DEADLINE: the attack really held connections open (at least half of them at some
# second), and from second DEADLINE on the gateway had at most 3 established connections left (the curl probe).
check_gateway() {
  local name=$1 conns=$2 deadline=$3
  python3 - "$work/$name.gw" "$conns" "$deadline" "$name" <<'PY' || exit 1
import sys
path, conns, deadline, name = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
samples = [tuple(map(int, line.split())) for line in open(path) if line.strip()]
peak = max((n for _, n in samples), default=0)
late = [(t, n) for t, n in samples if t >= deadline]
print(f"e2e: {name}: gateway side: peak {peak} established; from {deadline}s on: {[n for _, n in late]}")
if peak < conns // 2:
    sys.exit(f"e2e FAIL: {name}: the attack never held {conns // 2} connections (peak {peak})")
if late and max(n for _, n in late) > 3:
    sys.exit(f"e2e FAIL: {name}: {max(n for _, n in late)} connections still established after {deadline}s")
PY
}

# Slowloris: 200 connections opened at 100/s, one more header line every 10 s (the timeout is 2 s).
attack slow_headers -H -c 200 -r 100 -i 10 -x 24 -l 15 -u "$base/index.html"
check_csv slow_headers 200 $((2 + HEADERS_TIMEOUT + MARGIN))
check_gateway slow_headers 200 $((2 + HEADERS_TIMEOUT + MARGIN))

# Slow POST: 100 connections at 50/s announcing 8 KiB, a few bytes every 10 s (the timeout is 3 s).
attack slow_body -B -c 100 -r 50 -i 10 -s 8192 -x 16 -l 15 -u "$base/upload"
check_csv slow_body 100 $((2 + BODY_TIMEOUT + MARGIN))
check_gateway slow_body 100 $((2 + BODY_TIMEOUT + MARGIN))

# Slow read: 50 connections at 25/s asking for 3 x 2 MiB with a 1-4 byte window, reading 1 byte every 2 s. The
# gateway resets them (RST) when they stall longer than the send timeout; slowhttptest 1.8.2 keeps counting reset
# connections as connected in -X mode, so only the gateway-side samples are the oracle here.
attack slow_read -X -c 50 -r 25 -w 1 -y 4 -n 2 -z 1 -k 3 -l 15 -u "$base/big.bin"
check_gateway slow_read 50 $((2 + SEND_TIMEOUT + MARGIN))

# --- normal traffic never suffered -------------------------------------------------------------------------------------
touch "$work/stop-probe"
wait "$probe_pid" 2>/dev/null || true
read -r ok bad <"$work/probe.result"
echo "e2e: normal requests during the attacks: $ok ok, $bad failed"
[ "$ok" -gt 20 ] || fail "too few normal requests completed ($ok)"
[ "$bad" -eq 0 ] || { cat "$work/probe-failures.log" >&2; fail "$bad normal request(s) failed during the attacks"; }
curl -fsS -o /dev/null "$base/index.html" || fail "the gateway does not answer after the attacks"
pass "slowloris, slow body and slow read connections closed within their timeouts; normal traffic unaffected"
