"""Lists on a phone: the filter panel collapses (with the number of filters set) and each row
becomes a card whose cells carry their column's label (static/css/app.css, .pil-cards)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import CaseFactory, LeadFactory

ROOT = Path(__file__).resolve().parent.parent.parent


def _table(html: str) -> str:
    return re.search(r'<table class="[^"]*\bpil-cards\b[^"]*">.*?</table>', html, re.S).group(0)


def _assert_every_cell_labelled(table: str, columns: int) -> None:
    headers = re.findall(r"<th scope=\"col\"", table)
    assert len(headers) == columns
    rows = re.findall(r"<tr>\s*(<td data-label.*?)</tr>", table, re.S)
    assert rows, "no data rows"
    for row in rows:
        cells = re.findall(r"<td\b[^>]*>", row)
        assert len(cells) == columns
        assert all(re.search(r'data-label="[^"]+"', cell) for cell in cells), cells


def test_case_list_rows_are_labelled_cards_and_filters_collapse(client, world):
    CaseFactory(procuratorate=world.district, handler=world.procurator)
    client.force_login(world.procurator)
    html = client.get(reverse("case_list")).content.decode()
    _assert_every_cell_labelled(_table(html), columns=10)
    assert 'data-label="案号"' in html and 'data-label="下一期限"' in html
    assert re.search(
        r'<details class="pil-filters[^"]*" open data-collapse-narrow>\s*<summary>筛选条件</summary>', html
    )

    html = client.get(reverse("case_list"), {"status": "investigation", "q": "河道", "ordering": "number"}).content
    assert "已设 2 项" in html.decode()  # ordering is not a filter


def test_lead_list_rows_are_labelled_cards(client, world):
    LeadFactory(procuratorate=world.district, registered_by=world.procurator)
    client.force_login(world.procurator)
    html = client.get(reverse("lead_list")).content.decode()
    _assert_every_cell_labelled(_table(html), columns=6)
    assert "data-collapse-narrow" in html


CARD_LISTS = [
    "cases/case_list.html",
    "cases/lead_list.html",
    "feedback/_home_rows.html",  # the agency home's groups and each group's page
    "feedback/_court_duties.html",  # the agency home's lawsuits and the agency's lawsuit list
    "inspections/inspection_list.html",
    "meetings/meeting_list.html",
    "referrals/referral_list.html",
    "assistance/request_list.html",
]


# Lists whose rows are written in Python (issue 15: the page's time): the module writing the cells.
ROWS_IN_PYTHON = {
    "cases/case_list.html": "cases/templatetags/case_lists.py",
    "feedback/_home_rows.html": "feedback/templatetags/feedback_tags.py",
}


@pytest.mark.parametrize("template", CARD_LISTS)
def test_main_lists_turn_into_labelled_cards(template):
    """Every data cell of these lists names its column (the "nothing found" row spans them all)."""
    source = (ROOT / "templates" / template).read_text()
    tables = re.findall(r"<table class=\"[^\"]*\bpil-cards\b[^\"]*\">.*?</table>", source, re.S)
    assert tables, f"{template}: no .pil-cards table"
    for table in tables:
        if template in ROWS_IN_PYTHON:
            table += (ROOT / ROWS_IN_PYTHON[template]).read_text()
        cells = [cell for cell in re.findall(r"<td\b[^>]*>", table) if "colspan" not in cell]
        assert cells and all("data-label=" in cell for cell in cells), template
