#!/usr/bin/env bash
# Side by side on one machine, in one run (BENCHMARKS.md, "Side by side with Portkey"): a zero-cost nginx upstream
# that answers every chat completion like OpenAI, the Portkey gateway (npm @portkey-ai/gateway) in front of it, and
# Bulwark's /sentiment LLM path (router and semantic cache off, a new text each request) in front of it. The same
# wrk loads (1 connection, then 32) run against the upstream alone, Portkey and Bulwark, one after the other per
# load, so the three share the machine's load; it prints requests/s, p50 and p99 and the p50/p99 each gateway adds
# over the upstream alone, the CPU time each gateway's process spent per request (from /proc: less sensitive to other
# load on the machine than throughput), with the load averages.
#
#   benchmarks/gateways/run.sh [path/to/bulwark.jar] [bulwark argument...]
#
# Environment: DURATION (s per measured run, default 20), WARMUP (s per warm-up run, default 10), CONNECTIONS
# (default "1 32"), SYSTEMS (default "upstream portkey bulwark"; upstream first), ROUNDS (default 1: each load's
# runs repeated, interleaved), PORTKEY_VERSION (default 1.15.2), JAVA_OPTS (Bulwark's JVM options), BASELINE_JAR
# (a second Bulwark build measured beside the first as "baseline", same settings), KEEP=1 (keep the scratch
# directory). Needs wrk, node/npm and a JDK 21+; installs nginx with apt-get when it is missing, and Portkey into
# benchmarks/gateways/node_modules (git-ignored).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
jar=$(realpath "${1:-$root/functions/target/bulwark.jar}"); shift || true
duration=${DURATION:-20}; warmup=${WARMUP:-10}; connections=${CONNECTIONS:-"1 32"}; rounds=${ROUNDS:-1}
portkey_version=${PORTKEY_VERSION:-1.15.2}
upstream_port=${UPSTREAM_PORT:-18480}; portkey_port=${PORTKEY_PORT:-18487}; bulwark_port=${BULWARK_PORT:-18485}
java="$("$root/bin/java-home")/bin/java"
export WRK_REPORT="$here/report.lua"

command -v wrk >/dev/null || { echo "wrk is missing (Debian package wrk)" >&2; exit 1; }
command -v npm >/dev/null || { echo "node/npm are missing (Debian packages nodejs npm)" >&2; exit 1; }
if ! command -v nginx >/dev/null; then
  echo "installing nginx (Debian nginx-light)" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx-light >/dev/null
fi
portkey="$here/node_modules/@portkey-ai/gateway/build/start-server.js"
if [ ! -f "$portkey" ] || ! grep -q "\"version\": \"$portkey_version\"" "$here/node_modules/@portkey-ai/gateway/package.json"; then
  echo "installing @portkey-ai/gateway@$portkey_version into $here/node_modules" >&2
  (cd "$here" && npm install --no-save --no-package-lock --no-audit --no-fund "@portkey-ai/gateway@$portkey_version" >/dev/null)
fi

dir=$(mktemp -d /tmp/gateways.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ "${KEEP:-0}" = 1 ] && echo "scratch directory kept: $dir" || rm -rf "$dir"
}
trap cleanup EXIT

wait_for() { # url, what, request...
  local url=$1 what=$2; shift 2
  for _ in $(seq 1 360); do
    curl -s -o /dev/null -f "$@" "$url" && return 0
    sleep 0.5
  done
  echo "$what did not answer at $url (logs in $dir)" >&2; KEEP=1; exit 1
}

systems=${SYSTEMS:-"upstream portkey bulwark"}
has() { case " $systems " in *" $1 "*) return 0;; *) return 1;; esac; }

# 1. The upstream: nginx, one worker, a fixed body.
mkdir -p "$dir/nginx"
sed -e "s|PORT|$upstream_port|" -e "s|DIR|$dir/nginx|g" "$here/nginx.conf" >"$dir/nginx/nginx.conf"
nginx -c "$dir/nginx/nginx.conf" -p "$dir/nginx" 2>"$dir/nginx/stderr.log" &
pids+=($!)
upstream="http://127.0.0.1:$upstream_port"
wait_for "$upstream/v1/chat/completions" nginx -X POST -d '{}'

# 2. Portkey, headless, every request routed to the upstream as a custom OpenAI host.
portkey_headers="x-portkey-provider: openai|x-portkey-custom-host: $upstream/v1"
if has portkey; then
(cd "$dir" && exec node "$portkey" --port="$portkey_port" --headless >"$dir/portkey.log" 2>&1) &
pids+=($!)
portkey_pid=$!
wait_for "http://127.0.0.1:$portkey_port/v1/chat/completions" Portkey -X POST -H 'Content-Type: application/json' \
  -H 'x-portkey-provider: openai' -H "x-portkey-custom-host: $upstream/v1" -H 'Authorization: Bearer sk-benchmark' \
  -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hello"}]}'
fi

