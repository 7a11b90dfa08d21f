"""The chart image a supervisor downloads carries its title and period, drawn in the PNG (issue 14):
in Chromium (Playwright), the dashboard's "下载图片" saves a PNG whose top band holds the title; the
chart on the page keeps its own drawing (the title is in the card's header there).

Skipped when Playwright or a Chromium is missing.
"""

from __future__ import annotations

import base64
import datetime
import shutil

import pytest
from django.conf import settings as django_settings
from django.test.testcases import _MediaFilesHandler
from django.urls import reverse

from tests.factories import CaseFactory

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (apt install chromium)")

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


@pytest.fixture
def browser_page(live_server, client, world, monkeypatch):
    """A Chromium page logged in as the city supervisor (the test client's session cookie), over
    two cases opened this year. The data is written before Playwright starts its event loop."""
    today = datetime.date.today()
    for month in (1, 2):
        CaseFactory(procuratorate=world.district, opened_on=datetime.date(today.year, month, 10))
    client.force_login(world.city_supervisor)
    # Uploads have no MEDIA_URL (they are served through views), which the live server's media
    # handler cannot compare paths with: it serves nothing here.
    monkeypatch.setattr(_MediaFilesHandler, "_should_handle", lambda self, path: False)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(accept_downloads=True, locale="zh-CN")
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        page = context.new_page()
        # Playwright's sync API keeps an event loop in this thread; the test itself touches no
        # database from here on, the live server's thread does.
        monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield page
        context.close()
        browser.close()


@pytest.mark.django_db(transaction=True)
def test_downloaded_chart_image_has_its_title_and_period_drawn_in(browser_page, live_server, world, tmp_path):
    today = datetime.date.today()
    page = browser_page
    page.goto(f"{live_server.url}{reverse('dashboard')}")
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
