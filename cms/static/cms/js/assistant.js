// The assistant as a chat (cms/assistant/views.py). Without this script the form opens
// /assistent/ with the answer and the earlier questions in hidden fields. With it, the
// visitor stays on the page: each answer is added to the conversation in the aria-live
// region next to the form (screen readers read it out), the question box is emptied and
// keeps the focus, and the hidden fields of the answer page replace the form's, so the
// link to the desk carries the whole conversation. A strict CSP allows this file: it has
// no inline handlers and adds no styles.
(function () {
  var MAX_TURNS = 6;

  function hiddenInputs(form) {
    return Array.prototype.slice.call(form.querySelectorAll("input[type=hidden][name=eerder]"));
  }

  document.querySelectorAll("[data-assistant-form]").forEach(function (form) {
    var region = form.parentNode.querySelector("[data-assistant-answer]");
    var input = form.querySelector("input[name=vraag]");
    if (!region || !input || !window.fetch || !window.DOMParser) { return; }
    var busy = false;
    form.addEventListener("submit", function (event) {
      var url = form.action + "?" + new URLSearchParams(new FormData(form)).toString();
      if (!input.value.trim()) { return; }
      event.preventDefault();
      if (busy) { return; }
      busy = true;
      region.setAttribute("aria-busy", "true");
      fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } }).then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.text();
      }).then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var answer = page.querySelector("[data-assistant-answer]");
        var pageForm = page.querySelector("[data-assistant-form]");
        if (!answer || !pageForm || pageForm.querySelector(".error-message")) {
          window.location.href = url;
          return;
        }
        // The earlier questions travel with the next question.
        hiddenInputs(form).forEach(function (old) { old.remove(); });
        var row = form.querySelector(".search-form__row");
        hiddenInputs(pageForm).forEach(function (hidden) {
          form.insertBefore(document.importNode(hidden, true), row);
        });
        var turn = answer.querySelector(".assistant-turn");
        if (!turn) { window.location.href = url; return; }
        turn = document.importNode(turn, true);
        // Every link to the desk carries the whole conversation, the earlier ones too.
        var desk = turn.querySelector("[data-assistant-desk]");
        if (desk) {
          region.querySelectorAll("[data-assistant-desk]").forEach(function (link) {
            link.setAttribute("href", desk.getAttribute("href"));
          });
        }
        region.appendChild(turn);
        while (region.children.length > MAX_TURNS) { region.removeChild(region.firstElementChild); }
        input.value = "";
        input.focus();
      }).catch(function () {
        window.location.href = url;
      }).finally(function () {
        busy = false;
        region.removeAttribute("aria-busy");
      });
    });
  });
})();
