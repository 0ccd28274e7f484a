-- wrk script for BENCHMARKS.md "Over HTTP": every request a new text, so the exact cache misses.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local words = {"great","awful","fine","not good","love it","hate","meh","excellent","terrible","but"}
request = function()
  local t = {}
  for i=1,6 do t[i] = words[math.random(#words)] end
  return wrk.format(nil, "/sentiment", nil, '{"text": "' .. table.concat(t, " ") .. ' ' .. math.random(1000000) .. '"}')
end
