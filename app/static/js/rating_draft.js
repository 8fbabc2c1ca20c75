// The rating form keeps a draft on the server while the rater types (app/services/rating_drafts.py).
// When the session or the form's token has expired, it fetches a fresh token (after the rater
// signs in again, e.g. in another tab), puts it into the form, and saves again: nothing typed is
// lost, and the form can still be sent.
(function () {
  "use strict";
  var form = document.getElementById("rating-form");
  if (!form || !form.dataset.draftUrl) { return; }
  var status = document.getElementById("status-draf");
  var tokenField = form.querySelector("input[name=csrf_token]");
  var timer = null;
  var retry = null;

  function say(text, warn) {
    if (!status) { return; }
    status.textContent = "";
    status.className = "small " + (warn ? "text-danger" : "text-muted");
    status.appendChild(document.createTextNode(text));
    if (warn) {
      var link = document.createElement("a");
      link.href = form.dataset.loginUrl;
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = " Masuk lagi (tab baru)";
      status.appendChild(link);
    }
  }

  function values() {
    var out = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      var match = /^(value|comment)-(.+)$/.exec(el.name || "");
      if (!match || (el.type === "radio" && !el.checked)) { return; }
      var entry = out[match[2]] || (out[match[2]] = {});
      entry[match[1]] = el.value;
    });
    return out;
  }

  function post() {
    return fetch(form.dataset.draftUrl, {
      method: "POST", credentials: "same-origin", redirect: "manual",
      headers: {"Content-Type": "application/json", "Accept": "application/json",
                "X-CSRFToken": tokenField.value},
      body: JSON.stringify({values: values()})
    }).then(function (r) {
      var json = (r.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (!r.ok || !json) { throw new Error("draf"); }
      return r.json();
    });
  }

  function freshToken() {
    return fetch(form.dataset.tokenUrl, {credentials: "same-origin", redirect: "manual",
                                         headers: {"Accept": "application/json"}})
      .then(function (r) {
        var json = (r.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        if (!r.ok || !json) { throw new Error("token"); }
        return r.json();
      })
      .then(function (body) { tokenField.value = body.csrf_token; });
  }

  function saved(body) {
    clearTimeout(retry);
    retry = null;
    say("Draf tersimpan otomatis pukul " + body.saved_at + ".", false);
  }

  function save() {
    post().then(saved).catch(function () {
      freshToken().then(post).then(saved).catch(function () {
        say("Sesi Anda berakhir; isian tetap di halaman ini dan akan tersimpan setelah Anda " +
            "masuk lagi.", true);
        clearTimeout(retry);
        retry = setTimeout(save, 15000);
      });
    });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(save, 800);
  }

  form.addEventListener("input", later);
  form.addEventListener("change", later);
})();
