// Browser-side latency: time from each htmx request start to settle, sent to the diagnostics page in batches.
(function () {
  'use strict';
})();
