// bench/sse-delay.js - how long a published event takes to reach a stream on each node.
//
//   node bench/sse-delay.js CONFIG_JSON   (run by bench/cluster.sh; prints a JSON result)
//
// CONFIG_JSON: {host, cookie, nodes: [{name, port}], bin, data, member, count, gapMs, pgUrl}
// Opens one stream to GET /live on each node, then `count` times, one after the other:
// takes t (ms since the epoch) and spawns `ruche debug-publish --payload {"i":…,"t":t}`
// (a separate process: it connects to the database, INSERTs the row and NOTIFYs), then
// waits for that event on every stream (5 s at most).  Reported per node: received - t,
// and received - created_ms (the row's own time, written by debug-publish just before its
// INSERT, whole milliseconds), plus the debug-publish process time (spawn to exit).
'use strict';
const { execFile, execFileSync } = require('child_process');
const { SseStream, now, pct, sleep } = require('./sse.js');

const cfg = JSON.parse(process.argv[2]);
const res = { count: cfg.count, nodes: {}, processMs: null, errors: [] };
const recv = {}; // recv[node][i] = time received
let want = null; // {i, pending: Set of node names, done}

function summary(xs) {
    const s = xs.filter((x) => x !== null && Number.isFinite(x)).sort((a, b) => a - b);
    return {
        n: s.length, min: s[0] ?? null, p50: pct(s, 50), p90: pct(s, 90), p99: pct(s, 99),
        max: s.length ? s[s.length - 1] : null,
    };
}

(async () => {
    const streams = [];
    for (const node of cfg.nodes) {
        recv[node.name] = {};
        const s = new SseStream({
            host: cfg.host, port: node.port, cookie: cfg.cookie,
            onEvent: (ev, t) => {
                if (ev.event !== 'feed.new_posts') return;
                let p;
                try { p = JSON.parse(ev.data); } catch { return; }
                if (typeof p.i !== 'number' || recv[node.name][p.i] !== undefined) return;
                recv[node.name][p.i] = { t, sent: p.t };
                if (want && want.i === p.i) {
                    want.pending.delete(node.name);
                    if (!want.pending.size) want.done();
                }
            },
            onClose: (why) => res.errors.push(`stream on ${node.name} closed: ${why}`),
        });
        await s.open(10000);
        streams.push(s);
    }
    const spawnT = [];
    const proc = [];
    for (let i = 0; i < cfg.count; i++) {
        const arrived = new Promise((resolve) => {
            want = { i, pending: new Set(cfg.nodes.map((n) => n.name)), done: resolve };
        });
        const t = now();
        spawnT[i] = t;
        const exited = new Promise((resolve) => {
            execFile(cfg.bin, ['debug-publish', '--data', cfg.data, '--kind', 'feed.new_posts', '--member',
                String(cfg.member), '--payload', JSON.stringify({ count: 1, i, t: Number(t.toFixed(3)) })],
            (err) => {
                proc[i] = now() - t;
                if (err) res.errors.push(`publish ${i}: ${String(err.message).slice(0, 200)}`);
                resolve();
            });
        });
        await Promise.all([exited, Promise.race([arrived, sleep(5000)])]);
        want = null;
        await sleep(cfg.gapMs);
    }
    // The rows' own creation times.
    const created = {};
    const out = execFileSync('psql', ['-At', '-F', '\t', cfg.pgUrl, '-c',
        "SELECT payload, created_ms FROM live_event WHERE kind = 'feed.new_posts'"], { encoding: 'utf8' });
    for (const line of out.split('\n')) {
        const [payload, ms] = line.split('\t');
        try { const p = JSON.parse(payload); if (typeof p.i === 'number') created[p.i] = Number(ms); } catch { /* other rows */ }
    }
    for (const node of cfg.nodes) {
        const r = recv[node.name];
        const fromT = [];
        const fromRow = [];
        let missed = 0;
        for (let i = 0; i < cfg.count; i++) {
            if (!r[i]) { missed++; continue; }
            fromT.push(r[i].t - r[i].sent);
            if (created[i] !== undefined) fromRow.push(r[i].t - created[i]);
        }
        res.nodes[node.name] = { received: cfg.count - missed, missed, fromSpawn: summary(fromT), fromRow: summary(fromRow) };
    }
    res.processMs = summary(proc);
    res.rowAfterSpawn = summary(Object.keys(created).map((i) => created[i] - spawnT[i]));
    for (const s of streams) s.destroy();
    process.stdout.write(JSON.stringify(res, null, 1) + '\n');
    process.exit(0);
})().catch((e) => {
    res.fatal = String(e && e.stack || e);
    process.stdout.write(JSON.stringify(res, null, 1) + '\n');
    process.exit(1);
});
