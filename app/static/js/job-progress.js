/* Progress of a background job (close, re-pin, simulation): polls the element's data-url
   every second while the job is queued or running, updates the text and the bar, and once the
   job has ended opens data-done-url (or reloads the page) so that the page shows its outcome. */
(function () {
  "use strict";
  var box = document.getElementById("kemajuan");
  if (!box || (box.dataset.state !== "queued" && box.dataset.state !== "running")) {
    return;
  }
  function number(value) {
    return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }
  function show(job) {
    var text = document.getElementById("kemajuan-teks");
    var message = document.getElementById("kemajuan-pesan");
    var bar = document.getElementById("kemajuan-bar");
    if (text) {
      text.textContent = job.total ? "(" + number(job.done) + " / " + number(job.total) + ")" : "";
    }
    if (message) { message.textContent = job.message; }
    if (bar) {
      bar.style.width = job.percent + "%";
      bar.textContent = job.percent ? job.percent + "%" : "";
      bar.setAttribute("aria-valuenow", job.percent);
    }
  }
  var timer = setInterval(function () {
    fetch(box.dataset.url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) { return response.json(); })
      .then(function (job) {
        show(job);
        if (job.state !== "queued" && job.state !== "running") {
          clearInterval(timer);
          if (box.dataset.doneUrl) {
            window.location.assign(box.dataset.doneUrl);
          } else {
            window.location.reload();
          }
        }
      })
      .catch(function () { /* a missed poll is retried on the next tick */ });
  }, 1000);
})();
