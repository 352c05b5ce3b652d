/*
 * 34-feed-atom: the Atom feeds (feed_atom.c).  Every feed is read by a real parser (npm
 * feedparser on a strict sax stream: any XML error fails the test): /tags/{tag}.atom and
 * /people/{id}.atom for signed-in members (cookie or bearer token), with titles, links and
 * authors; 404 for guests, unknown tags and deactivated members; hostile text kept
 * well-formed; the personal feed /feeds/{id}-{mac}.atom read without any cookie, its address
 * shown on /account, replaced by the regenerate form (the old one then answers 404), a wrong
 * mac or another member's id answering 404, its key never written to the log; a deleted post
 * gone from all three feeds.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import FeedParser from 'feedparser';
import { startServer } from './lib/server.mjs';
import { Client, signIn, apiToken, csrfFromHtml } from './lib/client.mjs';

const PW = 'correct-horse-1';
const ALICE = { email: 'alice@example.test', name: 'Alice Martin', password: PW };
const BRUNO = { email: 'bruno@example.test', name: 'Bruno Petit', password: PW };
const CAROLE = { email: 'carole@example.test', name: 'Carole Dubois', password: PW };
const DORA = { email: 'dora@example.test', name: 'Dora Lefèvre', password: PW };
const GUEST = { email: 'guest@example.test', name: 'Gaston Invité', password: PW, role: 'guest' };
const ATOM_TYPE = 'application/atom+xml; charset=utf-8';
const KEY_RE = /\/feeds\/(\d+-[A-Za-z0-9_-]{43})\.atom/;

let srv;
let base; /* base_url of ruche.conf: the absolute addresses in the feeds */
const c = {}; /* signed-in clients */
const ids = {};
const tokens = {};

before(async () => {
    srv = await startServer({ users: [ALICE, BRUNO, CAROLE, DORA, GUEST] });
    const conf = fs.readFileSync(path.join(srv.dir, 'ruche.conf'), 'utf8');
    base = conf.match(/^base_url\s*=\s*(\S+)/m)[1].replace(/\/+$/, '');
    for (const [key, u] of [['alice', ALICE], ['bruno', BRUNO], ['carole', CAROLE], ['dora', DORA], ['guest', GUEST]]) {
        c[key] = (await signIn(srv.url, u.email, u.password)).client;
        ids[key] = (await c[key].json('/api/v1/me')).json_body.id;
        tokens[key] = await apiToken(srv.url, u.email, u.password);
    }
});

after(async () => {
    if (srv) await srv.stopChecked();
});

const bearer = (key) => ({ authorization: `Bearer ${tokens[key]}` });

/* Publish body as member key through the API; returns the post id. */
async function publish(key, body) {
    const res = await new Client(srv.url).json('/api/v1/posts', { method: 'POST', body: { body }, headers: bearer(key) });
    assert.equal(res.status, 201, `POST /api/v1/posts answered ${res.status}: ${res.body_text}`);
    assert.equal(typeof res.json_body.id, 'number');
    return res.json_body.id;
}

/* Parse an Atom document with feedparser in strict mode; rejects on any parser error. */
function parseAtom(xml) {
    return new Promise((resolve, reject) => {
        const parser = new FeedParser({ strict: true, resume_saxerror: false, normalize: true });
        const items = [];
        let failed = false;
        parser.on('error', (err) => {
            failed = true;
            reject(new Error(`feedparser: ${err.message}\n${xml.slice(0, 2000)}`));
        });
        parser.on('readable', () => {
            let item;
            while ((item = parser.read())) items.push(item);
        });
        parser.on('end', () => {
            if (!failed) resolve({ meta: parser.meta, items });
        });
        Readable.from([Buffer.from(xml, 'utf8')]).pipe(parser);
    });
}

/* GET path with client (or no cookie at all), expect a 200 Atom document, return it parsed. */
async function getFeed(pathname, { client, headers } = {}) {
    const res = await (client ?? new Client(srv.url)).get(pathname, { headers });
    assert.equal(res.status, 200, `GET ${pathname} answered ${res.status}: ${res.body_text.slice(0, 300)}`);
    assert.equal(res.headers.get('content-type'), ATOM_TYPE);
    assert.match(res.body_text, /^<\?xml version="1\.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom"/);
    const feed = await parseAtom(res.body_text);
    assert.equal(feed.meta['#type'], 'atom');
    assert.equal(feed.meta['#version'], '1.0');
    return { ...feed, raw: res.body_text, res };
}

const postUrl = (id) => `${base}/posts/${id}`;
const linksOf = (feed) => feed.items.map((i) => i.link);

