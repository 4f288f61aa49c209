// The live session page's only script (forum/live): it keeps the question list current while the
// page is open. The server sends, on every change, the list already rendered as HTML (the same
// component as the page, with every text escaped and every body sanitized) and the names of who
// answered; this swaps the list and announces new answers politely. It builds no HTML itself.
(function () {
  "use strict";
  var box = document.getElementById("live-questions");
  if (!box || typeof window.EventSource !== "function") return;
  var announcer = document.getElementById("live-announcer");
  var status = document.getElementById("live-status");
  var answered = {};
  try {
    JSON.parse(box.getAttribute("data-answered") || "[]").forEach(function (id) {
      answered[id] = true;
    });
  } catch {
    answered = {};
  }
  var source = new EventSource(box.getAttribute("data-events"));
  source.addEventListener("update", function (event) {
    var state;
    try {
      state = JSON.parse(event.data);
    } catch {
      return;
    }
    box.innerHTML = state.html;
    if (status) status.textContent = state.statusLabel;
    var fresh = [];
    var next = {};
    state.answers.forEach(function (answer) {
      next[answer.id] = true;
      if (!answered[answer.id]) fresh.push("New answer from " + answer.by);
    });
    answered = next;
    if (fresh.length > 0 && announcer) announcer.textContent = fresh.join(". ");
    if (state.status === "ended" || state.status === "cancelled") source.close();
  });
  source.addEventListener("gone", function () {
    source.close();
  });
})();
