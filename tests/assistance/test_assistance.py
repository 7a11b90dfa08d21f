"""Assistance requests: sent with a given or a default due date, answered by the agency (deadline
met, procurator notified), overdue flagged by the scan, closed or withdrawn; the agency sees only
the request (docs/domain.md, Assistance requests)."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assistance import services
from assistance.models import SUBJECT_TYPE, AssistanceRequest
from cases.models import Event
from deadlines.models import Deadline
from deadlines.services import deadlines_scan
from notifications.models import Notification
from pil_tracker.errors import DomainError
from tests.factories import CaseFactory

D = datetime.date
TODAY = D(2026, 6, 1)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def case(world):
    return CaseFactory(
        procuratorate=world.district, handler=world.procurator, agencies=[world.agency1], title="秘密案名"
    )


@pytest.fixture
def sent(world, case):
    return services.assistance_request_send(
        user=world.procurator,
        case=case,
        agency=world.agency1,
        kind=AssistanceRequest.Kind.FILES,
        subject="调取采砂许可卷宗",
        details="请提供2025年以来的采砂许可卷宗。",
        today=TODAY,
    )


def deadline_of(request):
    return Deadline.objects.get(subject_type=SUBJECT_TYPE, subject_id=request.pk)


def test_sent_with_the_default_rule_watched_and_notified(world, sent):
    deadline = deadline_of(sent)
    assert sent.due_date == deadline.due_date == D(2026, 6, 16)
    assert (deadline.agency, deadline.watcher) == (world.agency1, world.procurator)
    assert Notification.objects.get(kind="assistance_requested").recipient == world.agency1_staff
    assert Event.objects.filter(case=sent.case, kind=Event.Kind.ASSISTANCE_REQUESTED).exists()


def test_a_given_due_date_is_kept(world, case):
    request = services.assistance_request_send(
        user=world.procurator,
        case=case,
        agency=world.agency1,
        kind="site",
        subject="s",
        details="d",
        due_date=D(2026, 6, 5),
        today=TODAY,
    )
    assert deadline_of(request).due_date == D(2026, 6, 5)


def test_overdue_is_flagged_then_the_answer_meets_it(world, sent):
    deadlines_scan(today=D(2026, 6, 17))
    overdue = Notification.objects.filter(key=f"deadline:{deadline_of(sent).pk}:overdue")
    assert {n.recipient for n in overdue} == {world.procurator, world.agency1_staff}
    services.assistance_answer(
        user=world.agency1_staff,
        request=sent,
        answer="卷宗已随附。",
        files=[SimpleUploadedFile("卷宗.pdf", PDF, content_type="application/pdf")],
        today=D(2026, 6, 18),
    )
    sent.refresh_from_db()
    assert sent.status == AssistanceRequest.Status.ANSWERED and sent.files.count() == 1
    assert deadline_of(sent).status == Deadline.Status.MET or deadline_of(sent).status != Deadline.Status.OPEN
    assert Notification.objects.get(kind="assistance_answered").recipient == world.procurator
    services.assistance_close(user=world.procurator, request=sent, note="已收到")
    sent.refresh_from_db()
    assert sent.status == AssistanceRequest.Status.CLOSED


def test_refusals(world, sent):
    with pytest.raises(DomainError) as info:
        services.assistance_answer(user=world.agency2_staff, request=sent, answer="x", today=TODAY)
    assert info.value.code == "permission_denied"
    with pytest.raises(DomainError):
        services.assistance_close(user=world.procurator, request=sent)  # not answered yet
    with pytest.raises(DomainError) as info:
        services.assistance_withdraw(user=world.procurator_colleague, request=sent, reason="x")
    assert info.value.code == "permission_denied"
    sent.refresh_from_db()
    assert sent.status == AssistanceRequest.Status.SENT and deadline_of(sent).status == Deadline.Status.OPEN
    services.assistance_withdraw(user=world.procurator, request=sent, reason="不再需要")
    assert deadline_of(sent).status == Deadline.Status.CANCELLED


READERS = {
    "procurator": True,
    "procurator_colleague": True,
    "city_procurator": False,
    "other_procurator": False,
    "supervisor": True,
    "city_supervisor": True,
    "other_supervisor": False,
    "agency1_staff": True,
    "agency2_staff": False,
    "discipline": False,
}


@pytest.mark.parametrize("name", sorted(READERS))
def test_scope_matrix(world, sent, client, name):
    client.force_login(getattr(world, name))
    detail = client.get(reverse("assistance_detail", args=[sent.pk]))
    assert detail.status_code == (200 if READERS[name] else 404)
    if name == "agency1_staff":
        page = detail.content.decode()
        assert "调取采砂许可卷宗" in page and "秘密案名" not in page and sent.case.number not in page
    answer = client.post(reverse("assistance_answer", args=[sent.pk]), {"answer": "好"})
    assert answer.status_code == (302 if name == "agency1_staff" else 403 if READERS[name] else 404)
    withdraw = client.post(reverse("assistance_withdraw", args=[sent.pk]), {"reason": "x"})
    if name == "agency1_staff":
        assert withdraw.status_code == 403
    else:
        expected = 403 if READERS[name] and name != "procurator" else 404 if not READERS[name] else 302
        # The procurator's withdraw is refused on the form: the request was not answered here but
        # it is still sent, so it goes through.
        assert withdraw.status_code == expected
    assert client.get(reverse("assistance_detail", args=[10**9])).status_code == 404


def test_case_page_and_agency_home_show_the_request(world, sent, client):
    client.force_login(world.procurator)
    assert "调取采砂许可卷宗" in client.get(reverse("case_detail", args=[sent.case_id])).content.decode()
    client.force_login(world.agency1_staff)
    assert "调取采砂许可卷宗" in client.get(reverse("agency_home")).content.decode()
