/*
 * 30-feed-posts: the feed over HTTP.  Publishing by form (urlencoded and multipart, as the
 * compose form sends it) and by the API; bad bodies (empty, 10,001 characters, invalid UTF-8,
 * control characters) and missing CSRF tokens refused with nothing saved; @mentions linked and
 * notified, unknown names left as text; #tags folded to one page; comments and one-level
 * replies; reactions; edits with "(modifié)" and their history, by the author only; deleting
 * (author, administrator, not another member) and the post gone from every page, feed, API and
 * notification; keyset pagination while posts arrive and "Voir plus" without JavaScript;
 * guests; announcements pinned by an administrator and dismissed per member; and an XSS
 * corpus in posts and comments whose rendered HTML holds no executable tag, attribute or URL.
 *
 * The tests run in order and share one instance: later tests use posts made earlier (P).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { signIn, apiToken, Client, csrfFromHtml, locationPath } from './lib/client.mjs';
import { XSS, assertInert } from './lib/xss.mjs';

const PW = 'correct-horse-1';
const USERS = {
    alice: { email: 'alice@example.test', name: 'Alice Durand', password: PW },
    bruno: { email: 'bruno@example.test', name: 'Bruno Petit', password: PW },
    claire: { email: 'claire.martin@example.test', name: 'Claire Martin', password: PW },
    denis: { email: 'denis@example.test', name: 'Denis Lambert', password: PW },
    gus: { email: 'gus@example.test', name: 'Gus Externe', password: PW, role: 'guest' },
    ada: { email: 'ada@example.test', name: 'Ada Admin', password: PW, role: 'admin' },
};

let srv;
const c = {}; /* signed-in clients (cookie sessions) */
const tokens = {};
const ids = {};
const P = {}; /* posts and comments made by earlier tests */

before(async () => {
    srv = await startServer({ users: Object.values(USERS) });
    for (const [key, u] of Object.entries(USERS)) {
        c[key] = (await signIn(srv.url, u.email, u.password)).client;
        ids[key] = (await c[key].json('/api/v1/me')).json_body.id;
        tokens[key] = await apiToken(srv.url, u.email, u.password);
    }
});

after(async () => {
    if (srv) await srv.stopChecked();
});

/* ---- helpers ------------------------------------------------------------------------------ */

/* An API call as member who, with their bearer token and no cookie. */
function api(who, path, opts = {}) {
    return new Client(srv.url).json(path, { ...opts, headers: { authorization: `Bearer ${tokens[who]}`, ...(opts.headers || {}) } });
}

/* POST raw bytes as JSON (for bodies JSON.stringify cannot make). */
function apiRaw(who, path, bytes) {
    return new Client(srv.url).fetch(path, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens[who]}`, 'content-type': 'application/json', accept: 'application/json' },
        body: bytes,
    });
}

async function publish(who, body) {
    const res = await api(who, '/api/v1/posts', { method: 'POST', body: { body } });
    assert.equal(res.status, 201, `publish as ${who}: ${res.body_text.slice(0, 300)}`);
    return res.json_body.id;
}

/* POST a form as the compose form does (multipart), with the csrf_token of the page at from. */
async function postMultipart(client, path, fields, from = '/') {
    const fd = new FormData();
    fd.append('csrf_token', await client.csrf(from));
    for (const [k, v] of Object.entries(fields)) fd.append(k, Buffer.isBuffer(v) ? new Blob([v]) : v);
    return client.fetch(path, { method: 'POST', body: fd });
}

/* POST urlencoded bytes exactly as given (k=v&..., already encoded) with a csrf_token. */
async function postRawForm(client, path, encoded, from = '/') {
    const token = encodeURIComponent(await client.csrf(from));
    return client.postForm(path, `${encoded}&csrf_token=${token}`);
}

function main(html) {
    return html.match(/<main\b[\s\S]*<\/main>/i)?.[0] ?? html;
}

const ANNOUNCEMENTS_RE = /<section class="announcements"[\s\S]*?<\/section>/;

/* Ids of the post cards of a page, announcements left out. */
function cardIds(html) {
    return [...html.replace(ANNOUNCEMENTS_RE, '').matchAll(/<article class="post[^"]*" id="post-(\d+)"/g)].map((m) => Number(m[1]));
}

function announcementIds(html) {
    const s = html.match(ANNOUNCEMENTS_RE);
    return s ? [...s[0].matchAll(/<article class="post[^"]*" id="post-(\d+)"/g)].map((m) => Number(m[1])) : [];
}

/* The "Voir plus" link of a page (path + query), or null. */
function moreLink(html) {
    const m = html.match(/<p class="more"><a rel="next" href="([^"]+)"/);
    return m ? m[1].replace(/&amp;/g, '&') : null;
}

/* Every card of a paginated HTML feed, following "Voir plus" (bounded). */
async function walkHtml(client, path) {
    const seen = [];
    let next = path;
    for (let pages = 0; next; pages++) {
        assert.ok(pages < 100, `more than 100 pages at ${path}`);
        const res = await client.get(next);
        assert.equal(res.status, 200, `GET ${next}`);
        seen.push(...cardIds(res.body_text));
        next = moreLink(res.body_text);
    }
    return seen;
}

/* Every post of one's API feed, by pages of limit (bounded). */
async function walkApi(who, limit = 50, first = null) {
    const seen = [];
    let cursor = first;
    for (let pages = 0; ; pages++) {
        assert.ok(pages < 200, 'more than 200 API pages');
        const res = await api(who, `/api/v1/feed?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(res.status, 200, res.body_text.slice(0, 300));
        assert.ok(res.json_body.items.length <= limit, 'a page holds at most limit posts');
        seen.push(...res.json_body.items.map((p) => p.id));
        if (res.json_body.next === null) return seen;
        assert.equal(typeof res.json_body.next, 'string');
        cursor = res.json_body.next;
    }
}

/* Every post on the site, as an administrator reads /posts. */
const allPosts = () => walkHtml(c.ada, '/posts');

function assertNoDuplicates(list, what) {
    assert.equal(new Set(list).size, list.length, `${what} holds a post twice: ${list}`);
}

function assertDescending(list, what) {
    for (let i = 1; i < list.length; i++) assert.ok(list[i] < list[i - 1], `${what} is newest first: ${list}`);
}

/* ---- publishing ---------------------------------------------------------------------------- */

test('a member publishes from the home form: 303 back home, and the post is on its page and in the feed', async () => {
    const body = 'Premier message du **fil** : bienvenue !';
    const res = await c.alice.postWithCsrf('/posts', { body, back: '/' });
    assert.equal(res.status, 303, res.body_text.slice(0, 500));
    assert.equal(locationPath(res, srv.url), '/');
    const feed = (await api('alice', '/api/v1/feed')).json_body.items;
    assert.equal(feed[0].body, body);
    P.first = feed[0].id;
    const page = await c.bruno.get(`/posts/${P.first}`);
    assert.equal(page.status, 200);
    assert.match(page.body_text, /Premier message du <strong>fil<\/strong> : bienvenue !/);
    assert.match(page.body_text, new RegExp(`<a href="/people/${ids.alice}">Alice Durand</a>`));
    const home = await c.alice.get('/');
    assert.deepEqual(cardIds(home.body_text).slice(0, 1), [P.first]);
});

