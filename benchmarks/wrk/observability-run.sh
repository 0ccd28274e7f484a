#!/usr/bin/env bash
# The per-request cost of the cloud observability output on the local runner (README "Operating in the cloud"):
# CloudWatch EMF lines and JSON (ECS) log lines, on and off. For each configuration: the runner jar in an empty
# directory, warmed (10 s on 8 connections), then wrk on /sentiment with 32 connections for 20 s; printed: req/s,
# p50/p99, the JVM's CPU time per request (utime+stime from /proc/<pid>/stat: less sensitive than throughput to
# other load on the machine) and the bytes of output per request (what CloudWatch Logs would ingest).
# Needs wrk (Debian package wrk) and a JDK 21+.
#   benchmarks/wrk/observability-run.sh path/to/bulwark.jar [rounds]
set -euo pipefail
jar=$(realpath "$1"); rounds=${2:-1}
here=$(cd "$(dirname "$0")" && pwd)
java="$("$here/../../bin/java-home")/bin/java"
script="$here/sentiment.lua"
port=${PORT:-18086}
tick=$(getconf CLK_TCK)

cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }

run() {
  local name=$1; shift
  local dir; dir=$(mktemp -d)
  (cd "$dir" && exec "$java" -jar "$jar" --server.port="$port" "$@" >"$dir/app.log" 2>&1) &
  local pid=$!
  for _ in $(seq 1 240); do
    curl -s -o /dev/null "http://127.0.0.1:$port/actuator/health" && break
    sleep 0.5
  done
  wrk -t2 -c8 -d10s -s "$script" "http://127.0.0.1:$port" >/dev/null
  local bytes0 ticks0 out ticks1 bytes1 requests
  bytes0=$(stat -c %s "$dir/app.log"); ticks0=$(cpu "$pid")
  out=$(wrk -t2 -c32 -d20s --latency -s "$script" "http://127.0.0.1:$port")
  ticks1=$(cpu "$pid"); bytes1=$(stat -c %s "$dir/app.log")
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  echo "$out" | awk -v n="$name" -v r="$requests" -v t=$((ticks1 - ticks0)) -v hz="$tick" -v b=$((bytes1 - bytes0)) '
    /Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2}
    END {printf "%-10s req/s %9s  p50 %8s  p99 %8s  cpu/request %.3f ms  output/request %.0f B  (%d requests)\n",
         n, rps, p50, p99, t * 1000 / hz / r, b / r, r}'
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
}

for _ in $(seq 1 "$rounds"); do
  run text
  run emf+text --bulwark.metrics.emf.enabled=true
  run json --logging.structured.format.console=ecs
  run emf+json --bulwark.metrics.emf.enabled=true --logging.structured.format.console=ecs
done
