#!/usr/bin/env bash
# Starts a runner jar in an empty directory, warms it, and runs the BENCHMARKS.md "/sentiment over HTTP" wrk loads
# (1, 8 and 32 connections, 20 s each); then stops it. Needs wrk (Debian package wrk) and a JDK 21+.
#   benchmarks/wrk/sentiment-run.sh NAME path/to/bulwark.jar [app argument...]
# e.g. benchmarks/wrk/sentiment-run.sh after functions/target/bulwark.jar --logging.level.io.bulwark.functions.requests=WARN
set -euo pipefail
name=$1; jar=$(realpath "$2"); shift 2
here=$(cd "$(dirname "$0")" && pwd)
java="$("$here/../../bin/java-home")/bin/java"
script="$here/sentiment.lua"
port=${PORT:-18085}
dir=$(mktemp -d)
(cd "$dir" && exec "$java" -jar "$jar" --server.port="$port" "$@" >"$dir/app.log" 2>&1) &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do
  curl -s -o /dev/null "http://127.0.0.1:$port/actuator/health" && break
  sleep 0.5
done
wrk -t1 -c1 -d10s -s "$script" "http://127.0.0.1:$port" >/dev/null
wrk -t2 -c8 -d10s -s "$script" "http://127.0.0.1:$port" >/dev/null
for c in 1 8 32; do
  threads=$([ "$c" = 1 ] && echo 1 || echo 2)
  echo "== $name, $c connection(s)"
  wrk -t"$threads" -c"$c" -d20s --latency -s "$script" "http://127.0.0.1:$port" | grep -E "Requests/sec|^ +(50|75|90|99)%|Non-2xx|Socket errors"
done
echo "request log lines written: $(grep -c 'function=sentiment' "$dir/app.log" || true) (app log: $dir/app.log)"
