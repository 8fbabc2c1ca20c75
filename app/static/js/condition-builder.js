/* The condition builder of the rule forms: facts, operators and values chosen from lists,
 * grouped with semua / salah satu / bukan. The tree goes into the hidden "condition_json" field;
 * the server checks it against the fact's type and scale and answers with the condition as an
 * Indonesian sentence (the same renderer as the explanations). When the form carries
 * data-initial (a rule's current condition), the builder starts from it, so an officer edits
 * the condition rather than typing it again. */
(function () {
  "use strict";
  var form = document.getElementById("form-aturan-baru");
  if (!form || !form.dataset.facts) { return; }
  var catalogue = JSON.parse(form.dataset.facts);
  var facts = {};
  catalogue.facts.forEach(function (f) { facts[f.path] = f; });
  var hidden = document.getElementById("condition-json");
  var sentence = document.getElementById("kalimat-kondisi");
  var problem = document.getElementById("galat-kondisi");
  var timer = null;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) { node.textContent = text; }
    return node;
  }

  function option(select, value, label, selected) {
    var o = el("option", { value: value }, label);
    if (selected) { o.selected = true; }
    select.appendChild(o);
  }

  function valueInput(fact, op, value) {
    if (fact.choices.length) {
      var select = el("select", { "class": "form-control nilai-syarat", "aria-label": "Nilai" });
      if (op === "in" || op === "not_in") { select.multiple = true; }
      var chosen = [].concat(value === undefined || value === null ? [] : value).map(String);
      fact.choices.forEach(function (c) {
        option(select, c[0], c[1], chosen.indexOf(String(c[0])) >= 0);
      });
      return select;
    }
    var input = el("input", { "class": "form-control nilai-syarat", type: "text",
      inputmode: "decimal", "aria-label": "Nilai" });
    if (value !== undefined && value !== null) { input.value = String(value).replace(".", ","); }
    var hint = [];
    if (fact.min !== null) { hint.push("min " + String(fact.min).replace(".", ",")); }
    if (fact.max !== null) { hint.push("maks " + String(fact.max).replace(".", ",")); }
    input.placeholder = hint.join(", ");
    return input;
  }

  function atom(initial) {
    var row = el("div", { "class": "syarat form-inline", style: "margin:4px 0" });
    row.dataset.kind = "fact";
    var factSelect = el("select", { "class": "form-control fakta-syarat", "aria-label": "Fakta" });
    option(factSelect, "", "— pilih fakta —");
    catalogue.facts.forEach(function (f) { option(factSelect, f.path, f.name); });
    var opSelect = el("select", { "class": "form-control operator-syarat", "aria-label": "Pembanding" });
    var holder = el("span", { "class": "tempat-nilai" });
    var meaning = el("small", { "class": "help-block arti-fakta" });
    var remove = el("button", { type: "button", "class": "btn btn-xs btn-link" }, "hapus");
    function refreshValue(value) {
      var fact = facts[factSelect.value];
      holder.innerHTML = "";
      if (fact) { holder.appendChild(valueInput(fact, opSelect.value, value)); }
    }
    function chooseFact() {
      var fact = facts[factSelect.value];
      opSelect.innerHTML = "";
      meaning.textContent = fact ? fact.meaning : "";
      if (fact) { fact.operators.forEach(function (o) { option(opSelect, o[0], o[1]); }); }
    }
    factSelect.addEventListener("change", function () {
      chooseFact();
      refreshValue();
      changed();
    });
    opSelect.addEventListener("change", function () { refreshValue(); changed(); });
    remove.addEventListener("click", function () { row.remove(); changed(); });
    row.append(factSelect, " ", opSelect, " ", holder, " ", remove, meaning);
    if (initial && facts[initial.fact]) {
      factSelect.value = initial.fact;
      chooseFact();
      opSelect.value = initial.op;
      refreshValue(initial.value);
    }
    return row;
  }

  function group(isRoot, initial) {
    var box = el("div", { "class": "kelompok-syarat", style: "border-left:3px solid #9bc; padding-left:8px; margin:6px 0" });
    box.dataset.kind = "group";
    var mode = el("select", { "class": "form-control input-sm mode-kelompok", "aria-label": "Jenis kelompok" });
    Object.keys(catalogue.groups).forEach(function (k) { option(mode, k, catalogue.groups[k]); });
    var items = el("div", { "class": "isi-kelompok" });
    var addAtom = el("button", { type: "button", "class": "btn btn-xs btn-default tambah-syarat" }, "+ syarat");
    var addGroup = el("button", { type: "button", "class": "btn btn-xs btn-default tambah-kelompok" }, "+ kelompok");
    addAtom.addEventListener("click", function () { items.appendChild(atom()); changed(); });
    addGroup.addEventListener("click", function () { items.appendChild(group(false)); changed(); });
    mode.addEventListener("change", changed);
    var head = el("div", { "class": "form-inline" });
    head.append(mode, " ", addAtom, " ", addGroup);
    if (!isRoot) {
      var remove = el("button", { type: "button", "class": "btn btn-xs btn-link" }, "hapus kelompok");
      remove.addEventListener("click", function () { box.remove(); changed(); });
      head.append(" ", remove);
    }
    box.append(head, items);
    var children = [null];
    if (initial && initial.not) {  // "bukan" of one syarat, of a group, or of all its items
      mode.value = "not";
      children = initial.not.all ? initial.not.all : [initial.not];
    } else if (initial) {
      mode.value = initial.any ? "any" : "all";
      children = initial.any || initial.all;
    }
    children.forEach(function (child) {
      if (child && (child.all || child.any || child.not)) {
        items.appendChild(group(false, child));
      } else {
        items.appendChild(atom(child));
      }
    });
    return box;
  }

  function tree(node) {
    if (node.dataset.kind === "fact") {
      var fact = node.querySelector(".fakta-syarat").value;
      var op = node.querySelector(".operator-syarat").value;
      var input = node.querySelector(".nilai-syarat");
      var value = null;
      if (input && input.multiple) {
        value = Array.prototype.filter.call(input.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; });
      } else if (input) {
        value = input.value;
      }
      return { fact: fact, op: op, value: value };
    }
    var mode = node.querySelector(".mode-kelompok").value;
    var children = Array.prototype.filter.call(
      node.querySelector(".isi-kelompok").children, function (c) { return c.dataset.kind; });
    var items = children.map(tree);
    if (mode === "not") {
      return { not: items.length === 1 ? items[0] : { all: items } };
    }
    var out = {};
    out[mode] = items;
    return out;
  }

  function preview() {
    var body = hidden.value;
    fetch(form.dataset.previewUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": form.dataset.csrf },
      body: body,
      credentials: "same-origin"
    }).then(function (r) { return r.json(); }).then(function (answer) {
      if (answer.sentence) {
        sentence.textContent = answer.sentence;
        problem.classList.add("hidden");
      } else {
        sentence.textContent = "–";
        problem.textContent = answer.message || "Kondisi belum lengkap.";
        problem.classList.remove("hidden");
      }
    });
  }

  function changed() {
    hidden.value = JSON.stringify(tree(root));
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(preview, 300);
  }

  var root = group(true, form.dataset.initial ? JSON.parse(form.dataset.initial) : null);
  document.getElementById("pembangun-kondisi").appendChild(root);
  root.addEventListener("input", changed);
  root.addEventListener("change", changed);
  form.addEventListener("submit", function () { hidden.value = JSON.stringify(tree(root)); });
  changed();
}());
