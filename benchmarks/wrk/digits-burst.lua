-- wrk script for BENCHMARKS.md "/digits: the burst of seed 004": the PNG bodies of digits.lua, paced.
-- wrk is closed-loop; here each connection waits DIGITS_DELAY_MS (default 200) before each request, so
-- C connections send about C * 1000 / (DIGITS_DELAY_MS + latency) requests a second (100 connections: ~500/s
-- while latencies stay small). If the server slows, the rate falls with it (coordinated omission): compare the
-- achieved rate wrk prints with the target. Prints the count of each HTTP status at the end, 503s apart.
wrk.method = "POST"
wrk.headers["Content-Type"] = "image/png"
local dir = os.getenv("DIGITS_PNGS") or "/tmp/digits-pngs"
local pause = tonumber(os.getenv("DIGITS_DELAY_MS") or "200")
local bodies = {}
local p = io.popen('ls "' .. dir .. '"')
for name in p:lines() do
  if name:match("%.png$") then
    local f = io.open(dir .. "/" .. name, "rb")
    bodies[#bodies + 1] = f:read("*a")
    f:close()
  end
end
p:close()

local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

local n = 0
statuses = {}
retry_after = 0
function init(args)
  n = id * 7919
end

function delay()
  return pause
end

function request()
  n = n + 1
  return wrk.format(nil, "/digits", nil, bodies[(n % #bodies) + 1])
end

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
  if status == 503 and headers["Retry-After"] ~= nil then
    retry_after = retry_after + 1
  end
end

function done(summary, latency, requests)
  local total = {}
  local ra = 0
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    for k, v in pairs(s) do
      total[k] = (total[k] or 0) + v
    end
    ra = ra + t:get("retry_after")
  end
  local keys = {}
  for k in pairs(total) do keys[#keys + 1] = k end
  table.sort(keys)
  for _, k in ipairs(keys) do
    io.write(string.format("status %s: %d\n", k, total[k]))
  end
  io.write(string.format("503 with Retry-After: %d\n", ra))
  io.write(string.format("achieved: %.1f req/s over %.1f s; p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    summary.requests / (summary.duration / 1e6), summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