test('the compose form is multipart: a post sent that way is published too', async () => {
    const res = await postMultipart(c.alice, '/posts', { body: 'Envoyé comme le formulaire : multipart', back: `/people/${ids.alice}` });
    assert.equal(res.status, 303, res.body_text.slice(0, 500));
    assert.equal(locationPath(res, srv.url), `/people/${ids.alice}`, 'back to the page the form was on');
    const profile = await c.bruno.get(`/people/${ids.alice}`);
    assert.match(profile.body_text, /Envoyé comme le formulaire : multipart/);
});

test('"back" only ever redirects to a local path', async () => {
    for (const back of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'relative']) {
        const res = await c.alice.postWithCsrf('/posts', { body: `retour vers ${back}`, back });
        assert.equal(res.status, 303);
        assert.equal(res.headers.get('location').replace(srv.url, ''), '/', `back=${back}`);
    }
});

test('the API publishes: 201 with id, body, author {id, name}, and GET answers the same post', async () => {
    const res = await api('alice', '/api/v1/posts', { method: 'POST', body: { body: 'Publié par l’API' } });
    assert.equal(res.status, 201, res.body_text);
    const p = res.json_body;
    assert.equal(typeof p.id, 'number');
    assert.equal(p.body, 'Publié par l’API');
    assert.deepEqual(p.author, { id: ids.alice, name: 'Alice Durand' });
    assert.equal(p.url, `/posts/${p.id}`);
    assert.equal(p.edited_ms, null);
    assert.equal(p.community_id, null);
    const again = await api('bruno', `/api/v1/posts/${p.id}`);
    assert.equal(again.status, 200);
    assert.equal(again.json_body.id, p.id);
    assert.equal(again.json_body.body, p.body);
    assert.deepEqual(again.json_body.author, p.author);
});

/* Bodies the form and the API refuse: [id, urlencoded bytes, JSON value or null, status, shown]. */
const BAD_BODIES = [
    ['empty', 'body=', '', 400, ''],
    ['blank', 'body=%20%20%0D%0A%09%20', ' \n\t ', 400, null],
    ['10001 characters', `body=${'x'.repeat(10001)}`, 'x'.repeat(10001), 413, 'x'.repeat(10001)],
    ['10001 accented characters', `body=${encodeURIComponent('é'.repeat(10001))}`, 'é'.repeat(10001), 413, 'é'.repeat(10001)],
    ['C0 control', 'body=avant%01apr%C3%A8s', 'avant\u0001après', 400, 'avant\u0001après'],
    ['escape', 'body=couleur%1B%5B31m', 'couleur\u001b[31m', 400, 'couleur\u001b[31m'],
    ['DEL', 'body=efface%7F', 'efface\u007f', 400, 'efface\u007f'],
    ['C1 control', 'body=ligne%C2%85suite', 'ligne\u0085suite', 400, 'ligne\u0085suite'],
];

test('a refused body (form): 400/413, the reason, the typed text still in the form, nothing saved', async () => {
    const before = await allPosts();
    for (const [what, encoded, , status, shown] of BAD_BODIES) {
        const res = await postRawForm(c.alice, '/posts', `${encoded}&back=%2F`);
        assert.equal(res.status, status, `${what}: ${res.body_text.slice(0, 300)}`);
        const m = main(res.body_text);
        assert.match(m, /<p class="field-error" id="body-error">[^<]+<\/p>/, `${what}: the reason is shown`);
        const area = m.match(/<textarea id="post-body" name="body"([^>]*)>([\s\S]*?)<\/textarea>/);
        assert.ok(area, `${what}: the compose form is shown again`);
        assert.match(area[1], /aria-invalid="true" aria-describedby="body-error"/, what);
        if (shown !== null) assert.equal(area[2], shown, `${what}: the typed text is kept`);
        assert.ok(csrfFromHtml(res.body_text), `${what}: the form can be sent again`);
    }
    assert.deepEqual(await allPosts(), before, 'no post saved');
});

test('a refused body (multipart, as the browser sends it): 400/413 with the text kept, nothing saved', async () => {
    const before = await allPosts();
    const cases = [
        ['10001 characters', 'y'.repeat(10001), 413, 'y'.repeat(10001)],
        ['control', 'bip\u0007bip', 400, 'bip\u0007bip'],
        ['invalid UTF-8', Buffer.from([0x63, 0x61, 0x66, 0xc3, 0x28, 0xff]), 400, null],
    ];
    for (const [what, body, status, shown] of cases) {
        const res = await postMultipart(c.alice, '/posts', { body, back: '/' });
        assert.equal(res.status, status, `${what}: ${res.body_text.slice(0, 300)}`);
        const area = main(res.body_text).match(/<textarea id="post-body" name="body"[^>]*>([\s\S]*?)<\/textarea>/);
        assert.ok(area, `${what}: the compose form is shown again`);
        if (shown !== null) assert.equal(area[1], shown, `${what}: the typed text is kept`);
        assert.match(res.body_text, /id="body-error"/, what);
    }
    assert.deepEqual(await allPosts(), before, 'no post saved');
});

test('invalid UTF-8 and NUL in an urlencoded form: 400 naming the field, nothing saved', async () => {
    const before = await allPosts();
    for (const encoded of ['body=caf%C3', 'body=%FF%FE', 'body=%C0%AF', 'body=a%00b', 'body=%ED%A0%80']) {
        const res = await postRawForm(c.alice, '/posts', encoded);
        assert.equal(res.status, 400, `${encoded}: ${res.body_text.slice(0, 300)}`);
        assert.match(main(res.body_text), /UTF-8/, `${encoded}: the reason says UTF-8`);
        assert.match(main(res.body_text), /body/, `${encoded}: the field is named`);
    }
    /* Raw bytes, not percent-encoded. */
    const token = encodeURIComponent(await c.alice.csrf('/'));
    const raw = Buffer.concat([Buffer.from('body=caf'), Buffer.from([0xc3, 0xff]), Buffer.from(`&csrf_token=${token}`)]);
    const res = await c.alice.fetch('/posts', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: raw });
    assert.equal(res.status, 400, res.body_text.slice(0, 300));
    assert.deepEqual(await allPosts(), before, 'no post saved');
});

