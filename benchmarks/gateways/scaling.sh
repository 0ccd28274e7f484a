#!/usr/bin/env bash
# The scaling curve (BENCHMARKS.md, "Scaling curve"): requests/s and p50/p99 of Bulwark's /sentiment at 1, 8, 32 and
# 128 connections on three paths, in one run: cache hit (16 repeated texts: the exact cache answers), local (no LLM
# configured: a new text each request, answered by the local model) and LLM (router and semantic cache off, a new
# text each request, the zero-cost nginx upstream of run.sh answering as OpenAI would). Writes a table to stdout
# and, with CHART=path.svg, a chart of requests/s and p99 against connections.
#
#   benchmarks/gateways/scaling.sh [path/to/bulwark.jar] [bulwark argument...]
#
# Environment: DURATION (s per run, default 10), WARMUP (default 8), CONNECTIONS (default "1 8 32 128"), CHART.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
jar=$(realpath "${1:-$root/functions/target/bulwark.jar}"); shift || true
duration=${DURATION:-10}; warmup=${WARMUP:-8}; connections=${CONNECTIONS:-"1 8 32 128"}
upstream_port=${UPSTREAM_PORT:-18480}; llm_port=${LLM_PORT:-18485}; local_port=${LOCAL_PORT:-18486}
java="$("$root/bin/java-home")/bin/java"
export WRK_REPORT="$here/report.lua"
command -v wrk >/dev/null || { echo "wrk is missing (Debian package wrk)" >&2; exit 1; }
if ! command -v nginx >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx-light >/dev/null
fi
dir=$(mktemp -d /tmp/scaling.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT
wait_for() {
  for _ in $(seq 1 360); do curl -s -o /dev/null -f -X POST -H 'Content-Type: application/json' -d '{"text":"warm"}' "$1" && return 0; sleep 0.5; done
  echo "no answer at $1" >&2; exit 1
}
mkdir -p "$dir/nginx"
sed -e "s|PORT|$upstream_port|" -e "s|DIR|$dir/nginx|g" "$here/nginx.conf" >"$dir/nginx/nginx.conf"
nginx -c "$dir/nginx/nginx.conf" -p "$dir/nginx" 2>"$dir/nginx/stderr.log" & pids+=($!)
start() { # name, port, argument...
  local name=$1 port=$2; shift 2
  mkdir -p "$dir/$name"
  # shellcheck disable=SC2086
  (cd "$dir/$name" && exec "$java" ${JAVA_OPTS:-} -jar "$jar" --server.port="$port" "$@" >"$dir/$name/app.log" 2>&1) &
  pids+=($!)
}
start llm "$llm_port" --bulwark.llm.base-url="http://127.0.0.1:$upstream_port/v1" --bulwark.llm.api-key=sk-benchmark \
  --bulwark.router.enabled=false --bulwark.cache.semantic.enabled=false "$@"
start local "$local_port" "$@"
wait_for "http://127.0.0.1:$llm_port/sentiment"; wait_for "http://127.0.0.1:$local_port/sentiment"

run() { # connections, seconds, port, script
  local t=1; [ "$1" -ge 2 ] && t=2
  wrk -t"$t" -c"$1" -d"$2s" --latency -s "$here/$4" "http://127.0.0.1:$3" | grep '^RESULT' | cut -d' ' -f2-
}
paths="cache-hit:$llm_port:cachehit.lua local:$local_port:sentiment.lua llm:$llm_port:sentiment.lua"
for p in $paths; do IFS=: read -r name port script <<<"$p"; run 8 "$warmup" "$port" "$script" >/dev/null; done

echo "$(date -u +%FT%TZ) $(nproc) cores; $(basename "$jar"); ${duration} s per run"
printf '%-10s %5s %10s %9s %9s %7s %16s\n' path conns 'req/s' 'p50 ms' 'p99 ms' errors 'load 1/5/15'
results="$dir/results.txt"
# connections outer, paths inner: the three paths of one load run back to back and share the machine's state
for c in $connections; do
  for p in $paths; do
    IFS=: read -r name port script <<<"$p"
    before=$(cut -d' ' -f1-3 /proc/loadavg)
    read -r rps p50 p99 status socket total <<<"$(run "$c" "$duration" "$port" "$script")"
    printf '%-10s %5s %10s %9.3f %9.3f %7s %16s\n' "$name" "$c" "$rps" "$(awk -v x="$p50" 'BEGIN{print x/1000}')" \
      "$(awk -v x="$p99" 'BEGIN{print x/1000}')" "$((status + socket))" "$before"
    echo "$name $c $rps $p50 $p99" >>"$results"
  done
done
[ -n "${CHART:-}" ] && python3 "$here/chart.py" "$results" "$CHART" && echo "chart: $CHART"
exit 0
