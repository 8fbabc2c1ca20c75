// The draft editor: CodeMirror with live validation by the server (the same validator as saving).
// The validation URL comes from the form's data-validate-url, the CSRF token from its hidden field.
(function () {
  "use strict";
  var form = document.getElementById("form-editor");
  if (!form || typeof CodeMirror === "undefined") { return; }
  var url = form.dataset.validateUrl;
  var token = form.querySelector("input[name=csrf_token]").value;
  var statusBox = document.getElementById("status-validasi");
  var list = document.getElementById("masalah");
  var editor = null;
  var leaving = false;
  function labelInput(cm, text) {
    var input = cm.getInputField();
    input.setAttribute("aria-label", text);
    input.setAttribute("aria-describedby", "petunjuk-editor");
  }
  function show(issues) {
    list.innerHTML = "";
    issues.forEach(function (i) {
      var li = document.createElement("li");
      li.textContent = "Baris " + i.line + ", kolom " + i.col + ": " + i.message;
      li.style.cursor = "pointer";
      li.title = "Lompat ke baris ini";
      li.addEventListener("click", function () {
        var pos = CodeMirror.Pos(Math.max(i.line - 1, 0), Math.max(i.col - 1, 0));
        editor.focus(); editor.setCursor(pos);
        editor.scrollIntoView(pos, 120);
      });
      list.appendChild(li);
    });
    var span = document.createElement("span");
    span.className = issues.length ? "text-danger" : "text-success";
    span.textContent = issues.length ? issues.length + " masalah" : "Aturan valid.";
    statusBox.innerHTML = "";
    statusBox.appendChild(span);
  }
  function lint(text, done) {
    fetch(url, {method: "POST", credentials: "same-origin",
                headers: {"Content-Type": "application/json", "X-CSRFToken": token,
                          "Accept": "application/json"},
                body: JSON.stringify({yaml_text: text})})
      .then(function (r) { return r.json(); })
      .then(function (body) {
        var issues = body.issues || [];
        show(issues);
        done(issues.map(function (i) {
          var line = Math.max(i.line - 1, 0), col = Math.max(i.col - 1, 0);
          return {from: CodeMirror.Pos(line, col), to: CodeMirror.Pos(line, col + 1),
                  message: i.message, severity: "error"};
        }));
      })
      .catch(function () { statusBox.textContent = "Validasi tidak dapat dihubungi."; done([]); });
  }
  editor = CodeMirror.fromTextArea(document.getElementById("yaml-editor"), {
    mode: "yaml", lineNumbers: true, indentUnit: 2, tabSize: 2,
    // Tab indents; Esc then Tab (or Shift-Tab) leaves the editor, so a keyboard is never trapped.
    extraKeys: {
      Esc: function () { leaving = true; },
      Tab: function (cm) {
        if (leaving) { leaving = false; return CodeMirror.Pass; }
        cm.replaceSelection("  ");
      },
      "Shift-Tab": function (cm) {
        if (leaving) { leaving = false; return CodeMirror.Pass; }
        cm.execCommand("indentLess");
      }
    },
    gutters: ["CodeMirror-lint-markers", "CodeMirror-linenumbers"],
    lint: {getAnnotations: lint, async: true, delay: 400}
  });
  editor.on("keydown", function (_cm, event) {
    if (event.key !== "Escape" && event.key !== "Tab") { leaving = false; }
  });
  labelInput(editor, "Isi aturan (YAML)");
  // the scrolled area itself can be reached and scrolled with the keyboard
  var scroller = editor.getScrollerElement();
  scroller.setAttribute("tabindex", "0");
  scroller.setAttribute("aria-label", "Gulir isi aturan");
  window.kinerjaEditor = editor;
})();
