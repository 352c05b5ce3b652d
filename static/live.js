/*
 * live.js - live updates for signed-in pages (progressive: pages work
 * without it, by reloading).
 *
 * One browser keeps one stream to /live, shared by all its tabs through a
 * SharedWorker (live-worker.js): a browser allows about six connections
 * per site, and one stream per tab would starve the others.  Without
 * SharedWorker, each tab opens its own EventSource.
 *
 * Each event is announced as a DOM event "ruche:live" ({kind, data, id})
 * for features to handle, and elements marked data-live-count="KIND" get
 * their .live-count child set to data.count (or increased by data.add:
 * "3 nouvelles publications") and are shown when it is not zero.  Inside
 * such an element, the labels marked data-live-plural="one" / "other"
 * are shown or hidden to agree with the count in the page's language
 * ("1 nouvelle publication", "2 nouvelles publications").
 */
(function () {
    'use strict';

    var KINDS = ['feed.new_posts', 'notifications.unread'];
    var plurals = null;

    /* "one" or "other": the plural category of n in the page's language. */
    function category(n) {
        if (plurals === null) {
            try {
                plurals = new Intl.PluralRules(document.documentElement.lang || 'fr');
            } catch (e) {
                plurals = false;
            }
        }
        if (plurals) {
            return plurals.select(n) === 'one' ? 'one' : 'other';
        }
        return n === 1 ? 'one' : 'other';
    }

    /* Show the label of el that agrees with n. */
    function agree(el, n) {
        var labels = el.querySelectorAll('[data-live-plural]');
        var wanted = category(n);
        Array.prototype.forEach.call(labels, function (label) {
            label.hidden = label.getAttribute('data-live-plural') !== wanted;
        });
    }

    function show(kind, data, id) {
        var marked = document.querySelectorAll('[data-live-count="' + kind + '"]');
        Array.prototype.forEach.call(marked, function (el) {
            var count = el.querySelector('.live-count');
            var value = null;
            if (!count || !data) {
                return;
            }
            if (typeof data.count === 'number') {
                value = data.count;
            } else if (typeof data.add === 'number') {
                value = (parseInt(count.textContent, 10) || 0) + data.add;
            }
            if (value !== null) {
                count.textContent = String(value);
                agree(el, value);
                el.hidden = value === 0;
            }
        });
        document.dispatchEvent(new CustomEvent('ruche:live', {
            detail: { kind: kind, data: data, id: id }
        }));
    }

    function openOwnStream() {
        var source = new EventSource('/live');
        KINDS.forEach(function (kind) {
            source.addEventListener(kind, function (event) {
                var data = null;
                try { data = JSON.parse(event.data); } catch (e) { return; }
                show(kind, data, event.lastEventId);
            });
        });
    }

    if (!document.body || document.body.getAttribute('data-live') !== 'on') {
        return;
    }
    if (window.SharedWorker) {
        try {
            var worker = new SharedWorker('/static/live-worker.js');
            worker.port.onmessage = function (event) {
                show(event.data.kind, event.data.data, event.data.id);
            };
            worker.port.start();
            window.addEventListener('pagehide', function () {
                worker.port.postMessage('bye');
            });
            return;
        } catch (e) {
            /* fall through to a stream of our own */
        }
    }
    if (window.EventSource) {
        openOwnStream();
    }
}());
