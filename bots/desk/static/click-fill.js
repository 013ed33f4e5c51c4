// Click-to-fill: on a document page with the correction form, the words of each page image
// can be clicked; a click adds the word to the field last chosen in the form (a second
// click adds the next word, "DE02" "1203" ...). The page works without this script: the
// clerk types. Positions are set through the CSSOM (the CSP allows no inline styles).
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form.fields-form[action$='/korrigieren']");
  if (!form) { return; }
  var chosen = null;
  form.querySelectorAll("input[type=text], input:not([type])").forEach(function (input) {
    input.addEventListener("focus", function () { chosen = input; });
  });
  var tip = document.createElement("p");
  tip.className = "hint";
  tip.textContent = "Tipp: Feld anklicken, dann das Wort oder die Wörter auf der Seitenansicht " +
    "anklicken – sie werden in das Feld übernommen.";
  form.insertBefore(tip, form.querySelector(".field-grid"));

  function add(word) {
    if (!chosen) { return; }
    chosen.value = chosen.value.trim() ? chosen.value.trim() + " " + word : word;
    chosen.focus();
  }

  function layer(image, words) {
    var box = image.parentNode;  // the page's layer (div.page-layer)
    words.forEach(function (word) {
      var spot = document.createElement("span");
      spot.className = "word-spot";
      spot.setAttribute("aria-hidden", "true");  // the page image itself stays for readers
      spot.title = word.text;
      spot.dataset.word = word.text;
      spot.style.position = "absolute";
      spot.style.left = (100 * word.x) + "%";
      spot.style.top = (100 * word.y) + "%";
      spot.style.width = (100 * word.w) + "%";
      spot.style.height = (100 * word.h) + "%";
      spot.style.cursor = "pointer";
      spot.addEventListener("mousedown", function (event) { event.preventDefault(); });
      spot.addEventListener("click", function () { add(word.text); });
      box.appendChild(spot);
    });
  }

  document.querySelectorAll(".original figure img").forEach(function (image) {
    var url = image.getAttribute("src").replace(/\.png$/, "/woerter.json");
    fetch(url, {credentials: "same-origin"}).then(function (answer) {
      return answer.ok ? answer.json() : {words: []};
    }).then(function (found) {
      if (found.words.length) { layer(image, found.words); }
    });
  });
});
