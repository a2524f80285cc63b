-- wrk script: POST the benchmark query (read from the file named by the first script
-- argument) and print a machine-readable summary line for bench/run.py.

local body_file = nil
local prepared = nil
local threads = {}
-- Per thread: requests sent, including those still unanswered when the run ends (the
-- gateway finishes them, and their subgraph calls, after wrk has stopped counting).
sent = 0

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  body_file = args[1]
  local f = assert(io.open(body_file, "rb"), "cannot open the request body file")
  wrk.body = f:read("*a")
  f:close()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Accept"] = "application/json"
  prepared = wrk.format()
end

function request()
  sent = sent + 1
  return prepared
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors
  local all_sent = 0
  for _, thread in ipairs(threads) do
    all_sent = all_sent + thread:get("sent")
  end
  io.write(string.format(
    "BENCH_JSON {\"requests\": %d, \"sent\": %d, \"seconds\": %.3f, \"rps\": %.2f, " ..
    "\"p50_ms\": %.3f, \"p95_ms\": %.3f, \"p99_ms\": %.3f, \"mean_ms\": %.3f, \"max_ms\": %.3f, " ..
    "\"errors_connect\": %d, \"errors_read\": %d, \"errors_write\": %d, " ..
    "\"errors_status\": %d, \"errors_timeout\": %d, \"bytes\": %d}\n",
    summary.requests, all_sent, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.mean / 1000, latency.max / 1000,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout, summary.bytes))
end
