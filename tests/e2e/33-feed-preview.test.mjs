/*
 * 33-feed-preview: previews of shared links, fetched by the server in a background job.
 *
 * A tiny origin server on 127.0.0.1 serves pages with Open Graph tags and an image, and a few
 * bad citizens: redirect loops, a redirect to "localhost", a page without a title, hostile
 * tags, bodies that never end, and (a second listener) a socket that accepts and says nothing.
 *
 * With the default configuration every 127.0.0.1 link is refused by the address guard before
 * any connection: the post is published, no card, and the origin sees no request at all.  An
 * instance whose ruche.conf says `preview_allow_hosts = 127.0.0.1` shows the card (title,
 * description, site, thumbnail re-encoded as a small JPEG served only to readers of the post),
 * follows at most 3 redirects, each checked again (a redirect to "localhost" is refused), stops
 * reading a huge page after 1 MB, and gives up on a silent server after its time-out, while
 * publishing and browsing never wait.  Jobs run every ~2 s: the tests poll, with bounds, and
 * never assert on time.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { startServer } from './lib/server.mjs';
import { signIn, apiToken, Client } from './lib/client.mjs';
import { makePng } from './lib/images.mjs';

const PW = 'correct-horse-1';
const ALICE = { email: 'alice@example.test', name: 'Alice Durand', password: PW };
const BRUNO = { email: 'bruno@example.test', name: 'Bruno Petit', password: PW };
const GUS = { email: 'gus@example.test', name: 'Gus Externe', password: PW, role: 'guest' };

const WAIT_MS = Number(process.env.RUCHE_PREVIEW_WAIT_MS || 40000);
const HUGE_LIMIT = 256 * 1024 * 1024; /* the origin stops by itself past this */
const TITLE = 'Veille : l\'IA & <les> "PME" de Lyon';
const IMAGE = makePng(800, 420);

/* ---- the origin server ---------------------------------------------------------------------- */

const seen = []; /* {path, host, ua} of every request the origin received */
const huge = {}; /* path -> {sent, closed} */
let origin; /* http.Server */
let silent; /* net.Server that never answers */
const silentSockets = [];
let base; /* http://127.0.0.1:PORT */
let silentUrl;

function page({ title, ogTitle, description, site, image, extra = '' }) {
    return (
        '<!doctype html><html lang="fr"><head><meta charset="utf-8">' +
        (title ? `<title>${title}</title>` : '') +
        (ogTitle ? `<meta property="og:title" content="${ogTitle}">` : '') +
        (description ? `<meta property="og:description" content="${description}">` : '') +
        (site ? `<meta property="og:site_name" content="${site}">` : '') +
        (image ? `<meta property="og:image" content="${image}">` : '') +
        `${extra}</head><body><p>Article.</p></body></html>`
    );
}

const escAttr = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function stream(req, res, path, head) {
    const state = { sent: 0, closed: false };
    huge[path] = state;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    const chunk = Buffer.alloc(64 * 1024, 'x');
    res.on('close', () => (state.closed = true));
    const pump = () => {
        if (state.sent === 0 && head) {
            res.write(head);
            state.sent += head.length;
        }
        while (!state.closed && state.sent < HUGE_LIMIT) {
            state.sent += chunk.length;
            if (!res.write(chunk)) return res.once('drain', pump);
        }
        if (!state.closed) res.end();
    };
    pump();
}

function handle(req, res) {
    const u = new URL(req.url, 'http://x');
    seen.push({ path: u.pathname, host: req.headers.host, ua: req.headers['user-agent'] });
    const html = (body) => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(body);
    };
    const redirect = (to) => {
        res.writeHead(302, { location: to });
        res.end();
    };
    const m = u.pathname.match(/^\/loop\/(\d+)$/);
    if (m) return redirect(`/loop/${Number(m[1]) + 1}`);
    switch (u.pathname) {
        case '/page':
        case '/page-default':
            return html(
                page({
                    title: 'Titre du document',
                    ogTitle: escAttr(TITLE),
                    description: 'Comment les petites entreprises lyonnaises adoptent les outils.',
                    site: 'Le Journal',
                    image: '/image.png',
                }),
            );
        case '/image.png':
            res.writeHead(200, { 'content-type': 'image/png', 'content-length': IMAGE.length });
            return res.end(IMAGE);
        case '/redirect':
            return redirect('/after');
        case '/after':
            return html(page({ title: 'Après redirection' }));
        case '/to-localhost':
            return redirect(`http://localhost:${origin.address().port}/page`);
        case '/notitle':
            return html('<html><body><h1>Pas de balise title</h1></body></html>');
        case '/hostile':
            return html(
                page({
                    ogTitle: escAttr('<script>alert(1)</script><img src=x onerror=alert(2)>'),
                    description: escAttr('"><svg onload=alert(3)>'),
                    image: 'javascript:alert(4)',
                }),
            );
        case '/image-refused':
            return html(page({ title: 'Image interdite', image: `http://localhost:${origin.address().port}/image.png` }));
        case '/huge':
            return stream(req, res, u.pathname, '');
        case '/huge-titled':
            return stream(req, res, u.pathname, '<html><head><title>Un très long article</title></head><body>');
        case '/json':
            res.writeHead(200, { 'content-type': 'application/json' });
            return res.end('{"title":"pas une page"}');
        default:
            res.writeHead(404, { 'content-type': 'text/plain' });
            return res.end('not found');
    }
}

