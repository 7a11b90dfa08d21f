"""The demo meetings (every state, an overdue decision), the schedule form, the briefing link to
the reports page and the agency portal's block of open decisions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from deadlines.models import Deadline
from demo.meetings import seed_meetings
from meetings.models import DECISION_SUBJECT, Decision, Meeting
from reports.models import ReportJob
from tests.meetings.conftest import TODAY

pytestmark = pytest.mark.django_db


def demo_users(world):
    return {
        "supervisor1": world.city_supervisor,
        "supervisor2": world.supervisor,
        "agency1": world.agency1_staff,
        "agency2": world.agency2_staff,
        "discipline1": world.discipline,
    }


def test_the_demo_meetings_cover_every_state_and_are_seeded_once(world):
    procuratorates = {"city": world.city, "150602": world.district}
    assert seed_meetings(users=demo_users(world), procuratorates=procuratorates, city="city", today=TODAY) == 4
    assert set(Meeting.objects.values_list("status", flat=True)) == set(Meeting.Status.values)
    assert set(Decision.objects.values_list("status", flat=True)) == set(Decision.Status.values)
    overdue = Deadline.objects.filter(subject_type=DECISION_SUBJECT, status=Deadline.Status.OPEN, due_date__lt=TODAY)
    assert overdue.count() == 1
    assert set(Deadline.objects.filter(subject_type=DECISION_SUBJECT).values_list("status", flat=True)) == {
        Deadline.Status.OPEN,
        Deadline.Status.MET,
        Deadline.Status.LATE,
    }
    before = Meeting.objects.count()
    assert seed_meetings(users=demo_users(world), procuratorates=procuratorates, city="city", today=TODAY) == 0
    assert Meeting.objects.count() == before


def test_the_schedule_form(client, world):
    client.force_login(world.supervisor)
    response = client.post(
        reverse("meeting_schedule"),
        {
            "title": "网页安排的会议",
            "date": "2026-07-10",
            "host": world.district.pk,
            "participants": [world.district.pk, world.agency1.pk],
            "attendees": f"{world.agency1.name}：王局长",
            "other_participants": "测试区人民法院",
        },
    )
    meeting = Meeting.objects.get(title="网页安排的会议")
    assert response.status_code == 302 and response.url == reverse("meeting_detail", args=[meeting.pk])
    assert meeting.participants.get(organisation=world.agency1).attendees == "王局长"


def test_attendees_of_an_organisation_not_chosen_are_refused(client, world):
    client.force_login(world.supervisor)
    response = client.post(
        reverse("meeting_schedule"),
        {
            "title": "会议",
            "date": "2026-07-10",
            "host": world.district.pk,
            "participants": [world.agency1.pk],
            "attendees": f"{world.agency2.name}：某人",
        },
    )
    assert response.status_code == 200
    assert not Meeting.objects.exists()


def test_the_meeting_page_links_to_the_briefing_of_each_agency_and_the_reports_page_fills_it_in(client, world, held):
    client.force_login(world.supervisor)
    html = client.get(reverse("meeting_detail", args=[held.pk])).content.decode()
    link = f"{reverse('reports_index')}?kind=briefing&amp;meeting={held.pk}&amp;agency={world.agency1.pk}"
    assert link in html
    # The briefing form offers the agencies of the supervisor's cases: agency1 has the discussed case.
    page = client.get(link.replace("&amp;", "&")).content.decode()
    assert f'<option value="{held.pk}" selected>{held.title}</option>' in page
    # The agency is a searched select (agencies.widgets): only the chosen one is in the page.
    assert f'<option value="{world.agency1.pk}" selected data-region="">' in page


def test_a_briefing_requested_for_a_meeting_carries_its_title(client, world, held):
    client.force_login(world.supervisor)
    client.post(
        reverse("report_request", args=["briefing"]),
        {
            "briefing-agency": world.agency1.pk,
            "briefing-meeting": held.pk,
            "briefing-start": "2026-01-01",
            "briefing-end": "2026-06-30",
        },
    )
    job = ReportJob.objects.get()
    assert job.params["meeting"] == held.title


def test_the_agency_portal_lists_its_open_decisions_only(client, world, decisions):
    own, commission = decisions
    client.force_login(world.agency1_staff)
    html = client.get(reverse("agency_home")).content.decode()
    assert own.text in html and commission.text not in html
