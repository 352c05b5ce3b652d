/*
 * 42-groups-access-matrix: who sees what, over EVERY route of the route table (issue 7, "Who
 * sees what").
 *
 * The routes come from the binary (`ruche debug-routes`: METHODS PATTERN ACCESS FLAGS), never
 * from a list written here, so a route added later is walked too; a route whose parameter has
 * no fixture value, or that this file cannot classify, fails the test until the rule table
 * below says what it is.
 *
 * The fixture: four communities made by an animator (Anne) — public, private, secret, and a
 * private one archived at the end — each with a pinned post by a member (Marc) that mentions
 * the non-member, the guest and the administrator, links to a page of a local origin server
 * (a link preview) and carries a tag; a comment, a post with an image attached, a discussion
 * and a reply; plus a profile post.  Every title and text holds a unique marker ("zz<kind>
 * <what>zz").  Actors: an anonymous visitor, a guest added to the private community only,
 * Marc (member of all four), Noé (a member of the site in none of them), Anne (their
 * animator) and Ada (an administrator in none).
 *
 * For every GET route, every actor and (for routes about a community's content) every kind,
 * the status must be the rule table's (404 for what the actor may not know exists, 403 for
 * what they know but may not do, 303 to /login or 401 for the anonymous visitor, 200 for what
 * they may read), and no body — HTML, JSON, Atom, the directory and its searches, tags, the
 * home feed, notifications — may contain a marker, or a link to a post, discussion or
 * community, that the actor may not read.  Readers must see the markers of the main pages
 * (the test fails if the substitution went wrong).  State-changing routes are sent with a
 * valid CSRF token only where they must be refused (the anonymous visitor; guests, non-members
 * and the administrator on communities they are not in; anyone in the archived community), so
 * the fixture never changes; the few actions a non-member may legitimately take (joining,
 * an administrator deleting what they read) are skipped.
 *
 * Also: removing a member takes effect at once on an open cookie session and on an API token;
 * a mention in a secret community reaches no live stream of a non-member.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, rucheOk } from './lib/server.mjs';
import { signIn, apiToken, Client, csrfFromHtml } from './lib/client.mjs';
import { checkApiResponse } from './lib/api-schema.mjs';
import { makePng } from './lib/images.mjs';

const PW = 'correct-horse-1';
const USERS = {
    animator: { email: 'anne@example.test', name: 'Anne Animatrice', password: PW, role: 'animator' },
    member: { email: 'marc@example.test', name: 'Marc Membre', password: PW },
    nonmember: { email: 'noe@example.test', name: 'Noé Dehors', password: PW },
    guest: { email: 'gaston@example.test', name: 'Gaston Invité', password: PW, role: 'guest' },
    admin: { email: 'ada@example.test', name: 'Ada Admin', password: PW, role: 'admin' },
    rita: { email: 'rita@example.test', name: 'Rita Retirée', password: PW },
    sam: { email: 'sam@example.test', name: 'Sam Tiers', password: PW },
};
const ACTORS = ['anon', 'guest', 'member', 'nonmember', 'animator', 'admin'];
const KINDS = ['public', 'private', 'secret', 'archived'];
/* What each kind is made of: the archived community is a private one, archived at the end. */
const VISIBILITY = { public: 'public', private: 'private', secret: 'secret', archived: 'private' };
/* The content markers of a community: readers only. */
const CONTENT = ['desc', 'post', 'comment', 'attachpost', 'file', 'dtitle', 'dbody', 'reply', 'prev'];
/* Its name and purpose: whoever may know the community. */
const IDENTITY = ['name', 'purpose'];
const marker = (kind, what) => `zz${kind}${what}zz`;

let srv;
let origin; /* http.Server of the link previews */
let routes = []; /* [{methods, pattern, access, flags}] from ruche debug-routes */
const c = {}; /* signed-in cookie clients, and c.anon */
const csrf = {}; /* a valid CSRF token per actor (the anonymous visitor's from /login) */
const tokens = {}; /* API bearer tokens */
const ids = {}; /* account ids */
const feedKeys = {}; /* personal Atom feed keys */
const fx = {}; /* per kind: {community, post, attachpost, comment, discussion, reply, tag} */

/* ---- who may do what ------------------------------------------------------------------------ */

/* Member of the community of kind k (state 'member'). */
function isMember(actor, k) {
    if (actor === 'member' || actor === 'animator') return true;
    return actor === 'guest' && k === 'private';
}
/* May know the community exists: its members; members of the site but guests for listed ones. */
function knows(actor, k) {
    if (isMember(actor, k)) return true;
    if (actor === 'anon' || actor === 'guest') return false;
    return k !== 'secret';
}
/* May read its content: members, and members of the site but guests when it is public. */
function canRead(actor, k) {
    return isMember(actor, k) || (k === 'public' && (actor === 'nonmember' || actor === 'admin'));
}
const canWrite = (actor, k) => isMember(actor, k) && k !== 'archived';
/* The author of each fixture object: who may edit it. */
const AUTHOR = { post: 'member', attachpost: 'member', comment: 'animator', discussion: 'member', reply: 'animator' };

/* ---- the rule table ------------------------------------------------------------------------- */

/*
 * What a route's path parameters are about, from its pattern.  "community" routes are walked
 * once per kind; "global" routes once.  subject: the fixture object the {id} names.
 */
