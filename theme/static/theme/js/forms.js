// Progressive enhancement only: every form works without this script.
(function () {
  // Move focus to the error summary, so screen-reader and keyboard users hear it first.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
  // Prevent a double click from sending a form twice (the server is safe anyway).
  document.querySelectorAll("[data-prevent-double-click]").forEach(function (button) {
    button.form.addEventListener("submit", function () {
      window.setTimeout(function () { button.disabled = true; }, 0);
    });
  });
})();
