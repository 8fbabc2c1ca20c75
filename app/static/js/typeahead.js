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
