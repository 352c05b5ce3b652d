// bench/sse-streams.js - hold many idle live streams on one node, publish, watch them all.
//
//   node bench/sse-streams.js CONFIG_JSON   (run by bench/streams.sh; prints a JSON result)
//
// CONFIG_JSON: {host, port, cookie, n, concurrency, serverPid, bin, data, member,
//               publishes, openBudgetMs, holdMs, releaseMs}
// 1. opens up to n streams to GET /live (at most `concurrency` opening at once) and counts
//    those that got ": connected"; stops early when errors pile up or openBudgetMs passes;
// 2. reads the server's VmRSS / VmHWM before and with the streams open;
// 3. `publishes` times: runs `ruche debug-publish` (feed.new_posts for the member) and waits
//    until every open stream got that event: time of the first and of the last one;
// 4. holds the streams until the server's next heartbeat (": ping") reached every stream
//    (at most holdMs), probing GET /healthz every 100 ms (8 at once, on 8 keep-alive
//    connections) and opening one new /live stream every 500 ms meanwhile, to see whether
//    the heartbeat over every stream stalls the node;
// 5. closes them all and reads the server's memory and descriptors 3 s later, then waits (at
//    most releaseMs) until the server has let go of their descriptors.
'use strict';
const http = require('http');
const { execFile } = require('child_process');
const { SseStream, now, pct, readMem, sleep } = require('./sse.js');

const cfg = JSON.parse(process.argv[2]);
const res = {
    target: cfg.n, opened: 0, attempted: 0, errors: {}, firstErrorAt: null, stoppedBecause: null,
    serverClosed: {}, publishes: [], heartbeat: null, probes: null,
};
const streams = new Set();
const lastPing = new Map();
let onEvent = () => {};

function countError(why) {
    res.errors[why] = (res.errors[why] || 0) + 1;
    if (res.firstErrorAt === null) res.firstErrorAt = res.opened;
}

function makeStream() {
    const s = new SseStream({
        host: cfg.host, port: cfg.port, cookie: cfg.cookie,
        onEvent: (ev, t) => onEvent(s, ev, t),
        onComment: (c, t) => { if (c === 'ping') lastPing.set(s, t); },
        onClose: (why) => {
            streams.delete(s);
            res.serverClosed[why] = (res.serverClosed[why] || 0) + 1;
        },
    });
    return s;
}

async function openAll() {
    const t0 = now();
    const maxErrors = Math.max(100, Math.floor(cfg.n * 0.02));
    let inflight = 0;
    let stop = false;
    await new Promise((done) => {
        const launch = () => {
            while (!stop && inflight < cfg.concurrency && res.attempted < cfg.n) {
                res.attempted++;
                inflight++;
                const s = makeStream();
                s.open(15000).then(() => {
                    streams.add(s);
                    res.opened++;
                }, (e) => countError(e.message)).finally(() => {
                    inflight--;
                    const errors = Object.values(res.errors).reduce((a, b) => a + b, 0);
                    if (!stop && errors >= maxErrors) { stop = true; res.stoppedBecause = `${errors} errors`; }
                    if (!stop && now() - t0 > cfg.openBudgetMs) {
                        stop = true;
                        res.stoppedBecause = `open budget of ${cfg.openBudgetMs} ms spent`;
                    }
                    if (inflight === 0 && (stop || res.attempted >= cfg.n)) done();
                    else launch();
                });
            }
        };
        launch();
    });
    res.openSeconds = (now() - t0) / 1000;
}

function publish(i) {
    return new Promise((resolve) => {
        const nonce = `${process.pid}-${i}`;
        const expected = streams.size;
        const got = [];
        const seen = new Set();
        let tExit = null;
        let timer = null;
        const t0 = now();
        const finish = () => {
            clearTimeout(timer);
            onEvent = () => {};
            got.sort((a, b) => a - b);
            res.publishes.push({
                expected, received: got.length, processMs: tExit === null ? null : tExit - t0,
                firstMs: got.length ? got[0] - t0 : null, p50Ms: pct(got, 50) === null ? null : pct(got, 50) - t0,
                lastMs: got.length ? got[got.length - 1] - t0 : null,
            });
            resolve();
        };
        onEvent = (s, ev, t) => {
            if (ev.event !== 'feed.new_posts' || seen.has(s)) return;
            let p;
            try { p = JSON.parse(ev.data); } catch { return; }
            if (p.bench !== nonce) return;
            seen.add(s);
            got.push(t);
            if (got.length >= expected) finish();
        };
        timer = setTimeout(finish, 20000);
        execFile(cfg.bin, ['debug-publish', '--data', cfg.data, '--kind', 'feed.new_posts', '--member',
            String(cfg.member), '--payload', JSON.stringify({ count: 1, bench: nonce, t: Math.round(t0) })],
        (err) => {
            tExit = now();
            if (err) { res.publishError = String(err.message).slice(0, 300); finish(); }
        });
    });
}