function scopeOf(pattern) {
    const params = [...pattern.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    if (params.length === 0) return { scope: 'global' };
    /* A community's forum and its pins through the API are its content (404 for non-readers). */
    if (/^(\/api\/v1)?\/communities\/\{id\}\/(discussions|pins)/.test(pattern)) return { scope: 'community', subject: 'forum' };
    if (/^(\/api\/v1)?\/communities\/\{id\}/.test(pattern) || /^\/admin\/communities\/\{id\}/.test(pattern)) return { scope: 'community', subject: 'community' };
    if (/^(\/api\/v1)?\/posts\/\{id\}\/files\//.test(pattern)) return { scope: 'community', subject: 'attachpost' };
    if (/^(\/api\/v1)?\/posts\/\{id\}/.test(pattern)) return { scope: 'community', subject: 'post' };
    if (/^\/comments\/\{id\}/.test(pattern)) return { scope: 'community', subject: 'comment' };
    if (/^(\/api\/v1)?\/discussions\/\{id\}\/replies\/\{reply\}/.test(pattern)) return { scope: 'community', subject: 'reply' };
    if (/^(\/api\/v1)?\/discussions\/\{id\}/.test(pattern)) return { scope: 'community', subject: 'discussion' };
    if (/^\/tags\/\{tag\}$/.test(pattern)) return { scope: 'community', subject: 'tag' };
    if (/^(\/api\/v1)?\/people\/\{id\}/.test(pattern)) return { scope: 'person' };
    if (['/static/{name}', '/feeds/{key}', '/login/link/{token}'].includes(pattern)) return { scope: 'global' };
    return { scope: 'unknown' };
}

/*
 * The kind of a GET route about a community, which decides its status:
 *   head     the community's name, purpose and cover: whoever knows it;
 *   manage   its animators' edit page (403 for others who know it, and once archived);
 *   manage-api the lists of its pending requests and invitations: its animators (404 for all others);
 *   write    a form to write in it: its members while not archived (403 for other readers);
 *   author   the edit or delete page of a post, comment, thread or reply (403 for other readers);
 *   tag      a tag's page: anyone signed in, guests too (it lists only what they read);
 *   content  everything else: whoever may read the community's content.
 */
const GET_KINDS = [
    [/^\/communities\/\{id\}(\/about|\/cover)?$/, 'head'],
    [/^\/api\/v1\/communities\/\{id\}$/, 'head'],
    [/^\/communities\/\{id\}\/edit$/, 'manage'],
    [/^\/api\/v1\/communities\/\{id\}\/(requests|invitations)$/, 'manage-api'],
    [/^\/communities\/\{id\}\/discussions\/new$/, 'write'],
    [/\/(edit|delete)$/, 'author'],
    [/^\/tags\/\{tag\}$/, 'tag'],
];
const getKind = (pattern) => (GET_KINDS.find(([re]) => re.test(pattern)) || [null, 'content'])[1];

/* Who, besides the author, may open the delete page of subject (a reader of it). */
function mayDelete(actor, subject) {
    if (actor === AUTHOR[subject]) return true;
    if (subject === 'comment' || subject === 'reply') return actor === 'animator';
    return actor === 'animator' || actor === 'admin';
}

/* Anonymous visitor on a members' route: the login page, or 401 on the API. */
const signInFirst = (route) => (route.flags.includes('api') ? 401 : 303);

/* Expected status of GET route (a community route for kind k) for actor; null: any. */
function expectGet(route, actor, k) {
    const { scope, subject } = scopeOf(route.pattern);
    const guarded = !['public', 'anon_ok'].includes(route.access);
    if (actor === 'anon' && guarded) return signInFirst(route);
    if (route.access === 'admin' && actor !== 'admin') return 404;
    if (['member', 'animator'].includes(route.access) && actor === 'guest') return 404;
    if (route.access === 'animator' && ['member', 'nonmember'].includes(actor)) return 404;
    if (scope === 'global' || scope === 'person') return expectGlobalGet(route, actor);
    const kind = getKind(route.pattern);
    switch (kind) {
        case 'head':
            return knows(actor, k) ? 200 : 404;
        case 'manage':
            if (!knows(actor, k)) return 404;
            return actor === 'animator' && k !== 'archived' ? 200 : 403;
        case 'manage-api': /* the lists of pending requests and invitations: theirs alone */
            return actor === 'animator' ? 200 : 404;
        case 'write':
            if (!canRead(actor, k)) return 404;
            return canWrite(actor, k) ? 200 : 403;
        case 'author': {
            if (!canRead(actor, k)) return 404;
            const deleting = route.pattern.endsWith('/delete');
            const allowed = deleting ? mayDelete(actor, subject) : actor === AUTHOR[subject];
            return allowed && k !== 'archived' ? 200 : 403;
        }
        case 'tag': /* any signed-in member: it lists only what they read */
            return 200;
        default:
            return canRead(actor, k) ? 200 : 404;
    }
}

/* Routes about no community (or about a person, Marc): by the route's access rule. */
const GLOBAL_GET = {
    '/login': { anon: 200 },
    '/healthz': {},
    '/static/{name}': {},
    '/feeds/{key}': { anon: 404 },
    '/login/link/{token}': { all: 404 }, /* a token that does not exist */
    '/communities/new': { guest: 404, member: 403, nonmember: 403 },
    '/people/{id}/edit': { guest: 404, nonmember: 404, animator: 404, admin: 200 },
    '/people/{id}/photo/{size}': { all: 404 }, /* Marc has no photo */
};
function expectGlobalGet(route, actor) {
    const special = GLOBAL_GET[route.pattern] || {};
    if (actor in special) return special[actor];
    if ('all' in special) return special.all;
    if (route.pattern === '/login') return null; /* signed in: the page or a redirect */
    return 200;
}

/* What a reader must find in the page of a route (kind k): the fixture's markers. */
const SHOWS = {
    '/communities/{id}': ['post', 'attachpost'],
    '/communities/{id}/about': ['desc'],
    '/communities/{id}/discussions': ['dtitle'],
    '/api/v1/communities/{id}/discussions': ['dtitle'],
    '/discussions/{id}': ['dtitle', 'dbody', 'reply'],
    '/api/v1/discussions/{id}': ['dtitle', 'dbody', 'reply'],
    '/posts/{id}': ['post', 'comment', 'prev'],
    '/api/v1/posts/{id}': ['post', 'prev'],
    '/api/v1/posts/{id}/comments': ['comment'],
    '/tags/{tag}': ['post'],
};

/* What global pages must show each actor: their communities' posts, the directory... */
const GLOBAL_SHOWS = {
    '/': (a) => KINDS.filter((k) => isMember(a, k)).map((k) => marker(k, 'post')).concat(['nonmember', 'admin'].includes(a) ? [marker('public', 'post')] : []),
    '/posts': (a) => KINDS.filter((k) => canRead(a, k)).map((k) => marker(k, 'post')),
    '/communities': (a) => KINDS.filter((k) => knows(a, k) && k !== 'archived').map((k) => marker(k, 'name')),
    '/api/v1/communities': (a) => KINDS.filter((k) => knows(a, k) && k !== 'archived').map((k) => marker(k, 'name')),
    '/notifications': (a) => (a === 'nonmember' || a === 'admin' ? [`/posts/${fx.public.post}"`] : []),
};
GLOBAL_SHOWS['/api/v1/feed'] = GLOBAL_SHOWS['/'];

/* The markers route (kind k) must show actor: the fixture reached the page. */
function mustShow(route, actor, k) {
    if (k) return canRead(actor, k) ? (SHOWS[route.pattern] || []).map((w) => marker(k, w)) : [];
    return GLOBAL_SHOWS[route.pattern] ? GLOBAL_SHOWS[route.pattern](actor) : [];
}

/* By design, the administrators' policy page names every community, secret ones too. */
function allowedToSee(pattern, actor, bad) {
    if (pattern !== '/admin/communities' || actor !== 'admin') return false;
    return KINDS.some((k) => IDENTITY.some((w) => bad === marker(k, w)) || bad.startsWith(`/communities/${fx[k].community}`));
}

/* ---- state-changing routes ------------------------------------------------------------------ */

/*
 * Writes a signed-in actor may legitimately make where they are not a member: skipped, or
 * the fixture would change.  Keys: "METHOD pattern"; values: (actor, k) => true to skip.
 */
const LEGIT = {
    'POST /communities/{id}/join': (a, k) => k === 'public' || k === 'private',
    'POST /api/v1/communities/{id}/join': (a, k) => k === 'public' || k === 'private',
    'POST /communities/{id}/leave': (a, k) => isMember(a, k),
    /* {member_id} is Marc: for Marc, removing himself is leaving. */
    'POST /communities/{id}/members/{member_id}/remove': (a) => a === 'member',
    'DELETE /api/v1/communities/{id}/members/{member_id}': (a) => a === 'member',
    /* Following a thread one reads is reading. */
    'POST /discussions/{id}/subscribe': (a, k) => canRead(a, k),
    'POST /discussions/{id}/unsubscribe': (a, k) => canRead(a, k),
    'POST /api/v1/discussions/{id}/subscription': (a, k) => canRead(a, k),
    'DELETE /api/v1/discussions/{id}/subscription': (a, k) => canRead(a, k),
    'POST /discussions/{id}/replies/{reply}/delete': (a, k) => a === 'admin' && canRead(a, k),
    'DELETE /api/v1/discussions/{id}/replies/{reply}': (a, k) => a === 'admin' && canRead(a, k),
    'POST /posts/{id}/delete': (a, k) => a === 'admin' && canRead(a, k),
    'DELETE /api/v1/posts/{id}': (a, k) => a === 'admin' && canRead(a, k),
    'POST /discussions/{id}/delete': (a, k) => a === 'admin' && canRead(a, k),
    'DELETE /api/v1/discussions/{id}': (a, k) => a === 'admin' && canRead(a, k),
    'POST /comments/{id}/delete': (a, k) => a === 'admin' && canRead(a, k),
    'POST /admin/communities/{id}/archive': (a) => a === 'admin',
    'POST /posts/{id}/dismiss': (a, k) => canRead(a, k),
};

/*
 * Refusals that are not 403 for someone who knows the community: nothing to leave, no
 * invitation to answer or withdraw (400 on the pages, 404 on the API).  Keys: "METHOD
 * pattern"; values: (actor, k) => status, or undefined for the usual 403.
 */
const REFUSAL = {
    'POST /communities/{id}/leave': () => 400,
    'POST /communities/{id}/invitation': () => 400,
    'POST /api/v1/communities/{id}/invitation/accept': () => 404,
    'POST /api/v1/communities/{id}/invitation/decline': () => 404,
    /* Marc's invitation: there is none (his own, or one his animator would cancel). */
    'DELETE /api/v1/communities/{id}/invitations/{member_id}': (a, k) => (isMember(a, k) ? 404 : undefined),
};

/* Global writes that must be refused for signed-in actors, by actor (others skipped). */
const GLOBAL_WRITES = {
    'POST /communities': { guest: 404, member: 403, nonmember: 403 },
    'POST /api/v1/communities': { guest: 404, member: 403, nonmember: 403 },
    'POST /admin/communities/settings': { guest: 404, member: 404, nonmember: 404, animator: 404 },
    'POST /people/{id}/edit': { guest: 404, nonmember: 404, animator: 404 },
    'PATCH /api/v1/people/{id}': { guest: 404, nonmember: 404, animator: 404 },
    'POST /people/{id}/photo': { guest: 404, nonmember: 404, animator: 404 },
    'POST /people/{id}/photo/delete': { guest: 404, nonmember: 404, animator: 404 },
    'POST /people/{id}/wish': { guest: 404 },
};

/* Expected refusal of a write on a community route for kind k; undefined: not tried. */
function expectWrite(route, method, actor, k) {
    const key = `${method} ${route.pattern}`;
    /* Publishing names its community in the body. */
    const subject = ['POST /posts', 'POST /api/v1/posts'].includes(key) ? 'community' : scopeOf(route.pattern).subject;
    if (actor === 'anon') return ['public', 'anon_ok'].includes(route.access) ? undefined : signInFirst(route);
    if (route.access === 'admin' && actor !== 'admin') return 404;
    if (['member', 'animator'].includes(route.access) && actor === 'guest') return 404;
    if (canWrite(actor, k)) return undefined; /* their community: they may act */
    if (LEGIT[key] && LEGIT[key](actor, k)) return undefined;
    if (!knows(actor, k)) return 404;
    if (subject !== 'community' && !canRead(actor, k)) return 404; /* a post, thread, tag... */
    return (REFUSAL[key] && REFUSAL[key](actor, k)) || 403;
}

/* Form fields and JSON bodies that pass validation, so the refusal is about rights. */
function formFor(route, k) {
    return {
        body: 'Texte de test du tableau des accès.',
        title: 'Titre de test',
        answer: /\/requests\//.test(route.pattern) ? 'approve' : 'accept',
        sticky: '1',
        locked: '1',
        role: 'member',
        pin: '1',
        email: USERS.sam.email,
        kind: 'like',
        reaction: 'like',
        community_id: String(fx[k].community),
        name: 'Nom changé',
        purpose: 'Raison changée.',
        visibility: VISIBILITY[k],
        archived: '1',
        reply_id: String(fx[k].reply),
        back: '/',
    };
}
const JSON_BODIES = [
    [/^POST \/api\/v1\/posts$/, (k) => ({ body: 'Texte de test.', community_id: fx[k].community })],
    [/^PATCH \/api\/v1\/posts\/\{id\}$/, () => ({ body: 'Texte changé.' })],
    [/^POST \/api\/v1\/posts\/\{id\}\/comments$/, () => ({ body: 'Commentaire.' })],
    [/^POST \/api\/v1\/posts\/\{id\}\/reactions$/, () => ({ kind: 'like' })],
    [/^POST \/api\/v1\/communities$/, () => ({ name: 'Refusée', purpose: 'Ne doit pas exister.', visibility: 'public' })],
    [/^PATCH \/api\/v1\/communities\/\{id\}$/, () => ({ purpose: 'Raison changée.' })],
    [/^POST \/api\/v1\/communities\/\{id\}\/(members|invitations)$/, () => ({ member_id: ids.sam })],
    [/^PUT \/api\/v1\/communities\/\{id\}\/members\/\{member_id\}\/role$/, () => ({ role: 'member' })],
    [/^POST \/api\/v1\/communities\/\{id\}\/pins$/, (k) => ({ post_id: fx[k].post })],
    [/^POST \/api\/v1\/communities\/\{id\}\/discussions$/, () => ({ title: 'Titre', body: 'Texte.' })],
    [/^PATCH \/api\/v1\/discussions\/\{id\}$/, () => ({ title: 'Titre changé' })],
    [/^POST \/api\/v1\/discussions\/\{id\}\/replies$/, () => ({ body: 'Réponse.' })],
    [/^PATCH \/api\/v1\/discussions\/\{id\}\/replies\/\{reply\}$/, () => ({ body: 'Réponse changée.' })],
    [/^POST \/api\/v1\/discussions\/\{id\}\/resolve$/, (k) => ({ reply_id: fx[k].reply })],
    [/^PATCH \/api\/v1\/people\/\{id\}$/, () => ({ job: 'Changé' })],
];
function jsonFor(method, route, k) {
    const hit = JSON_BODIES.find(([re]) => re.test(`${method} ${route.pattern}`));
    return hit ? hit[1](k) : undefined;
}

/* ---- paths ---------------------------------------------------------------------------------- */

/* The path of route for actor (kind k for community routes); throws on an unknown parameter. */
function pathFor(route, actor, k) {
    const { subject } = scopeOf(route.pattern);
    return route.pattern.replace(/\{(\w+)\}/g, (_, name) => {
        switch (name) {
            case 'id':
                if (subject === 'community' || subject === 'forum') return fx[k].community;
                if (subject === 'reply') return fx[k].discussion;
                if (subject && subject !== 'tag') return fx[k][subject];
                return ids.member; /* /people/{id} */
            case 'member_id':
                return ids.member;
            case 'post_id':
                return fx[k].post;
            case 'reply':
                return fx[k].reply;
            case 'n':
                return 0;
            case 'tag':
                return fx[k].tag;
            case 'size':
                return 64;
            case 'name':
                return 'ruche.css';
            case 'key':
                return actor === 'anon' || !feedKeys[actor] ? '1-bogus.atom' : `${feedKeys[actor]}.atom`;
            case 'token':
                return 'bogus-token-of-the-matrix';
            default:
                throw new Error(`route ${route.pattern}: no fixture value for {${name}}; add it to pathFor()`);
        }
    });
}

/* More addresses a GET route serves: Atom and vCard variants, searches and filters. */
const VARIANTS = {
    '/tags/{tag}': ['.atom'],
    '/people/{id}': ['.atom', '.vcf'],
    '/communities': ['?q=communaute', '?kind=secret', '?kind=private', '?mine=1', '?q=zz'],
    '/api/v1/communities': ['?q=communaute', '?kind=secret', '?mine=1', '?limit=100'],
    '/posts': ['?before=999999999'],
    '/api/v1/feed': ['?limit=50'],
    '/people': ['?q=marc'],
    '/api/v1/people': ['?q=marc'],
};

/* ---- requests ------------------------------------------------------------------------------- */

const STREAMS = new Set(['/live', '/api/v1/live']);

/* GET or write path as actor; returns {status, location, body}. */
async function request(actor, method, path, { form, json } = {}) {
    const client = actor === 'anon' ? c.anon : c[actor];
    const pathname = path.split('?')[0];
    if (method === 'GET' && STREAMS.has(pathname)) return stream(client, path);
    const init = { method, headers: {} };
    if (form) {
        init.headers['content-type'] = 'application/x-www-form-urlencoded';
        init.body = new URLSearchParams({ ...form, csrf_token: csrf[actor] }).toString();
    } else if (method !== 'GET') {
        init.headers['x-csrf-token'] = csrf[actor];
        init.headers.accept = 'application/json';
        if (json !== undefined) {
            init.headers['content-type'] = 'application/json';
            init.body = JSON.stringify(json);
        }
    }
    const res = await client.fetch(path, init);
    return { status: res.status, location: res.headers.get('location'), body: res.body_text, type: res.headers.get('content-type') };
}

/* A live stream: its status and head, then closed (its body never ends). */
async function stream(client, path) {
    const ctl = new AbortController();
    const res = await fetch(new URL(path, srv.url), { headers: { cookie: client.cookieHeader() }, redirect: 'manual', signal: ctl.signal });
    const type = res.headers.get('content-type');
    let body = '';
    if (!type || !type.startsWith('text/event-stream')) body = await res.text();
    ctl.abort();
    checkApiResponse({ method: 'GET', url: path, status: res.status, contentType: type, text: body });
    return { status: res.status, location: res.headers.get('location'), body, type };
}

/* Run fns with at most n at a time. */
async function pool(fns, n = 8) {
    const out = [];
    let next = 0;
    async function worker() {
        while (next < fns.length) {
            const i = next++;
            out[i] = await fns[i]();
        }
    }
    await Promise.all(Array.from({ length: n }, worker));
    return out;
}

/* The strings that must not appear in what actor receives. */
function forbiddenFor(actor) {
    const out = [];
    for (const k of KINDS) {
        if (!canRead(actor, k)) {
            for (const w of CONTENT) out.push(marker(k, w));
            out.push(`/posts/${fx[k].post}"`, `/posts/${fx[k].post}#`, `/posts/${fx[k].post}/`);
            out.push(`/posts/${fx[k].attachpost}"`, `/discussions/${fx[k].discussion}"`);
        }
        if (!knows(actor, k)) {
            for (const w of IDENTITY) out.push(marker(k, w));
            out.push(`/communities/${fx[k].community}"`, `/communities/${fx[k].community}/`);
        }
    }
    if (actor === 'anon' || actor === 'guest') out.push(marker('profile', 'post'));
    return out;
}

/* ---- the fixture ---------------------------------------------------------------------------- */

/* A JSON call with who's bearer token. */
async function api(who, path, { method = 'GET', body, status = 200 } = {}) {
    const res = await new Client(srv.url).json(path, { method, body, headers: { authorization: `Bearer ${tokens[who]}` } });
    assert.equal(res.status, status, `${method} ${path} as ${who}: ${res.status} ${res.body_text.slice(0, 300)}`);
    return res.json_body;
}

/* POST /posts as the compose form does, with one image attached; the new post's id. */
async function composeWithImage(who, communityId, body, fileName) {
    const boundary = `----ruche-matrix-${Math.random().toString(16).slice(2)}`;
    const chunks = [];
    const part = (headers, data) => chunks.push(Buffer.from(`--${boundary}\r\n${headers}\r\n\r\n`), Buffer.isBuffer(data) ? data : Buffer.from(data), Buffer.from('\r\n'));
    part('Content-Disposition: form-data; name="csrf_token"', csrf[who]);
    part('Content-Disposition: form-data; name="community_id"', String(communityId));
    part('Content-Disposition: form-data; name="body"', body);
    part(`Content-Disposition: form-data; name="files"; filename="${fileName}"\r\nContent-Type: image/png`, makePng(40, 30));
    chunks.push(Buffer.from(`--${boundary}--\r\n`));
    const res = await c[who].fetch('/posts', { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body: Buffer.concat(chunks) });
    assert.equal(res.status, 303, `compose: ${res.status} ${res.body_text.slice(0, 300)}`);
    const feed = await api(who, '/api/v1/feed?limit=1');
    assert.ok(feed.items[0].body.includes(body), 'the new post heads its author\'s feed');
    return feed.items[0].id;
}

/* Give community id a cover through its edit form (multipart), as its animator. */
async function setCover(id) {
    const fd = new FormData();
    fd.append('csrf_token', csrf.animator);
    fd.append('cover', new Blob([makePng(120, 40)], { type: 'image/png' }), 'cover.png');
    const res = await c.animator.fetch(`/communities/${id}/edit`, { method: 'POST', body: fd });
    assert.equal(res.status, 303, `cover of ${id}: ${res.status} ${res.body_text.slice(0, 300)}`);
}

/* The personal feed key on /account. */
async function accountKey(client) {
    const res = await client.get('/account');
    const m = res.body_text.match(/\/feeds\/(\d+-[A-Za-z0-9_-]+)\.atom/);
    assert.ok(m, 'a personal feed address on /account');
    return m[1];
}

async function buildFixture(port) {
    const handle = (who) => USERS[who].email.split('@')[0];
    for (const k of KINDS) {
        const com = await api('animator', '/api/v1/communities', {
            method: 'POST',
            status: 201,
            body: { name: `Communauté ${k} ${marker(k, 'name')}`, purpose: `Raison ${marker(k, 'purpose')}.`, visibility: VISIBILITY[k] },
        });
        const id = com.id;
        await api('animator', `/api/v1/communities/${id}`, { method: 'PATCH', body: { description: `Description ${marker(k, 'desc')}` } });
        await setCover(id);
        await api('animator', `/api/v1/communities/${id}/members`, { method: 'POST', status: 201, body: { member_id: ids.member } });
        if (k === 'private') await api('animator', `/api/v1/communities/${id}/members`, { method: 'POST', status: 201, body: { member_id: ids.guest } });
        const tag = `tag${k}mx`;
        const post = await api('member', '/api/v1/posts', {
            method: 'POST',
            status: 201,
            body: {
                community_id: id,
                body: `Publication ${marker(k, 'post')} #${tag} @${handle('nonmember')} @${handle('guest')} @${handle('admin')} http://127.0.0.1:${port}/prev/${k}`,
            },
        });
        const comment = await api('animator', `/api/v1/posts/${post.id}/comments`, {
            method: 'POST',
            status: 201,
            body: { body: `Commentaire ${marker(k, 'comment')} @${handle('nonmember')}` },
        });
        await api('animator', `/api/v1/communities/${id}/pins`, { method: 'POST', body: { post_id: post.id }, status: 200 });
        const attachpost = await composeWithImage('member', id, `Pièce jointe ${marker(k, 'attachpost')}`, `${marker(k, 'file')}.png`);
        const discussion = await api('member', `/api/v1/communities/${id}/discussions`, {
            method: 'POST',
            status: 201,
            body: { title: `Fil ${marker(k, 'dtitle')}`, body: `Question ${marker(k, 'dbody')} @${handle('nonmember')}` },
        });
        const reply = await api('animator', `/api/v1/discussions/${discussion.id}/replies`, {
            method: 'POST',
            status: 201,
            body: { body: `Réponse ${marker(k, 'reply')} @${handle('nonmember')}` },
        });
        fx[k] = { community: id, post: post.id, attachpost, comment: comment.id, discussion: discussion.id, reply: reply.id, tag };
    }
    await api('member', '/api/v1/posts', { method: 'POST', status: 201, body: { body: `Profil ${marker('profile', 'post')} @${handle('guest')}` } });
    /* The previews are fetched by a background job: wait (bounded) for every card. */
    const deadline = Date.now() + Number(process.env.RUCHE_PREVIEW_WAIT_MS || 40000);
    for (const k of KINDS) {
        for (;;) {
            const p = await api('member', `/api/v1/posts/${fx[k].post}`);
            if (p.link && p.link.title) break;
            assert.ok(Date.now() < deadline, `no link preview for the ${k} post in time: ${JSON.stringify(p).slice(0, 400)}`);
            await new Promise((r) => setTimeout(r, 300));
        }
    }
    const res = await c.admin.postForm(`/admin/communities/${fx.archived.community}/archive`, { archived: '1', csrf_token: csrf.admin });
    assert.equal(res.status, 303, `archive: ${res.status}`);
}

before(async () => {
    const image = makePng(600, 315);
    origin = http.createServer((req, res) => {
        const m = req.url.match(/^\/prev\/(\w+)$/);
        if (m) {
            res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
            res.end(
                `<!doctype html><html><head><title>t</title><meta property="og:title" content="Aperçu ${marker(m[1], 'prev')}">` +
                    `<meta property="og:image" content="/img.png"></head><body></body></html>`,
            );
        } else if (req.url === '/img.png') {
            res.writeHead(200, { 'content-type': 'image/png' });
            res.end(image);
        } else {
            res.writeHead(404);
            res.end();
        }
    });
    await new Promise((r) => origin.listen(0, '127.0.0.1', r));
    const out = await rucheOk(['debug-routes']);
    routes = out.stdout
        .trim()
        .split('\n')
        .map((line) => {
            const [methods, pattern, access, flags] = line.split(' ');
            return { methods: methods.split(','), pattern, access, flags: flags === '-' ? [] : flags.split(',') };
        });
    srv = await startServer({ users: Object.values(USERS), config: ['preview_allow_hosts = 127.0.0.1'] });
    for (const [key, u] of Object.entries(USERS)) {
        c[key] = (await signIn(srv.url, u.email, u.password)).client;
        ids[key] = (await c[key].json('/api/v1/me')).json_body.id;
        tokens[key] = await apiToken(srv.url, u.email, u.password);
        csrf[key] = await c[key].csrf('/account');
        feedKeys[key] = await accountKey(c[key]);
    }
    c.anon = new Client(srv.url);
    csrf.anon = csrfFromHtml((await c.anon.get('/login')).body_text);
    await buildFixture(origin.address().port);
});

after(async () => {
    if (srv) await srv.stopChecked();
    if (origin) await new Promise((r) => origin.close(r));
});

/* ---- the tests ------------------------------------------------------------------------------ */

test('the route table comes from the binary, and every route is classified and has fixture values', () => {
    assert.ok(routes.length > 100, `ruche debug-routes printed ${routes.length} routes`);
    for (const r of routes) {
        assert.match(r.access, /^(public|anon_ok|guest|member|animator|admin)$/, `${r.pattern}: access ${r.access}`);
        assert.ok(r.methods.length > 0 && r.methods.every((m) => /^(GET|HEAD|POST|PUT|PATCH|DELETE)$/.test(m)), `${r.pattern}: ${r.methods}`);
        assert.notEqual(scopeOf(r.pattern).scope, 'unknown', `${r.pattern}: classify it in scopeOf()`);
        for (const actor of ACTORS) for (const k of KINDS) pathFor(r, actor, k);
    }
    const seen = new Set(routes.map((r) => `${r.methods.join(',')} ${r.pattern}`));
    for (const known of ['GET /communities/{id}', 'GET /discussions/{id}', 'GET /api/v1/feed', 'POST /api/v1/communities/{id}/join'])
        assert.ok(seen.has(known), `${known} is in the table`);
});

/* One GET per (route, variant, actor[, kind]); failures collected, then reported together. */
test('every GET route answers each actor by the rule table, and leaks nothing of what they may not read', async () => {
    const jobs = [];
    const failures = [];
    let checked = 0;
    for (const route of routes.filter((r) => r.methods.includes('GET'))) {
        const { scope } = scopeOf(route.pattern);
        const kinds = scope === 'community' ? KINDS : [null];
        for (const actor of ACTORS)
            for (const k of kinds) {
                const base = pathFor(route, actor, k ?? 'public');
                for (const variant of ['', ...(VARIANTS[route.pattern] || [])]) {
                    jobs.push(async () => {
                        const path = variant.startsWith('.') ? base + variant : `${base}${variant}`;
                        const res = await request(actor, 'GET', path);
                        checked++;
                        const where = `${actor}${k ? ` [${k}]` : ''} GET ${path} (${route.pattern})`;
                        const want = variant ? null : expectGet(route, actor, k);
                        if (want !== null && res.status !== want) failures.push(`${where}: ${res.status}, expected ${want}`);
                        if (res.status === 303 && actor === 'anon' && !variant && want === 303 && res.location !== '/login')
                            failures.push(`${where}: redirected to ${res.location}, not /login`);
                        for (const bad of forbiddenFor(actor))
                            if (res.body.includes(bad) && !allowedToSee(route.pattern, actor, bad)) failures.push(`${where}: the body holds ${bad}`);
                        if (!variant && res.status === 200)
                            for (const good of mustShow(route, actor, k))
                                if (!res.body.includes(good)) failures.push(`${where}: does not show ${good}`);
                        /* The pinned post (the older one) heads the community's feed. */
                        if (!variant && route.pattern === '/communities/{id}' && res.status === 200 && canRead(actor, k))
                            if (!(res.body.indexOf(marker(k, 'post')) < res.body.indexOf(marker(k, 'attachpost'))))
                                failures.push(`${where}: the pinned post does not come first`);
                    });
                }
            }
    }
    await pool(jobs);
    assert.ok(checked > 500, `${checked} requests`);
    assert.deepEqual(failures, [], `${failures.length} of ${checked} answers break the rules:\n${failures.join('\n')}`);
});

test('state-changing routes refuse the anonymous visitor, guests, non-members and everyone in an archived community', async () => {
    const jobs = [];
    const failures = [];
    let checked = 0;
    for (const route of routes) {
        const { scope } = scopeOf(route.pattern);
        for (const method of route.methods.filter((m) => !['GET', 'HEAD'].includes(m))) {
            const kinds = scope === 'community' || ['POST /posts', 'POST /api/v1/posts'].includes(`${method} ${route.pattern}`) ? KINDS : [null];
            for (const actor of ACTORS)
                for (const k of kinds) {
                    let want;
                    if (k) want = expectWrite(route, method, actor, k);
                    else if (actor === 'anon') want = ['public', 'anon_ok'].includes(route.access) ? undefined : signInFirst(route);
                    else want = (GLOBAL_WRITES[`${method} ${route.pattern}`] || {})[actor];
                    if (want === undefined) continue;
                    jobs.push(async () => {
                        const kk = k ?? 'public';
                        const path = pathFor(route, actor, kk);
                        const isApi = route.flags.includes('api');
                        const res = await request(actor, method, path, isApi ? { json: jsonFor(method, route, kk) } : { form: formFor(route, kk) });
                        checked++;
                        const where = `${actor}${k ? ` [${k}]` : ''} ${method} ${path} (${route.pattern})`;
                        if (res.status !== want) failures.push(`${where}: ${res.status}, expected ${want}: ${res.body.slice(0, 160).replace(/\s+/g, ' ')}`);
                        for (const bad of forbiddenFor(actor))
                            if (res.body.includes(bad)) failures.push(`${where}: the body holds ${bad}`);
                    });
                }
        }
    }
    await pool(jobs);
    assert.ok(checked > 300, `${checked} requests`);
    assert.deepEqual(failures, [], `${failures.length} of ${checked} refusals are wrong:\n${failures.join('\n')}`);
    /* Nothing changed: the fixture is as it was built. */
    for (const k of KINDS) {
        const com = await api('animator', `/api/v1/communities/${fx[k].community}`);
        assert.equal(com.member_count, k === 'private' ? 3 : 2, `${k}: members unchanged`);
        assert.equal(com.purpose, `Raison ${marker(k, 'purpose')}.`);
        const d = await api('member', `/api/v1/discussions/${fx[k].discussion}`);
        assert.equal(d.title ?? d.discussion?.title, `Fil ${marker(k, 'dtitle')}`);
        const p = await api('member', `/api/v1/posts/${fx[k].post}`);
        assert.equal(p.comment_count, 1, `${k}: no comment was added`);
    }
    const dir = await api('admin', '/api/v1/communities?limit=100');
    assert.equal(dir.items.filter((x) => x.name === 'Refusée').length, 0);
});

test('an archived community refuses every write of its own members and animator (403), pages and API', async () => {
    const route = (m, p) => ({ methods: [m], pattern: p, access: 'guest', flags: p.startsWith('/api/') ? ['api'] : [] });
    const tries = [
        ['member', 'POST', '/api/v1/posts'],
        ['member', 'POST', '/posts'],
        ['member', 'POST', '/posts/{id}/comments'],
        ['member', 'POST', '/api/v1/communities/{id}/discussions'],
        ['member', 'POST', '/discussions/{id}/replies'],
        ['member', 'PATCH', '/api/v1/posts/{id}'],
        ['animator', 'PATCH', '/api/v1/communities/{id}'],
        ['animator', 'POST', '/api/v1/communities/{id}/members'],
        ['animator', 'POST', '/communities/{id}/posts/{post_id}/pin'],
        ['animator', 'POST', '/discussions/{id}/lock'],
    ];
    for (const [actor, method, pattern] of tries) {
        const r = route(method, pattern);
        const isApi = r.flags.includes('api');
        const res = await request(actor, method, pathFor(r, actor, 'archived'), isApi ? { json: jsonFor(method, r, 'archived') } : { form: formFor(r, 'archived') });
        assert.equal(res.status, 403, `${actor} ${method} ${pattern}: ${res.status} ${res.body.slice(0, 200)}`);
    }
    for (const who of ['member', 'animator', 'nonmember'])
        assert.ok(!(await c[who].get('/communities?q=communaute')).body_text.includes(marker('archived', 'name')), 'out of the directory');
    const page = await c.member.get(`/communities/${fx.archived.community}`);
    assert.equal(page.status, 200);
    assert.ok(page.body_text.includes(marker('archived', 'post')), 'its members still read it');
    assert.ok(!page.body_text.includes('name="body"'), 'no compose form');
});

test('a removed member loses access at once, on the open cookie session and the API token', async () => {
    const com = await api('animator', '/api/v1/communities', { method: 'POST', status: 201, body: { name: 'Retrait immédiat', purpose: 'Vérifier le retrait.', visibility: 'secret' } });
    await api('animator', `/api/v1/communities/${com.id}/members`, { method: 'POST', status: 201, body: { member_id: ids.rita } });
    const p = await api('animator', '/api/v1/posts', { method: 'POST', status: 201, body: { community_id: com.id, body: 'Retrait zzremovalpostzz' } });
    const d = await api('animator', `/api/v1/communities/${com.id}/discussions`, { method: 'POST', status: 201, body: { title: 'Fil zzremovaltitlezz', body: 'Texte.' } });
    /* Rita reads everything, on her cookie session and with her token. */
    assert.ok((await c.rita.get(`/communities/${com.id}`)).body_text.includes('zzremovalpostzz'));
    assert.equal((await c.rita.get(`/discussions/${d.id}`)).status, 200);
    await api('rita', `/api/v1/posts/${p.id}`);
    await api('rita', `/api/v1/communities/${com.id}`);
    await api('animator', `/api/v1/communities/${com.id}/members/${ids.rita}`, { method: 'DELETE', status: 204 });
    /* The very next request of the same session and token is refused. */
    for (const path of [`/communities/${com.id}`, `/communities/${com.id}/members`, `/posts/${p.id}`, `/discussions/${d.id}`])
        assert.equal((await c.rita.get(path)).status, 404, `cookie ${path}`);
    for (const path of [`/api/v1/communities/${com.id}`, `/api/v1/posts/${p.id}`, `/api/v1/discussions/${d.id}`, `/api/v1/communities/${com.id}/discussions`])
        await api('rita', path, { status: 404 });
    await api('rita', '/api/v1/posts', { method: 'POST', status: 404, body: { community_id: com.id, body: 'Encore là ?' } });
    const res = await c.rita.postForm(`/discussions/${d.id}/replies`, { body: 'Encore là ?', csrf_token: csrf.rita });
    assert.equal(res.status, 404);
    for (const path of ['/', '/posts', '/communities', '/notifications']) {
        const body = (await c.rita.get(path)).body_text;
        assert.ok(!body.includes('zzremovalpostzz') && !body.includes('zzremovaltitlezz') && !body.includes('Retrait immédiat'), `nothing left on ${path}`);
    }
    const feed = await api('rita', '/api/v1/feed?limit=50');
    assert.ok(!JSON.stringify(feed).includes('zzremovalpostzz'));
});

test('a mention in a secret community reaches no live stream of a non-member; a member gets it', async () => {
    const open = (who) => {
        const ctl = new AbortController();
        const got = { text: '' };
        const done = fetch(new URL('/api/v1/live', srv.url), { headers: { authorization: `Bearer ${tokens[who]}` }, signal: ctl.signal })
            .then(async (res) => {
                assert.equal(res.status, 200);
                const reader = res.body.getReader();
                for (;;) {
                    const { value, done: end } = await reader.read();
                    if (end) break;
                    got.text += Buffer.from(value).toString('utf8');
                }
            })
            .catch(() => {});
        return { got, close: () => ctl.abort(), done };
    };
    const noe = open('nonmember');
    const marc = open('member');
    await new Promise((r) => setTimeout(r, 500));
    const p = await api('animator', '/api/v1/posts', { method: 'POST', status: 201, body: { community_id: fx.secret.community, body: 'Secret @noe @marc zzlivepostzz' } });
    const deadline = Date.now() + 10000;
    while (!marc.got.text.includes(`"post_id":${p.id}`) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1000)); /* the non-member's stream had as long */
    noe.close();
    marc.close();
    await Promise.all([noe.done, marc.done]);
    assert.ok(marc.got.text.includes(`"post_id":${p.id}`), 'the member is told of the new post');
    assert.ok(!noe.got.text.includes(`"post_id":${p.id}`), `the non-member is told nothing:\n${noe.got.text.slice(-500)}`);
    await api('animator', `/api/v1/posts/${p.id}`, { method: 'DELETE', status: 204 });
});
