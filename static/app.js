// Switchyard's page behaviour. Loaded as a file (the CSP forbids inline scripts).
(function () {
  'use strict';

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute('content') : '';
  }

  function toast(kind, text) {
    var box = document.getElementById('sy-toasts');
    if (!box) return;
    var note = document.createElement('div');
    note.className = 'notification is-light is-' + (kind || 'info');
    note.setAttribute('role', kind === 'danger' ? 'alert' : 'status');
    var close = document.createElement('button');
    close.className = 'delete';
    close.setAttribute('aria-label', 'Dismiss message');
    close.addEventListener('click', function () { note.remove(); });
    note.appendChild(close);
    note.appendChild(document.createTextNode(text));
    box.appendChild(note);
    setTimeout(function () { note.remove(); }, kind === 'danger' ? 15000 : 6000);
  }

  // Every state-changing htmx request carries the session's CSRF token.
  document.addEventListener('htmx:configRequest', function (e) {
    if (e.detail.verb !== 'get') e.detail.headers['X-CSRF-Token'] = csrfToken();
  });

  // Errors never fail silently: show the server's message, or say the hub is unreachable.
  document.addEventListener('htmx:responseError', function (e) {
    var xhr = e.detail.xhr;
    var text = 'The request failed (' + xhr.status + ').';
    var holder = document.createElement('div');
    holder.innerHTML = xhr.responseText || '';
    var found = holder.querySelector('[role="alert"]');
    if (found) text = found.textContent.trim();
    toast('danger', text);
  });
  document.addEventListener('htmx:sendError', function () {
    toast('danger', 'Switchyard could not be reached. Check your connection and try again.');
  });
  document.addEventListener('showMessage', function (e) {
    toast(e.detail.kind, e.detail.text);
  });

  document.addEventListener('click', function (e) {
    var burger = e.target.closest('[data-toggle]');
    if (!burger) return;
    var target = document.getElementById(burger.getAttribute('data-toggle'));
    var open = burger.classList.toggle('is-active');
    if (target) target.classList.toggle('is-active', open);
    burger.setAttribute('aria-expanded', String(open));
  });

  // Searchable pickers: any <select data-searchable> becomes a Tom Select.
  function enhance(root) {
    if (!window.TomSelect) return;
    root.querySelectorAll('select[data-searchable]:not(.tomselected)').forEach(function (el) {
      new window.TomSelect(el, { maxOptions: 500 });
    });
  }
  document.addEventListener('DOMContentLoaded', function () { enhance(document); });
  document.addEventListener('htmx:afterSwap', function (e) { enhance(e.target); });

  // Destructive buttons ask first: <button data-confirm="Delete …?">. Without JS the form posts directly.
  document.addEventListener('click', function (e) {
    var button = e.target.closest('[data-confirm]');
    if (button && !window.confirm(button.getAttribute('data-confirm'))) {
      e.preventDefault();
      e.stopPropagation();
    }
  }, true);

  // A "select all" checkbox checks every ids[] box of its form that can be chosen.
  document.addEventListener('change', function (e) {
    var all = e.target.closest('input[data-select-all]');
    if (!all || !all.form) return;
    all.form.querySelectorAll('input[type="checkbox"][name="ids[]"]:not(:disabled)').forEach(function (box) { box.checked = all.checked; });
  });

  // Live regions (hx-ext="sse") say whether their updates are flowing.
  function liveStatus(e, text, kind) {
    var holder = e.target.closest('[sse-connect]');
    var tag = holder && holder.querySelector('[data-live-status]');
    if (!tag) return;
    tag.textContent = text;
    tag.className = 'tag is-light ' + kind;
  }
  document.addEventListener('htmx:sseOpen', function (e) { liveStatus(e, 'Live updates: on', 'is-success'); });
  document.addEventListener('htmx:sseError', function (e) { liveStatus(e, 'Live updates: reconnecting…', 'is-warning'); });
})();