test('a refused body (API): 400/413 naming "body", nothing saved', async () => {
    const before = await allPosts();
    for (const [what, , json, status] of BAD_BODIES) {
        const res = await api('alice', '/api/v1/posts', { method: 'POST', body: { body: json } });
        assert.equal(res.status, status, `${what}: ${res.body_text.slice(0, 300)}`);
        assert.equal(res.json_body.error.field, 'body', what);
        assert.equal(res.json_body.error.code, status === 413 ? 'too_large' : 'invalid', what);
        assert.ok(res.json_body.error.message, what);
    }
    const shapes = [
        ['missing', {}, 'body'],
        ['number', { body: 5 }, 'body'],
        ['null', { body: null }, 'body'],
        ['unknown key', { body: 'ok', colour: 'red' }, 'colour'],
    ];
    for (const [what, body, field] of shapes) {
        const res = await api('alice', '/api/v1/posts', { method: 'POST', body });
        assert.equal(res.status, 400, `${what}: ${res.body_text}`);
        assert.equal(res.json_body.error.field, field, what);
    }
    /* Invalid UTF-8 cannot be JSON at all: raw bytes, a lone surrogate and \u0000 are malformed JSON. */
    const raw = [
        Buffer.concat([Buffer.from('{"body":"caf'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]),
        Buffer.from('{"body":"a\\ud800b"}'),
        Buffer.from('{"body":"a\\u0000b"}'),
    ];
    for (const bytes of raw) {
        const res = await apiRaw('alice', '/api/v1/posts', bytes);
        assert.equal(res.status, 400, res.body_text);
        const err = JSON.parse(res.body_text).error;
        assert.ok(err.code === 'invalid_json' || err.field === 'body', `a clear error: ${res.body_text}`);
        assert.ok(err.message);
    }
    assert.deepEqual(await allPosts(), before, 'no post saved');
});

test('10,000 characters are accepted (the limit counts characters, not bytes)', async () => {
    const id = await publish('alice', 'é'.repeat(10000));
    const res = await api('alice', `/api/v1/posts/${id}`);
    assert.equal([...res.json_body.body].length, 10000);
    assert.equal((await api('alice', `/api/v1/posts/${id}`, { method: 'DELETE' })).status, 204);
});

test('a form without a valid CSRF token is refused with 403 and saves nothing', async () => {
    const before = await allPosts();
    const token = await c.alice.csrf('/');
    for (const [what, fields] of [
        ['missing', { body: 'sans jeton' }],
        ['empty', { body: 'jeton vide', csrf_token: '' }],
        ['wrong', { body: 'faux jeton', csrf_token: 'A'.repeat(43) }],
        ["another member's", { body: 'jeton volé', csrf_token: await c.bruno.csrf('/') }],
    ]) {
        const res = await c.alice.postForm('/posts', fields);
        assert.equal(res.status, 403, `${what}: ${res.body_text.slice(0, 200)}`);
    }
    const fd = new FormData();
    fd.append('body', 'multipart sans jeton');
    assert.equal((await c.alice.fetch('/posts', { method: 'POST', body: fd })).status, 403, 'multipart without a token');
    /* The API with a session cookie needs the X-CSRF-Token header too. */
    const res = await c.alice.json('/api/v1/posts', { method: 'POST', body: { body: 'cookie sans en-tête' } });
    assert.equal(res.status, 403, res.body_text);
    assert.ok(token);
    assert.deepEqual(await allPosts(), before, 'no post saved');
});

/* ---- mentions and tags ----------------------------------------------------------------------- */

test('a mention of a member links to their profile, notifies them and reaches their home feed', async () => {
    const unread = async () => (await c.claire.get('/notifications')).body_text.match(/<li class="unread">/g)?.length ?? 0;
    const before = await unread();
    const res = await c.alice.postWithCsrf('/posts', { body: 'Réunion demain avec @Claire Martin, et @Jean Inconnu aussi. Merci @claire.martin.', back: '/' });
    assert.equal(res.status, 303);
    P.mention = (await api('alice', '/api/v1/feed?limit=1')).json_body.items[0].id;
    const page = (await c.bruno.get(`/posts/${P.mention}`)).body_text;
    assert.match(page, new RegExp(`<a href="/people/${ids.claire}">@Claire Martin</a>,`));
    assert.match(page, new RegExp(`Merci <a href="/people/${ids.claire}">@claire.martin</a>\\.`), 'the handle is linked too');
    assert.match(page, /et @Jean Inconnu aussi\./, 'an unknown name stays plain text');
    assert.doesNotMatch(page, /<a [^>]*>@Jean/);

    /* Claire follows nobody: the post reaches her feed because it mentions her. */
    const home = (await c.claire.get('/')).body_text;
    assert.ok(cardIds(home).includes(P.mention), 'the mentioned member sees the post at home');
    const feed = (await api('claire', '/api/v1/feed')).json_body.items.map((p) => p.id);
    assert.ok(feed.includes(P.mention), 'and in the API feed');
    assert.ok(!cardIds((await c.bruno.get('/')).body_text).includes(P.mention), 'Bruno, neither following nor mentioned, does not');

    const notes = (await c.claire.get('/notifications')).body_text;
    assert.match(notes, new RegExp(`<a href="/people/${ids.alice}">Alice Durand</a> vous a mentionné dans une publication\\. <a href="/posts/${P.mention}">`));
    assert.equal(await unread(), before + 1, 'one notification for two mentions of the same member');
});

test('a member who mentions themselves is not notified; an edit keeping a mention notifies no one again', async () => {
    const countOf = async (who) => (await c[who].get('/notifications')).body_text.match(/<li class="(un)?read">/g)?.length ?? 0;
    const [alice0, claire0] = [await countOf('alice'), await countOf('claire')];
    const id = await publish('alice', 'Note pour moi, @Alice Durand, et pour @Claire Martin');
    assert.equal(await countOf('alice'), alice0, 'no notification to oneself');
    assert.equal(await countOf('claire'), claire0 + 1);
    const res = await api('alice', `/api/v1/posts/${id}`, { method: 'PATCH', body: { body: 'Note corrigée pour @Claire Martin' } });
    assert.equal(res.status, 200, res.body_text);
    assert.equal(await countOf('claire'), claire0 + 1, 'no second notification');
    P.selfMention = id;
});

test('#Comptabilité and #comptabilite are one tag: one page, however the address is written', async () => {
    const a = await publish('alice', 'Clôture des comptes #Comptabilité');
    const b = await publish('bruno', 'Question de #comptabilite : les notes de frais ?');
    P.tagA = a;
    P.tagB = b;
    const page = (await c.claire.get(`/posts/${a}`)).body_text;
    assert.match(page, /<a href="\/tags\/comptabilite">#Comptabilité<\/a>/);
    assert.deepEqual((await api('alice', `/api/v1/posts/${a}`)).json_body.tags, ['comptabilite']);
    const lists = [];
    for (const path of ['/tags/comptabilite', '/tags/Comptabilit%C3%A9', '/tags/COMPTABILITE']) {
        const res = await c.claire.get(path);
        assert.equal(res.status, 200, path);
        assert.match(res.body_text, /<h1>#comptabilite<\/h1>/, path);
        lists.push(cardIds(res.body_text));
    }
    assert.deepEqual(lists[0], [b, a]);
    assert.deepEqual(lists[1], lists[0]);
    assert.deepEqual(lists[2], lists[0]);
    const other = await c.claire.get('/tags/autre');
    assert.equal(other.status, 200);
    assert.deepEqual(cardIds(other.body_text), []);
    assert.equal((await c.claire.get('/tags/123')).status, 404, 'digits only: not a tag');
    assert.equal((await c.claire.get(`/tags/${'a'.repeat(51)}`)).status, 404, 'over 50 characters: not a tag');
});

/* ---- comments ------------------------------------------------------------------------------------ */

test('comments and replies: one level, a reply to a reply attaches to its parent', async () => {
    const post = await publish('alice', 'Qui vient au séminaire ?');
    P.commented = post;
    let res = await c.bruno.postWithCsrf(`/posts/${post}/comments`, { body: 'Moi, avec plaisir.' }, `/posts/${post}`);
    assert.equal(res.status, 303, res.body_text.slice(0, 300));
    assert.equal(locationPath(res, srv.url), `/posts/${post}`);
    const first = Number(res.headers.get('location').match(/#comment-(\d+)$/)[1]);
    res = await c.claire.postWithCsrf(`/posts/${post}/comments`, { body: 'Moi aussi !', parent_id: String(first) }, `/posts/${post}`);
    assert.equal(res.status, 303);
    const reply = Number(res.headers.get('location').match(/#comment-(\d+)$/)[1]);
    res = await api('alice', `/api/v1/posts/${post}/comments`, { method: 'POST', body: { body: 'Parfait, je note.', parent_id: reply } });
    assert.equal(res.status, 201, res.body_text);
    const replyToReply = res.json_body.id;
    assert.equal(res.json_body.parent_id, first, 'a reply to a reply attaches to the parent');
    res = await api('claire', `/api/v1/posts/${post}/comments`, { method: 'POST', body: { body: 'Autre sujet.' } });
    assert.equal(res.status, 201);
    const second = res.json_body.id;
    assert.equal(res.json_body.parent_id, null);

    const list = (await api('bruno', `/api/v1/posts/${post}/comments`)).json_body.items;
    assert.deepEqual(list.map((x) => [x.id, x.parent_id]), [[first, null], [reply, first], [replyToReply, first], [second, null]]);
    assert.deepEqual(list[0].author, { id: ids.bruno, name: 'Bruno Petit' });
    assert.equal((await api('bruno', `/api/v1/posts/${post}`)).json_body.comment_count, 4);

    const page = (await c.denis.get(`/posts/${post}`)).body_text;
    const order = [...page.matchAll(/<li class="comment( reply)?" id="comment-(\d+)">/g)].map((m) => [Number(m[2]), Boolean(m[1])]);
    assert.deepEqual(order, [[first, false], [reply, true], [replyToReply, true], [second, false]]);
    assert.match(page, /Commenter \(4\)/);
    /* Replies have no reply form of their own; comments do. */
    assert.equal((page.match(/name="parent_id" value="(\d+)"/g) || []).length, 2);

    /* The post's author and the replied-to comment's author are notified. */
    assert.match((await c.alice.get('/notifications')).body_text, new RegExp(`a commenté une publication que vous suivez\\. <a href="/posts/${post}#comment-${first}">`));
    assert.match((await c.bruno.get('/notifications')).body_text, new RegExp(`<a href="/posts/${post}#comment-${reply}">`));
    P.comment = first;
    P.reply = reply;
});

test('a reply to a comment of another post, or to no comment, is refused', async () => {
    const other = await publish('bruno', 'Un autre fil');
    let res = await api('claire', `/api/v1/posts/${other}/comments`, { method: 'POST', body: { body: 'égaré', parent_id: P.comment } });
    assert.equal(res.status, 400, res.body_text);
    assert.equal(res.json_body.error.field, 'parent_id');
    res = await api('claire', `/api/v1/posts/${other}/comments`, { method: 'POST', body: { body: 'égaré', parent_id: 999999 } });
    assert.equal(res.status, 400);
    res = await api('claire', `/api/v1/posts/${other}/comments`, { method: 'POST', body: { body: 'égaré', parent_id: 'x' } });
    assert.equal(res.status, 400);
    assert.equal((await api('claire', `/api/v1/posts/${other}/comments`)).json_body.items.length, 0);
});

test('a refused comment: 400/413 with the text kept under the post, nothing saved', async () => {
    const post = P.commented;
    const before = (await api('alice', `/api/v1/posts/${post}/comments`)).json_body.items.length;
    for (const [body, status] of [['', 400], ['z'.repeat(5001), 413], ['cloche\u0007', 400]]) {
        const res = await c.bruno.postWithCsrf(`/posts/${post}/comments`, { body }, `/posts/${post}`);
        assert.equal(res.status, status, res.body_text.slice(0, 200));
        assert.match(res.body_text, /<p class="field-error" id="comment-error">/);
        const area = res.body_text.match(/<textarea id="comment-body" name="body"[^>]*>([\s\S]*?)<\/textarea>/);
        assert.ok(area);
        assert.equal(area[1], body);
        const api413 = await api('bruno', `/api/v1/posts/${post}/comments`, { method: 'POST', body: { body } });
        assert.equal(api413.status, status);
        assert.equal(api413.json_body.error.field, 'body');
    }
    assert.equal((await api('alice', `/api/v1/posts/${post}/comments`)).json_body.items.length, before);
});

/* ---- reactions ------------------------------------------------------------------------------------ */

test('reactions: set, change kind, remove, counts and "Qui a réagi"', async () => {
    const post = P.commented;
    const react = (who, kind) => c[who].postWithCsrf(`/posts/${post}/react`, { kind, back: `/posts/${post}` }, `/posts/${post}`);
    const counts = async () => (await api('alice', `/api/v1/posts/${post}`)).json_body.reactions;

    let res = await react('bruno', 'like');
    assert.equal(res.status, 303);
    assert.equal(locationPath(res, srv.url), `/posts/${post}`);
    assert.deepEqual(await counts(), { like: 1, bravo: 0, idea: 0, thanks: 0, support: 0 });
    let page = (await c.bruno.get(`/posts/${post}`)).body_text;
    assert.match(page, /<button type="submit" name="kind" value="none" aria-pressed="true" class="reaction mine">J&#39;aime <span class="count">1<\/span>/);
    assert.equal((await api('bruno', `/api/v1/posts/${post}`)).json_body.my_reaction, 'like');

    res = await react('bruno', 'bravo');
    assert.equal(res.status, 303);
    assert.deepEqual(await counts(), { like: 0, bravo: 1, idea: 0, thanks: 0, support: 0 }, 'one reaction per member');

    res = await api('claire', `/api/v1/posts/${post}/reactions`, { method: 'POST', body: { kind: 'idea' } });
    assert.equal(res.status, 200, res.body_text);
    assert.equal(res.json_body.my_reaction, 'idea');
    assert.deepEqual(await counts(), { like: 0, bravo: 1, idea: 1, thanks: 0, support: 0 });

    page = (await c.denis.get(`/posts/${post}`)).body_text;
    const who = page.match(/<details class="reactors"><summary>Qui a réagi \((\d+)\)<\/summary><ul>([\s\S]*?)<\/ul><\/details>/);
    assert.ok(who, 'the "Qui a réagi" list');
    assert.equal(who[1], '2');
    assert.match(who[2], new RegExp(`<a href="/people/${ids.bruno}">Bruno Petit</a> Bravo`));
    assert.match(who[2], new RegExp(`<a href="/people/${ids.claire}">Claire Martin</a> Bonne idée`));
    assert.match((await c.alice.get('/notifications')).body_text, /a réagi à votre publication/);

    res = await react('bruno', 'none');
    assert.equal(res.status, 303);
    res = await api('claire', `/api/v1/posts/${post}/reactions`, { method: 'DELETE' });
    assert.equal(res.status, 204);
    assert.deepEqual(await counts(), { like: 0, bravo: 0, idea: 0, thanks: 0, support: 0 });
    page = (await c.denis.get(`/posts/${post}`)).body_text;
    assert.doesNotMatch(page, /Qui a réagi/);
    assert.doesNotMatch(page, /class="count"/);

    assert.equal((await react('bruno', 'love')).status, 400, 'an unknown kind');
    res = await api('bruno', `/api/v1/posts/${post}/reactions`, { method: 'POST', body: { kind: 'love' } });
    assert.equal(res.status, 400);
    assert.equal(res.json_body.error.field, 'kind');
    assert.deepEqual(await counts(), { like: 0, bravo: 0, idea: 0, thanks: 0, support: 0 });
    assert.equal((await api('bruno', '/api/v1/posts/999999/reactions', { method: 'POST', body: { kind: 'like' } })).status, 404);
});

/* ---- editing --------------------------------------------------------------------------------------- */

test('editing a post: "(modifié)" links to the history, which shows every earlier text', async () => {
    const post = await publish('alice', 'Version une du texte');
    P.edited = post;
    let page = (await c.bruno.get(`/posts/${post}`)).body_text;
    assert.doesNotMatch(page, /class="edited"/);
    const form = await c.alice.get(`/posts/${post}/edit`);
    assert.equal(form.status, 200);
    assert.match(form.body_text, /<textarea id="edit-body" name="body"[^>]*>Version une du texte<\/textarea>/);
    let res = await c.alice.postWithCsrf(`/posts/${post}/edit`, { body: 'Version deux du texte' }, `/posts/${post}/edit`);
    assert.equal(res.status, 303, res.body_text.slice(0, 300));
    assert.equal(locationPath(res, srv.url), `/posts/${post}`);
    res = await api('alice', `/api/v1/posts/${post}`, { method: 'PATCH', body: { body: 'Version trois du texte' } });
    assert.equal(res.status, 200, res.body_text);
    assert.equal(res.json_body.body, 'Version trois du texte');
    assert.equal(typeof res.json_body.edited_ms, 'number');

    page = (await c.bruno.get(`/posts/${post}`)).body_text;
    assert.match(page, new RegExp(`<a class="edited" href="/posts/${post}/history">\\(modifié\\)</a>`));
    assert.match(page, /Version trois du texte/);
    assert.doesNotMatch(page, /Version deux/);
    const hist = await c.bruno.get(`/posts/${post}/history`);
    assert.equal(hist.status, 200);
    const h = main(hist.body_text);
    const at = ['Version trois', 'Version deux', 'Version une'].map((s) => h.indexOf(s));
    assert.ok(at.every((i) => i >= 0), `every version is listed: ${at}`);
    assert.ok(at[0] < at[1] && at[1] < at[2], 'newest first');
});

test('a refused edit keeps the typed text and changes nothing', async () => {
    const res = await c.alice.postWithCsrf(`/posts/${P.edited}/edit`, { body: 'avec\u0001contrôle' }, `/posts/${P.edited}/edit`);
    assert.equal(res.status, 400);
    assert.match(res.body_text, /<textarea id="edit-body" name="body"[^>]*>avec\u0001contrôle<\/textarea>/);
    const big = await api('alice', `/api/v1/posts/${P.edited}`, { method: 'PATCH', body: { body: 'w'.repeat(10001) } });
    assert.equal(big.status, 413);
    assert.equal(big.json_body.error.field, 'body');
    assert.equal((await api('alice', `/api/v1/posts/${P.edited}`)).json_body.body, 'Version trois du texte');
});

test('only the author edits a post: 403 for another member and an administrator, by form and API', async () => {
    for (const who of ['bruno', 'ada']) {
        let res = await api(who, `/api/v1/posts/${P.edited}`, { method: 'PATCH', body: { body: `détourné par ${who}` } });
        assert.equal(res.status, 403, `${who} PATCH: ${res.body_text}`);
        res = await c[who].get(`/posts/${P.edited}/edit`);
        assert.equal(res.status, 403, `${who} GET edit`);
        assert.doesNotMatch(res.body_text, /edit-body/);
        res = await c[who].postWithCsrf(`/posts/${P.edited}/edit`, { body: `détourné par ${who}` }, `/posts/${P.edited}`);
        assert.equal(res.status, 403, `${who} POST edit`);
        assert.doesNotMatch((await c.bruno.get(`/posts/${P.edited}`)).body_text, /Modifier<\/a>/, 'no edit link for others');
    }
    assert.equal((await api('alice', `/api/v1/posts/${P.edited}`)).json_body.body, 'Version trois du texte');
});

test('editing a comment: "(modifié)" and its history; only its author edits it', async () => {
    const id = P.comment;
    const post = P.commented;
    let res = await c.bruno.postWithCsrf(`/comments/${id}/edit`, { body: 'Moi, avec grand plaisir.' }, `/comments/${id}/edit`);
    assert.equal(res.status, 303, res.body_text.slice(0, 300));
    assert.equal(res.headers.get('location').replace(srv.url, ''), `/posts/${post}#comment-${id}`);
    const page = (await c.denis.get(`/posts/${post}`)).body_text;
    const item = page.match(new RegExp(`<li class="comment" id="comment-${id}">[\\s\\S]*?</li>`))[0];
    assert.match(item, new RegExp(`<a class="edited" href="/comments/${id}/history">\\(modifié\\)</a>`));
    assert.match(item, /Moi, avec grand plaisir\./);
    const hist = main((await c.denis.get(`/comments/${id}/history`)).body_text);
    assert.ok(hist.indexOf('Moi, avec grand plaisir.') >= 0 && hist.indexOf('Moi, avec plaisir.') > hist.indexOf('Moi, avec grand plaisir.'));

    for (const who of ['claire', 'alice', 'ada']) {
        res = await c[who].postWithCsrf(`/comments/${id}/edit`, { body: `détourné par ${who}` }, `/posts/${post}`);
        assert.equal(res.status, 403, `${who} POST comment edit`);
        res = await c[who].get(`/comments/${id}/edit`);
        assert.equal(res.status, 403, `${who} GET comment edit`);
    }
    const body = (await api('bruno', `/api/v1/posts/${post}/comments`)).json_body.items.find((x) => x.id === id).body;
    assert.equal(body, 'Moi, avec grand plaisir.');
    res = await c.bruno.postWithCsrf(`/comments/${id}/edit`, { body: 'q'.repeat(5001) }, `/comments/${id}/edit`);
    assert.equal(res.status, 413);
    assert.match(res.body_text, new RegExp(`>${'q'.repeat(5001)}</textarea>`));
});

/* ---- deleting -------------------------------------------------------------------------------------- */

async function richPost(tag) {
    const id = await publish('alice', `À supprimer : @Claire Martin #${tag} fin`);
    assert.equal((await api('bruno', `/api/v1/posts/${id}/comments`, { method: 'POST', body: { body: 'un commentaire' } })).status, 201);
    assert.equal((await api('claire', `/api/v1/posts/${id}/reactions`, { method: 'POST', body: { kind: 'thanks' } })).status, 200);
    return id;
}

async function assertGone(id, tag) {
    for (const who of ['alice', 'bruno', 'claire', 'ada']) {
        assert.equal((await c[who].get(`/posts/${id}`)).status, 404, `${who}: the page`);
        assert.equal((await c[who].get(`/posts/${id}/history`)).status, 404, `${who}: the history`);
        assert.equal((await api(who, `/api/v1/posts/${id}`)).status, 404, `${who}: GET API`);
        assert.equal((await api(who, `/api/v1/posts/${id}/comments`)).status, 404, `${who}: comments API`);
        assert.ok(!(await walkApi(who)).includes(id), `${who}: /api/v1/feed`);
        assert.ok(!cardIds((await c[who].get('/')).body_text).includes(id), `${who}: home feed`);
    }
    assert.ok(!(await allPosts()).includes(id), '/posts');
    assert.ok(!cardIds((await c.bruno.get(`/tags/${tag}`)).body_text).includes(id), 'the tag page');
    assert.ok(!cardIds((await c.bruno.get(`/people/${ids.alice}`)).body_text).includes(id), "the author's profile");
    const notes = (await c.claire.get('/notifications')).body_text;
    assert.ok(!notes.includes(`href="/posts/${id}"`) && !notes.includes(`href="/posts/${id}#`), 'notifications');
    assert.equal((await api('claire', `/api/v1/posts/${id}/reactions`, { method: 'POST', body: { kind: 'like' } })).status, 404, 'no reacting');
    assert.equal((await api('claire', `/api/v1/posts/${id}/comments`, { method: 'POST', body: { body: 'x' } })).status, 404, 'no commenting');
}

test('another member cannot delete a post (403 by form, confirmation page and API)', async () => {
    const id = await richPost('suppression');
    P.toDelete = id;
    assert.equal((await c.bruno.get(`/posts/${id}/delete`)).status, 403);
    assert.equal((await c.bruno.postWithCsrf(`/posts/${id}/delete`, {}, `/posts/${id}`)).status, 403);
    assert.equal((await api('bruno', `/api/v1/posts/${id}`, { method: 'DELETE' })).status, 403);
    assert.doesNotMatch((await c.bruno.get(`/posts/${id}`)).body_text, new RegExp(`href="/posts/${id}/delete"`), 'no delete link for others');
    assert.equal((await c.bruno.postForm(`/posts/${id}/delete`, {})).status, 403, 'nor without a token');
    assert.equal((await c.alice.postForm(`/posts/${id}/delete`, {})).status, 403, "the author's form needs its token");
    assert.equal((await api('bruno', `/api/v1/posts/${id}`)).status, 200, 'still there');
});

test('the author deletes a post: it is gone from its page, feeds, tag page, profile, API and notifications', async () => {
    const id = P.toDelete;
    const notes = (await c.claire.get('/notifications')).body_text;
    assert.ok(notes.includes(`href="/posts/${id}"`), 'the mention was notified');
    assert.ok(cardIds((await c.claire.get('/')).body_text).includes(id));
    const confirm = await c.alice.get(`/posts/${id}/delete`);
    assert.equal(confirm.status, 200);
    assert.match(confirm.body_text, new RegExp(`<form method="post" action="/posts/${id}/delete">`));
    const res = await c.alice.postWithCsrf(`/posts/${id}/delete`, {}, `/posts/${id}/delete`);
    assert.equal(res.status, 303);
    assert.equal(locationPath(res, srv.url), '/');
    await assertGone(id, 'suppression');
    assert.equal((await c.alice.postWithCsrf(`/posts/${id}/delete`, {}, '/')).status, 404, 'deleting twice');
});

test('an administrator deletes a member’s post (API), and it is gone everywhere too', async () => {
    const id = await richPost('moderation');
    assert.match((await c.ada.get(`/posts/${id}`)).body_text, new RegExp(`href="/posts/${id}/delete"`));
    const res = await api('ada', `/api/v1/posts/${id}`, { method: 'DELETE' });
    assert.equal(res.status, 204, res.body_text);
    await assertGone(id, 'moderation');
    assert.equal((await api('ada', `/api/v1/posts/${id}`, { method: 'DELETE' })).status, 404);
});

test('an administrator deletes by the form as well', async () => {
    const id = await richPost('moderation');
    const res = await c.ada.postWithCsrf(`/posts/${id}/delete`, {}, `/posts/${id}/delete`);
    assert.equal(res.status, 303);
    await assertGone(id, 'moderation');
});

/* ---- pagination ------------------------------------------------------------------------------------- */

test('keyset pagination: new posts arriving between pages cause no duplicate and no gap', async () => {
    /* Bruno follows Alice: her posts fill his feed. */
    assert.equal((await c.bruno.postWithCsrf(`/people/${ids.alice}/follow`, {}, `/people/${ids.alice}`)).status, 303);
    for (let i = 0; i < 25; i++) await publish('alice', `Message de remplissage n° ${i + 1}`);
    const expected = await walkApi('bruno');
    assert.ok(expected.length > 30, `enough posts: ${expected.length}`);
    assertNoDuplicates(expected, 'the full feed');
    assertDescending(expected, 'the full feed');

    const first = await api('bruno', '/api/v1/feed?limit=7');
    assert.equal(first.json_body.items.length, 7);
    const page1 = first.json_body.items.map((p) => p.id);
    assert.deepEqual(page1, expected.slice(0, 7));
    assert.equal(first.json_body.next, String(page1[6]), 'the cursor is the last id shown');

    const fresh = [];
    for (let i = 0; i < 5; i++) fresh.push(await publish('alice', `Arrivé pendant la lecture ${i + 1}`));
    const rest = await walkApi('bruno', 7, first.json_body.next);
    const all = [...page1, ...rest];
    assertNoDuplicates(all, 'page 1 + the next pages');
    assert.deepEqual(all, expected, 'no gap: exactly the posts there were when page 1 was read');
    assert.ok(!rest.some((id) => fresh.includes(id)), 'the new posts are not in the later pages');

    const top = (await api('bruno', '/api/v1/feed?limit=5')).json_body.items.map((p) => p.id);
    assert.deepEqual(top, [...fresh].reverse(), 'a new first page starts with them');
    P.feedCount = expected.length + fresh.length;
});

test('"Voir plus" (?before=) walks the home feed without JavaScript: same posts as the API, in order', async () => {
    const home = await c.bruno.get('/');
    const first = cardIds(home.body_text);
    assert.equal(first.length, 20, 'a page holds 20 posts');
    const link = moreLink(home.body_text);
    assert.equal(link, `/?before=${first[19]}`);
    const second = await c.bruno.get(link);
    assert.equal(second.status, 200);
    assert.ok(cardIds(second.body_text).every((id) => id < first[19]));
    assert.doesNotMatch(second.body_text, /id="post-body"/, 'later pages have no compose form');
    const html = await walkHtml(c.bruno, '/');
    assertNoDuplicates(html, 'the HTML pages');
    assert.deepEqual(html, await walkApi('bruno'), 'the pages hold the whole feed');
    assert.equal(html.length, P.feedCount);
    const last = await c.bruno.get(`/?before=${html[html.length - 1]}`);
    assert.equal(last.status, 200);
    assert.match(last.body_text, /Rien de plus\./);
    assert.equal(moreLink(last.body_text), null);
    /* /posts and a profile paginate the same way. */
    const everything = await allPosts();
    assertNoDuplicates(everything, '/posts');
    assertDescending(everything, '/posts');
    const profile = await walkHtml(c.bruno, `/people/${ids.alice}`);
    assertNoDuplicates(profile, 'the profile');
    assert.ok(profile.length > 20);
});

test('malformed cursors and limits are refused with 400', async () => {
    for (const q of ['?before=abc', '?before=-1', '?before=0', '?before=1e3', '?before=99999999999999999999']) {
        assert.equal((await c.bruno.get(`/${q}`)).status, 400, `home ${q}`);
        assert.equal((await c.bruno.get(`/posts${q}`)).status, 400, `/posts ${q}`);
        assert.equal((await c.bruno.get(`/tags/comptabilite${q}`)).status, 400, `tag ${q}`);
    }
    for (const [q, field] of [['cursor=abc', 'cursor'], ['cursor=-5', 'cursor'], ['limit=0', 'limit'], ['limit=51', 'limit'], ['limit=x', 'limit']]) {
        const res = await api('bruno', `/api/v1/feed?${q}`);
        assert.equal(res.status, 400, q);
        assert.equal(res.json_body.error.field, field, q);
    }
    assert.equal((await api('bruno', '/api/v1/feed?limit=50')).status, 200);
});

/* ---- guests ----------------------------------------------------------------------------------------- */

test("guests never see a member's profile post: 404 on its page and API, absent from /posts, feeds and tags", async () => {
    const id = P.tagA;
    assert.equal((await c.gus.get(`/posts/${id}`)).status, 404);
    assert.equal((await c.gus.get(`/posts/${id}/history`)).status, 404);
    assert.equal((await api('gus', `/api/v1/posts/${id}`)).status, 404);
    assert.equal((await api('gus', `/api/v1/posts/${id}/comments`)).status, 404);
    const all = await c.gus.get('/posts');
    assert.equal(all.status, 200);
    assert.deepEqual(cardIds(all.body_text), []);
    assert.deepEqual((await api('gus', '/api/v1/feed')).json_body.items, []);
    assert.deepEqual(cardIds((await c.gus.get('/tags/comptabilite')).body_text), []);
    assert.deepEqual(cardIds((await c.gus.get('/')).body_text), []);
    assert.equal((await api('gus', `/api/v1/posts/${id}/reactions`, { method: 'POST', body: { kind: 'like' } })).status, 404);
    assert.equal((await api('gus', `/api/v1/posts/${id}/comments`, { method: 'POST', body: { body: 'x' } })).status, 404);
    assert.equal((await c.gus.postWithCsrf(`/posts/${id}/comments`, { body: 'x' }, '/')).status, 404);
});

test('guests cannot publish on a profile (403) and are offered no compose form', async () => {
    const before = await allPosts();
    const res = await c.gus.postWithCsrf('/posts', { body: 'Je suis externe', back: '/' });
    assert.equal(res.status, 403, res.body_text.slice(0, 200));
    const viaApi = await api('gus', '/api/v1/posts', { method: 'POST', body: { body: 'Je suis externe' } });
    assert.equal(viaApi.status, 403);
    assert.deepEqual(await allPosts(), before);
    assert.doesNotMatch((await c.gus.get('/')).body_text, /id="post-body"/);
});

/* ---- announcements -------------------------------------------------------------------------------- */

test('an administrator pins a post: it is on top of every member’s home until each dismisses it', async () => {
    const id = P.first;
    /* A site announcement is the administrators' (animators pin in their communities only). */
    let res = await c.bruno.postWithCsrf(`/posts/${id}/pin`, { pin: '1', back: '/' }, '/');
    assert.equal(res.status, 403, 'a member cannot pin');
    assert.doesNotMatch((await c.bruno.get(`/posts/${id}`)).body_text, /action="\/posts\/\d+\/pin"/, 'no pin button for members');
    assert.equal((await c.ada.postForm(`/posts/${id}/pin`, { pin: '1' })).status, 403, 'pinning needs the token');
    for (const who of ['alice', 'bruno', 'claire', 'denis']) assert.deepEqual(announcementIds((await c[who].get('/')).body_text), [], who);

    res = await c.ada.postWithCsrf(`/posts/${id}/pin`, { pin: '1', back: `/posts/${id}` }, `/posts/${id}`);
    assert.equal(res.status, 303);
    assert.equal((await api('denis', `/api/v1/posts/${id}`)).json_body.pinned, true);
    for (const who of ['alice', 'bruno', 'claire', 'denis', 'ada']) {
        const html = (await c[who].get('/')).body_text;
        assert.deepEqual(announcementIds(html), [id], `${who} sees the announcement`);
        const top = html.indexOf('<section class="announcements"');
        assert.ok(top > 0 && top < html.indexOf('id="post-body"') && top < html.indexOf('<div class="feed">'), `${who}: at the top`);
    }
    assert.deepEqual(announcementIds((await c.gus.get('/')).body_text), [], 'not for guests');

    res = await c.denis.postWithCsrf(`/posts/${id}/dismiss`, { back: '/' }, '/');
    assert.equal(res.status, 303);
    assert.equal(locationPath(res, srv.url), '/');
    assert.deepEqual(announcementIds((await c.denis.get('/')).body_text), [], 'dismissed for Denis');
    for (const who of ['alice', 'bruno', 'claire']) assert.deepEqual(announcementIds((await c[who].get('/')).body_text), [id], `still there for ${who}`);
    assert.equal((await c.denis.get(`/posts/${id}`)).status, 200, 'the post itself stays');

    res = await c.ada.postWithCsrf(`/posts/${id}/pin`, { pin: '0', back: '/' }, '/');
    assert.equal(res.status, 303);
    for (const who of ['alice', 'bruno']) assert.deepEqual(announcementIds((await c[who].get('/')).body_text), [], `unpinned for ${who}`);
    assert.equal((await api('bruno', `/api/v1/posts/${id}`)).json_body.pinned, false);
});

/* ---- XSS corpus ----------------------------------------------------------------------------------- */

/* The whole page: its <main> is inert, and the only scripts are the site's own. */
function assertPageInert(html, where) {
    assertInert(main(html), where);
    for (const m of html.matchAll(/<script\b[^>]*>/gi)) assert.match(m[0], /^<script src="\/static\/[a-z-]+\.js"( defer)?>$/, `${where}: ${m[0]}`);
}

test('the inertness check catches what it must (self-test)', () => {
    for (const bad of ['<script>x</script>', '<img src=x onerror=alert(1)>', '<a href="javascript:alert(1)">x</a>', '<a href=" JaVaScRiPt:x">x</a>', '<a href="&#x6A;avascript:x">x</a>', '<a href="data:text/html,x">', '<svg>', '<p onclick="x">', "<img src='x' ONLOAD='y'>"]) {
        assert.throws(() => assertInert(bad, 'probe'), undefined, bad);
    }
    assertInert('<p>&lt;script&gt;alert(1)&lt;/script&gt; <a href="/tags/x">#x</a> onclick=1 <img src="" alt="x onerror=1"></p>', 'probe');
});

test('XSS corpus in posts: the HTML of every page and the API hold nothing executable', async () => {
    const posted = [];
    for (const body of XSS) posted.push(await publish('alice', body));
    posted.push(await publish('alice', XSS.join('\n\n')));
    P.xss = posted;
    /* An edit, so the history page renders hostile text too. */
    assert.equal((await api('alice', `/api/v1/posts/${posted[0]}`, { method: 'PATCH', body: { body: XSS.slice(1, 12).join(' ') } })).status, 200);
    for (const id of posted) {
        const res = await c.bruno.get(`/posts/${id}`);
        assert.equal(res.status, 200, `post ${id}`);
        assertPageInert(res.body_text, `/posts/${id}`);
        const p = (await api('bruno', `/api/v1/posts/${id}`)).json_body;
        assertInert(p.html, `API html of ${id}`);
    }
    for (const path of ['/', '/?before=' + (posted[posted.length - 1] + 1), '/posts', `/people/${ids.alice}`, `/posts/${posted[0]}/history`, `/posts/${posted[0]}/edit`, '/tags/tag', '/tags/a']) {
        const who = path.endsWith('/edit') ? c.alice : c.bruno;
        const res = await who.get(path);
        assert.equal(res.status, 200, path);
        assertPageInert(res.body_text, path);
    }
    /* The mention trick links Claire only by her name and notifies her; her page is inert. */
    assertPageInert((await c.claire.get('/notifications')).body_text, '/notifications');
    for (const item of (await api('bruno', '/api/v1/feed?limit=50')).json_body.items) assertInert(item.html, `feed item ${item.id}`);
});

test('XSS corpus in comments and replies: pages and API hold nothing executable', async () => {
    const post = await publish('alice', 'Fil des commentaires hostiles');
    P.xssComments = post;
    let parent = null;
    for (const body of XSS) {
        const res = await api('bruno', `/api/v1/posts/${post}/comments`, { method: 'POST', body: parent ? { body, parent_id: parent } : { body } });
        assert.equal(res.status, 201, res.body_text);
        assertInert(res.json_body.html, `comment API html: ${body}`);
        parent = parent ? null : res.json_body.id;
    }
    const form = await c.bruno.postWithCsrf(`/posts/${post}/comments`, { body: XSS.join('\n\n') }, `/posts/${post}`);
    assert.equal(form.status, 303);
    const cid = Number(form.headers.get('location').match(/#comment-(\d+)$/)[1]);
    assert.equal((await c.bruno.postWithCsrf(`/comments/${cid}/edit`, { body: XSS.slice(0, 10).join(' ') }, `/comments/${cid}/edit`)).status, 303);
    for (const [who, path] of [['alice', `/posts/${post}`], ['bruno', `/posts/${post}`], ['bruno', `/comments/${cid}/history`], ['bruno', `/comments/${cid}/edit`]]) {
        const res = await c[who].get(path);
        assert.equal(res.status, 200, path);
        assertPageInert(res.body_text, path);
    }
    for (const item of (await api('alice', `/api/v1/posts/${post}/comments`)).json_body.items) assertInert(item.html, `comment ${item.id}`);
    /* A refused hostile comment is echoed in its form, escaped. */
    const refused = await c.bruno.postWithCsrf(`/posts/${post}/comments`, { body: `${XSS.join(' ')}\u0001` }, `/posts/${post}`);
    assert.equal(refused.status, 400);
    assertPageInert(refused.body_text, 'refused comment');
    const refusedPost = await c.alice.postWithCsrf('/posts', { body: `${XSS.join(' ')}\u0001`, back: '/' });
    assert.equal(refusedPost.status, 400);
    assertPageInert(refusedPost.body_text, 'refused post');
});

/* ---- "who knows?" counts what people wrote ------------------------------------------------------- */

test('"Qui sait ?" ranks members by the posts they tagged with the subject, as the viewer may read them', async () => {
    for (let i = 0; i < 4; i++) {
        const res = await api('denis', '/api/v1/posts', { method: 'POST', body: { body: `Astuce ${i} sur la #Géothermie` } });
        assert.equal(res.status, 201);
    }
    const found = await api('alice', '/api/v1/people/experts?q=geothermie');
    assert.equal(found.status, 200);
    const denis = found.json_body.items.find((p) => p.id === ids.denis);
    assert.ok(denis, 'the writer is found without any declared skill');
    assert.equal(denis.posts, 4);
    assert.equal(denis.score, 3, 'posts add at most 3');
    assert.deepEqual(denis.matched, []);
    const page = (await c.alice.get('/people/experts?q=g%C3%A9othermie')).body_text;
    assert.match(page, /href="\/tags\/geothermie">4 publications #geothermie<\/a>/);
    /* A guest may not read profile posts: they cannot count for them (and guests get no directory). */
    assert.equal((await api('gus', '/api/v1/people/experts?q=geothermie')).status, 404);
});
