-- wrk script for BENCHMARKS.md "/predict over HTTP": a different penguin each request, so the cache misses.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local n = 0
request = function()
  n = n + 1
  local mass = 3000 + (n % 3000)
  local bill = 35 + (math.floor(n / 3000) % 200) / 10
  local body = string.format('{"island": "Biscoe", "bill_length_mm": %.1f, "bill_depth_mm": 16.0, "flipper_length_mm": 215, "body_mass_g": %d, "sex": "male"}', bill, mass)
  return wrk.format(nil, "/predict", nil, body)
end
