// Progressive enhancement only: every page works and reads without this script.
(function () {
  // Print buttons (the finder's result): only shown when they can work.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
