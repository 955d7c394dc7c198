-- wrk script: GET with a bearer token, for tests/bench/api-bench.
--   TOKEN=... WRK_PATH=/locks/lock_a wrk -s get_auth.lua URL
-- WRK_PATH defaults to the path of URL.

local token = os.getenv("TOKEN")
if token == nil or token == "" then
	error("get_auth.lua: set TOKEN")
end

local path = os.getenv("WRK_PATH")
if path ~= nil and path ~= "" then
	wrk.path = path
end

wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. token
