// A stored ruleset version's YAML, shown read-only with CodeMirror's highlighting.
(function () {
  "use strict";
  var area = document.getElementById("yaml-view");
  if (!area || typeof CodeMirror === "undefined") { return; }
  CodeMirror.fromTextArea(area, {mode: "yaml", lineNumbers: true, readOnly: true})
    .getWrapperElement().classList.add("cm-readonly");
})();
