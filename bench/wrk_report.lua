-- Sends the bearer token of BENCH_TOKEN with every request (and BENCH_METHOD / BENCH_BODY, a
-- JSON body, when set) and, when the run ends, prints one JSON line the bench parses
-- (latencies in microseconds). Every request is the same one: wrk sends it without calling
-- into Lua per request, so the load generator costs the shared CPU as little as it can.
local token = os.getenv("BENCH_TOKEN")
if token then
  wrk.headers["Authorization"] = "Bearer " .. token
end
wrk.method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
if body then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, ' ..
    '"p90_us": %d, "p99_us": %d, "max_us": %d, "errors_connect": %d, "errors_read": %d, ' ..
    '"errors_write": %d, "errors_status": %d, "errors_timeout": %d}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
