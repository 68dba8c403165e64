// API credentials page: copy buttons for the one-time secret, and forms that must not be sent twice.
(function () {
  'use strict';

  // Without JavaScript the buttons stay hidden and the fields can still be selected and copied by hand.
  function showCopyButtons() {
    document.querySelectorAll('button[data-copy][hidden]').forEach(function (button) {
      button.hidden = false;
    });
  }

  function copyFrom(input) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(input.value);
    input.focus();
    input.select();
    return document.execCommand('copy') ? Promise.resolve() : Promise.reject(new Error('copy refused'));
  }

  document.addEventListener('click', function (e) {
    var button = e.target.closest('button[data-copy]');
    if (!button) return;
    var input = document.getElementById(button.getAttribute('data-copy'));
    if (!input) return;
    var label = button.textContent;
    copyFrom(input).then(
      function () { button.textContent = 'Copied'; },
      function () { input.select(); button.textContent = 'Press Ctrl+C'; }
    );
    setTimeout(function () { button.textContent = label; }, 2500);
  });

  // A second click would send the form's one-time token again, and the server would refuse it.
  document.addEventListener('submit', function (e) {
    var form = e.target.closest('form[data-submit-once]');
    if (!form) return;
    if (form.getAttribute('data-sent')) {
      e.preventDefault();
      return;
    }
    form.setAttribute('data-sent', '1');
    form.querySelectorAll('button[type="submit"]').forEach(function (b) { b.classList.add('is-loading'); });
  });

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', showCopyButtons);
  else showCopyButtons();
})();
