#!/usr/bin/env bash
# The seed mix at a target rate over HTTP (issue 18 item 4): a fresh runner, warmed 20 s at 50 req/s, then the chaos
# command's load mode at RATE req/s for DURATION against it; the report goes to target/chaos-load/. Self-contained:
#   benchmarks/load/run.sh 1000 60s            # the slo500 latency profile (functions/.../application-slo500.properties)
#   PROFILE=none benchmarks/load/run.sh 250 60s  # the defaults (2 s deadline), as the earlier rows
# Uses functions/target/bulwark.jar (bin/run --help builds it). Ports: RUNNER_PORT (18610) and LLM_PORT (18619);
# WARM=steady warms without faults; CONNECTIONS sets the sender's keep-alive connections (default 256). Everything runs under nice -n 10 (the machine may be shared); prints the load
# average before and after. Extra arguments go to the runner (e.g. --spring.threads.virtual.enabled=true).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rate=${1:?usage: run.sh RATE [DURATION] [runner args...]}
duration=${2:-60s}
shift $(( $# >= 2 ? 2 : 1 ))
profile=${PROFILE:-slo500}
runner_port=${RUNNER_PORT:-18610}
llm_port=${LLM_PORT:-18619}
warm=${WARM:-flaky-mix}
java="$("$root/bin/java-home")/bin/java"
jar="$root/functions/target/bulwark.jar"
out="$root/target/chaos-load"
mkdir -p "$out"
[ -f "$jar" ] || { echo "run.sh: $jar is missing: build it with bin/run --help" >&2; exit 1; }
export BULWARK_ADMIN_TOKEN=${BULWARK_ADMIN_TOKEN:-load-run-token}
args=(--server.port="$runner_port" --bulwark.llm.base-url="http://127.0.0.1:$llm_port/v1" --bulwark.router.enabled=false
      --logging.level.io.bulwark.functions.requests=WARN)
[ "$profile" = none ] || args+=(--spring.profiles.active="$profile")
name="r${rate}-${profile}"
nice -n 10 "$java" -jar "$jar" "${args[@]}" "$@" > "$out/$name-runner.log" 2>&1 &
runner=$!
trap 'kill $runner 2>/dev/null; wait $runner 2>/dev/null || true' EXIT
for _ in $(seq 1 180); do
  curl -sf -o /dev/null "http://127.0.0.1:$runner_port/actuator/health" && break
  kill -0 $runner 2>/dev/null || { echo "run.sh: the runner died; see $out/$name-runner.log" >&2; exit 1; }
  sleep 1
done
echo "runner: ${args[*]} $*"
echo "warm-up: $warm at 50 req/s for 20 s; load average $(cut -d' ' -f1-3 /proc/loadavg)"
nice -n 10 "$java" -jar "$jar" chaos --scenario "$warm" --seed 42 --rate 50 --duration 20s \
  --target "http://127.0.0.1:$runner_port" --llm-port "$llm_port" --report "$out/$name-warm.md" > /dev/null 2>&1 || true
cpu() { awk '{printf "%.2f", ($14 + $15) / 100}' "/proc/$runner/stat"; } # utime + stime, clock ticks of 1/100 s
echo "run: flaky-mix at $rate req/s for $duration; load average before $(cut -d' ' -f1-3 /proc/loadavg)"
before=$(cpu)
status=0
/usr/bin/time -f "the sender's JVM (the chaos command, fake LLM included): %U s user + %S s system CPU in %e s" \
  nice -n 10 "$java" -jar "$jar" chaos --scenario flaky-mix --seed 42 --rate "$rate" --duration "$duration" \
  --target "http://127.0.0.1:$runner_port" --llm-port "$llm_port" --connections "${CONNECTIONS:-256}" \
  --report "$out/$name.md" || status=$?
after=$(cpu)
echo "the runner's CPU during the run (its draining and the metric reads included): $before s -> $after s"
echo "load average after $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
