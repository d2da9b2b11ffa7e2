-- Like wrk_report.lua, but each request is the next line of the file BENCH_REQUESTS
-- ("path<TAB>JSON body", the body optional): writes that must each touch another task.
-- The lines are dealt out between wrk's BENCH_THREADS threads, so no two threads send the same
-- one; a thread that has sent all of its lines starts over (a write that can happen only once
-- then answers 409, which the run counts as a failed request).
dofile(os.getenv("BENCH_LUA_DIR") .. "/wrk_report.lua")

local threads = tonumber(os.getenv("BENCH_THREADS") or "1")
local dealt = 0

function setup(thread)
  thread:set("index", dealt)
  dealt = dealt + 1
end

local prepared = {}
local position = 0

function init(args)
  local number = 0
  for line in io.lines(os.getenv("BENCH_REQUESTS")) do
    if number % threads == index then
      local path, body = line:match("^([^\t]*)\t?(.*)$")
      local headers = nil
      if body == "" then
        body = nil
      else
        headers = { ["Content-Type"] = "application/json" }
        for name, value in pairs(wrk.headers) do headers[name] = value end
      end
      prepared[#prepared + 1] = wrk.format(nil, path, headers, body)
    end
    number = number + 1
  end
end

function request()
  position = position % #prepared + 1
  return prepared[position]
end
