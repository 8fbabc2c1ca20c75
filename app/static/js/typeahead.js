/* Pickers that search on the server (app/web/widgets.py TypeaheadWidget).
   FAB's filter bar adds a filter's field when the user picks it, so fields are set up both on
   load and whenever the page gains a new one. */
(function ($) {
  "use strict";

  function setUp(element) {
    var $select = $(element);
    if ($select.data("select2") || !$select.closest("body").length) {
      return;
    }
    $select.select2({
      theme: "bootstrap",
      width: "100%",
      allowClear: true,
      placeholder: $select.data("placeholder"),
      minimumInputLength: 2,
      language: {
        inputTooShort: function () { return "Ketik minimal 2 huruf atau angka"; },
        noResults: function () { return "Tidak ada yang cocok"; },
        searching: function () { return "Mencari…"; },
        errorLoading: function () { return "Pencarian gagal; coba lagi"; }
      },
      ajax: {
        url: $select.data("source"),
        dataType: "json",
        delay: 250,
        data: function (params) { return { q: params.term }; },
        cache: true
      }
    });
    name(element, $select.next(".select2"));
  }

  /* Select2 draws a combobox named by a "textbox" that has no name of its own; the combobox is
     named instead by the select's label (or aria-label) and the value shown. */
  function name(element, $container) {
    var $combobox = $container.find(".select2-selection");
    var $shown = $container.find(".select2-selection__rendered").removeAttr("role aria-readonly");
    var $label = element.id ? $("label[for='" + element.id + "']") : $();
    if ($label.length) {
      if (!$label.attr("id")) { $label.attr("id", element.id + "-label"); }
      $combobox.attr("aria-labelledby", $label.attr("id") + " " + $shown.attr("id"));
    } else if (element.getAttribute("aria-label")) {
      $combobox.attr("aria-label", element.getAttribute("aria-label"));
      $combobox.removeAttr("aria-labelledby");
    }
  }

  function setUpAll(root) {
    $(root).find("select.kinerja-typeahead").each(function () { setUp(this); });
  }

  $(function () {
    setUpAll(document);
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        $(record.addedNodes).each(function () {
          if (this.nodeType === 1) {
            if ($(this).is("select.kinerja-typeahead")) { setUp(this); } else { setUpAll(this); }
          }
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  });
})(jQuery);
