-- Shared by the wrk scripts of benchmarks/gateways: seeds each thread differently and prints one machine-readable
-- line at the end: RESULT requests/s p50(µs) p99(µs) non-2xx socket-errors requests.
local counter = 0
setup = function(thread)
  counter = counter + 1
  thread:set("seed", counter)
end
init = function(args)
  math.randomseed(os.time() * 100 + (seed or 0))
end
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local socket = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %.1f %d %d %d %d %d\n", summary.requests / seconds,
    latency:percentile(50), latency:percentile(99), summary.errors.status, socket, summary.requests))
end
