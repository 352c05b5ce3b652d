// bench/sse-delay.js - how long a new post takes to reach a live stream on each node.
//
//   node bench/sse-delay.js CONFIG_JSON   (run by bench/cluster.sh; prints a JSON result)
//
// CONFIG_JSON: {host, cookie, nodes: [{name, port}], postPort, token, count, gapMs, pgUrl}
// Opens one stream to GET /live on each node, signed in as a member (cookie) who follows
// the author of the posts (token: the author's API token).  Then `count` times, one after
// the other: takes t (ms since the epoch), publishes a real post with
// POST /api/v1/posts on the node at postPort (node A), and waits for the "feed.new_posts"
// event carrying that post's id on every stream (5 s at most).  Reported per node:
// received - t (the whole path: HTTP request, the post's transaction, the event row, NOTIFY,
// each node's dispatcher, the stream) and received - created_ms (from the event row's own
// time, whole milliseconds), plus the POST's own response time.  Durations use the monotonic
// clock (performance.now()); what is compared with created_ms uses the wall clock (Date.now(),
// the server's CLOCK_REALTIME), since the two drift apart over a run.
'use strict';
const http = require('http');
const { execFileSync } = require('child_process');
const { SseStream, now, pct, sleep } = require('./sse.js');

const cfg = JSON.parse(process.argv[2]);
const res = { count: cfg.count, nodes: {}, postMs: null, errors: [] };
const recv = {}; // recv[node][post_id] = {t, wall}: time received (monotonic, wall clock)
let want = null; // {id, pending: Set of node names, done}

function summary(xs) {
    const s = xs.filter((x) => x !== null && Number.isFinite(x)).sort((a, b) => a - b);
    return {
        n: s.length, min: s[0] ?? null, p50: pct(s, 50), p90: pct(s, 90), p99: pct(s, 99),
        max: s.length ? s[s.length - 1] : null,
    };
}

// POST /api/v1/posts; resolves with the new post's id (or rejects).
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
function publish(body) {
    return new Promise((resolve, reject) => {
        const data = JSON.stringify({ body });
        const req = http.request({
            host: cfg.host, port: cfg.postPort, path: '/api/v1/posts', method: 'POST', agent,
            headers: {
                'Authorization': `Bearer ${cfg.token}`, 'Content-Type': 'application/json',
                'Content-Length': Buffer.byteLength(data),
            },
        }, (r) => {
            let text = '';
            r.setEncoding('utf8');
            r.on('data', (c) => { text += c; });
            r.on('end', () => {
                if (r.statusCode !== 201) return reject(new Error(`POST answered ${r.statusCode}: ${text.slice(0, 200)}`));
                try { resolve(JSON.parse(text).id); } catch (e) { reject(e); }
            });
        });
        req.setTimeout(5000, () => req.destroy(new Error('POST timed out')));
        req.on('error', reject);
        req.end(data);
    });
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
                if (typeof p.post_id !== 'number' || recv[node.name][p.post_id] !== undefined) return;
                recv[node.name][p.post_id] = { t, wall: Date.now() };
                if (want && want.id === p.post_id) {
                    want.pending.delete(node.name);
                    if (!want.pending.size) want.done();
                }
            },
            onClose: (why) => res.errors.push(`stream on ${node.name} closed: ${why}`),
        });
        await s.open(10000);
        streams.push(s);
    }
    const sent = {}; // post id -> {t, wall}
    const postMs = [];
    for (let i = 0; i < cfg.count; i++) {
        const t = now();
        const wall = Date.now();
        let id;
        try {
            id = await publish(`Mesure du délai de publication n° ${i + 1}. #banc`);
        } catch (e) {
            res.errors.push(`post ${i}: ${String(e.message).slice(0, 200)}`);
            continue;
        }
        postMs.push(now() - t);
        sent[id] = { t, wall };
        const pending = new Set(cfg.nodes.map((n) => n.name).filter((n) => recv[n][id] === undefined));
        if (pending.size) {
            const arrived = new Promise((resolve) => { want = { id, pending, done: resolve }; });
            await Promise.race([arrived, sleep(5000)]);
            want = null;
        }
        await sleep(cfg.gapMs);
    }
    // The event rows' own creation times (the payload names the post).
    const created = {};
    const out = execFileSync('psql', ['-At', '-F', '\t', cfg.pgUrl, '-c',
        "SELECT payload, created_ms FROM live_event WHERE kind = 'feed.new_posts'"], { encoding: 'utf8' });
    for (const line of out.split('\n')) {
        const [payload, ms] = line.split('\t');
        try {
            const p = JSON.parse(payload);
            if (typeof p.post_id === 'number' && sent[p.post_id] !== undefined && created[p.post_id] === undefined) created[p.post_id] = Number(ms);
        } catch { /* other rows */ }
    }
    const ids = Object.keys(sent).map(Number);
    for (const node of cfg.nodes) {
        const r = recv[node.name];
        const fromT = [];
        const fromRow = [];
        let missed = 0;
        for (const id of ids) {
            if (r[id] === undefined) { missed++; continue; }
            fromT.push(r[id].t - sent[id].t);
            if (created[id] !== undefined) fromRow.push(r[id].wall - created[id]);
        }
        res.nodes[node.name] = { received: ids.length - missed, missed, fromPost: summary(fromT), fromRow: summary(fromRow) };
    }
    res.posted = ids.length;
    res.postMs = summary(postMs);
    res.rowAfterPost = summary(ids.filter((id) => created[id] !== undefined).map((id) => created[id] - sent[id].wall));
    for (const s of streams) s.destroy();
    agent.destroy();
    process.stdout.write(JSON.stringify(res, null, 1) + '\n');
    process.exit(0);
})().catch((e) => {
    res.fatal = String(e && e.stack || e);
    process.stdout.write(JSON.stringify(res, null, 1) + '\n');
    process.exit(1);
});
