/*
 * xss.mjs - the feed's XSS corpus and the check that rendered HTML holds nothing executable.
 *
 * XSS: hostile Markdown and HTML for posts and comments (raw tags, event handlers, broken
 * HTML, javascript:/data: links and images, reference links, entities, autolink tricks).
 * Each payload that could run calls alert() with a tag naming it ("xss-…"), so a browser
 * test that sees a dialog knows which one ran.
 *
 * assertInert(html, where) parses every tag of an HTML fragment and fails on a script-like
 * element, an on… attribute, or a URL attribute (entities decoded, spaces and controls
 * dropped) starting with javascript:, vbscript: or data:text.  Text that merely reads
 * "onerror=" (escaped, outside any tag) is fine.
 */
import assert from 'node:assert/strict';

export const XSS = [
    '<script>alert("xss-script")</script>',
    '<SCRIPT SRC=//evil.example/x.js></SCRIPT>',
    '<img src=x onerror=alert("xss-img")>',
    '"><img src=x onerror=alert("xss-break")>',
    "'><svg onload=alert('xss-svg')>",
    '<svg><script>alert("xss-svg-script")</script></svg>',
    '[x](javascript:alert("xss-md"))',
    '[x](JAVASCRIPT:alert("xss-md-upper"))',
    '[x]( javascript:alert("xss-md-space") )',
    '[x](java\tscript:alert("xss-md-tab"))',
    '![x](javascript:alert("xss-md-img"))',
    '![x](x" onerror="alert(\'xss-md-img-attr\'))',
    '[x](https://example.org/"onclick="alert(\'xss-md-attr\'))',
    '<a href="data:text/html,<script>alert(\'xss-data\')</script>">x</a>',
    '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgieHNzIik8L3NjcmlwdD4=)',
    '<scr<script>ipt>alert("xss-broken")</scr</script>ipt>',
    '<<script>script>alert("xss-nested")<</script>/script>',
    '<div onmouseover="alert(\'xss-handler\')">survol</div>',
    '<p style="x" onclick=alert("xss-p")>clic</p>',
    '<details open ontoggle=alert("xss-toggle")>',
    '<body onload=alert("xss-body")>',
    '<iframe src="javascript:alert(\'xss-iframe\')"></iframe>',
    '<object data="javascript:alert(\'xss-object\')"></object>',
    '<math><mi xlink:href="javascript:alert(\'xss-math\')">x</mi></math>',
    '<form action="javascript:alert(\'xss-form\')"><button>x</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(\'xss-meta\')">',
    '<style>body{display:none}</style>',
    '<javascript:alert("xss-autolink")>',
    '<https://example.org/" onmouseover="alert(\'xss-autolink-attr\')>',
    'www.example.org/"onmouseover="alert(\'xss-www\')"',
    'https://example.org/<script>alert("xss-url")</script>',
    '[x][r]\n\n[r]: javascript:alert("xss-ref")',
    '[x][R]\n\n[R]: <javascript:alert("xss-ref-angle")>',
    '[x](&#x6A;avascript:alert("xss-entity"))',
    '[x](&#106;&#97;&#118;&#97;script:alert("xss-entity-dec"))',
    '<a href="jav&#x09;ascript:alert(\'xss-entity-tab\')">x</a>',
    '&#x3C;script&#x3E;alert("xss-entity-tag")&#x3C;/script&#x3E;',
    '[x](vbscript:msgbox("xss-vbs"))',
    '`<script>alert("xss-code")</script>`',
    '#tag"onmouseover="alert(\'xss-tag\')',
    '@Claire Martin"><script>alert("xss-mention")</script>',
    '#a<img src=x onerror=alert("xss-tag-img")>',
];

/* The value of every attribute of every tag of html: [{tag, name, value}] (entities decoded). */
export function tagsOf(html) {
    const out = [];
    const decode = (s) =>
        s
            .replace(/&#x([0-9a-f]+);?/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
            .replace(/&#(\d+);?/g, (_, d) => String.fromCodePoint(Number(d)))
            .replace(/&(quot|apos|lt|gt|amp|colon|tab|newline);/gi, (_, n) => ({ quot: '"', apos: "'", lt: '<', gt: '>', amp: '&', colon: ':', tab: '\t', newline: '\n' })[n.toLowerCase()]);
    const text = html.replace(/<!--[\s\S]*?-->/g, '');
    for (const m of text.matchAll(/<([a-zA-Z][a-zA-Z0-9:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g)) {
        const tag = m[1].toLowerCase();
        out.push({ tag, name: null, value: null });
        for (const a of m[2].matchAll(/([^\s"'=<>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g)) {
            out.push({ tag, name: a[1].toLowerCase(), value: decode(a[2] ?? a[3] ?? a[4] ?? '') });
        }
    }
    return out;
}

const URL_ATTRS = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'background', 'srcset', 'lowsrc', 'dynsrc', 'ping']);
const BAD_TAGS = new Set(['script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'svg', 'math', 'style', 'meta', 'base', 'link', 'template']);

/* Nothing in the HTML fragment can run: no script-like tag, no on… attribute, no javascript:/data:text URL. */
export function assertInert(html, where) {
    assert.doesNotMatch(html, /<script/i, `${where}: "<script"`);
    for (const { tag, name, value } of tagsOf(html)) {
        if (name === null) {
            assert.ok(!BAD_TAGS.has(tag), `${where}: a <${tag}> element`);
            continue;
        }
        assert.ok(!/^on/.test(name), `${where}: an event-handler attribute ${name}="${value}" on <${tag}>`);
        if (URL_ATTRS.has(name)) {
            const v = value.replace(/[\u0000-\u0020]/g, '').toLowerCase();
            assert.ok(!/^(javascript|vbscript|livescript):/.test(v) && !v.startsWith('data:text'), `${where}: <${tag} ${name}="${value}">`);
        }
    }
}

