-- wrk script for `earshot serve`: POST /v1/listens with BATCH new events a
-- request (every event id unique across threads and runs), as the provider
-- of TOKEN. Environment: TOKEN (required), BATCH (default 1), DELAY_MS
-- (default 0: as fast as answers come; else each connection pauses this
-- long between requests, which paces the total rate).
-- Prints events/s and latency percentiles of the acknowledgements, and how
-- many answers were not 202.
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  batch = tonumber(os.getenv("BATCH") or "1")
  prefix = string.format("w%d-%d-%d-", id, os.time(), math.floor(os.clock() * 1e6))
  counter = 0
  not_accepted = 0
  delay_ms = tonumber(os.getenv("DELAY_MS") or "0")
  wrk.method = "POST"
  wrk.path = "/v1/listens"
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
  wrk.headers["Content-Type"] = "application/x-ndjson"
end

function request()
  local lines = {}
  for i = 1, batch do
    counter = counter + 1
    lines[i] = '{"id":"' .. prefix .. counter .. '","podcast":"pod-' .. (counter % 2000) ..
               '","episode":"ep-' .. (counter % 40000) .. '","ts":"2025-03-15T12:00:00Z"}'
  end
  return wrk.format(nil, nil, nil, table.concat(lines, "\n") .. "\n")
end

function delay()
  return delay_ms
end

function response(status, headers, body)
  if status ~= 202 then not_accepted = not_accepted + 1 end
end

function done(summary, latency, requests)
  local batch = tonumber(os.getenv("BATCH") or "1")
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + t:get("not_accepted") end
  local seconds = summary.duration / 1e6
  io.write(string.format("requests %d in %.1f s: %.0f requests/s, %.0f events/s durably acknowledged, %d not 202\n",
    summary.requests, seconds, summary.requests / seconds, summary.requests * batch / seconds, bad))
  io.write(string.format("ack latency ms: p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000))
end
