"""The liaison's pages: who sees an escalation (the scope matrix), the notification's link, what
the page never shows, recording an action, the case page's block, the home page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from agencies.models import Region
from cases.models import Event
from notifications.models import Notification
from supervision.models import SupervisionAction
from supervision.services import supervision_action_record
from tests.factories import DisciplineFactory, UserFactory
from tests.feedback.conftest import pdf_file
from tests.supervision.conftest import SECRETS

USERS = [
    "procurator",
    "procurator_colleague",
    "city_procurator",
    "other_procurator",
    "supervisor",
    "city_supervisor",
    "other_supervisor",
    "agency1_staff",
    "agency2_staff",
    "discipline",
]


def login(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("who", USERS)
def test_only_the_liaison_of_the_region_opens_the_escalation(client, world, escalation, who):
    response = login(client, getattr(world, who)).get(reverse("supervision_escalation_detail", args=[escalation.pk]))
    assert response.status_code == (200 if who == "discipline" else 404)


@pytest.mark.parametrize("who", USERS)
def test_only_the_liaison_may_record_an_action(client, world, escalation, today, who):
    url = reverse("supervision_action_create", args=[escalation.pk])
    data = {"kind": "written_inquiry", "taken_on": today.isoformat(), "note": "发函询问。"}
    response = login(client, getattr(world, who)).post(url, data)
    if who == "discipline":
        assert response.status_code == 302, response.content.decode()[:2000]
        assert SupervisionAction.objects.count() == 1
    else:
        assert response.status_code == 404
        assert SupervisionAction.objects.count() == 0


@pytest.mark.parametrize("who", ["procurator", "supervisor", "agency1_staff"])
def test_the_list_is_the_liaisons_page(client, world, escalation, who):
    assert login(client, getattr(world, who)).get(reverse("supervision_escalation_list")).status_code == 403


def test_a_liaison_of_another_region_gets_404(client, world, escalation):
    far = DisciplineFactory(region=Region.objects.create(name="外市", code="999000"))
    liaison = UserFactory(organisation=far, role="discipline_liaison")
    client.force_login(liaison)
    assert client.get(reverse("supervision_escalation_detail", args=[escalation.pk])).status_code == 404
    response = client.get(reverse("supervision_escalation_list"))
    assert (
        response.status_code == 200
        and escalation.deadline.recommendation.document_number not in response.content.decode()
    )


def test_the_escalation_notification_opens_the_supervision_page(client, world, escalation):
    note = Notification.objects.get(
        recipient=world.discipline, kind="deadline_escalated", url__contains="/escalations/"
    )
    assert note.url == reverse("supervision_escalation_detail", args=[escalation.pk])
    assert escalation.deadline.case.number not in note.body  # the liaison is told the document number
    assert escalation.deadline.recommendation.document_number in note.body
    assert login(client, world.discipline).get(note.url).status_code == 200
    # Every escalation notification of the liaison opens a page it can read.
    for other in Notification.objects.filter(recipient=world.discipline):
        assert client.get(other.url).status_code == 200, other.url
    # The supervisor's still opens the case.
    supervisor_note = Notification.objects.get(recipient=world.supervisor, key=note.key)
    assert supervisor_note.url == reverse("case_detail", args=[escalation.deadline.case_id])


def test_the_page_shows_the_recommendation_and_reports_never_the_case_internals(client, world, report, escalation):
    recommendation = escalation.deadline.recommendation
    client.force_login(world.discipline)
    html = client.get(reverse("supervision_escalation_detail", args=[escalation.pk])).content.decode()
    assert recommendation.agency.name in html and recommendation.document_number in html
    assert world.district.name in html
    for item in recommendation.items.all():
        assert item.text in html
    assert "已成立专班整改。" in html
    for secret in SECRETS:
        assert secret not in html
    assert escalation.deadline.case.number not in html
    assert reverse("case_detail", args=[escalation.deadline.case_id]) not in html
    # The agency's evidence file downloads through the liaison's permission-checked view.
    attachment = report.attachments.get()
    url = reverse("supervision_feedback_file_download", args=[attachment.pk])
    assert url in html
    download = client.get(url)
    assert download.status_code == 200
    # Consuming the stream closes the file (the test client's wrapper); close() would also end
    # the request and, on PostgreSQL, the test's connection.
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    for who in ("procurator_colleague", "other_procurator", "agency2_staff"):
        client.force_login(getattr(world, who))
        assert client.get(url).status_code == 404


def test_bad_input_comes_back_with_field_errors(client, world, escalation, today):
    client.force_login(world.discipline)
    url = reverse("supervision_action_create", args=[escalation.pk])
    response = client.post(url, {"kind": "interview", "taken_on": "2999-01-01", "note": ""})
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"note"}
    response = client.post(url, {"kind": "interview", "taken_on": "2999-01-01", "note": "约谈。"})
    assert "taken_on" in response.context["form"].errors
    assert SupervisionAction.objects.count() == 0


def test_the_case_page_shows_the_actions_to_handler_and_supervisor_only(client, world, escalation, today):
    supervision_action_record(
        user=world.discipline,
        escalation=escalation,
        kind="accountability",
        taken_on=today,
        note="已对该局启动问责程序。",
        files=[pdf_file("问责决定.pdf")],
        today=today,
    )
    case = escalation.deadline.case
    for who, sees in (
        ("procurator", True),
        ("supervisor", True),
        ("city_supervisor", True),
        ("procurator_colleague", False),
    ):
        client.force_login(getattr(world, who))
        html = client.get(reverse("case_detail", args=[case.pk])).content.decode()
        assert ("已对该局启动问责程序。" in html) is sees, who
    client.force_login(world.procurator)
    html = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "问责决定.pdf" in html
    action_file = SupervisionAction.objects.get().files.get()
    download = client.get(reverse("supervision_action_file_download", args=[action_file.pk]))
    assert download.status_code == 200
    b"".join(download.streaming_content)
    event = Event.objects.get(case=case, kind=Event.Kind.SUPERVISION_ACTION_RECORDED)
    assert "启动问责" in html and event.note in html  # on the timeline too
    client.force_login(world.procurator_colleague)
    assert client.get(reverse("supervision_action_file_download", args=[action_file.pk])).status_code == 404


def test_the_liaison_home_shows_what_waits(client, world, escalation, today):
    client.force_login(world.discipline)
    html = client.get(reverse("home")).content.decode()
    number = escalation.deadline.recommendation.document_number
    assert number in html and "待采取督办措施" in html
    supervision_action_record(
        user=world.discipline, escalation=escalation, kind="interview", taken_on=today, note="约谈。", today=today
    )
    html = client.get(reverse("home")).content.decode()
    assert "没有待采取督办措施的事项。" in html
    assert "约谈" in html


def test_the_list_costs_a_fixed_number_of_queries(client, world, escalation, django_assert_num_queries):
    client.force_login(world.discipline)
    client.get(reverse("supervision_escalation_list"))
    with django_assert_num_queries(5):
        response = client.get(reverse("supervision_escalation_list"))
    assert escalation.deadline.recommendation.document_number in response.content.decode()
