-- wrk script for benchmarks/gateways/run.sh: Bulwark's /sentiment with a new text on every request (so the exact
-- cache misses and, with the router and the semantic cache off, every request is an LLM call).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local words = {"great","awful","fine","not good","love it","hate","meh","excellent","terrible","but"}
request = function()
  local t = {}
  for i=1,6 do t[i] = words[math.random(#words)] end
  return wrk.format(nil, "/sentiment", nil, '{"text": "' .. table.concat(t, " ") .. ' ' .. math.random(1000000000) .. '"}')
end
dofile(os.getenv("WRK_REPORT"))
