"""The pages follow the court's events (issue 14): once the court has heard or decided the case the
defence period no longer counts down, a scheduled hearing whose date has passed shows as awaiting
its record (computed against the page's today, never a stored flag), and the one primary button is
the next court step, not 记录提起诉讼 once a lawsuit exists. Both the procuratorate's litigation
page and the defendant agency's lawsuit page."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from deadlines.models import Deadline
from litigation import services
from litigation.models import Hearing
from tests.litigation.conftest import TODAY, D, effective_ruling, file_lawsuit, first_ruling, litigation_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_today(monkeypatch):
    """Fix the day the pages compute against: set_today(D(...))."""

    def set_today(day: datetime.date) -> None:
        monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)

    set_today(TODAY)
    return set_today


def _received(world, lawsuit):
    services.complaint_copy_received(user=world.procurator, lawsuit=lawsuit, received_on=D(2026, 6, 2), today=TODAY)
    lawsuit.refresh_from_db()
    return lawsuit


def _page(client, user, lawsuit) -> str:
    client.force_login(user)
    return client.get(reverse("litigation_case", args=[lawsuit.case_id])).content.decode()


def _agency_page(client, world, lawsuit) -> str:
    client.force_login(world.agency1_staff)
    return client.get(reverse("agency_lawsuit_detail", args=[lawsuit.pk])).content.decode()


def _primary(html: str) -> list[str]:
    """The hrefs of the filled primary buttons."""
    return re.findall(r'class="btn btn-sm btn-primary" href="([^"]+)"', html)


def _defence_cell(html: str) -> str:
    """The defence part of the procuratorate's page (between 答辩 and the next block)."""
    start = html.index("收到起诉状副本 2026-06-02")
    return html[start : html.index("</dd>", start)]


# --- The defence period ends with the hearing or the ruling ----------------------------------------


def test_a_held_hearing_ends_the_defence_period_and_the_page_stops_counting(client, world, page_today):
    lawsuit = _received(world, file_lawsuit(world))
    assert lawsuit.defence_deadline.status == Deadline.Status.OPEN
    page_today(D(2026, 6, 10))
    assert "还剩" in _defence_cell(_page(client, world.procurator, lawsuit))

    services.hearing_record(
        user=world.procurator, lawsuit=lawsuit, held_on=D(2026, 6, 20), appearance=Hearing.Appearance.HEAD, today=TODAY
    )
    lawsuit.refresh_from_db()
    assert lawsuit.defence_deadline.status == Deadline.Status.CANCELLED
    page_today(D(2026, 6, 25))  # past the due date (06-17): no "逾期" either
    cell = _defence_cell(_page(client, world.procurator, lawsuit))
    assert "答辩期已结束" in cell and "还剩" not in cell and "逾期" not in cell
    assert "未记录答辩状" in cell
    assert reverse("litigation_lawsuit_action", args=[lawsuit.pk, "defence"]) not in _page(
        client, world.procurator, lawsuit
    )
    agency = _agency_page(client, world, lawsuit)
    defence = agency[agency.index('id="defence"') : agency.index("</dd>", agency.index('id="defence"'))]
    assert 'data-defence-over="1"' in defence and "逾期" not in defence
    assert reverse("litigation_lawsuit_action", args=[lawsuit.pk, "defence"]) not in agency


def test_a_ruling_without_a_hearing_ends_the_defence_period(world):
    lawsuit = _received(world, file_lawsuit(world))
    ruling = first_ruling(lawsuit)
    lawsuit.refresh_from_db()
    assert lawsuit.defence_deadline.status == Deadline.Status.CANCELLED
    lawsuit.case.refresh_from_db()
    assert lawsuit.case.next_due_date == ruling.appeal_deadline.due_date  # the defence is watched no more


def test_a_defence_submitted_in_time_stays_met_after_the_ruling(client, world, page_today):
    lawsuit = _received(world, file_lawsuit(world))
    services.defence_submitted(user=world.procurator, lawsuit=lawsuit, submitted_on=D(2026, 6, 15), today=TODAY)
    first_ruling(lawsuit)
    lawsuit.refresh_from_db()
    assert lawsuit.defence_deadline.status == Deadline.Status.MET
    cell = _defence_cell(_page(client, world.procurator, lawsuit))
    assert "按期完成" in cell and "已提交答辩状 2026-06-15" in cell and "答辩期已结束" not in cell


def test_a_complaint_copy_recorded_after_the_hearing_opens_no_defence_deadline(world):
    lawsuit = file_lawsuit(world)
    services.hearing_record(
        user=world.procurator, lawsuit=lawsuit, held_on=D(2026, 6, 20), appearance=Hearing.Appearance.HEAD, today=TODAY
    )
    lawsuit = _received(world, lawsuit)
    assert lawsuit.complaint_copy_received_on == D(2026, 6, 2)
    assert lawsuit.defence_deadline is None and not Deadline.objects.filter(case=lawsuit.case).exists()


# --- A hearing whose date has passed -----------------------------------------------------------------


@pytest.fixture
def scheduled(world):
    lawsuit = _received(world, file_lawsuit(world))
    hearing = services.hearing_schedule(
        user=world.procurator, lawsuit=lawsuit, held_on=D(2026, 7, 10), court_room="第二法庭", today=D(2026, 7, 1)
    )
    return lawsuit, hearing


