-- wrk script for benchmarks/gateways/run.sh: an OpenAI chat completion whose user text is new on every request,
-- posted to the upstream itself or to Portkey. Extra headers come from the environment: WRK_HEADERS="a: b|c: d".
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer sk-benchmark"
for pair in string.gmatch(os.getenv("WRK_HEADERS") or "", "[^|]+") do
  local name, value = pair:match("^%s*([^:]+):%s*(.-)%s*$")
  if name then wrk.headers[name] = value end
end
local path = os.getenv("WRK_PATH") or "/v1/chat/completions"
local words = {"great","awful","fine","not good","love it","hate","meh","excellent","terrible","but"}
local system = "You classify the sentiment of the user's text. Reply with exactly one JSON object and nothing else: "
  .. "{\\\"sentiment\\\": \\\"positive\\\" | \\\"negative\\\" | \\\"neutral\\\", \\\"confidence\\\": <number from 0 to 1>}"
request = function()
  local t = {}
  for i=1,6 do t[i] = words[math.random(#words)] end
  local text = table.concat(t, " ") .. " " .. math.random(1000000000)
  local body = '{"model":"gpt-4o-mini","temperature":0.0,"max_tokens":20,"messages":[{"role":"system","content":"'
    .. system .. '"},{"role":"user","content":"' .. text .. '"}]}'
  return wrk.format(nil, path, nil, body)
end
dofile(os.getenv("WRK_REPORT"))
