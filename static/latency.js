// Browser-side latency: time from each htmx request start to settle, and each full page load,
// sent to the diagnostics page in batches. It must never get in the way: every failure is dropped silently.
(function () {
  'use strict';

  // routes.diagnosticsLatency in src/web/route-names.ts.
  var BEACON = '/admin/io/latency';
  var FLUSH_EVERY_MS = 5000;
  var BATCH = 20;
  // The server's limits (src/web/routes/diagnostics-routes.ts); a sample past them would spoil the whole report.
  var MAX_ACTION = 120;
  var MAX_MS = 600000;

  var queue = [];
  var started = new WeakMap();

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute('content') : '';
  }

  // "/admin/jobs/42?page=2" → "/admin/jobs/:id": one row per kind of page, not per record.
  function pattern(path) {
    var bare = String(path || '').split('#')[0].split('?')[0];
    try {
      bare = new URL(bare, window.location.href).pathname;
    } catch (err) {
      return bare;
    }
    return bare.replace(/\/\d+(?=\/|$)/g, '/:id');
  }

  function add(action, ms) {
    if (!csrfToken() || !(ms >= 0) || ms > MAX_MS) return;
    queue.push({ action: action.slice(0, MAX_ACTION), ms: Math.round(ms * 10) / 10 });
    if (queue.length >= BATCH) flush(false);
  }

  function flush(leaving) {
    var token = csrfToken();
    if (!queue.length || !token) return;
    var samples = queue.splice(0, BATCH);
    try {
      fetch(BEACON, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': token },
        body: JSON.stringify({ samples: samples }),
        credentials: 'same-origin',
        keepalive: leaving,
      }).catch(function () {});
    } catch (err) {
      // A browser that refuses the request (too much keepalive data while leaving) loses these samples, nothing more.
    }
    if (queue.length) flush(leaving);
  }

  document.addEventListener('htmx:beforeRequest', function (e) {
    var detail = e.detail || {};
    var config = detail.requestConfig || {};
    if (!detail.xhr || pattern(config.path) === BEACON) return;
    var labelled = detail.elt && detail.elt.closest ? detail.elt.closest('[data-latency]') : null;
    var action = labelled ? labelled.getAttribute('data-latency') : String(config.verb || 'get').toUpperCase() + ' ' + pattern(config.path);
    started.set(detail.xhr, { action: action, at: performance.now() });
  });

  document.addEventListener('htmx:afterSettle', function (e) {
    var xhr = e.detail && e.detail.xhr;
    var start = xhr && started.get(xhr);
    if (!start) return;
    started.delete(xhr);
    add(start.action, performance.now() - start.at);
  });

  // One sample per full page load: navigation start until the load event finished.
  window.addEventListener('load', function () {
    setTimeout(function () {
      var nav = performance.getEntriesByType ? performance.getEntriesByType('navigation')[0] : null;
      if (nav && nav.loadEventEnd > 0) add('Page ' + pattern(window.location.pathname), nav.loadEventEnd - nav.startTime);
    }, 0);
  });

  setInterval(function () { flush(false); }, FLUSH_EVERY_MS);
  window.addEventListener('pagehide', function () { flush(true); });
})();
