-- A fixed chat request; BODY and extra headers come from the environment (set by run.sh).
wrk.method = "POST"
wrk.body = os.getenv("BODY")
wrk.headers["Content-Type"] = "application/json"
local extra = os.getenv("HEADERS") or ""
for name, value in string.gmatch(extra, "([^:;]+):([^;]+)") do wrk.headers[name] = value end
