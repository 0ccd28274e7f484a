-- wrk script for BENCHMARKS.md "/digits over HTTP": real PNG bodies (held-out MNIST digits drawn dark on white,
-- 84 x 84, written by io.bulwark.tools.digits.HeldOutPngs into $DIGITS_PNGS), a different one each request.
wrk.method = "POST"
wrk.headers["Content-Type"] = "image/png"
local dir = os.getenv("DIGITS_PNGS") or "/tmp/digits-pngs"
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
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, "/digits", nil, bodies[(n % #bodies) + 1])
end
