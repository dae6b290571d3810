// Progressive enhancement of the assistant's form (cms/assistant/views.py): without this
// script the form opens /assistent/ with the answer. With it, the visitor stays on the
// page and the answer appears in the aria-live region next to the form.
(function () {
  document.querySelectorAll("[data-assistant-form]").forEach(function (form) {
    var region = form.parentNode.querySelector("[data-assistant-answer]");
    if (!region || !window.fetch || !window.DOMParser) { return; }
    form.addEventListener("submit", function (event) {
      var url = form.action + "?" + new URLSearchParams(new FormData(form)).toString();
      event.preventDefault();
      region.setAttribute("aria-busy", "true");
      fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.text();
      }).then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var answer = page.querySelector("[data-assistant-answer]");
        var error = page.querySelector("[data-assistant-form] .error-message");
        if (error || !answer) { window.location.href = url; return; }
        region.replaceChildren.apply(region, Array.from(answer.childNodes).map(function (node) {
          return document.importNode(node, true);
        }));
        region.removeAttribute("aria-busy");
      }).catch(function () { window.location.href = url; });
    });
  });
})();
