// Searchable selects (tom-select, served from node_modules; see agencies/widgets.py).
//
// <select data-agency-search="/agencies/search/?source=…"> holds only the chosen organisations;
// typing asks the server for the matching ones (20 at a time, more on scrolling), shown grouped by
// region (a source of procurators: by procuratorate). A multiple select shows its choices as chips
// with a remove button. The server names the texts that depend on what is searched:
// data-search-none (nothing matches) and data-search-placeholder.
// <select multiple data-local-search> (short lists such as co-handlers) gets the same chips with
// its own options; data-exclude-value-of="<id>" hides the option that another select has chosen
// (a case's handler is never also its co-handler; the server refuses it too).
(function () {
  "use strict";
  if (!window.TomSelect) return;

  var lang = (document.documentElement.lang || "").toLowerCase();
  var english = lang.indexOf("en") === 0;
  var TEXT = english
    ? { none: "No match", loading: "Searching…", type: "Type to search", more: "Scroll for more" }
    : { none: "没有匹配的机关", loading: "正在搜索…", type: "输入名称或地区搜索", more: "向下滚动查看更多" };

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function renderers(select) {
    var none = select.getAttribute("data-search-none") || TEXT.none;
    return {
      no_results: function () { return '<div class="no-results">' + escapeHtml(none) + "</div>"; },
      loading: function () { return '<div class="spinner-border spinner-border-sm m-2" role="status"><span class="visually-hidden">' + TEXT.loading + "</span></div>"; },
      loading_more: function () { return '<div class="loading-more-results py-2 d-flex align-items-center"><div class="spinner-border spinner-border-sm me-2"></div>' + TEXT.loading + "</div>"; },
      no_more_results: function () { return ""; },
      option: function (data, escape) {
        return "<div>" + escape(data.name) + "</div>";
      },
      item: function (data, escape) {
        return "<div>" + escape(data.name) + "</div>";
      },
    };
  }

  function placeholderOf(select) {
    var empty = select.querySelector('option[value=""]');
    return (
      (empty && empty.textContent.replace(/-+/g, "").trim()) || select.getAttribute("data-search-placeholder") || TEXT.type
    );
  }

  function enhanceRemote(select) {
    var base = select.getAttribute("data-agency-search");
    var multiple = select.multiple;
    var options = [];
    var groups = {};
    Array.prototype.forEach.call(select.options, function (opt) {
      if (!opt.value) return;
      var region = opt.getAttribute("data-region") || "";
      options.push({ id: opt.value, name: opt.textContent, region: region });
      if (region) groups[region] = { value: region, label: region };
    });
    var settings = {
      valueField: "id",
      labelField: "name",
      searchField: ["name", "region"],
      optgroupField: "region",
      optgroupValueField: "value",
      optgroupLabelField: "label",
      options: options,
      optgroups: Object.keys(groups).map(function (k) { return groups[k]; }),
      items: options.map(function (o) { return o.id; }),
      lockOptgroupOrder: true,
      maxOptions: null,
      preload: "focus",
      loadThrottle: 250,
      placeholder: placeholderOf(select),
      allowEmptyOption: false,
      plugins: ["virtual_scroll"].concat(multiple ? ["remove_button"] : select.querySelector('option[value=""]') ? ["clear_button"] : []),
      firstUrl: function (query) {
        return base + "&q=" + encodeURIComponent(query) + "&page=1";
      },
      load: function (query, callback) {
        var self = this;
        var url = self.getUrl(query);
        var page = parseInt(new URL(url, window.location.href).searchParams.get("page") || "1", 10);
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { return response.json(); })
          .then(function (data) {
            if (data.more) {
              self.setNextUrl(query, base + "&q=" + encodeURIComponent(query) + "&page=" + (page + 1));
            }
            var seen = {};
            var optgroups = [];
            data.results.forEach(function (row) {
              if (row.region && !seen[row.region]) {
                seen[row.region] = true;
                optgroups.push({ value: row.region, label: row.region });
              }
            });
            callback(data.results, optgroups);
          })
          .catch(function () { callback(); });
      },
      render: renderers(select),
    };
    // The <select> keeps only the chosen <option>s; tom-select adds the others as they are picked.
    new window.TomSelect(select, settings);
    hideOriginal(select);
  }

  // The original <select> stays in the form (it is what is submitted) but the user works with
  // tom-select's control, which the <label> now points to: keep the hidden one out of the
  // accessibility tree so it is not announced twice, unlabelled.
  function hideOriginal(select) {
    select.setAttribute("aria-hidden", "true");
  }

  function enhanceLocal(select) {
    var ts = new window.TomSelect(select, {
      plugins: select.multiple ? ["remove_button"] : [],
      maxOptions: null,
      render: { no_results: function () { return '<div class="no-results">' + escapeHtml(TEXT.none) + "</div>"; } },
    });
    hideOriginal(select);
    var otherId = select.getAttribute("data-exclude-value-of");
    var other = otherId && document.getElementById(otherId);
    if (!other) return;
    function sync() {
      Object.keys(ts.options).forEach(function (value) {
        var hidden = value === other.value;
        ts.updateOption(value, Object.assign({}, ts.options[value], { disabled: hidden }));
        if (hidden) ts.removeItem(value, true);
      });
      ts.refreshOptions(false);
    }
    other.addEventListener("change", sync);
    sync();
  }

  function init() {
    document.querySelectorAll("select[data-agency-search]").forEach(enhanceRemote);
    document.querySelectorAll("select[data-local-search]").forEach(enhanceLocal);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