/* ---- helpers ---------------------------------------------------------------------------------- */

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what, fn, timeoutMs = WAIT_MS) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const v = await fn();
        if (v) return v;
        if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
        await sleep(200);
    }
}

function api(srv, token, path, opts = {}) {
    return new Client(srv.url).json(path, { ...opts, headers: { authorization: `Bearer ${token}`, ...(opts.headers || {}) } });
}

async function publish(srv, token, body) {
    const res = await api(srv, token, '/api/v1/posts', { method: 'POST', body: { body } });
    assert.equal(res.status, 201, `publish: ${res.body_text.slice(0, 300)}`);
    return res.json_body.id;
}

/* The log lines of srv about the preview of url: 'ready', 'failed' (with the error) or null. */
function outcome(srv, url) {
    for (const line of srv.logs().split('\n')) {
        if (!line.includes(`url=${url}`) && !line.includes(`url="${url}"`)) continue;
        if (line.includes('msg="link preview ready"')) return { state: 'ready', line };
        if (line.includes('msg="link preview failed"') && line.includes('retry=no')) return { state: 'failed', line };
    }
    return null;
}

function waitOutcome(srv, url) {
    return waitFor(`the preview job of ${url}`, () => outcome(srv, url));
}

function decode(s) {
    return s
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&#0*39;|&#x0*27;|&apos;/gi, "'")
        .replace(/&amp;/g, '&');
}

/* The link card of a post page: {html, title, href, img} or null. */
function card(html) {
    const m = html.match(/<aside class="link-card[^"]*"[^>]*>([\s\S]*?)<\/aside>/);
    if (!m) return null;
    const a = m[1].match(/<a class="link-card-title"([^>]*)>([\s\S]*?)<\/a>/);
    const img = m[1].match(/<img class="link-card-image"[^>]*\bsrc="([^"]*)"/);
    return {
        html: m[0],
        title: a ? decode(a[2]) : null,
        href: a ? decode((a[1].match(/href="([^"]*)"/) || [])[1] || '') : null,
        rel: a ? (a[1].match(/rel="([^"]*)"/) || [])[1] : null,
        img: img ? decode(img[1]) : null,
    };
}

/* Width and height of a JPEG from its first SOFn segment. */
function jpegSize(buf) {
    assert.equal(buf[0], 0xff);
    assert.equal(buf[1], 0xd8);
    let i = 2;
    while (i + 9 < buf.length) {
        assert.equal(buf[i], 0xff, 'JPEG marker expected');
        const m = buf[i + 1];
        const len = buf.readUInt16BE(i + 2);
        if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc)
            return { height: buf.readUInt16BE(i + 5), width: buf.readUInt16BE(i + 7) };
        i += 2 + len;
    }
    throw new Error('no SOF in JPEG');
}

/* Markers of the JPEG segments before the image data (APPn, COM...). */
function jpegMarkers(buf) {
    const out = [];
    let i = 2;
    while (i + 4 <= buf.length && buf[i] === 0xff && buf[i + 1] !== 0xda) {
        out.push(buf[i + 1]);
        i += 2 + buf.readUInt16BE(i + 2);
    }
    return out;
}