/* The personal feed's key shown on client's /account page. */
async function accountKey(client) {
    const res = await client.get('/account');
    assert.equal(res.status, 200);
    const m = res.body_text.match(KEY_RE);
    assert.ok(m, `no personal feed address on /account:\n${res.body_text.slice(0, 2000)}`);
    assert.ok(res.body_text.includes(`value="${base}/feeds/${m[1]}.atom"`), 'the full address is shown to copy');
    return m[1];
}

let budget; /* ids of the #budget posts: {alice, bruno} */

test('a tag feed lists the posts of the tag, newest first, with titles, links and authors', async () => {
    budget = {};
    budget.alice = await publish('alice', 'Lancement du projet #budget\n\nDétails à suivre, **vite**.');
    budget.bruno = await publish('bruno', '## Réunion #Budget jeudi\nSalle 3');
    await publish('carole', 'Rien à voir #autre');

    const feed = await getFeed('/tags/budget.atom', { client: c.bruno });
    assert.equal(feed.meta.title, 'Ruche — #budget');
    assert.equal(feed.meta.xmlurl, `${base}/tags/budget.atom`);
    assert.equal(feed.meta.link, `${base}/tags/budget`);
    assert.deepEqual(linksOf(feed), [postUrl(budget.bruno), postUrl(budget.alice)]);

    const [bruno, alice] = feed.items;
    assert.equal(bruno.title, 'Réunion #Budget jeudi', 'the heading mark is dropped, the tag kept');
    assert.equal(bruno.author, 'Bruno Petit');
    assert.equal(bruno.guid, postUrl(budget.bruno));
    assert.equal(alice.title, 'Lancement du projet #budget');
    assert.equal(alice.author, 'Alice Martin');
    assert.ok(alice.pubdate instanceof Date && !Number.isNaN(alice.pubdate.getTime()));
    assert.ok(Math.abs(alice.pubdate.getTime() - Date.now()) < 24 * 3600 * 1000, 'published is a real date');
    /* The rendered Markdown travels as escaped HTML, the tag linked to its page. */
    assert.match(alice.description, /<strong>vite<\/strong>/);
    assert.match(alice.description, /href="[^"]*\/tags\/budget"/);
    assert.match(feed.raw, /<content type="html">[^<]*&lt;strong&gt;vite&lt;\/strong&gt;/);
    assert.match(feed.raw, /<author><name>Alice Martin<\/name>\n?<uri>[^<]*\/people\/\d+<\/uri>/);
    assert.ok(feed.raw.includes(`<uri>${base}/people/${ids.alice}</uri>`));
    /* The folded tag: "#Budget" and "#budget" are the same feed. */
    const again = await getFeed('/tags/Budget.atom', { client: c.alice });
    assert.deepEqual(linksOf(again), linksOf(feed));
});

test('a person feed lists that member\'s posts only, read with a bearer token too', async () => {
    const feed = await getFeed(`/people/${ids.alice}.atom`, { headers: bearer('carole') });
    assert.equal(feed.meta.title, 'Ruche — Alice Martin');
    assert.equal(feed.meta.xmlurl, `${base}/people/${ids.alice}.atom`);
    assert.equal(feed.meta.author, 'Alice Martin');
    assert.ok(feed.items.length >= 1);
    for (const item of feed.items) assert.equal(item.author, 'Alice Martin');
    assert.ok(linksOf(feed).includes(postUrl(budget.alice)));
    assert.ok(!linksOf(feed).includes(postUrl(budget.bruno)));
    /* A member without posts has an empty, valid feed. */
    const empty = await getFeed(`/people/${ids.dora}.atom`, { client: c.alice });
    assert.equal(empty.items.length, 0);
    assert.ok(empty.meta.date instanceof Date && !Number.isNaN(empty.meta.date.getTime()));
});

test('long first lines are cut to 80 characters, and an edit updates the entry', async () => {
    const long = `${'Très long titre '.repeat(10)}fin`;
    const id = await publish('alice', `${long}\nsuite #titres`);
    let feed = await getFeed('/tags/titres.atom', { client: c.bruno });
    const [item] = feed.items;
    assert.equal(item.link, postUrl(id));
    assert.equal([...item.title].length, 80);
    assert.ok(item.title.endsWith('…'));
    assert.ok(long.startsWith(item.title.slice(0, -1).trimEnd()));

    const res = await new Client(srv.url).json(`/api/v1/posts/${id}`, {
        method: 'PATCH',
        body: { body: 'Titre corrigé\nsuite #titres' },
        headers: bearer('alice'),
    });
    assert.equal(res.status, 200, res.body_text);
    feed = await getFeed('/tags/titres.atom', { client: c.bruno });
    assert.equal(feed.items[0].title, 'Titre corrigé');
    assert.ok(feed.items[0].date.getTime() >= feed.items[0].pubdate.getTime());
});

