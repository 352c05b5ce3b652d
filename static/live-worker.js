/*
 * live-worker.js - the SharedWorker that holds a browser's one stream to
 * /live and forwards each event to every tab of the site (see live.js).
 */
'use strict';

var KINDS = ['feed.new_posts', 'notifications.unread'];
var ports = [];
var source = null;

function broadcast(message) {
    ports.forEach(function (port) {
        port.postMessage(message);
    });
}

function openStream() {
    source = new EventSource('/live');
    KINDS.forEach(function (kind) {
        source.addEventListener(kind, function (event) {
            var data = null;
            try { data = JSON.parse(event.data); } catch (e) { return; }
            broadcast({ kind: kind, data: data, id: event.lastEventId });
        });
    });
}

self.onconnect = function (event) {
    var port = event.ports[0];
    ports.push(port);
    /* A tab says goodbye when it goes away (live.js, on pagehide). */
    port.onmessage = function (message) {
        if (message.data === 'bye') {
            ports = ports.filter(function (p) { return p !== port; });
        }
    };
    port.start();
    if (!source || source.readyState === EventSource.CLOSED) {
        openStream();
    }
};
