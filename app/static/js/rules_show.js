// A stored ruleset version's YAML, shown read-only with CodeMirror's highlighting.
(function () {
  "use strict";
  var area = document.getElementById("yaml-view");
  if (!area || typeof CodeMirror === "undefined") { return; }
  var view = CodeMirror.fromTextArea(area, {mode: "yaml", lineNumbers: true, readOnly: true});
  view.getWrapperElement().classList.add("cm-readonly");
  view.getInputField().setAttribute("aria-label", "Isi aturan (YAML), hanya baca");
})();