test('hostile text stays well-formed XML and inert', async () => {
    /* Text first: a line that starts with <script> is an HTML block, where #tags are not read. */
    const title = `Alerte & Tom's "quote" <script>alert("x")</script> <b>gras</b> #hostile`;
    const body = `${title}\n<img src=x onerror=alert(1)> [x](javascript:alert(1)) ]]> &amp;\n\n<script>alert(2)</script>`;
    const id = await publish('bruno', body);
    const feed = await getFeed('/tags/hostile.atom', { client: c.alice });
    const [item] = feed.items;
    assert.equal(item.link, postUrl(id));
    /* feedparser strips tags from item.title; atom:title keeps the text as the feed says it. */
    assert.equal(item['atom:title']['#'], title);
    assert.ok(feed.raw.includes('<title>Alerte &amp; Tom&apos;s &quot;quote&quot; &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'));
    assert.ok(!/<script|<img|<b>/i.test(feed.raw.replace(/<content type="html">[^<]*<\/content>/g, '')), 'no raw markup outside the escaped content');
    assert.ok(!/<script|onerror|javascript:/i.test(item.description), `content is inert: ${item.description}`);
});

test('guests, visitors, unknown tags and missing or deactivated members get no public feed', async () => {
    /* A visitor is sent to sign in; a guest may not read profile posts: 404. */
    const anon = await new Client(srv.url).get('/tags/budget.atom');
    assert.equal(anon.status, 303);
    assert.equal(new URL(anon.headers.get('location'), srv.url).pathname, '/login');
    assert.equal((await new Client(srv.url).get(`/people/${ids.alice}.atom`)).status, 303);
    assert.equal((await c.guest.get('/tags/budget.atom')).status, 404);
    assert.equal((await c.guest.get(`/people/${ids.alice}.atom`)).status, 404);
    assert.equal((await new Client(srv.url).get('/tags/budget.atom', { headers: bearer('guest') })).status, 404);

    for (const p of ['/tags/inconnue.atom', '/tags/%3Cx%3E.atom', '/people/999999.atom', '/people/0.atom',
        '/people/abc.atom', `/people/${ids.alice}.vcf.atom`, `/people/0${ids.alice}.atom`]) {
        const res = await c.alice.get(p);
        assert.equal(res.status, 404, `${p} answered ${res.status}`);
    }

    /* Dora's feed exists until she is deactivated. */
    await getFeed(`/people/${ids.dora}.atom`, { client: c.alice });
    const doraKey = await accountKey(c.dora);
    await getFeed(`/feeds/${doraKey}.atom`);
    const off = await srv.cli(['user', 'deactivate', '--data', srv.dir, '--email', DORA.email]);
    assert.equal(off.code, 0, off.stderr);
    assert.equal((await c.alice.get(`/people/${ids.dora}.atom`)).status, 404);
    assert.equal((await new Client(srv.url).get(`/feeds/${doraKey}.atom`)).status, 404, 'a deactivated member\'s personal feed is gone');
});

test('the personal feed is the member\'s home feed, read without any cookie', async () => {
    const follow = await new Client(srv.url).json(`/api/v1/people/${ids.bruno}/follow`, { method: 'POST', headers: bearer('alice') });
    assert.ok([200, 201, 204].includes(follow.status), `follow answered ${follow.status}: ${follow.body_text}`);
    const mention = await publish('carole', 'Une question pour @Alice Martin sur le budget');

    const key = await accountKey(c.alice);
    assert.ok(key.startsWith(`${ids.alice}-`));
    const feed = await getFeed(`/feeds/${key}.atom`);
    assert.equal(feed.res.headers.getSetCookie().length, 0, 'no cookie is set on a feed reader');
    assert.equal(feed.res.headers.get('x-robots-tag'), 'noindex');
    assert.equal(feed.meta.title, 'Ruche — votre fil');
    assert.equal(feed.meta.xmlurl, `${base}/feeds/${key}.atom`);
    const links = linksOf(feed);
    assert.ok(links.includes(postUrl(budget.alice)), 'her own posts');
    assert.ok(links.includes(postUrl(budget.bruno)), 'posts of the people she follows');
    assert.ok(links.includes(postUrl(mention)), 'posts that mention her');
    const mentionItem = feed.items.find((i) => i.link === postUrl(mention));
    assert.match(mentionItem.description, new RegExp(`href="[^"]*/people/${ids.alice}"`));
    /* Carole's other post, by someone Alice does not follow, is not in it. */
    const carole = await getFeed(`/people/${ids.carole}.atom`, { client: c.bruno });
    const unrelated = carole.items.find((i) => i.link !== postUrl(mention));
    assert.ok(unrelated);
    assert.ok(!links.includes(unrelated.link));

    /* Bruno's feed is his own: it does not hold Alice's posts (he does not follow her). */
    const brunoKey = await accountKey(c.bruno);
    assert.notEqual(brunoKey, key);
    const brunoFeed = await getFeed(`/feeds/${brunoKey}.atom`);
    assert.ok(!linksOf(brunoFeed).includes(postUrl(budget.alice)));

    /* A cookie of another member changes nothing: the key alone says whose feed it is. */
    const withCookie = await getFeed(`/feeds/${key}.atom`, { client: c.bruno });
    assert.deepEqual(linksOf(withCookie), links);
});

