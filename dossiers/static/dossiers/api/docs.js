// The readable API docs (/api/v1/docs/): Swagger UI from drf-spectacular-sidecar's
// static files, started here rather than inline because of the strict CSP.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: root.getAttribute("data-schema-url"),
    domNode: root,
    deepLinking: true,
    // No "try it out" against a live site from a documentation page.
    supportedSubmitMethods: [],
    validatorUrl: null,
  });
})();
