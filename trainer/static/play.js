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
})();