test('a wrong mac, another member\'s id or a malformed key answers 404, and the key is never logged', async () => {
    const key = await accountKey(c.alice);
    const [id, mac] = [key.slice(0, key.indexOf('-')), key.slice(key.indexOf('-') + 1)];
    const flipped = mac.slice(0, 10) + (mac[10] === 'A' ? 'B' : 'A') + mac.slice(11);
    const bad = [
        `${id}-${flipped}`,
        `${ids.bruno}-${mac}`,
        `${id}-${mac.slice(0, -1)}`,
        `${id}-${mac}A`,
        `0${id}-${mac}`,
        `${id}${mac}`,
        `-${mac}`,
        `${id}-${mac}.xml`,
    ];
    for (const k of bad) {
        const res = await new Client(srv.url).get(`/feeds/${encodeURIComponent(k)}${k.endsWith('.xml') ? '' : '.atom'}`);
        assert.equal(res.status, 404, `key ${k} answered ${res.status}`);
    }
    assert.equal((await new Client(srv.url).get(`/feeds/${key}`)).status, 404, 'the .atom suffix is required');
    await getFeed(`/feeds/${key}.atom`);
    await new Promise((r) => setTimeout(r, 200)); /* let the access log lines be written */
    assert.ok(srv.logs().includes('/feeds/{key}'), 'the access log shows the pattern');
    assert.ok(!srv.logs().includes(mac), 'the access log never shows the key');
});

test('regenerating the address makes the old one answer 404', async () => {
    const old = await accountKey(c.alice);
    await getFeed(`/feeds/${old}.atom`);

    /* Without the CSRF token nothing changes. */
    const forged = await c.alice.postForm('/account/feed', {});
    assert.equal(forged.status, 403);
    assert.equal(await accountKey(c.alice), old);
    assert.equal((await new Client(srv.url).postForm('/account/feed', {})).status, 303, 'a visitor is sent to sign in');
    assert.equal(await accountKey(c.alice), old);

    const page = await c.alice.get('/account');
    const res = await c.alice.postForm('/account/feed', { csrf_token: csrfFromHtml(page.body_text) });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/account?feed=regenerated#feed');
    const shown = await c.alice.get('/account?feed=regenerated');
    assert.match(shown.body_text, /l&#39;ancienne ne fonctionne plus|l&apos;ancienne ne fonctionne plus|l'ancienne ne fonctionne plus/);

    const fresh = await accountKey(c.alice);
    assert.notEqual(fresh, old);
    assert.equal((await new Client(srv.url).get(`/feeds/${old}.atom`)).status, 404);
    await getFeed(`/feeds/${fresh}.atom`);
    /* Again: each regeneration retires the previous address. */
    const page2 = await c.alice.get('/account');
    await c.alice.postForm('/account/feed', { csrf_token: csrfFromHtml(page2.body_text) });
    const third = await accountKey(c.alice);
    assert.ok(third !== fresh && third !== old);
    assert.equal((await new Client(srv.url).get(`/feeds/${fresh}.atom`)).status, 404);
    await getFeed(`/feeds/${third}.atom`);
    /* Bruno's address did not change. */
    await getFeed(`/feeds/${await accountKey(c.bruno)}.atom`);
});

test('a deleted post is gone from the tag, person and personal feeds', async () => {
    const id = await publish('alice', 'À supprimer bientôt #budget');
    const key = await accountKey(c.alice);
    const feeds = ['/tags/budget.atom', `/people/${ids.alice}.atom`];
    for (const f of feeds) assert.ok(linksOf(await getFeed(f, { client: c.bruno })).includes(postUrl(id)), f);
    assert.ok(linksOf(await getFeed(`/feeds/${key}.atom`)).includes(postUrl(id)));

    const del = await new Client(srv.url).json(`/api/v1/posts/${id}`, { method: 'DELETE', headers: bearer('alice') });
    assert.equal(del.status, 204, del.body_text);
    for (const f of feeds) {
        const feed = await getFeed(f, { client: c.bruno });
        assert.ok(!linksOf(feed).includes(postUrl(id)), `${f} still lists the deleted post`);
        assert.ok(!feed.raw.includes('À supprimer bientôt'), f);
    }
    const personal = await getFeed(`/feeds/${key}.atom`);
    assert.ok(!linksOf(personal).includes(postUrl(id)));
    assert.ok(!personal.raw.includes('À supprimer bientôt'));
    assert.ok(linksOf(personal).includes(postUrl(budget.alice)), 'the other posts stay');
});
