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
  // A second press while the answer is on its way is held back by forms.js, as on every
  // form that changes something.
  // After an answer the page loads anew and focus would start at the top, a dozen Tabs
  // from the options. Start it at the feedback on that answer instead: a screen reader
  // reads it, and the next Tabs go through its manual links to the options.
  var feedback = document.querySelector("section.feedback");
  var mistaken = document.querySelector("form.answer .error");
  if (feedback && !mistaken) {
    feedback.setAttribute("tabindex", "-1");
    feedback.focus();
  } else if (!mistaken) {
    // No feedback to read (no hints, an assessment, back from "More time", a first step):
    // focus waits just before the options, so the first Tab reaches them, not the header.
    // The page does not scroll: the client's words above stay in view to be read first.
    var options = document.querySelector("form.answer fieldset, form.answer textarea");
    if (options) {
      if (options.tagName === "FIELDSET") { options.setAttribute("tabindex", "-1"); }
      options.focus({ preventScroll: true });
    }
  }
  // A written answer survives a trip to the manual: its links (in the feedback above the
  // field) lead to a page whose "back to the conversation" link loads this page anew, which
  // would empty the field. The draft is kept in this tab's sessionStorage under the attempt
  // and the step, put back when the field is empty, and dropped once the answer is sent.
  var written = document.querySelector("form.answer textarea[name=text]");
  var step = document.querySelector("form.answer input[name=step]");
  if (written && step) {
    var key = "draft:" + written.form.getAttribute("action") + ":" + step.value;
    var store = null;
    try { store = window.sessionStorage; } catch (e) { store = null; }  // blocked storage
    if (store) {
      if (!written.value) { written.value = store.getItem(key) || ""; }
      written.addEventListener("input", function () {
        try { store.setItem(key, written.value); } catch (e) { /* full: nothing to keep */ }
      });
      written.form.addEventListener("submit", function () { store.removeItem(key); });
    }
  }
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
      if (left <= 20) { timer.classList.add("timer-low"); }  // seen too, not only heard; also once it is up
      if (left <= 0) {
        text.textContent = timer.getAttribute("data-up-text") || text.textContent;
        // Said once: the warning would otherwise still be there to read after the time is up,
        // and so would the note that more time was given, which is now untrue.
        warn.textContent = "";
        var extended = timer.getAttribute("data-extended-text");
        document.querySelectorAll(".flashes .flash").forEach(function (note) {
          if (extended && note.textContent.trim() === extended) { note.remove(); }
        });
        return;
      }
      text.textContent = fmt.replace("%s", String(left));
      if (left <= 20 && !warned) {
        warned = true;
        // The seconds actually left (a page may open with fewer than 20), then what to do.
        warn.textContent = text.textContent + ". " + (timer.getAttribute("data-warn-text") || "");
      }
      left -= 1;
      window.setTimeout(tick, 1000);
    };
    tick();
  }
})();
