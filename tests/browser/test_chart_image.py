"""The chart image a supervisor downloads carries its title and period, drawn in the PNG (issue 14):
in Chromium (Playwright), the dashboard's "下载图片" saves a PNG whose top band holds the title; the
chart on the page keeps its own drawing (the title is in the card's header there).

Skipped, with the other browser tests, when Playwright or Chromium is missing (tests/browser/conftest.py).
"""

from __future__ import annotations

import base64
import datetime

from django.urls import reverse

from tests.factories import CaseFactory

# The share of the image's top band (title and period) that is not background, in the page.
INK_IN_TOP_BAND = """
async (dataUrl) => {
  const image = new Image();
  image.src = dataUrl;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.width;
  canvas.height = image.height;
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  // pixelRatio 2: the title (top 8 px, 16 px high) lies within the top 60 px of the image.
  const band = context.getImageData(0, 0, image.width, 60).data;
  let ink = 0;
  for (let i = 0; i < band.length; i += 4) {
    if (band[i] < 128 && band[i + 1] < 128 && band[i + 2] < 128) ink++;
  }
  return ink;
}
"""


def test_downloaded_chart_image_has_its_title_and_period_drawn_in(open_browser, world, tmp_path):
    today = datetime.date.today()
    for month in (1, 2):
        CaseFactory(procuratorate=world.district, opened_on=datetime.date(today.year, month, 10))
    supervisor = open_browser(downloads=True)
    supervisor.login(world.city_supervisor)
    supervisor.goto(reverse("dashboard"))
    page = supervisor.page
    button = page.locator('[data-chart-download="trend"]')
    button.wait_for(state="visible")
    subtitle = button.get_attribute("data-subtitle")
    assert button.get_attribute("data-title") == "案件与检察建议月度趋势"
    assert f"{today.year}年1月1日" in subtitle and "测试市人民检察院及下级院" in subtitle

    with page.expect_download() as download_info:
        button.click()
    download = download_info.value
    assert download.suggested_filename.startswith("trend-") and download.suggested_filename.endswith(".png")
    path = tmp_path / "trend.png"
    download.save_as(path)
    png = path.read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    exported = "data:image/png;base64," + base64.b64encode(png).decode()
    assert page.evaluate(INK_IN_TOP_BAND, exported) > 200  # the title's strokes

    # The page's own chart, drawn again after the download, has no title: its top band is empty
    # but for the legend.
    on_page = page.evaluate(
        """() => {
          const el = document.querySelector('[data-chart="trend"]');
          return window.echarts.getInstanceByDom(el).getDataURL({type: "png", pixelRatio: 2, backgroundColor: "#fff"});
        }"""
    )
    assert page.evaluate(INK_IN_TOP_BAND, on_page) < page.evaluate(INK_IN_TOP_BAND, exported) / 2

    # The title and the period are the option's (a CJK font first, the browser's own as fallback).
    option = page.evaluate(
        """() => window.pilDashboardCharts.exportOption(
             JSON.parse(document.getElementById('dashboard-charts').textContent).trend, 'T', 'S')"""
    )
    assert option["title"]["text"] == "T" and option["title"]["subtext"] == "S"
    assert option["title"]["textStyle"]["fontFamily"].startswith("'WenQuanYi Micro Hei'")
    assert option["title"]["textStyle"]["fontFamily"].endswith("sans-serif")
