-- wrk script for scripts/soak.sh: a mix of what real clients ask (ports, services, searches),
-- conditional requests that must be 304 (If-None-Match with the real ETags), and mistakes
-- (bad ports, unknown services, missing parameters, unknown paths). Each thread stops after its
-- share of the requests; done() prints the answers by status class, and the 5xx count, as
--   statuses 2xx=N 3xx=N 4xx=N 5xx=N other=N
--   errors connect=N read=N write=N timeout=N
--   requests N seconds S p50_ms X p99_ms Y
-- wrk ... -s scripts/wrk/soak.lua URL -- TOTAL THREADS PORTS_ETAG SERVICES_ETAG STOPPED_FILE
-- (wrk runs out its -d even when every thread has stopped: each thread appends a line to
-- STOPPED_FILE as it stops, so the caller can interrupt wrk once all have.)

local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

local quota, answered, sent = 0, 0, 0
counts = { c2 = 0, c3 = 0, c4 = 0, c5 = 0, other = 0 }
local ports_etag, services_etag, stopped_file

local services = { "http", "ssh", "domain", "whois%2B%2B", "cl%2F1", "ntp", "imaps", "x11", "postgresql", "sql%2Anet" }
local searches = { "sql", "web+server", "ftp", "x11", "mail", "sun+ipc", "kerberos", "time" }
local transports = { "tcp", "udp", "sctp", "dccp" }
-- Ports asked for in turn: every system port and 512 spread over the others, 1,024 in all, so
-- the answer cache is warm (and well within its bound) once each has been asked a few times.
local port_count = 1024
local port_turn = 0

function init(args)
    quota = math.floor(tonumber(args[1]) / tonumber(args[2]))
    ports_etag, services_etag, stopped_file = args[3], args[4], args[5]
end

local function next_port()
    port_turn = port_turn + 1
    local turn = port_turn % port_count
    if turn < 512 then return turn end
    return (turn - 512) * 128 + 512
end

function request()
    sent = sent + 1
    local n = sent
    local kind = n % 20
    if kind < 7 then
        return wrk.format("GET", "/ports/" .. next_port())
    elseif kind == 7 then
        return wrk.format("GET", "/ports/" .. next_port() .. "?transport=" .. transports[n % #transports + 1])
    elseif kind == 8 then
        -- (no HEAD: wrk would wait for the body its Content-Length announces)
        return wrk.format("GET", "/ports/" .. next_port() .. "?pretty")
    elseif kind < 11 then
        return wrk.format("GET", "/services/" .. services[n % #services + 1])
    elseif kind == 11 then
        return wrk.format("GET", "/search?q=" .. searches[n % #searches + 1] .. "&limit=" .. (n % 100 + 1))
    elseif kind == 12 then
        return wrk.format("GET", "/ports/600", { ["If-None-Match"] = ports_etag })
    elseif kind == 13 then
        return wrk.format("GET", "/services/http", { ["If-None-Match"] = services_etag })
    elseif kind == 14 then
        return wrk.format("GET", "/ports/" .. (65536 + n % 1000))
    elseif kind == 15 then
        return wrk.format("GET", "/ports/0x" .. n % 65536)
    elseif kind == 16 then
        return wrk.format("GET", "/services/no-such-service-" .. n % 97)
    elseif kind == 17 then
        return wrk.format("GET", "/search?q=")
    elseif kind == 18 then
        return wrk.format("GET", "/no/such/path")
    else
        return wrk.format("GET", "/healthz")
    end
end

function response(status, headers, body)
    answered = answered + 1
    local class = math.floor(status / 100)
    if class >= 2 and class <= 5 then
        counts["c" .. class] = counts["c" .. class] + 1
    else
        counts.other = counts.other + 1
    end
    if answered == quota then
        local file = io.open(stopped_file, "a")
        file:write("stopped\n")
        file:close()
        wrk.thread:stop()
    end
end

function done(summary, latency, requests)
    local total = { c2 = 0, c3 = 0, c4 = 0, c5 = 0, other = 0 }
    for _, thread in ipairs(threads) do
        local thread_counts = thread:get("counts")
        for class, count in pairs(thread_counts) do
            total[class] = total[class] + count
        end
    end
    local errors = summary.errors
    io.write(string.format("statuses 2xx=%d 3xx=%d 4xx=%d 5xx=%d other=%d\n", total.c2, total.c3, total.c4, total.c5, total.other))
    io.write(string.format("errors connect=%d read=%d write=%d timeout=%d\n", errors.connect, errors.read, errors.write, errors.timeout))
    io.write(string.format("requests %d seconds %.2f p50_ms %.3f p99_ms %.3f\n", summary.requests, summary.duration / 1e6,
        latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
