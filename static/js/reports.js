// The report job page: poll the job's status (JSON) until it is done or failed, moving the progress
// bar, then show the download link or the error. No libraries; the page works without it (the
// server renders the current state, and a reload shows the next one).
(function () {
  "use strict";
  var POLL_MS = 1500;
  var MAX_POLL_MS = 10000;

  function start(root) {
    var url = root.getAttribute("data-status-url");
    var bar = root.querySelector("[data-report-progress]");
    var inner = bar ? bar.querySelector(".progress-bar") : null;
    // The server's progress, in data-width: a style="" attribute would need an inline-style CSP.
    if (inner) inner.style.width = (inner.getAttribute("data-width") || "0") + "%";
    var badge = root.querySelector("[data-report-badge]");
    var error = root.querySelector("[data-report-error]");
    var download = root.querySelector("[data-report-download]");
    var waiting = root.querySelector("[data-report-waiting]");
    var delay = POLL_MS;

    function show(el, visible) {
      if (el) el.classList.toggle("d-none", !visible);
    }

    function render(data) {
      if (inner) {
        inner.style.width = data.progress + "%";
        inner.textContent = data.progress + "%";
        bar.setAttribute("aria-valuenow", String(data.progress));
      }
      if (badge) {
        badge.textContent = data.status_label;
        badge.className = "badge " + ({done: "text-bg-success", failed: "text-bg-danger", running: "text-bg-primary"}[data.status] || "text-bg-secondary");
      }
      if (data.finished) {
        show(bar, false);
        show(waiting, false);
        if (data.status === "failed" && error) {
          error.textContent = data.error;
          show(error, true);
        }
        if (data.status === "done" && download) {
          var link = download.querySelector("a");
          if (link && data.download_url) link.setAttribute("href", data.download_url);
          show(download, true);
        }
      }
    }

    function poll() {
      fetch(url, {credentials: "same-origin", headers: {Accept: "application/json"}, cache: "no-store"})
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (data) {
          render(data);
          delay = POLL_MS;
          if (!data.finished) window.setTimeout(poll, delay);
        })
        .catch(function () {
          // A network blip or a restarting server: keep trying, less often.
          delay = Math.min(delay * 2, MAX_POLL_MS);
          window.setTimeout(poll, delay);
        });
    }

    window.setTimeout(poll, POLL_MS);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("report-job");
    if (root && root.getAttribute("data-finished") !== "1") start(root);
  });
})();
