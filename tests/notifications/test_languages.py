"""A notification reads in its reader's language, whatever the language of the request that sent it:
the list page and the API in the request's, the email and the digest in the recipient's
(User.language, set by the language switch). One family of kinds at a time, both ways."""

from __future__ import annotations

import datetime
import html
import importlib

import pytest
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from accounts.models import Role, User
from cases.models import Recommendation
from deadlines.models import DeadlineRule
from deadlines.services import deadlines_scan
from feedback import services as feedback_services
from litigation import services as litigation_services
from notifications import messages
from notifications.models import Notification
from notifications.services import NotificationSpec, agency_digests_send, notification_deliver, notifications_create
from tests.deadlines.conftest import deadline_due
from tests.factories import SERVED_ON, CaseFactory, UserFactory, recommendation_at
from tests.feedback.conftest import DAY, draft
from tests.litigation.conftest import TODAY, approved_case, file_lawsuit

pytestmark = [pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]

ZH, EN = "zh-hans", "en"


def _approval(world) -> tuple[User, Notification]:
    case = CaseFactory(procuratorate=world.district, handler=world.procurator)
    recommendation_at(Recommendation.Status.PENDING_APPROVAL, case=case, agency=world.agency1)
    return world.supervisor, Notification.objects.get(recipient=world.supervisor, kind="approval_requested")


def _feedback(world) -> tuple[User, Notification]:
    case = CaseFactory(procuratorate=world.district, handler=world.procurator, agencies=[world.agency1])
    recommendation = recommendation_at(
        Recommendation.Status.SERVED, case=case, agency=world.agency1, approver=world.supervisor
    )
    assert recommendation.served_on == SERVED_ON
    boss = UserFactory(organisation=world.agency1, role=Role.AGENCY_STAFF, is_responsible_person=True)
    feedback_services.feedback_submit(user=boss, report=draft(world.agency1_staff, recommendation), today=DAY)
    return world.procurator, Notification.objects.get(recipient=world.procurator, kind="feedback_submitted")


def _court(world) -> tuple[User, Notification]:
    lawsuit = file_lawsuit(world, approved_case(world))
    litigation_services.complaint_copy_received(
        user=world.procurator, lawsuit=lawsuit, received_on=datetime.date(2026, 6, 2), today=TODAY
    )
    return world.agency1_staff, Notification.objects.get(recipient=world.agency1_staff, kind="court_defence")


def _deadline(world) -> tuple[User, Notification]:
    due = datetime.date(2026, 10, 20)
    deadline_due(world, due)
    deadlines_scan(today=due + datetime.timedelta(days=1))
    return world.procurator, Notification.objects.get(recipient=world.procurator, kind="deadline_overdue")


def _reply_rule(language: str) -> str:
    with translation.override(language):
        return translation.gettext(DeadlineRule.objects.get(code="reply").name)


# family: (send, the title's beginning in Chinese, in English)
FAMILIES = {
    "approval": (_approval, lambda: "请审批检察建议：", lambda: "Recommendation awaiting your approval: "),
    "feedback": (_feedback, lambda: "报送了整改进展情况报告：", lambda: "submitted a Rectification progress report: "),
    "court": (_court, lambda: "请按期提交答辩状：", lambda: "Submit the defence in time: "),
    "deadline": (_deadline, lambda: f"已逾期：{_reply_rule(ZH)}", lambda: f"Overdue: {_reply_rule(EN)}"),
}


def _email(notification: Notification) -> mail.EmailMessage:
    mail.outbox.clear()
    if notification.email_status == Notification.EmailStatus.DIGEST:
        agency_digests_send(today=datetime.date(2030, 1, 1))
    else:
        notification_deliver(notification_id=notification.pk)
    (message,) = mail.outbox
    return message


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize(("sender", "reader"), [(EN, ZH), (EN, EN), (ZH, EN), (ZH, ZH)])
def test_a_notification_reads_in_its_readers_language(client, world_with_emails, family, sender, reader):
    send, zh, en = FAMILIES[family]
    with translation.override(sender):  # the language of the request that sends it
        user, notification = send(world_with_emails)
    expected, other = (zh(), en()) if reader == ZH else (en(), zh())
    assert expected != other

    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = reader
    page = html.unescape(client.get(reverse("notifications:list")).text)
    assert expected in page and other not in page

    api = APIClient()
    api.force_authenticate(user)
    item = api.get(f"/api/v1/notifications/{notification.pk}/", HTTP_ACCEPT_LANGUAGE=reader).json()
    assert expected in item["title"] and other not in item["title"] + item["body"]

    User.objects.filter(pk=user.pk).update(language=reader)
    message = _email(notification)
    assert expected in message.body and other not in message.body


def test_the_language_switch_remembers_the_users_choice(client, world):
    client.force_login(world.procurator)
    response = client.post(reverse("set_language"), {"language": EN, "next": "/"})
    assert response.status_code == 302
    assert User.objects.get(pk=world.procurator.pk).language == EN
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert User.objects.get(pk=world.procurator.pk).language == EN


def test_an_email_without_a_chosen_language_is_in_the_sites(world_with_emails):
    with translation.override(EN):
        user, notification = _approval(world_with_emails)
    assert user.language == ""
    assert "请审批检察建议：" in _email(notification).subject


def test_every_kind_has_a_renderer():
    assert messages.kinds() == set(Notification.Kind.values)


# --- Migration: the rows written before --------------------------------------------------------


def test_the_migration_gives_a_legacy_feedback_notification_its_parameters(world):
    _feedback(world)
    row = Notification.objects.get(kind="feedback_submitted")
    # As a row written before: English text (its sender's), no parameters.
    Notification.objects.filter(pk=row.pk).update(
        params=None, stored_title="X submitted a Rectification progress report: N", stored_body="old"
    )
    notifications_create(
        specs=[
            NotificationSpec(
                recipient_id=world.procurator.pk,
                kind="feedback_submitted",
                key="feedback:report:999999",  # its report is gone
                url="",
                title="旧通知",
                body="旧内容",
            )
        ]
    )
    migration = importlib.import_module("feedback.migrations.0003_notification_params")

    migration.forwards(apps, None)

    row.refresh_from_db()
    assert row.params["report_kind"] == "整改进展情况报告"
    with translation.override(ZH):
        assert "报送了整改进展情况报告：" in row.title
    with translation.override(EN):
        assert "submitted a Rectification progress report: " in row.title
    gone = Notification.objects.get(key="feedback:report:999999")
    assert gone.params is None
    with translation.override(EN):
        assert (gone.title, gone.body) == ("旧通知", "旧内容")


def test_parameters_the_renderer_cannot_use_show_the_kind_instead_of_an_error(world):
    notifications_create(
        specs=[NotificationSpec(recipient_id=world.procurator.pk, kind="court_hearing", key="k", url="", params={})]
    )
    with translation.override(EN):
        assert Notification.objects.get(key="k").title == "Hearing"
