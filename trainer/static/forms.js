// Every form that changes something is sent once, and every text area with a limit counts
// its characters (at the end). Progressive enhancement: without this script forms work as
// before, and the server still recognises what it can (a repeated answer, an import whose
// accounts exist, a reply sent twice).
//
// A second press while the first request is on its way (an import hashing 200 passwords
// takes seconds) would send the form again and lose the first response: generated
// passwords, an answer's feedback. So the first submit marks the form busy and later
// submits of it are cancelled. The buttons are not disabled: a disabled button loses
// keyboard focus, and the button that was pressed must still send its name and value
// (reviews.html's "agree" / "override"), which a disabled submitter would not.
(function () {
  "use strict";
  var script = document.currentScript;
  var busyText = (script && script.getAttribute("data-busy-text")) || "";
  // One polite live region, present before anything is said in it, so screen readers
  // announce "Sending…" when a form is busy.
  var status = document.createElement("div");
  var recounts = [];  // one per text area with a counter (below)
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  document.body.appendChild(status);

  function submitButtons(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.type === "submit" || el.type === "image";
    });
  }

  function method(form, submitter) {
    var own = submitter && submitter.getAttribute("formmethod");
    return (own || form.getAttribute("method") || "get").toLowerCase();
  }

  function busy(form, on) {
    if (on) {
      form.setAttribute("data-sending", "");
      form.setAttribute("aria-busy", "true");
    } else {
      form.removeAttribute("data-sending");
      form.removeAttribute("aria-busy");
    }
    submitButtons(form).forEach(function (button) {
      if (on) { button.setAttribute("aria-disabled", "true"); } else { button.removeAttribute("aria-disabled"); }
    });
  }

  // On the document, so it runs after any handler on the form itself: a submit another
  // script cancelled leaves the form free.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || event.defaultPrevented) { return; }
    if (method(form, event.submitter) !== "post") { return; }
    if (form.target && form.target !== "_self") { return; }  // this page stays: nothing to wait for
    if (form.hasAttribute("data-sending")) {
      event.preventDefault();
      return;
    }
    busy(form, true);
    status.textContent = busyText;
  });

  // Back to a page kept in the browser's memory (back/forward cache): its forms are not
  // on their way any more.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    document.querySelectorAll("form[data-sending]").forEach(function (form) { busy(form, false); });
    status.textContent = "";
    recountAll();  // the browser may have restored texts
  });

  // A text area with a limit shows how much of it is used ("1 850 / 2 000"), so that a
  // long paste is not cut without a word: the browser silently drops what goes beyond
  // maxlength. The count is the text area's description (read when it gets the focus);
  // a polite live region speaks only near the limit, and only when the remainder crosses
  // a step, not on every key.
  var number = new Intl.NumberFormat(document.documentElement.lang || undefined);
  var leftText = (script && script.getAttribute("data-chars-left")) || "";

  function addCounter(area, index) {
    var max = parseInt(area.getAttribute("maxlength"), 10);
    if (!(max > 0)) { return; }
    var id = (area.id || "textarea-" + index) + "-count";
    var count = document.createElement("p");
    count.className = "hint char-count";
    count.id = id;
    var live = document.createElement("span");
    live.className = "visually-hidden";
    live.setAttribute("role", "status");
    area.insertAdjacentElement("afterend", count);
    count.insertAdjacentElement("afterend", live);
    var described = area.getAttribute("aria-describedby");
    area.setAttribute("aria-describedby", described ? described + " " + id : id);
    // Near: the last tenth (at least 20 characters); said on entering it, halfway and at 0.
    var near = Math.max(20, Math.ceil(max / 10));
    var steps = [near, Math.ceil(near / 2), 0];
    var lastStep = -1;
    var words = area.getAttribute("data-chars-left") || leftText;

    function update(speak) {
      var used = area.value.length;  // as maxlength counts: a line break is one
      var left = Math.max(0, max - used);
      count.textContent = number.format(used) + " / " + number.format(max);
      var step = -1;
      steps.forEach(function (threshold, i) { if (left <= threshold) { step = i; } });
      if (step === -1) {
        live.textContent = "";  // clearing is not announced
      } else if (speak && step !== lastStep) {
        live.textContent = words ? words.replace("%(left)s", number.format(left)) : count.textContent;
      }
      lastStep = step;
    }
    area.addEventListener("input", function () { update(true); });
    // A text the page came back with is counted, not announced; again once the other
    // scripts have run (play.js puts a kept draft back without an input event).
    var recount = function () { update(false); };
    recount();
    recounts.push(recount);
  }

  function recountAll() { recounts.forEach(function (recount) { recount(); }); }

  document.querySelectorAll("textarea[maxlength]").forEach(addCounter);
  document.addEventListener("DOMContentLoaded", recountAll);
})();
