// Starts Swagger UI on /api/docs with the app's own OpenAPI schema (a file, not an inline
// script, so the page keeps the app's Content-Security-Policy). No deep links: Swagger UI puts
// each operation's link inside the button that opens it, a control nested in a control that
// a keyboard or screen reader cannot use well (axe's nested-interactive).
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/api/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: false,
  });
});
