// Progress of closing a period: polls the progress URL while the job runs, then reloads.
(function () {
  "use strict";
  var box = document.getElementById("kemajuan");
  if (!box || box.dataset.state !== "running") { return; }
  var timer = setInterval(function () {
    fetch(box.dataset.url, {headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (job) {
        document.getElementById("kemajuan-teks").textContent = job.done + " / " + job.total;
        document.getElementById("kemajuan-bar").style.width =
          (job.total ? 100 * job.done / job.total : 0) + "%";
        if (job.state !== "running") { clearInterval(timer); window.location.reload(); }
      });
  }, 1000);
})();
