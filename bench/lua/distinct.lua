-- model=auto, every request a different question: the meta-model runs on each (no cache hit).
local words = {"derivative", "integral", "landlord", "deposit", "heap", "thread", "mutex", "tax", "dividend",
  "ibuprofen", "dosage", "contract", "clause", "galaxy", "orbit", "compiler", "kernel", "invoice", "mortgage", "vaccine"}
local counter = 0
local started = 0
function setup(thread)   -- runs in the main state: numbers each thread so their texts never collide
  thread:set("tid", started)
  started = started + 1
end
function request()
  counter = counter + 1
  local n = counter * 16 + (tid or 0)
  local q = string.format("Question %d: how does the %s relate to the %s in case %d?",
    n, words[n % #words + 1], words[math.floor(n / 7) % #words + 1], (n * 7919) % 100000)
  local body = '{"model":"auto","messages":[{"role":"user","content":"' .. q .. '"}]}'
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end