before(async () => {
    origin = http.createServer(handle);
    await new Promise((r) => origin.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${origin.address().port}`;
    silent = net.createServer((sock) => {
        silentSockets.push(sock);
        sock.on('error', () => {});
    });
    await new Promise((r) => silent.listen(0, '127.0.0.1', r));
    silentUrl = `http://127.0.0.1:${silent.address().port}/article`;
});

after(async () => {
    for (const s of silentSockets) s.destroy();
    origin?.closeAllConnections?.();
    await new Promise((r) => (origin ? origin.close(r) : r()));
    await new Promise((r) => (silent ? silent.close(r) : r()));
});

/* ---- the default configuration: loopback refused ---------------------------------------------- */

test('by default a 127.0.0.1, localhost or [::1] link is refused before any connection', async () => {
    const srv = await startServer({ users: [ALICE] });
    try {
        const token = await apiToken(srv.url, ALICE.email, ALICE.password);
        const { client } = await signIn(srv.url, ALICE.email, ALICE.password);
        const port = origin.address().port;
        const urls = [`${base}/page-default`, `http://localhost:${port}/page-default`, `http://[::1]:${port}/page-default`];
        const before = seen.length;
        const ids = [];
        for (const url of urls) ids.push(await publish(srv, token, `À lire : <${url}>`));
        for (const url of urls) {
            const o = await waitOutcome(srv, url);
            assert.equal(o.state, 'failed', o.line);
            assert.match(o.line, /address refused: loopback/);
        }
        assert.equal(seen.length, before, 'the origin must not have been contacted');
        for (const id of ids) {
            const res = await client.get(`/posts/${id}`);
            assert.equal(res.status, 200);
            assert.ok(res.body_text.includes('page-default'), 'the post is published with its link');
            assert.equal(card(res.body_text), null, 'no preview card');
            const one = await api(srv, token, `/api/v1/posts/${id}`);
            assert.equal(one.status, 200);
            assert.equal(one.json_body.link, null);
            assert.equal((await client.get(`/posts/${id}/preview`)).status, 404);
        }
    } finally {
        await srv.stopChecked();
    }
});

/* ---- an instance that allows 127.0.0.1 ----------------------------------------------------------- */

let srv;
let token;
const c = {};
let firstId; /* the post whose card has an image */

async function published(url, text = 'Veille du jour') {
    const id = await publish(srv, token, `${text} : <${url}>`);
    const o = await waitOutcome(srv, url);
    const res = await c.alice.get(`/posts/${id}`);
    assert.equal(res.status, 200);
    return { id, outcome: o, html: res.body_text, card: card(res.body_text) };
}

test('an allowed host gets a card: title, description, site and a small JPEG', async () => {
    srv = await startServer({ users: [ALICE, BRUNO, GUS], config: ['preview_allow_hosts = 127.0.0.1'] });
    token = await apiToken(srv.url, ALICE.email, ALICE.password);
    for (const [k, u] of [['alice', ALICE], ['bruno', BRUNO], ['gus', GUS]]) c[k] = (await signIn(srv.url, u.email, u.password)).client;

    const url = `${base}/page`;
    const p = await published(url);
    assert.equal(p.outcome.state, 'ready', p.outcome.line);
    assert.match(p.outcome.line, /image=yes/);
    assert.ok(p.card, 'the post page shows a card');
    assert.equal(p.card.title, TITLE);
    assert.equal(p.card.href, url);
    assert.match(p.card.rel, /noopener/);
    assert.ok(!p.card.html.includes('<les>'), 'the title is escaped');
    assert.ok(p.card.html.includes('Comment les petites entreprises lyonnaises adoptent les outils.'));
    assert.ok(p.card.html.includes('Le Journal'));
    assert.equal(p.card.img, `/posts/${p.id}/preview`);
    firstId = p.id;

    const one = await api(srv, token, `/api/v1/posts/${p.id}`);
    assert.equal(one.json_body.link.title, TITLE);
    assert.equal(one.json_body.link.url, url);
    assert.equal(one.json_body.link.site_name, 'Le Journal');

    const pageHit = seen.find((s) => s.path === '/page');
    const imageHit = seen.find((s) => s.path === '/image.png');
    assert.ok(pageHit && imageHit, 'the page and its image were fetched');
    assert.equal(pageHit.ua, 'Ruche link preview');
    assert.equal(imageHit.ua, 'Ruche link preview');

    const img = await c.bruno.get(p.card.img);
    assert.equal(img.status, 200);
    assert.equal(img.headers.get('content-type'), 'image/jpeg');
    const bytes = Buffer.from(await (await fetch(new URL(p.card.img, srv.url), { headers: { cookie: c.bruno.cookieHeader() } })).arrayBuffer());
    const size = jpegSize(bytes);
    assert.ok(size.width <= 400 && size.height <= 210, `thumbnail ${size.width}x${size.height}`);
    assert.equal(size.width, 400); /* 800x420 scaled into 400x210 keeps its shape */
    assert.equal(size.height, 210);
    for (const m of jpegMarkers(bytes)) assert.ok(m !== 0xfe && (m < 0xe1 || m > 0xef), `metadata segment 0x${m.toString(16)}`);
    const etag = img.headers.get('etag');
    assert.ok(etag);
    assert.equal((await c.bruno.get(p.card.img, { headers: { 'if-none-match': etag } })).status, 304);

    /* Another post of the same link shares the preview at once, without a new fetch. */
    const again = await publish(srv, token, `Je relaie : <${url}>`);
    const shared = card((await c.bruno.get(`/posts/${again}`)).body_text);
    assert.equal(shared?.title, TITLE);
    assert.equal(shared.img, `/posts/${again}/preview`);
});

test('the preview image is served only to those who may read the post', async () => {
    const id = firstId;
    assert.ok(id > 0);
    assert.equal((await c.alice.get(`/posts/${id}/preview`)).status, 200);
    assert.equal((await c.gus.get(`/posts/${id}/preview`)).status, 404, 'a guest may not read profile posts');
    const anon = await new Client(srv.url).get(`/posts/${id}/preview`);
    assert.notEqual(anon.status, 200);
    assert.equal((await c.alice.get(`/posts/999999/preview`)).status, 404);
    assert.equal((await c.alice.get(`/posts/abc/preview`)).status, 404);
});

test('redirects are followed, at most 3, and each new host is checked again', async () => {
    const r = await published(`${base}/redirect`);
    assert.equal(r.outcome.state, 'ready', r.outcome.line);
    assert.equal(r.card.title, 'Après redirection');

    const loopsBefore = seen.filter((s) => s.path.startsWith('/loop/')).length;
    const l = await published(`${base}/loop/0`);
    assert.equal(l.outcome.state, 'failed');
    assert.match(l.outcome.line, /too many redirects/);
    assert.equal(l.card, null);
    assert.equal(seen.filter((s) => s.path.startsWith('/loop/')).length - loopsBefore, 4, 'the first request and 3 redirects');

    const t = await published(`${base}/to-localhost`);
    assert.equal(t.outcome.state, 'failed');
    assert.match(t.outcome.line, /address refused: loopback/);
    assert.equal(t.card, null);
    assert.ok(!seen.some((s) => s.host?.startsWith('localhost')), 'nothing fetched from localhost');
    /* Meanwhile the jobs ran in turn: the page shared twice was fetched once. */
    assert.equal(seen.filter((s) => s.path === '/page').length, 1);
});

test('a page without a title, or not HTML, gets no card', async () => {
    for (const path of ['/notitle', '/json', '/missing']) {
        const p = await published(`${base}${path}`);
        assert.equal(p.outcome.state, 'failed', p.outcome.line);
        assert.equal(p.card, null);
        assert.ok(p.html.includes(path), 'the post itself is shown');
    }
});

test('hostile tags are text, and an image the guard refuses is left out', async () => {
    const h = await published(`${base}/hostile`);
    assert.equal(h.outcome.state, 'ready', h.outcome.line);
    assert.equal(h.card.title, '<script>alert(1)</script><img src=x onerror=alert(2)>');
    assert.ok(!/<script|<img src=x|<svg/i.test(h.card.html), h.card.html);
    assert.equal(h.card.img, null);

    const i = await published(`${base}/image-refused`);
    assert.equal(i.outcome.state, 'ready', i.outcome.line);
    assert.match(i.outcome.line, /image=no/);
    assert.equal(i.card.title, 'Image interdite');
    assert.equal(i.card.img, null);
    assert.equal((await c.alice.get(`/posts/${i.id}/preview`)).status, 404);
});

test('a huge page is read only up to its limit: a title at its top still makes a card', async () => {
    const n = await published(`${base}/huge`);
    assert.equal(n.outcome.state, 'failed');
    assert.equal(n.card, null);
    const t = await published(`${base}/huge-titled`);
    assert.equal(t.outcome.state, 'ready', t.outcome.line);
    assert.equal(t.card.title, 'Un très long article');
    for (const path of ['/huge', '/huge-titled']) {
        await waitFor(`the fetcher to hang up on ${path}`, () => huge[path].closed);
        assert.ok(huge[path].sent < 64 * 1024 * 1024, `${path}: ${huge[path].sent} bytes were sent before the fetcher hung up`);
    }
});

test('a server that never answers delays nothing: the post is published and pages answer', async () => {
    const id = await publish(srv, token, `Lien muet : <${silentUrl}>`);
    await waitFor('the job to connect to the silent server', () => silentSockets.length > 0);
    /* The job is now waiting on the silent socket: everything else still answers. */
    const health = await new Client(srv.url).get('/healthz');
    assert.equal(health.status, 200);
    const other = await publish(srv, token, 'Publié pendant que le serveur muet se tait.');
    assert.ok(other > id);
    const res = await c.alice.get(`/posts/${id}`);
    assert.equal(res.status, 200);
    assert.equal(card(res.body_text), null);
    /* The time-out is logged (and the job will try again later, twice at most). */
    const line = await waitFor('the time-out to be logged', () =>
        srv.logs().split('\n').find((l) => l.includes('msg="link preview failed"') && l.includes(silentUrl)),
    );
    assert.match(line, /retry=yes/);
    assert.match(line, /[Tt]ime/);
    assert.equal(card((await c.alice.get(`/posts/${id}`)).body_text), null);
});

after(async () => {
    if (srv) await srv.stopChecked();
});