// Keep-alive connections, as browsers hold them: each stays with one of the server's threads.
const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

function probeHealthz() {
    return new Promise((resolve) => {
        const t0 = now();
        const req = http.get({ host: cfg.host, port: cfg.port, path: '/healthz', agent, timeout: 10000 }, (r) => {
            r.resume();
            r.on('end', () => resolve(r.statusCode === 200 ? now() - t0 : -1));
        });
        req.on('timeout', () => { req.destroy(); resolve(-1); });
        req.on('error', () => resolve(-1));
    });
}

async function probeLive() {
    const t0 = now();
    const s = new SseStream({ host: cfg.host, port: cfg.port, cookie: cfg.cookie });
    try {
        await s.open(10000);
        s.destroy();
        return now() - t0;
    } catch {
        return -1;
    }
}

async function holdThroughHeartbeat() {
    const tH = now();
    const health = [];
    const live = [];
    let running = true;
    const healthLoop = (async () => {
        while (running) {
            health.push(...await Promise.all(Array.from({ length: 8 }, probeHealthz)));
            await sleep(100);
        }
    })();
    const liveLoop = (async () => {
        while (running) { live.push(await probeLive()); await sleep(500); }
    })();
    let waveDone = false;
    while (now() - tH < cfg.holdMs) {
        await sleep(200);
        let n = 0;
        for (const s of streams) if ((lastPing.get(s) || 0) > tH) n++;
        if (streams.size && n === streams.size) { waveDone = true; break; }
    }
    running = false;
    await Promise.all([healthLoop, liveLoop]);
    agent.destroy();
    const pings = [];
    for (const s of streams) { const t = lastPing.get(s) || 0; if (t > tH) pings.push(t); }
    pings.sort((a, b) => a - b);
    res.heartbeat = {
        waitedMs: now() - tH, allReached: waveDone, streams: streams.size, reached: pings.length,
        spreadMs: pings.length ? pings[pings.length - 1] - pings[0] : null,
    };
    const sum = (xs) => {
        const ok = xs.filter((x) => x >= 0).sort((a, b) => a - b);
        return { count: xs.length, failed: xs.length - ok.length, p50Ms: pct(ok, 50), maxMs: ok.length ? ok[ok.length - 1] : null };
    };
    res.probes = { healthz: sum(health), newLive: sum(live) };
}

(async () => {
    res.memBefore = readMem(cfg.serverPid);
    await openAll();
    await sleep(1000);
    res.memOpen = readMem(cfg.serverPid);
    res.stillOpen = streams.size;
    if (streams.size) {
        for (let i = 0; i < cfg.publishes; i++) {
            await publish(i);
            await sleep(500);
        }
        res.memAfterPublish = readMem(cfg.serverPid);
        if (cfg.holdMs > 0) await holdThroughHeartbeat();
    }
    res.openAtEnd = streams.size;
    res.clientRssMiB = process.memoryUsage().rss / 1048576;
    for (const s of streams) s.destroy();
    streams.clear();
    await sleep(3000);
    res.memAfterClose = readMem(cfg.serverPid);
    // A parked stream notices a gone client only when it next writes (an event or the
    // heartbeat): wait for the server's descriptors to come back down.
    const tC = now() - 3000;
    let m = res.memAfterClose;
    while (m.fds !== null && m.fds > res.memBefore.fds + 5 && now() - tC < cfg.releaseMs) {
        await sleep(250);
        m = readMem(cfg.serverPid);
    }
    res.memReleased = m;
    res.releaseMs = m.fds !== null && m.fds <= res.memBefore.fds + 5 ? now() - tC : null;
    process.stdout.write(JSON.stringify(res, null, 1) + '\n');
    process.exit(0);
})().catch((e) => {
    res.fatal = String(e && e.stack || e);
    process.stdout.write(JSON.stringify(res, null, 1) + '\n');
    process.exit(1);
});
