"""The admin of the calendar: entering or editing a year recomputes the open deadlines it affects."""

from __future__ import annotations

import datetime

import pytest

from deadlines.models import CalendarDay, HolidayYear, RuleCode
from deadlines.services import deadline_open
from tests.deadlines.conftest import issued_recommendation
from tests.factories import UserFactory

D = datetime.date

# The test settings serve no collected static files.
pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


def reply_deadline(world, start: datetime.date):
    return deadline_open(case=issued_recommendation(world).case, rule_code=RuleCode.REPLY, start_date=start)


@pytest.fixture
def admin_client(client, db):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True, role="", organisation=None)
    client.force_login(admin)
    return client


def test_entering_2027_in_the_admin_recomputes_the_provisional_deadlines(world, admin_client):
    deadline = reply_deadline(world, D(2026, 12, 8))
    data = {
        "year": "2027",
        "source": "国务院办公厅通知",
        "days-TOTAL_FORMS": "2",
        "days-INITIAL_FORMS": "0",
        "days-MIN_NUM_FORMS": "0",
        "days-MAX_NUM_FORMS": "1000",
        "days-0-date": "2027-02-08",
        "days-0-is_rest_day": "on",
        "days-0-name": "春节",
        "days-1-date": "2027-02-20",
        "days-1-name": "春节调休上班",
    }
    response = admin_client.post("/admin/deadlines/holidayyear/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    holiday_year = HolidayYear.objects.get(year=2027)
    assert (holiday_year.version, holiday_year.days.count()) == (1, 2)
    deadline.refresh_from_db()
    assert (deadline.due_date, deadline.provisional) == (D(2027, 2, 9), False)
    assert deadline.changes.get().changed_by.username == "root"


def test_the_admin_refuses_a_weekday_entered_as_a_make_up_working_day(world, admin_client):
    holiday_year = HolidayYear.objects.get(year=2026)
    response = admin_client.post(
        "/admin/deadlines/calendarday/add/",
        {"holiday_year": holiday_year.pk, "date": "2026-11-04", "name": "错误"},
    )
    assert response.status_code == 200
    assert not CalendarDay.objects.filter(date=D(2026, 11, 4)).exists()


def test_adding_a_day_in_the_admin_recomputes(world, admin_client):
    deadline = reply_deadline(world, D(2026, 9, 2))
    holiday_year = HolidayYear.objects.get(year=2026)
    response = admin_client.post(
        "/admin/deadlines/calendarday/add/",
        {"holiday_year": holiday_year.pk, "date": "2026-11-02", "is_rest_day": "on", "name": "假想"},
    )
    assert response.status_code == 302
    deadline.refresh_from_db()
    assert deadline.due_date == D(2026, 11, 3)
    assert HolidayYear.objects.get(year=2026).version == 2


@pytest.mark.parametrize(
    "path",
    [
        "/admin/deadlines/holidayyear/",
        "/admin/deadlines/calendarday/",
        "/admin/deadlines/deadlinerule/",
        "/admin/deadlines/deadline/",
        "/admin/deadlines/deadlinealert/",
    ],
)
def test_admin_pages_render(world, admin_client, path):
    reply_deadline(world, D(2026, 9, 2))
    assert admin_client.get(path).status_code == 200
