// The report page's one script of its own. Everything works without it: the folded parts
// are <details>, which a browser opens by itself. Printing opens them all, so paper shows
// what the PDF shows.
window.addEventListener("beforeprint", function () {
  document.querySelectorAll("details").forEach(function (d) { d.open = true; });
});
