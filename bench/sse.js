// bench/sse.js - a minimal Server-Sent Events client over raw sockets, for the bench scripts
// (node's own modules only).  One object per stream: it sends GET with the session cookie,
// checks for 200, undoes the chunked encoding and calls back for each event and comment.
'use strict';
const net = require('net');

const now = () => performance.timeOrigin + performance.now(); // ms since the epoch, fractional

class SseStream {
    // opts: {host, port, path, cookie, onEvent(ev, t), onComment(text, t), onClose(why)}
    constructor(opts) {
        this.opts = opts;
        this.state = 'head'; // head, body, closed
        this.head = '';
        this.chunk = { left: -1, line: '' }; // chunked decoding: bytes left in the chunk, or -1 = size line
        this.text = '';
        this.opened = false;
        this.closedByUs = false;
    }

    // Resolves when ": connected" arrived; rejects with a short reason otherwise.
    open(timeoutMs) {
        return new Promise((resolve, reject) => {
            const o = this.opts;
            let settled = false;
            const settle = (err) => {
                if (settled) return;
                settled = true;
                clearTimeout(timer);
                if (err) { this.destroy(); reject(err); } else resolve(this);
            };
            const timer = setTimeout(() => settle(new Error('timeout')), timeoutMs);
            this.onOpen = () => settle(null);
            this.sock = net.connect({ host: o.host, port: o.port });
            this.sock.setNoDelay(true);
            this.sock.setEncoding('latin1');
            this.sock.on('connect', () => {
                this.sock.write(`GET ${o.path || '/live'} HTTP/1.1\r\nHost: ${o.host}:${o.port}\r\n` +
                    `Cookie: ${o.cookie}\r\nAccept: text/event-stream\r\n\r\n`);
            });
            this.sock.on('data', (d) => {
                try { this.feed(d); } catch (e) { settle(e); }
            });
            this.sock.on('error', (e) => {
                settle(new Error(e.code || e.message));
                this.closed(e.code || e.message);
            });
            this.sock.on('close', () => {
                settle(new Error('closed before ": connected"'));
                this.closed('closed');
            });
        });
    }

    closed(why) {
        if (this.state === 'closed') return;
        this.state = 'closed';
        if (this.opened && !this.closedByUs && this.opts.onClose) this.opts.onClose(why);
    }

    destroy() {
        this.closedByUs = true;
        if (this.sock) this.sock.destroy();
    }

    feed(d) {
        if (this.state === 'head') {
            this.head += d;
            const end = this.head.indexOf('\r\n\r\n');
            if (end < 0) return;
            const status = this.head.slice(0, this.head.indexOf('\r\n'));
            const rest = this.head.slice(end + 4);
            const m = /^HTTP\/1\.1 (\d+)/.exec(status);
            if (!m || m[1] !== '200') throw new Error(`HTTP ${m ? m[1] : '?'}`);
            this.chunked = /\r\ntransfer-encoding: *chunked/i.test(this.head.slice(0, end));
            this.head = '';
            this.state = 'body';
            d = rest;
        }
        if (this.state !== 'body' || !d) return;
        this.body(this.chunked ? this.dechunk(d) : d);
    }

    dechunk(d) {
        let out = '';
        let i = 0;
        const c = this.chunk;
        while (i < d.length) {
            if (c.left < 0) { // reading "size\r\n"
                const nl = d.indexOf('\n', i);
                if (nl < 0) { c.line += d.slice(i); break; }
                c.line += d.slice(i, nl);
                i = nl + 1;
                const size = parseInt(c.line.trim(), 16);
                c.line = '';
                if (Number.isNaN(size)) continue; // the CRLF after a chunk's data
                if (size === 0) { this.destroy(); break; } // end of the stream
                c.left = size;
            } else {
                const n = Math.min(c.left, d.length - i);
                out += d.slice(i, i + n);
                i += n;
                c.left -= n;
                if (c.left === 0) c.left = -1;
            }
        }
        return out;
    }

    body(s) {
        const t = now();
        this.text += s;
        let end;
        while ((end = this.text.indexOf('\n\n')) >= 0) {
            const block = this.text.slice(0, end);
            this.text = this.text.slice(end + 2);
            const ev = { id: null, event: 'message', data: [] };
            let comment = null;
            for (const line of block.split('\n')) {
                if (line.startsWith(':')) { comment = line.slice(1).trim(); continue; }
                const k = line.indexOf(':');
                const field = k < 0 ? line : line.slice(0, k);
                const value = k < 0 ? '' : line.slice(k + 1).replace(/^ /, '');
                if (field === 'id') ev.id = value;
                else if (field === 'event') ev.event = value;
                else if (field === 'data') ev.data.push(value);
            }
            if (comment !== null) {
                if (comment === 'connected' && !this.opened) { this.opened = true; this.onOpen(); }
                if (this.opts.onComment) this.opts.onComment(comment, t);
            }
            if (ev.data.length && this.opts.onEvent) {
                ev.data = ev.data.join('\n');
                this.opts.onEvent(ev, t);
            }
        }
    }
}

// Percentile of a sorted array (nearest rank).
function pct(sorted, p) {
    if (!sorted.length) return null;
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1))];
}

function readMem(pid) {
    const s = require('fs').readFileSync(`/proc/${pid}/status`, 'utf8');
    const get = (k) => Number((new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(s) || [0, 0])[1]);
    let fds = null;
    try { fds = require('fs').readdirSync(`/proc/${pid}/fd`).length; } catch { /* not ours to read */ }
    return { rssKiB: get('VmRSS'), hwmKiB: get('VmHWM'), fds };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

module.exports = { SseStream, now, pct, readMem, sleep };
