# Shared helpers for the end-to-end suites (sourced, not run).

# A free TCP port on 127.0.0.1.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Installs Debian packages when their command is missing: need_pkg COMMAND PACKAGE.
need_pkg() {
  if ! command -v "$1" >/dev/null 2>&1; then
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "e2e: installing $2 from Debian" >&2
    $sudo apt-get install -y "$2" >/dev/null 2>&1 || { $sudo apt-get update >/dev/null 2>&1 && $sudo apt-get install -y "$2" >/dev/null; }
  fi
}

# Waits until URL answers 200, at most SECONDS: wait_http URL SECONDS.
wait_http() {
  local url=$1 deadline=$((SECONDS + $2))
  until curl -fsS -o /dev/null "$url" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then echo "e2e: $url did not come up within $2 s" >&2; return 1; fi
    sleep 0.5
  done
}

# The runnable jar, built once.
shadowgate_jar() {
  local top; top="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  if [ ! -f "$top/cli/target/shadowgate.jar" ]; then
    (cd "$top" && ./mvnw -q -B -DskipTests -Dmaven.test.skip=true -pl cli -am install) >&2
  fi
  echo "$top/cli/target/shadowgate.jar"
}

fail() { echo "e2e FAIL: $*" >&2; exit 1; }
pass() { echo "e2e ok: $*"; }
