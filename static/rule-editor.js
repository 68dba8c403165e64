// The rule editor modal: opening, closing, Tom Select remote pickers, condition and mapping rows.
// Everything here only improves the form: without JavaScript it posts and re-renders on the server.
(function () {
  'use strict';

  function closeModal(from) {
    var modal = from.closest('.modal');
    if (!modal) return;
    var root = modal.parentElement;
    if (root && root.id === 'sy-modal-root') root.innerHTML = '';
    else modal.remove();
  }

  document.addEventListener('click', function (e) {
    var closer = e.target.closest('[data-modal-close]');
    if (closer) closeModal(closer);
  });
  document.addEventListener('keydown', function (e) {
    if (e.key !== 'Escape') return;
    var modal = document.querySelector('#sy-modal-root .modal.is-active');
    if (modal) closeModal(modal);
  });

  function fire(name) {
    document.body.dispatchEvent(new CustomEvent(name, { bubbles: true }));
  }

  // Project and board pickers search Jira's cached lists on the server as the admin types.
  function remotePicker(el) {
    if (!window.TomSelect || el.tomselect) return;
    var url = el.getAttribute('data-remote-search');
    new window.TomSelect(el, {
      valueField: 'value',
      labelField: 'text',
      searchField: ['text'],
      maxOptions: 100,
      allowEmptyOption: true,
      placeholder: el.getAttribute('data-placeholder') || '',
      loadThrottle: 250,
      load: function (query, callback) {
        var sep = url.indexOf('?') === -1 ? '?' : '&';
        fetch(url + sep + 'format=json&q=' + encodeURIComponent(query), { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
          .then(function (res) { return res.ok ? res.json() : []; })
          .then(function (items) { callback(items); })
          .catch(function () { callback(); });
      },
    });
  }

  function toggleValue(select) {
    var row = select.closest('[data-row="condition"]');
    var input = row && row.querySelector('[data-condition-value]');
    var option = select.options[select.selectedIndex];
    if (!input || !option) return;
    var needed = option.getAttribute('data-needs-value') !== '0';
    input.disabled = !needed;
    input.classList.toggle('is-invisible', !needed);
  }

  function sourceHint(select) {
    var row = select.closest('[data-row="mapping"]');
    var hints = document.getElementById('rule-source-hints');
    var hint = row && row.querySelector('[data-source-hint]');
    if (!hint || !hints) return;
    var attr = { STATIC: 'data-static', PF_PAYLOAD: 'data-pf-payload', TEMPLATE: 'data-template' }[select.value];
    if (hint.firstChild && hint.firstChild.nodeType === 3) hint.firstChild.textContent = (hints.getAttribute(attr) || '') + ' ';
    var value = row.querySelector('input[name$=".value"]');
    if (value) {
      if (select.value === 'PF_PAYLOAD') value.setAttribute('list', 'rule-path-suggestions');
      else value.removeAttribute('list');
    }
  }

  function fieldLabel(input) {
    var row = input.closest('[data-row="mapping"]');
    var label = row && row.querySelector('[data-field-label]');
    var list = document.getElementById('rule-field-options');
    if (!label || !list) return;
    var option = Array.prototype.find.call(list.options, function (o) { return o.value === input.value.trim(); });
    label.textContent = option ? option.label : '';
  }

  function sampleChoice(select) {
    var form = select.form;
    if (!form) return;
    form.querySelectorAll('[data-sample-json]').forEach(function (el) { el.classList.toggle('is-hidden', select.value !== 'json'); });
  }

  function actionChoice(select) {
    var form = select.form;
    if (!form) return;
    form.querySelectorAll('[data-sync-only]').forEach(function (el) { el.classList.toggle('is-hidden', select.value === 'DROP'); });
  }

  // htmx:load names each new top-level element, which may itself be the control.
  function each(root, selector, fn) {
    if (!root.querySelectorAll) return;
    if (root.matches(selector)) fn(root);
    root.querySelectorAll(selector).forEach(fn);
  }

  function setUp(root) {
    each(root, 'select[data-remote-search]', remotePicker);
    each(root, 'select[data-operator]', toggleValue);
    each(root, 'select[data-sample-choice]', sampleChoice);
    each(root, '#rule-action', actionChoice);
  }

  document.addEventListener('htmx:load', function (e) { setUp(e.detail.elt); });

  document.addEventListener('change', function (e) {
    var t = e.target;
    if (t.id === 'rule-project') fire('sy:project-changed');
    else if (t.id === 'rule-issue-type') {
      var hidden = t.form && t.form.querySelector('input[type="hidden"][name="issueTypeName"]');
      var option = t.options ? t.options[t.selectedIndex] : null;
      if (hidden && option) hidden.value = option.getAttribute('data-name') || '';
      fire('sy:target-changed');
    } else if (t.id === 'rule-board') {
      var name = t.form && t.form.querySelector('input[type="hidden"][name="boardName"]');
      if (name) name.value = '';
    } else if (t.matches('select[data-operator]')) toggleValue(t);
    else if (t.matches('select[data-source-type]')) sourceHint(t);
    else if (t.matches('select[data-sample-choice]')) sampleChoice(t);
    else if (t.id === 'rule-action') actionChoice(t);
    else if (t.matches('input[name$=".fieldId"]')) fieldLabel(t);
  });

  // A new issue-type list (after the project changed, or on opening) means the create screen may have changed too.
  document.addEventListener('htmx:afterSwap', function (e) {
    var target = e.detail.target || e.target;
    if (target && target.id === 'rule-issue-types') fire('sy:target-changed');
  });
})();
