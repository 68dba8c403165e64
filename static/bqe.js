// BQE pages: the Copy button beside the redirect URI. Without JavaScript the button stays hidden and the
// read-only field can still be selected and copied by hand.
(function () {
  'use strict';

  function show(root) {
    root.querySelectorAll('button[data-copy][hidden]').forEach(function (button) { button.hidden = false; });
  }

  function copied(button) {
    var label = button.textContent;
    button.textContent = 'Copied';
    setTimeout(function () { button.textContent = label; }, 2000);
  }

  document.addEventListener('click', function (e) {
    var button = e.target.closest('button[data-copy]');
    if (!button) return;
    var field = document.getElementById(button.getAttribute('data-copy'));
    if (!field) return;
    field.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(function () { copied(button); }, function () { field.select(); });
    } else if (document.execCommand('copy')) {
      copied(button);
    }
  });

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', function () { show(document); });
  else show(document);
})();
