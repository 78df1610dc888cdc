// Swagger UI for this process's OpenAPI, from files the process serves itself (no CDN), under
// a Content-Security-Policy of 'self' alone: hence this file rather than an inline script.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
})();
