// Progressive enhancement only: every page works without this script.
// Search-as-you-type for the glossary: suggestions appear under the search box as links.
(function () {
  "use strict";
  var input = document.querySelector("input[data-complete]");
  if (!input) return;
  var list = document.getElementById(input.getAttribute("aria-controls"));
  var lang = document.documentElement.lang === "es" ? "es" : "en";
  var pending = null;
  var shown = 0;

  function clear() {
    while (list.firstChild) list.removeChild(list.firstChild);
    list.hidden = true;
    shown = 0;
  }

  function show(items) {
    clear();
    items.forEach(function (item) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = "/glossary/" + encodeURIComponent(item.slug);
      a.textContent = item.term;
      li.appendChild(a);
      list.appendChild(li);
    });
    shown = items.length;
    list.hidden = shown === 0;
  }

  input.addEventListener("input", function () {
    var q = input.value.trim();
    if (pending) pending.abort();
    if (q.length === 0) { clear(); return; }
    pending = new AbortController();
    fetch(input.getAttribute("data-complete") + "?lang=" + lang + "&q=" + encodeURIComponent(q), { signal: pending.signal, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(show)
      .catch(function () {});
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && shown > 0) {
      event.preventDefault();
      list.querySelector("a").focus();
    } else if (event.key === "Escape") {
      clear();
    }
  });

  list.addEventListener("keydown", function (event) {
    var current = document.activeElement.parentElement;
    if (event.key === "ArrowDown" && current.nextElementSibling) {
      event.preventDefault();
      current.nextElementSibling.querySelector("a").focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      if (current.previousElementSibling) current.previousElementSibling.querySelector("a").focus();
      else input.focus();
    } else if (event.key === "Escape") {
      clear();
      input.focus();
    }
  });
})();
