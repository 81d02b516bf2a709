// Progressive enhancement for the play page; everything works without it.
(function () {
  "use strict";
  // Announce the client's current words: a live region only speaks content that changes
  // after load, so copy the text in once the page has settled.
  var current = document.getElementById("client-current");
  var live = document.getElementById("client-live");
  if (current && live) {
    window.setTimeout(function () { live.textContent = current.textContent.replace(/\s+/g, " ").trim(); }, 400);
  }
  // A second click while the first answer is on its way would only be ignored by the
  // server; disabling the button tells the trainee their answer was sent.
  document.querySelectorAll("form.answer").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[data-once]");
      if (button) { window.setTimeout(function () { button.disabled = true; }, 0); }
    });
  });
  // The per-decision time limit of an assessment. The server decides what is late; this
  // only shows the time left and warns 20 seconds ahead, so there is time to ask for more
  // (WCAG 2.2.1). Texts come from the page so they are in the reader's language.
  var timer = document.querySelector(".timer[data-time-left]");
  if (timer) {
    var left = parseInt(timer.getAttribute("data-time-left"), 10);
    var text = document.getElementById("timer-text");
    var warn = document.getElementById("timer-live");
    var fmt = timer.getAttribute("data-left-text") || "%s s";
    var warned = false;
    var tick = function () {
      if (left <= 0) {
        text.textContent = timer.getAttribute("data-up-text") || text.textContent;
        return;
      }
      text.textContent = fmt.replace("%s", String(left));
      if (left <= 20 && !warned) {
        warned = true;
        warn.textContent = timer.getAttribute("data-warn-text") || "";
      }
      left -= 1;
      window.setTimeout(tick, 1000);
    };
    if (left > 0) { tick(); }
  }
})();
