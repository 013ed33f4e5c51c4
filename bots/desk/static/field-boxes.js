// Where each field was read: on the document page, a box around the value of each field on
// the page image, named by its field, fetched from /dokument/<id>/seite/<n>/angaben.json.
// The boxes are placed in shares of the page, so they stay on the picture at every zoom;
// the field being edited in the form shows its box highlighted. Without this script the
// page works as before. Positions are set through the CSSOM (the CSP allows no inline styles).
document.addEventListener("DOMContentLoaded", function () {
  var shown = {};

  function draw(layer, page, boxes) {
    var list = document.createElement("ul");
    list.className = "field-boxes";
    list.setAttribute("aria-label", "Wo die Angaben auf Seite " + page + " gelesen wurden");
    boxes.forEach(function (found) {
      var item = document.createElement("li");
      item.className = "field-box";
      item.dataset.field = found.field;
      item.style.left = (100 * found.x) + "%";
      item.style.top = (100 * found.y) + "%";
      item.style.width = (100 * found.w) + "%";
      item.style.height = (100 * found.h) + "%";
      var tag = document.createElement("span");
      tag.className = "field-tag";
      tag.textContent = found.label;
      item.appendChild(tag);
      list.appendChild(item);
      (shown[found.field] = shown[found.field] || []).push(item);
    });
    layer.appendChild(list);
  }

  document.querySelectorAll(".original .page-layer").forEach(function (layer) {
    var url = layer.querySelector("img").getAttribute("src").replace(/\.png$/, "/angaben.json");
    var page = layer.getAttribute("data-page");
    fetch(url, {credentials: "same-origin"}).then(function (answer) {
      return answer.ok ? answer.json() : {boxes: []};
    }).then(function (found) {
      if (found.boxes.length) { draw(layer, page, found.boxes); }
    });
  });

  document.querySelectorAll(".fields-form input[id^='f-']").forEach(function (input) {
    var name = input.id.slice(2);
    input.addEventListener("focus", function () { mark(name, true); });
    input.addEventListener("blur", function () { mark(name, false); });
  });

  function mark(name, on) {
    (shown[name] || []).forEach(function (item) {
      item.classList.toggle("current", on);
      if (on) { item.scrollIntoView({block: "nearest", inline: "nearest"}); }
    });
  }
});
