// The dashboard's charts (templates/dashboard/dashboard.html). The data and every label come from
// the server (json_script "dashboard-charts", already translated); without JavaScript the page
// shows the same numbers as tables. With it, each chart is drawn with ECharts, its table is folded
// away (still one click open), and its "download image" button saves a PNG (getDataURL).
(function () {
  "use strict";

  // Text drawn on the canvas: a CJK font where the machine has one (Debian's fonts-wqy-microhei,
  // Windows' Microsoft YaHei, macOS's PingFang), else the browser's sans-serif.
  var FONT_FAMILY =
    "'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Microsoft YaHei', 'PingFang SC', 'Source Han Sans SC', sans-serif";

  function baseOption(chart) {
    return {
      aria: { enabled: true },
      textStyle: { fontFamily: FONT_FAMILY },
      animation: false,
      tooltip: { trigger: chart.kind === "pie" ? "item" : "axis" },
      legend: { show: chart.series.length > 1, top: 0 },
      grid: { left: 8, right: 16, top: chart.series.length > 1 ? 32 : 16, bottom: 8, containLabel: true },
    };
  }

  function optionFor(chart) {
    var option = baseOption(chart);
    if (chart.kind === "pie") {
      option.series = [
        {
          type: "pie",
          name: chart.series[0] ? chart.series[0].name : "",
          radius: ["35%", "70%"],
          data: chart.categories.map(function (name, i) {
            return { name: name, value: chart.series[0].data[i] };
          }),
        },
      ];
      option.legend = { show: true, type: "scroll", bottom: 0 };
      return option;
    }
    var categoryAxis = { type: "category", data: chart.categories, axisLabel: { hideOverlap: true } };
    var valueAxis = { type: "value", minInterval: 1 };
    if (chart.horizontal) {
      categoryAxis.inverse = true;
      option.xAxis = valueAxis;
      option.yAxis = categoryAxis;
    } else {
      option.xAxis = categoryAxis;
      option.yAxis = valueAxis;
    }
    option.series = chart.series.map(function (series) {
      return { type: chart.kind === "line" ? "line" : "bar", name: series.name, data: series.data };
    });
    return option;
  }

  // The option of the downloaded image: the chart with its title and period drawn in (the page
  // shows them in the card's header instead), room made for them above the plot.
  function exportOption(chart, title, subtitle) {
    var option = optionFor(chart);
    option.title = {
      text: title,
      subtext: subtitle,
      left: "center",
      top: 8,
      textStyle: { fontFamily: FONT_FAMILY, fontSize: 16, fontWeight: "bold", color: "#212529" },
      subtextStyle: { fontFamily: FONT_FAMILY, fontSize: 12, color: "#495057" },
    };
    var top = 64;
    if (option.legend && option.legend.top === 0) option.legend.top = top - 8;
    if (option.grid) option.grid.top = option.grid.top + top;
    if (chart.kind === "pie") option.series[0].center = ["50%", "58%"];
    return option;
  }

  window.pilDashboardCharts = { optionFor: optionFor, exportOption: exportOption };

  document.addEventListener("DOMContentLoaded", function () {
    var source = document.getElementById("dashboard-charts");
    if (!source || !window.echarts) return;
    var charts = JSON.parse(source.textContent);
    var drawn = {};
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var key = el.getAttribute("data-chart");
      var chart = charts[key];
      if (!chart || !chart.categories.length) return; // the table says "no data"
      el.classList.remove("d-none");
      var instance = window.echarts.init(el, null, { renderer: "canvas" });
      instance.pilChart = chart;
      instance.setOption(optionFor(chart));
      drawn[key] = instance;
      var table = el.parentNode.querySelector(".pil-chart-table");
      if (table) table.removeAttribute("open");
    });
    document.querySelectorAll("[data-chart-download]").forEach(function (button) {
      var instance = drawn[button.getAttribute("data-chart-download")];
      if (!instance) return;
      button.classList.remove("d-none");
      button.addEventListener("click", function () {
        var chart = instance.pilChart;
        // Drawn with the title and period for the image, then back to the page's own drawing.
        instance.setOption(
          exportOption(chart, button.getAttribute("data-title") || chart.title, button.getAttribute("data-subtitle") || ""),
          true
        );
        var url = instance.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#fff" });
        instance.setOption(optionFor(chart), true);
        var link = document.createElement("a");
        link.href = url;
        link.download = button.getAttribute("data-filename") || "chart.png";
        document.body.appendChild(link);
        link.click();
        link.remove();
      });
    });
    window.addEventListener("resize", function () {
      Object.keys(drawn).forEach(function (key) {
        drawn[key].resize();
      });
    });
  });
})();
