// Every form that changes something is sent once. Progressive enhancement: without this
// script forms work as before, and the server still recognises what it can (a repeated
// answer, an import whose accounts exist, a reply sent twice).
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
  });
})();
