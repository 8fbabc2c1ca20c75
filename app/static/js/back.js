// "Kembali" on an error page: back in the browser's history when there is one; the link's own
// address (the home page) otherwise.
(function () {
  "use strict";
  document.querySelectorAll("a.js-back").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (window.history.length > 1) { event.preventDefault(); window.history.back(); }
    });
  });
})();
