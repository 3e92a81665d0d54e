// Starts Swagger UI on /api/docs with the app's own OpenAPI schema (a file, not an inline
// script, so the page keeps the app's Content-Security-Policy).
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/api/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
  });
});
