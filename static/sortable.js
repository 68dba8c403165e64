// Drag-and-drop and keyboard reordering of lists marked data-sortable (the rules dashboard).
// The tbody's data-sortable holds the URL that takes the full order (ids[] and the versions[] shown).
// Without JS the Up/Down buttons post plain forms instead.
(function () {
  'use strict';

  var dragging = null;
  var refreshDeferred = false;
  var keptFocus = null;

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute('content') : '';
  }

  function announce(text) {
    var region = document.getElementById('rules-announce');
    if (!region) return;
    region.textContent = '';
    setTimeout(function () { region.textContent = text; }, 50);
  }

  function message(kind, text) {
    document.dispatchEvent(new CustomEvent('showMessage', { detail: { kind: kind, text: text } }));
  }

  function rowsOf(tbody) {
    return Array.prototype.slice.call(tbody.querySelectorAll('tr[data-rule-id]'));
  }

  function nameOf(row) {
    var link = row.querySelector('a.sy-rule-name');
    return link ? link.textContent.trim() : 'The rule';
  }

  function focusHandle(id) {
    var handle = document.querySelector('#rule-row-' + id + ' [data-drag-handle]');
    if (handle) handle.focus();
  }

  // Live refreshes of the list wait while a row is being dragged, then run once.
  function runDeferredRefresh() {
    if (!refreshDeferred) return;
    refreshDeferred = false;
    var refresh = document.getElementById('rules-refresh');
    if (refresh && window.htmx) window.htmx.trigger(refresh, 'sse:rules-changed');
  }

  function saveOrder(tbody, row, announcement) {
    var params = new URLSearchParams();
    rowsOf(tbody).forEach(function (tr) {
      params.append('ids[]', tr.getAttribute('data-rule-id'));
      params.append('versions[]', tr.getAttribute('data-version'));
    });
    var id = row.getAttribute('data-rule-id');
    refreshDeferred = false;
    fetch(tbody.getAttribute('data-sortable'), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-CSRF-Token': csrfToken(), 'HX-Request': 'true' },
      body: params.toString()
    }).then(function (res) {
      return res.text().then(function (html) {
        if (res.status === 200 || res.status === 409 || res.status === 422) {
          var results = document.getElementById('rules-results');
          if (results && window.htmx) window.htmx.swap(results, html, { swapStyle: 'innerHTML' });
          if (res.status === 200) {
            announce(announcement);
          } else {
            var holder = document.createElement('div');
            holder.innerHTML = html;
            var alert = holder.querySelector('[role="alert"]');
            var text = alert ? alert.textContent.trim() : 'The new order was not saved; the list was reloaded.';
            announce(text);
            message('danger', text);
          }
          focusHandle(id);
          return;
        }
        message('danger', 'The new order was not saved (' + res.status + '). Reload the page and try again.');
      });
    }).catch(function () {
      message('danger', 'Switchyard could not be reached, so the new order was not saved. Check your connection and reload the page.');
    });
  }

  function positionText(tbody, row) {
    var rows = rowsOf(tbody);
    return nameOf(row) + ' is now number ' + (rows.indexOf(row) + 1) + ' of ' + rows.length + '.';
  }

  function clearMarks(tbody) {
    tbody.querySelectorAll('.sy-drop-before, .sy-drop-after, .sy-dragging').forEach(function (tr) {
      tr.classList.remove('sy-drop-before', 'sy-drop-after', 'sy-dragging');
    });
  }

  document.addEventListener('dragstart', function (e) {
    var handle = e.target.closest && e.target.closest('[data-drag-handle]');
    var tbody = handle && handle.closest('tbody[data-sortable]');
    if (!tbody) return;
    var row = handle.closest('tr');
    dragging = { row: row, tbody: tbody, order: rowsOf(tbody).map(function (tr) { return tr.getAttribute('data-rule-id'); }).join(',') };
    row.classList.add('sy-dragging');
    e.dataTransfer.effectAllowed = 'move';
    e.dataTransfer.setData('text/plain', row.getAttribute('data-rule-id'));
    if (e.dataTransfer.setDragImage) e.dataTransfer.setDragImage(row, 16, 16);
  });

  function dropPlace(e) {
    if (!dragging) return null;
    var row = e.target.closest && e.target.closest('tr[data-rule-id]');
    if (!row || row === dragging.row || row.parentNode !== dragging.tbody) return null;
    var box = row.getBoundingClientRect();
    return { row: row, before: e.clientY < box.top + box.height / 2 };
  }

  document.addEventListener('dragover', function (e) {
    var place = dropPlace(e);
    if (!place) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
    clearMarks(dragging.tbody);
    dragging.row.classList.add('sy-dragging');
    place.row.classList.add(place.before ? 'sy-drop-before' : 'sy-drop-after');
  });

  document.addEventListener('drop', function (e) {
    var place = dropPlace(e);
    if (!place) return;
    e.preventDefault();
    var tbody = dragging.tbody;
    var row = dragging.row;
    tbody.insertBefore(row, place.before ? place.row : place.row.nextSibling);
    clearMarks(tbody);
    var order = rowsOf(tbody).map(function (tr) { return tr.getAttribute('data-rule-id'); }).join(',');
    var changed = order !== dragging.order;
    dragging = null;
    if (changed) saveOrder(tbody, row, positionText(tbody, row));
  });

  document.addEventListener('dragend', function () {
    if (dragging) clearMarks(dragging.tbody);
    dragging = null;
    runDeferredRefresh();
  });

  // Alt+ArrowUp / Alt+ArrowDown on a focused handle moves its row one place.
  document.addEventListener('keydown', function (e) {
    if (!e.altKey || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
    var handle = e.target.closest && e.target.closest('[data-drag-handle]');
    var tbody = handle && handle.closest('tbody[data-sortable]');
    if (!tbody) return;
    e.preventDefault();
    var row = handle.closest('tr');
    var other = e.key === 'ArrowUp' ? row.previousElementSibling : row.nextElementSibling;
    if (!other || !other.hasAttribute('data-rule-id')) {
      announce(nameOf(row) + ' is already ' + (e.key === 'ArrowUp' ? 'first.' : 'last.'));
      return;
    }
    tbody.insertBefore(row, e.key === 'ArrowUp' ? other : other.nextSibling);
    handle.focus();
    saveOrder(tbody, row, positionText(tbody, row));
  });

  // While a row is dragged, live updates wait: swapping the list would drop the row being held.
  document.addEventListener('htmx:confirm', function (e) {
    if (dragging && e.target.id === 'rules-refresh') {
      e.preventDefault();
      refreshDeferred = true;
    }
  });
  document.addEventListener('htmx:sseBeforeMessage', function (e) {
    if (dragging && e.target.closest && e.target.closest('#rules-results')) {
      e.preventDefault();
      refreshDeferred = true;
      return;
    }
    rememberFocus(e.target);
  });

  // Swaps inside [data-keep-focus] keep keyboard focus on the control that had it (same id after the swap).
  function rememberFocus(target) {
    var active = document.activeElement;
    var area = target && target.closest && target.closest('[data-keep-focus]');
    if (area && active && active.id && area.contains(active)) keptFocus = active.id;
  }
  function restoreFocus() {
    if (!keptFocus) return;
    var id = keptFocus;
    keptFocus = null;
    var active = document.activeElement;
    if (active && active !== document.body && document.body.contains(active)) return;
    var el = document.getElementById(id);
    if (el) el.focus();
  }
  document.addEventListener('htmx:beforeSwap', function (e) { rememberFocus(e.detail.target); });
  document.addEventListener('htmx:afterSettle', restoreFocus);
  document.addEventListener('htmx:sseMessage', function () { setTimeout(restoreFocus, 50); });

  // The Up/Down buttons' answer names where the rule went.
  document.addEventListener('rulesMoved', function (e) {
    if (e.detail && e.detail.text) announce(e.detail.text);
  });
})();
