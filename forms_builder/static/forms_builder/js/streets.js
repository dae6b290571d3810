// Street suggestions for address questions "only in this municipality" (issue #18).
// Progressive: without this script the server offers a list of matching streets when
// the step is sent. With it, the street box gets a <datalist> that is filled, as the
// applicant types, from the JSON endpoint named in data-street-suggestions.
(function () {
  "use strict";

  var WAIT_MS = 150;
  var MIN_LENGTH = 2;

  function enhance(input) {
    var list = document.createElement("datalist");
    list.id = input.id + "_streets";
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("list", list.id);
    var timer = null;
    var asked = "";

    function fill(names) {
      list.replaceChildren.apply(
        list,
        names.map(function (name) {
          var option = document.createElement("option");
          option.value = name;
          return option;
        })
      );
    }

    function ask() {
      var query = input.value.trim();
      if (query.length < MIN_LENGTH || query === asked) {
        return;
      }
      asked = query;
      var url = input.dataset.streetSuggestions + "&q=" + encodeURIComponent(query);
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          return response.ok ? response.json() : { streets: [] };
        })
        .then(function (data) {
          if (input.value.trim() === query) {
            fill(data.streets || []);
          }
        })
        .catch(function () {
          // No suggestions: the server still checks the street when the step is sent.
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, WAIT_MS);
    });
  }

  document.querySelectorAll("input[data-street-suggestions]").forEach(enhance);
})();