def test_a_scheduled_hearing_is_awaited_until_its_day(client, world, scheduled, page_today):
    lawsuit, hearing = scheduled
    page_today(D(2026, 7, 10))
    page = _page(client, world.procurator, lawsuit)
    assert "待开庭" in page and "data-awaiting-record" not in page
    agency = _agency_page(client, world, lawsuit)
    assert "待开庭" in agency and reverse("litigation_hearing_action", args=[hearing.pk, "register"]) in agency


def test_a_hearing_whose_date_passed_shows_as_awaiting_its_record(client, world, scheduled, page_today):
    lawsuit, hearing = scheduled
    page_today(D(2026, 7, 11))
    page = _page(client, world.procurator, lawsuit)
    assert "开庭日期已过，待记录庭审情况" in page and "待开庭</span>" not in page
    # Recording what happened is the handler's next step.
    assert _primary(page) == [reverse("litigation_hearing_action", args=[hearing.pk, "outcome"])]
    agency = _agency_page(client, world, lawsuit)
    row = agency[agency.index(f'data-hearing="{hearing.pk}"') :]
    row = row[: row.index("</tr>")]
    assert 'data-awaiting-record="1"' in row and "待开庭" not in row and "逾期" not in row
    assert reverse("litigation_hearing_action", args=[hearing.pk, "register"]) not in row
    assert Hearing.objects.get(pk=hearing.pk).state_on(D(2026, 7, 11)) == "awaiting_record"


# --- The primary button is the next court step -------------------------------------------------------


def test_filing_is_primary_only_until_a_lawsuit_exists(client, world, page_today):
    case = litigation_case(world)
    client.force_login(world.procurator)
    file_url = reverse("litigation_lawsuit_file", args=[case.pk])
    page = client.get(reverse("litigation_case", args=[case.pk])).content.decode()
    assert _primary(page) == [file_url]

    lawsuit = file_lawsuit(world, case)
    page = _page(client, world.procurator, lawsuit)
    assert file_url in page and file_url not in _primary(page)
    assert _primary(page) == [reverse("litigation_lawsuit_action", args=[lawsuit.pk, "complaint-copy"])]
    assert reverse("litigation_close", args=[case.pk]) not in page  # nothing finished yet


def test_the_next_step_follows_the_court_to_the_case_closing(client, world, page_today):
    lawsuit = _received(world, file_lawsuit(world))
    step = lambda: _primary(_page(client, world.procurator, lawsuit))  # noqa: E731
    assert step() == [reverse("litigation_lawsuit_action", args=[lawsuit.pk, "schedule"])]
    services.hearing_record(
        user=world.procurator, lawsuit=lawsuit, held_on=D(2026, 6, 20), appearance=Hearing.Appearance.HEAD, today=TODAY
    )
    assert step() == [reverse("litigation_lawsuit_action", args=[lawsuit.pk, "ruling"])]
    ruling = first_ruling(lawsuit)
    page_today(D(2026, 7, 10))  # the appeal window (to 07-16) runs: the next move is not ours
    assert step() == []
    page_today(D(2026, 7, 20))
    assert step() == [reverse("litigation_ruling_action", args=[ruling.pk, "effect"])]
    services.ruling_take_effect(user=world.procurator, ruling=ruling, effective_on=D(2026, 7, 17), today=TODAY)
    assert step() == [reverse("litigation_ruling_action", args=[ruling.pk, "compliance"])]
    services.compliance_record(user=world.procurator, ruling=ruling, complied_on=D(2026, 9, 1), today=TODAY)
    assert step() == [reverse("litigation_close", args=[lawsuit.case_id])]


def test_the_agency_page_after_an_effective_ruling_counts_only_the_compliance(client, world, page_today):
    lawsuit = _received(world, file_lawsuit(world))
    effective_ruling(lawsuit)
    page_today(D(2026, 8, 1))
    agency = _agency_page(client, world, lawsuit)
    assert 'data-defence-over="1"' in agency
    assert agency.count("还剩") == 1  # the compliance deadline (09-30), not the defence


def test_closing_after_litigation_lists_what_it_cancels_and_asks_first(client, world, page_today):
    """The same confirmation as closing before litigation: the page lists the open deadlines the
    closing cancels and the filing duty that stays open, and nothing happens unticked."""
    lawsuit = _received(world, file_lawsuit(world))
    services.hearing_record(
        user=world.procurator, lawsuit=lawsuit, held_on=D(2026, 6, 20), appearance=Hearing.Appearance.HEAD, today=TODAY
    )
    ruling = first_ruling(lawsuit)
    services.ruling_take_effect(user=world.procurator, ruling=ruling, effective_on=D(2026, 7, 17), today=TODAY)
    services.compliance_record(user=world.procurator, ruling=ruling, complied_on=D(2026, 9, 1), today=TODAY)
    page_today(D(2026, 9, 10))
    url = reverse("litigation_close", args=[lawsuit.case_id])
    client.force_login(world.procurator)
    page = client.get(url).content.decode()
    assert "终结后将撤销的期限" in page or "本案没有将被撤销的期限" in page
    data = {"ground": "public_interest_restored", "closed_on": "2026-09-10", "note": "判决已履行。"}
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "请勾选确认后再终结案件。" in refused.content.decode()
    lawsuit.case.refresh_from_db()
    assert lawsuit.case.status != "closed"
    assert client.post(url, data | {"confirmed": "on"}).status_code == 302
    lawsuit.case.refresh_from_db()
    assert lawsuit.case.status == "closed"
