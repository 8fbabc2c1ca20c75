/* Date fields of the period form: typed as dd/mm/yyyy, or picked from an Indonesian calendar.
   The picker is Flask-AppBuilder's bootstrap-datepicker with its `id` locale; typing stays
   possible (forceParse off), and the server reads and checks the text either way. */
(function ($) {
  "use strict";
  if (!$ || !$.fn.datepicker) { return; }
  $(".kinerja-tanggal").datepicker({
    format: "dd/mm/yyyy",
    language: "id",
    autoclose: true,
    todayHighlight: true,
    forceParse: false,
    weekStart: 1
  });
}(window.jQuery));