# 3. Bulwark: the runner jar in an empty directory, its LLM at the upstream, the router and semantic cache off.
start_bulwark() { # name, jar, port, extra argument...
  local name=$1 jar=$2 port=$3; shift 3
  mkdir -p "$dir/$name"
  # shellcheck disable=SC2086
  (cd "$dir/$name" && exec "$java" ${JAVA_OPTS:-} -jar "$jar" --server.port="$port" \
     --bulwark.llm.base-url="$upstream/v1" --bulwark.llm.api-key=sk-benchmark \
     --bulwark.router.enabled=false --bulwark.cache.semantic.enabled=false "$@" >"$dir/$name/app.log" 2>&1) &
  pids+=($!)
  eval "${name}_pid=$!"
  wait_for "http://127.0.0.1:$port/sentiment" "$name" -X POST -H 'Content-Type: application/json' -d '{"text":"warm"}'
  local answer
  answer=$(curl -s -X POST -H 'Content-Type: application/json' -d '{"text":"is this the llm"}' "http://127.0.0.1:$port/sentiment")
  echo "$name answers: $answer"
  case $answer in *llm-cheap*) ;; *) echo "$name did not answer from the LLM (log: $dir/$name/app.log)" >&2; KEEP=1; exit 1 ;; esac
}
bulwark_pid=; baseline_pid=
if has bulwark; then start_bulwark bulwark "$jar" "$bulwark_port" "$@"; fi
# An optional second build (BASELINE_JAR) with the same settings, measured in the same run as "baseline".
if [ -n "${BASELINE_JAR:-}" ]; then
  systems="$systems baseline"
  start_bulwark baseline "$(realpath "$BASELINE_JAR")" "${BASELINE_PORT:-18486}" "$@"
fi

run() { # name, connections, seconds, url, script
  local name=$1 c=$2 seconds=$3 url=$4 script=$5 threads=1
  [ "$c" -ge 2 ] && threads=2
  WRK_HEADERS=$([ "$name" = portkey ] && echo "$portkey_headers" || true) \
    wrk -t"$threads" -c"$c" -d"${seconds}s" --latency -s "$here/$script" "$url" | grep '^RESULT' | cut -d' ' -f2-
}
url_of() { case $1 in upstream) echo "$upstream";; portkey) echo "http://127.0.0.1:$portkey_port";;
                      bulwark) echo "http://127.0.0.1:$bulwark_port";;
                      baseline) echo "http://127.0.0.1:${BASELINE_PORT:-18486}";; esac; }
script_of() { case $1 in bulwark|baseline) echo sentiment.lua;; *) echo chat.lua;; esac; }

echo "warming up: ${warmup} s on 1 connection and ${warmup} s on 8, each system"
for s in $systems; do
  run "$s" 1 "$warmup" "$(url_of $s)" "$(script_of $s)" >/dev/null
  run "$s" 8 "$warmup" "$(url_of $s)" "$(script_of $s)" >/dev/null
done

load() { cut -d' ' -f1-3 /proc/loadavg; }
# CPU time (user + system, in clock ticks) a gateway's process has used so far; "" for the upstream.
upstream_pid=
ticks() { local p; p=$(eval echo "\${${1}_pid:-}"); if [ -n "$p" ]; then awk '{print $14 + $15}' "/proc/$p/stat"; fi; }
hz=$(getconf CLK_TCK)
echo
echo "$(date -u +%FT%TZ) $(nproc) cores; Bulwark $(basename "$jar"), Portkey $portkey_version, $(nginx -v 2>&1 | cut -d' ' -f3); ${duration} s per run"
printf '%-9s %5s %6s %11s %10s %10s %12s %12s %7s %12s %16s\n' system conns round 'req/s' 'p50 ms' 'p99 ms' 'added p50' 'added p99' errors 'CPU ms/req' 'load 1/5/15'
for c in $connections; do
  for r in $(seq 1 "$rounds"); do
    base50=; base99=
    for s in $systems; do
      before=$(load); t0=$(ticks "$s")
      read -r rps p50 p99 status socket total <<<"$(run "$s" "$c" "$duration" "$(url_of $s)" "$(script_of $s)")"
      t1=$(ticks "$s")
      cpu=$([ -n "$t0" ] && awk -v a="$t0" -v b="$t1" -v n="$total" -v hz="$hz" 'BEGIN{printf "%.3f", (b-a)*1000/hz/n}' || echo -)
      if [ "$s" = upstream ]; then base50=$p50; base99=$p99; add50=-; add99=-; else
        add50=$(awk -v a="$p50" -v b="$base50" 'BEGIN{printf "%.3f", (a-b)/1000}')
        add99=$(awk -v a="$p99" -v b="$base99" 'BEGIN{printf "%.3f", (a-b)/1000}'); fi
      printf '%-9s %5s %6s %11s %10.3f %10.3f %12s %12s %7s %12s %16s\n' "$s" "$c" "$r" "$rps" \
        "$(awk -v x="$p50" 'BEGIN{print x/1000}')" "$(awk -v x="$p99" 'BEGIN{print x/1000}')" "$add50" "$add99" \
        "$((status + socket))" "$cpu" "$before"
    done
  done
done
echo
for name in bulwark baseline; do
  p=$(eval echo "\${${name}_pid}")
  if [ -n "$p" ]; then
    echo "$name: $(ps -o rss= -p "$p" | awk '{printf "%d MiB resident", $1/1024}'), $(ls /proc/"$p"/task | wc -l) threads"
  fi
done
