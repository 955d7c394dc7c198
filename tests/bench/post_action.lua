-- wrk script: POST {"action":"lock"} with a bearer token, for
-- tests/bench/api-bench.
--   TOKEN=... WRK_PATH=/locks/lock_a/actions wrk -s post_action.lua URL
-- WRK_PATH defaults to the path of URL.

local token = os.getenv("TOKEN")
if token == nil or token == "" then
	error("post_action.lua: set TOKEN")
end

local path = os.getenv("WRK_PATH")
if path ~= nil and path ~= "" then
	wrk.path = path
end

wrk.method = "POST"
wrk.body = '{"action":"lock"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token
