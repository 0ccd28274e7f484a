-- wrk script for benchmarks/gateways/scaling.sh: Bulwark's /sentiment with one of 16 fixed texts, so that after the
-- first few requests every answer comes from the exact cache.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  return wrk.format(nil, "/sentiment", nil, '{"text": "the same review, number ' .. math.random(16) .. ', again"}')
end
dofile(os.getenv("WRK_REPORT"))
