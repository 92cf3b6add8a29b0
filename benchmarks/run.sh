#!/usr/bin/env bash
# Shadowgate vs NGINX on this machine: installs nginx and wrk from Debian's packages when missing, builds the
# runnable jar and the benchmarks jar when missing or stale, then runs every scenario one after the other and prints
# one table (and appends it, dated, to docs/performance.md). See benchmarks/README.md; `benchmarks/run.sh --help`.
#
#   benchmarks/run.sh                          # everything, ~9 minutes, recorded in docs/performance.md
#   benchmarks/run.sh --no-record --scenarios no-mirror,mirror-100-fast --no-jmh
#   benchmarks/run.sh --profile async          # async-profiler (Maven Central) on Shadowgate's measured windows
#   benchmarks/run.sh --soak                   # adds a 10-minute soak (not part of the default run)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

ASYNC_PROFILER_VERSION=4.2
work="$root/benchmarks/target/bench-run"
args=("$@")
profile=""
skip_build=""
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    --profile) profile="${args[$((i + 1))]:-}" ;;
    --work) work="${args[$((i + 1))]:-$work}" ;;
    --skip-build) skip_build=1 ;;
    -h|--help) help=1 ;;
  esac
done
# --skip-build is ours, not the harness's.
filtered=()
for a in "${args[@]}"; do [ "$a" = "--skip-build" ] || filtered+=("$a"); done

sudo_cmd=""
if [ "$(id -u)" != 0 ]; then sudo_cmd="sudo"; fi
missing=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
if [ ${#missing[@]} -gt 0 ] && [ -z "${help:-}" ]; then
  echo "bench: installing ${missing[*]} from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  if ! $sudo_cmd apt-get install -y --no-install-recommends "${missing[@]}" >&2; then
    $sudo_cmd apt-get update >&2
    $sudo_cmd apt-get install -y --no-install-recommends "${missing[@]}" >&2
  fi
fi
export PATH="$PATH:/usr/sbin:/sbin"

gw_jar="$root/cli/target/shadowgate.jar"
bench_jar="$root/benchmarks/target/benchmarks.jar"
stale=""
if [ -f "$gw_jar" ] && [ -f "$bench_jar" ]; then
  oldest="$gw_jar"; [ "$bench_jar" -ot "$gw_jar" ] && oldest="$bench_jar"
  stale="$(find "$root" -path "$root/*/src/main/*" -newer "$oldest" -type f -print -quit 2>/dev/null || true)"
  [ -z "$stale" ] && stale="$(find "$root" -maxdepth 2 -name pom.xml -newer "$oldest" -print -quit 2>/dev/null || true)"
else
  stale=missing
fi
if [ -n "$stale" ] && [ -z "$skip_build" ]; then
  echo "bench: building shadowgate.jar and benchmarks.jar (./mvnw -pl benchmarks -am package)..." >&2
  ./mvnw -q -B -DskipTests -Dmaven.test.skip=true -pl benchmarks -am package >&2
fi

mkdir -p "$work"
# The run uses a copy: a rebuild of cli/target during the run must not change the binary under test.
cp "$gw_jar" "$work/shadowgate.jar"
cp "$bench_jar" "$work/benchmarks.jar"

extra=()
if [ "${profile%%:*}" = "async" ]; then
  case "$(uname -m)" in
    x86_64) ap_arch=linux-x64 ;;
    aarch64) ap_arch=linux-arm64 ;;
    *) echo "bench: no async-profiler build for $(uname -m)" >&2; exit 2 ;;
  esac
  ap_dir="$root/benchmarks/target/async-profiler"
  if [ ! -f "$ap_dir/$ap_arch/libasyncProfiler.so" ]; then
    echo "bench: fetching tools.profiler:async-profiler:$ASYNC_PROFILER_VERSION from Maven Central" >&2
    ./mvnw -q -B dependency:copy -Dartifact="tools.profiler:async-profiler:$ASYNC_PROFILER_VERSION" \
      -DoutputDirectory="$ap_dir" >&2
    (cd "$ap_dir" && unzip -o -q "async-profiler-$ASYNC_PROFILER_VERSION.jar" "$ap_arch/*")
  fi
  extra+=(--async-profiler-lib "$ap_dir/$ap_arch/libasyncProfiler.so")
fi

# 1,000 client connections plus as many upstream ones per proxy.
ulimit -n 65535 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

exec java -XX:+UseParallelGC -Xmx512m -cp "$work/benchmarks.jar" io.shadowgate.benchmarks.harness.Harness \
  --shadowgate-jar "$work/shadowgate.jar" --bench-jar "$work/benchmarks.jar" --work "$work" \
  --record "$root/docs/performance.md" ${extra[@]+"${extra[@]}"} ${filtered[@]+"${filtered[@]}"}
