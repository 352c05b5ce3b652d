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
 * their .live-count child set to data.count and are shown.
 */
(function () {
    'use strict';

    var KINDS = ['feed.new_posts', 'notifications.unread'];

    function show(kind, data, id) {
        var marked = document.querySelectorAll('[data-live-count="' + kind + '"]');
        Array.prototype.forEach.call(marked, function (el) {
            var count = el.querySelector('.live-count');
            if (count && data && typeof data.count === 'number') {
                count.textContent = String(data.count);
                el.hidden = data.count === 0;
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
