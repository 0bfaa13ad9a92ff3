/* LUK-portalen: the little the pages need of script, kept in a file so that the Content Security Policy can
   forbid inline script and style. A progress bar carries its width as data-progress (0-100); it is set here when
   the page loads and whenever htmx brings new content (a job's status every second). */
(function () {
  "use strict";

  function setProgress(root) {
    var bars = root.querySelectorAll ? root.querySelectorAll("[data-progress]") : [];
    for (var i = 0; i < bars.length; i += 1) {
      var value = Math.max(0, Math.min(100, parseInt(bars[i].getAttribute("data-progress"), 10) || 0));
      bars[i].style.width = value + "%";
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    setProgress(document);
  });
  document.addEventListener("htmx:load", function (event) {
    setProgress(event.target.parentNode || event.target);
  });
})();
