// The rule editor modal: opening, closing, Tom Select remote pickers, condition and mapping rows.
(function () {
  'use strict';
})();
