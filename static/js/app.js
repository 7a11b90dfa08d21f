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
