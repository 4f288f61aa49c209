// The ask form's similar threads while the title is typed: 300 ms after the last key, ask
// /ask/similar and fill the list under the title (an aria-live region, so screen readers hear it).
// Text only (textContent), never HTML. Without this script the "Check for similar questions"
// button shows the same list.
(function () {
  "use strict";
  var form = document.querySelector("form[data-similar-url]");
  if (!form) return;
  var title = form.querySelector("#field-title");
  var found = document.getElementById("similar-found");
  var list = document.getElementById("similar-list");
  if (!title || !found || !list) return;
  var url = form.getAttribute("data-similar-url");
  var timer = 0;
  var asked = "";
  var latest = 0;

  function show(threads) {
    while (list.firstChild) list.removeChild(list.firstChild);
    threads.forEach(function (thread) {
      if (typeof thread.url !== "string" || thread.url.charAt(0) !== "/" || thread.url.charAt(1) === "/") return;
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = thread.url;
      link.textContent = String(thread.title);
      item.appendChild(link);
      if (thread.solved === true) {
        var badge = document.createElement("span");
        badge.className = "badge badge-solved";
        badge.textContent = "Solved";
        item.appendChild(document.createTextNode(" "));
        item.appendChild(badge);
      }
      list.appendChild(item);
    });
    found.hidden = list.childNodes.length === 0;
  }

  function check() {
    var q = title.value.trim();
    if (q === asked) return;
    asked = q;
    if (q.length < 3) return show([]);
    var mine = ++latest;
    fetch(url + "?q=" + encodeURIComponent(q), { headers: { accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : { threads: [] };
      })
      .then(function (body) {
        // An older answer that arrives late must not replace a newer one.
        if (mine === latest) show(Array.isArray(body.threads) ? body.threads : []);
      })
      .catch(function () {
        /* Offline or search down: the list just stays as it was. */
      });
  }

  title.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(check, 300);
  });
})();
