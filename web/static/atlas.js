// The referral atlas's light enhancements; every page works without them.
// Data is only ever set as text (textContent, option.value), never as markup.
"use strict";
(function () {
  var KINDS = { places: "place", populations: "population" };

  function suggest(input) {
    var list = document.getElementById(input.getAttribute("data-suggest"));
    // a list the server filled holds every name already (and may serve several boxes): keep it
    if (!list || list.getAttribute("data-complete") === "true") return;
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var text = input.value.trim();
        if (text.length < 2 || text === last) return;
        last = text;
        var url = "/api/suggest?q=" + encodeURIComponent(text);
        var kind = KINDS[list.id];
        if (kind) url += "&kind=" + kind;
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (names) {
            if (!Array.isArray(names) || input.value.trim() !== text) return;
            while (list.firstChild) list.removeChild(list.firstChild);
            names.slice(0, 20).forEach(function (name) {
              var option = document.createElement("option");
              option.value = String(name);
              list.appendChild(option);
            });
          })
          .catch(function () { /* offline or refused: the server-filled list stays */ });
      }, 150);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-suggest]"), suggest);
    Array.prototype.forEach.call(document.querySelectorAll("button.print"), function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
