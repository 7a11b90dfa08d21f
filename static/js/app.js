// Open the tab named by the URL hash (#pane-…), so a redirect after an action lands on its tab,
// and keep the hash in step when the user switches tabs.
(function () {
  "use strict";
  function showFromHash() {
    if (!window.location.hash || !window.bootstrap) return;
    var pane = document.querySelector(window.location.hash + ".tab-pane");
    if (!pane) return;
    var trigger = document.querySelector('[data-bs-toggle="tab"][data-bs-target="#' + pane.id + '"]');
    if (trigger) window.bootstrap.Tab.getOrCreateInstance(trigger).show();
  }
  document.addEventListener("DOMContentLoaded", function () {
    showFromHash();
    document.querySelectorAll('[data-bs-toggle="tab"]').forEach(function (el) {
      el.addEventListener("shown.bs.tab", function (event) {
        var target = event.target.getAttribute("data-bs-target");
        if (target) history.replaceState(null, "", target);
      });
    });
  });
  window.addEventListener("hashchange", showFromHash);
})();

// A control marked data-submit-on-change (the language menu) submits its form when changed; an
// inline onchange="" would need 'unsafe-inline' in the Content-Security-Policy.
document.addEventListener("change", function (event) {
  var control = event.target;
  if (control.hasAttribute && control.hasAttribute("data-submit-on-change") && control.form) {
    control.form.submit();
  }
});

// A form sent back with errors: its summary (templates/_form_errors.html) takes the focus, so a
// screen reader reads it and the keyboard starts from its links to the fields.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".form-error-summary");
  if (summary) summary.focus();
});

// Submit once (issue 14): a POST form's submit buttons are disabled once it is sent, so a second
// click does not send it again (the server's one-time token, submissions.decorators, catches what
// still gets through). They are disabled just after the browser has read the form, so the pressed
// button's name and value are still sent. A form the browser's validation stops is not sent and
// keeps its buttons; a page shown again from the back/forward cache gets them back. A form marked
// data-resubmit (one that answers with a download and stays on the page) is left alone.
(function () {
  "use strict";
  function submitButtons(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.type === "submit";
    });
  }
  function release(form) {
    delete form.dataset.submitting;
    submitButtons(form).forEach(function (button) {
      if (button.hasAttribute("data-disabled-on-submit")) {
        button.disabled = false;
        button.removeAttribute("data-disabled-on-submit");
      }
    });
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || (form.method || "").toLowerCase() !== "post") return;
    if (form.hasAttribute("data-resubmit") || (form.target && form.target !== "_self")) return;
    if (form.dataset.submitting) {
      event.preventDefault();
      return;
    }
    if (!form.noValidate && !form.checkValidity()) return;
    form.dataset.submitting = "1";
    window.setTimeout(function () {
      submitButtons(form).forEach(function (button) {
        if (!button.disabled) {
          button.disabled = true;
          button.setAttribute("data-disabled-on-submit", "");
        }
      });
    }, 0);
  });
  // A field the browser finds invalid: the form was not sent, its buttons stay usable.
  document.addEventListener(
    "invalid",
    function (event) {
      if (event.target.form) release(event.target.form);
    },
    true
  );
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submitting]").forEach(release);
  });
})();

// Filter panels (<details data-collapse-narrow>) are open on wide screens and start closed on a
// phone, where seventeen filters would push the first result a screen and a half down; the summary
// says how many filters are set.
(function () {
  "use strict";
  if (!window.matchMedia || !window.matchMedia("(max-width: 767.98px)").matches) return;
  document.querySelectorAll("details[data-collapse-narrow]").forEach(function (panel) {
    panel.open = false;
  });
})();
