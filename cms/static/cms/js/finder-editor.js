// Wagtail editor of a guided finder: suggest the questions when an editor fills in an
// answer's "next question". The input stays a plain text input (so it works without
// this script, and the name or the text of a question both work): this script only
// gives it a <datalist> of the questions on the page, built when the input gets focus,
// so that questions added a moment ago are in it too.
(function () {
  "use strict";

  var LIST_ID = "loket-finder-questions";
  var QUESTION_TEXT = /^questions-(\d+)-value-question$/;

  // Django's slugify(), as cms.finder.question_name uses it.
  function questionName(text) {
    return text
      .normalize("NFKD")
      .replace(/[^\x00-\x7F]/g, "")
      .toLowerCase()
      .replace(/[^\w\s-]/g, "")
      .replace(/[-\s]+/g, "-")
      .replace(/^[-_]+|[-_]+$/g, "")
      .slice(0, 100);
  }

  function refresh(form) {
    var list = document.getElementById(LIST_ID);
    if (!list) {
      list = document.createElement("datalist");
      list.id = LIST_ID;
      document.body.appendChild(list);
    }
    list.textContent = "";
    form.querySelectorAll("input[name^='questions-'][name$='-value-question']").forEach(
      function (input) {
        var match = QUESTION_TEXT.exec(input.name);
        var deleted = form.querySelector('[name="questions-' + (match && match[1]) + '-deleted"]');
        if (!match || !input.value || (deleted && deleted.value === "1")) {
          return;
        }
        var nameInput = form.querySelector('[name="questions-' + match[1] + '-value-name"]');
        var option = document.createElement("option");
        option.value = (nameInput && nameInput.value) || questionName(input.value);
        option.label = input.value;
        list.appendChild(option);
      }
    );
  }

  document.addEventListener("focusin", function (event) {
    var input = event.target;
    if (!input.closest || !input.closest("[data-loket-finder-next]") || input.tagName !== "INPUT") {
      return;
    }
    refresh(input.form);
    input.setAttribute("list", LIST_ID);
  });
})();
