// The supervisor's live preview on the rating form: the engine's proposed aspect levels and
// predikat for the values on screen. URL and labels come from the form's data attributes.
(function () {
  "use strict";
  var form = document.getElementById("rating-form");
  var box = document.getElementById("pratinjau");
  if (!form || !box || !form.dataset.previewUrl) { return; }
  var url = form.dataset.previewUrl;
  var labels = JSON.parse(form.dataset.labels || "{}");
  function label(v) { return labels[v] || v; }
  function element(tag, text, className) {
    var el = document.createElement(tag);
    if (text !== undefined) { el.textContent = text; }
    if (className) { el.className = className; }
    return el;
  }
  function render(res) {
    box.innerHTML = "";
    if (res.predicate) {
      var p = element("p", "Predikat: ");
      p.style.fontSize = "1.3em";
      var strong = element("strong", label(res.predicate));
      strong.id = "predikat-usulan";
      p.appendChild(strong);
      box.appendChild(p);
    }
    if (res.status && res.status !== "lengkap") {
      box.appendChild(element("p", res.message || label(res.status), "text-warning"));
    }
    Object.keys(res.aspects || {}).forEach(function (name) {
      var a = res.aspects[name];
      var div = element("div", label(name) + ": ");
      div.appendChild(element("strong", label(a.level || "–")));
      if (a.score !== undefined && a.score !== null) {
        div.appendChild(document.createTextNode(" "));
        div.appendChild(element("small", "(skor " + a.score + ")", "text-muted"));
      }
      box.appendChild(div);
    });
    if (res.sentences && res.sentences.length) {
      var list = element("ul", undefined, "small");
      res.sentences.forEach(function (text) { list.appendChild(element("li", text)); });
      box.appendChild(list);
    }
    if (!box.childNodes.length) { box.textContent = "–"; }
    var bar = document.getElementById("ringkasan-predikat");
    if (bar) { bar.textContent = res.predicate ? label(res.predicate) : "–"; }
  }
  function refresh() {
    fetch(url, {method: "POST", body: new FormData(form), headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(render)
      .catch(function () { box.textContent = "Pratinjau tidak tersedia."; });
  }
  form.addEventListener("change", refresh);
  refresh();
})();
