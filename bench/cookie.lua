-- cookie.lua - wrk script: send every request with the Cookie header taken from $RUCHE_COOKIE
-- (for example "ruche_session=…"), so that wrk measures signed-in pages.
-- Used by bench/run.sh:  RUCHE_COOKIE="ruche_session=…" wrk -s bench/cookie.lua URL

local cookie = os.getenv("RUCHE_COOKIE")
if cookie == nil or cookie == "" then
    error("RUCHE_COOKIE is not set")
end
wrk.headers["Cookie"] = cookie
