// Little JavaScript: focus the error summary after a failed action, zoom the original's
// pages, and let files be dropped onto the upload field (everything works without it).
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-focus]");
  if (summary) { summary.focus(); }
  setUpZoom();

  var zone = document.querySelector("[data-dropzone]");
  if (!zone) { return; }
  var input = zone.querySelector("input[type=file]");
  var shown = zone.querySelector("[data-selected]");
  function listFiles() {
    var names = Array.prototype.map.call(input.files, function (f) { return f.name; });
    shown.textContent = names.length ? names.length + " Datei(en) ausgewählt: " + names.join(", ") : "";
  }
  input.addEventListener("change", listFiles);
  zone.addEventListener("dragover", function (event) {
    event.preventDefault();
    zone.classList.add("dragover");
  });
  zone.addEventListener("dragleave", function () { zone.classList.remove("dragover"); });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    zone.classList.remove("dragover");
    input.files = event.dataTransfer.files;
    listFiles();
  });
});

// The upload page while the bot is still at work: look again every few seconds, unless the
// user has chosen files meanwhile (a reload would lose the choice).
document.addEventListener("DOMContentLoaded", function () {
  var progress = document.querySelector("[data-refresh]");
  if (!progress) { return; }
  window.setTimeout(function () {
    var input = document.querySelector("input[type=file]");
    if (!input || !input.files || input.files.length === 0) { window.location.reload(); }
  }, 1000 * Number(progress.getAttribute("data-refresh")));
});

function setUpZoom() {
  var tools = document.querySelector("[data-zoom]");
  var pages = document.querySelector("[data-pages]");
  if (!tools || !pages) { return; }
  var levels = [1, 1.5, 2, 3];
  var at = 0;
  var shown = tools.querySelector("[data-zoom-level]");
  tools.hidden = false;
  tools.addEventListener("click", function (event) {
    var step = event.target.getAttribute("data-zoom-step");
    if (!step) { return; }
    at = Math.max(0, Math.min(levels.length - 1, at + parseInt(step, 10)));
    pages.style.setProperty("--zoom", levels[at]);
    shown.textContent = Math.round(levels[at] * 100) + " %";
  });
}
