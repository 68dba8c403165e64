// Drag-and-drop and keyboard reordering of lists marked data-sortable (the rules dashboard).
(function () {
  'use strict';
})();
