// The unit export form: the file's address carries the unit and period in its path.
(function () {
  "use strict";
  var form = document.getElementById("ekspor-unit");
  if (!form) { return; }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.location = form.dataset.base + encodeURIComponent(form.unit.value) + "/" +
      encodeURIComponent(form.period.value) + ".xlsx";
  });
})();
