/* The close job's progress bar on the period page: polls the job while it runs, then reloads
   the page to show the closed period. */
(function () {
  "use strict";
  var box = document.getElementById("kemajuan");
  if (!box || box.dataset.state !== "running") { return; }
  var timer = setInterval(function () {
    fetch(box.dataset.url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) { return response.json(); })
      .then(function (job) {
        document.getElementById("kemajuan-teks").textContent = job.done + " / " + job.total;
        document.getElementById("kemajuan-bar").style.width =
          (job.total ? 100 * job.done / job.total : 0) + "%";
        if (job.state !== "running") { clearInterval(timer); window.location.reload(); }
      });
  }, 1000);
}());
