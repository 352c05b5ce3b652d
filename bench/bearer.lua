-- bearer.lua - wrk script: send every request with "Authorization: Bearer $RUCHE_TOKEN"
-- (an API token from POST /api/v1/session), so that wrk measures the API as a client would.
-- Used by bench/directory.sh:  RUCHE_TOKEN=… wrk -s bench/bearer.lua URL

local token = os.getenv("RUCHE_TOKEN")
if token == nil or token == "" then
    error("RUCHE_TOKEN is not set")
end
wrk.headers["Authorization"] = "Bearer " .. token
