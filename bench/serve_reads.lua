-- wrk script for `earshot serve`: GET /v1/podcasts/{id}/estimates for ids
-- taken in turn from the file PODCASTS (one id a line), each connection
-- pausing DELAY_MS between requests so the total rate is about
-- connections * 1000 / (DELAY_MS + latency). TOKEN (optional): a read token.
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  ids = {}
  for line in io.lines(os.getenv("PODCASTS")) do table.insert(ids, line) end
  next_id = (id * 7919) % #ids
  delay_ms = tonumber(os.getenv("DELAY_MS") or "0")
  not_ok = 0
  local token = os.getenv("TOKEN")
  if token and token ~= "" then wrk.headers["Authorization"] = "Bearer " .. token end
end

function request()
  next_id = next_id % #ids + 1
  return wrk.format("GET", "/v1/podcasts/" .. ids[next_id] .. "/estimates?from=2025-01&to=2025-12")
end

function delay()
  return delay_ms
end

function response(status, headers, body)
  if status ~= 200 then not_ok = not_ok + 1 end
end

function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + t:get("not_ok") end
  local seconds = summary.duration / 1e6
  io.write(string.format("requests %d in %.1f s: %.0f requests/s, %d not 200\n",
    summary.requests, seconds, summary.requests / seconds, bad))
  io.write(string.format("latency ms: p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000))
end
