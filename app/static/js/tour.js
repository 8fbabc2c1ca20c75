// The first-login tour on the landing page: "Tutup" hides it and remembers that in this browser;
// "Tampilkan tur" brings it back. Without script the tour simply stays visible.
(function () {
  "use strict";
  var KEY = "kinerja-tur-ditutup";
  var tour = document.getElementById("tur");
  var reopen = document.getElementById("buka-tur");
  var close = document.getElementById("tutup-tur");
  if (!tour || !reopen || !close) { return; }
  function show(visible) {
    tour.hidden = !visible;
    reopen.hidden = visible;
  }
  var dismissed = false;
  try { dismissed = window.localStorage.getItem(KEY) === "1"; } catch (e) { dismissed = false; }
  show(!dismissed);
  close.addEventListener("click", function () {
    try { window.localStorage.setItem(KEY, "1"); } catch (e) { /* private mode: hide only */ }
    show(false);
  });
  reopen.addEventListener("click", function (event) {
    event.preventDefault();
    try { window.localStorage.removeItem(KEY); } catch (e) { /* nothing stored */ }
    show(true);
  });
}());
