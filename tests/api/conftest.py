"""Fixtures of the API tests: token clients per user, and a scenario with objects of two
procuratorates and two agencies in the states the scope matrix and the actions need."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken, Role, User
from accounts.tokens import issue_token, token_digest
from cases import services as case_services
from cases.models import Attachment, Case, Lead, Recommendation
from feedback import services as feedback_services
from feedback.models import FeedbackReport, ItemAnswer
from litigation import services as litigation_services
from litigation.models import Hearing, Lawsuit, LitigationFile, Material, Ruling
from notifications.models import Notification
from tests.factories import CaseFactory, LeadFactory, UserFactory, draft_recommendation, recommendation_at

# A minimal PDF: the services decide a file's type from these bytes, never from its name.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
EXE = b"MZ\x90\x00" + b"\x00" * 60 + b"PE\x00\x00"  # a Windows program, whatever its name says


def pdf(name: str = "证据.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# Service calls in fixtures run on a fixed day inside the reply period (served 2026-04-03).
DAY = datetime.date(2026, 5, 15)


def today() -> datetime.date:
    """The API calls the services without a fixed day: inputs are dated relative to the real one."""
    return timezone.localdate()


def token_for(user: User) -> str:
    return issue_token(user=user)[1]


def keep_token(user: User, key: str) -> None:
    """Issues `key` again if a request revoked it."""
    if not ApiToken.objects.filter(digest=token_digest(key)).exists():
        issue_token(user=user, key=key)


def client_for(user: User | None) -> APIClient:
    client = APIClient()  # no Accept-Language: the default language, zh-hans
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


@pytest.fixture
def wsgi_app(settings):
    """The WSGI application, called directly (schemathesis) inside the test's transaction.

    Like Django's test client, keep the request signals from closing the database connection,
    which on PostgreSQL would end the test's transaction."""
    from django.core.signals import request_finished, request_started
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    settings.ALLOWED_HOSTS = ["*"]
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    django_app = get_wsgi_application()

    def app(environ, start_response):
        # A WSGI server closes every response (a download's file with it); schemathesis' client
        # reads the body without closing it, so close it here.
        result = django_app(environ, start_response)
        try:
            return [b"".join(result)]
        finally:
            result.close()

    try:
        yield app
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def api(world):
    """api(user) → an APIClient authenticated with that user's token."""
    return client_for


@pytest.fixture
def boss(world) -> User:
    """agency1's responsible person (机关负责人), who submits reports."""
    return UserFactory(
        username="agency1_boss",
        full_name="王局长",
        title="局长",
        organisation=world.agency1,
        role=Role.AGENCY_STAFF,
        is_responsible_person=True,
    )


@pytest.fixture
def admin_user(db) -> User:
    return UserFactory(username="admin", organisation=None, role="", is_superuser=True, is_staff=True)


def answers(recommendation: Recommendation, status: str = ItemAnswer.Status.RECTIFIED):
    return [
        feedback_services.AnswerInput(item_id=item.pk, status=status, measures=f"第{item.number}项已落实。")
        for item in recommendation.items.order_by("number")
    ]


@dataclass
class Scenario:
    users: dict[str, User]
    lead: Lead  # pending, district
    lead_other: Lead  # pending, the outsider procuratorate
    case: Case  # district, handled by world.procurator, concerning agency1 (and agency2)
    case_other: Case  # the outsider procuratorate's, concerning agency2
    served: Recommendation  # case → agency1, served
    draft: Recommendation  # case → agency2, draft
    served_other: Recommendation  # case_other → agency2, served
    report: FeedbackReport  # agency1's submitted interim report on `served`
    report_draft: FeedbackReport  # agency1's draft on `served`
    lawsuit: Lawsuit  # district case against agency1, with a hearing held and a first-instance judgment
    lawsuit_other: Lawsuit  # the outsider procuratorate's, against agency2
    attachment: Attachment  # evidence of `case`
    material: LitigationFile  # a material of `lawsuit` (procuratorate-internal)
    ruling_document: LitigationFile  # the document of `lawsuit`'s ruling (the defendant reads it)
    notifications: dict[str, Notification] = field(default_factory=dict)
    extra: dict = field(default_factory=dict)


# Litigation fixtures: filed 2026-06-01, heard 06-20, judged 06-28, served 07-01 (appeal until 07-16).
LIT_TODAY = datetime.date(2026, 7, 10)
_court_numbers = iter(range(1, 10**6))


def litigation_case(procuratorate, handler, agency) -> Case:
    return CaseFactory(procuratorate=procuratorate, handler=handler, agencies=[agency], status=Case.Status.LITIGATION)


def file_lawsuit(case: Case, agency) -> Lawsuit:
    return litigation_services.lawsuit_file(
        user=case.handler,
        case=case,
        court="测试区人民法院",
        court_case_number=f"(2026)内0602行初{next(_court_numbers)}号",
        filed_on=datetime.date(2026, 6, 1),
        claims="确认被告未依法履职违法；判令被告依法履职。",
        materials=[Material.COMPLAINT],
        defendant_agency=agency,
        internal_notes="内部：证据较充分。",
        today=LIT_TODAY,
    )


def judge(lawsuit: Lawsuit) -> Ruling:
    litigation_services.hearing_record(
        user=lawsuit.case.handler,
        lawsuit=lawsuit,
        held_on=datetime.date(2026, 6, 20),
        appearance=Hearing.Appearance.HEAD,
        note="内部：庭审顺利。",
        today=LIT_TODAY,
    )
    return litigation_services.ruling_record(
        user=lawsuit.case.handler,
        lawsuit=lawsuit,
        instance=Ruling.Instance.FIRST,
        kind=Ruling.Kind.JUDGMENT,
        outcome=Ruling.Outcome.ORDER_PERFORMANCE,
        decided_on=datetime.date(2026, 6, 28),
        served_on=datetime.date(2026, 7, 1),
        ordered_action="被告于判决生效后两个月内依法查处。",
        compliance_due_on=datetime.date(2026, 9, 30),
        today=LIT_TODAY,
    )


@pytest.fixture
def scenario(world, boss, admin_user) -> Scenario:
    users = {
        "procurator": world.procurator,
        "colleague": world.procurator_colleague,
        "city_procurator": world.city_procurator,
        "other_procurator": world.other_procurator,
        "supervisor": world.supervisor,
        "city_supervisor": world.city_supervisor,
        "other_supervisor": world.other_supervisor,
        "agency1": world.agency1_staff,
        "boss": boss,
        "agency2": world.agency2_staff,
        "discipline": world.discipline,
        "admin": admin_user,
    }
    lead = LeadFactory(procuratorate=world.district, registered_by=world.procurator)
    lead_other = LeadFactory(procuratorate=world.other, registered_by=world.other_procurator)
    case = CaseFactory(procuratorate=world.district, handler=world.procurator, agencies=[world.agency1])
    case_other = CaseFactory(procuratorate=world.other, handler=world.other_procurator, agencies=[world.agency2])
    draft = draft_recommendation(case, world.agency2)  # drafted first: the case then awaits the reply
    served = recommendation_at(Recommendation.Status.SERVED, case=case, agency=world.agency1, approver=world.supervisor)
    served_other = recommendation_at(
        Recommendation.Status.SERVED, case=case_other, agency=world.agency2, approver=world.other_supervisor
    )
    report = feedback_services.feedback_draft_create(
        user=boss,
        recommendation=served,
        kind=FeedbackReport.Kind.INTERIM,
        summary="已成立专班，逐项落实整改。",
        answers=answers(served),
        uploads=[pdf("整改方案.pdf")],
        today=DAY,
    )
    feedback_services.feedback_submit(user=boss, report=report, today=DAY)
    report_draft = feedback_services.feedback_draft_create(
        user=world.agency1_staff,
        recommendation=served,
        kind=FeedbackReport.Kind.INTERIM,
        summary="第二次进展报告（草稿）。",
        answers=answers(served),
        uploads=[pdf("现场照片.pdf")],
        today=DAY,
    )
    lawsuit = file_lawsuit(litigation_case(world.district, world.procurator, world.agency1), world.agency1)
    ruling = judge(lawsuit)
    attachment = case_services.attachment_add(user=world.procurator, case=case, upload=pdf("勘验笔录.pdf"))
    material = litigation_services.lawsuit_material_add(
        user=world.procurator, lawsuit=lawsuit, upload=pdf("起诉书.pdf"), material=Material.COMPLAINT
    )
    ruling_document = litigation_services.ruling_document_add(
        user=world.procurator, ruling=ruling, upload=pdf("判决书.pdf")
    )
    lawsuit_other = file_lawsuit(litigation_case(world.other, world.other_procurator, world.agency2), world.agency2)
    judge(lawsuit_other)
    notifications = {
        name: Notification.objects.create(
            recipient=users[name], kind="deadline_reminder", stored_title=f"提醒{name}", key=name
        )
        for name in ("procurator", "agency1")
    }
    # The reports above notified the case's handler too: the scope is "own notifications", whatever they are.
    return Scenario(
        users=users,
        lead=lead,
        lead_other=lead_other,
        case=case,
        case_other=case_other,
        served=served,
        draft=draft,
        served_other=served_other,
        report=report,
        report_draft=report_draft,
        lawsuit=lawsuit,
        lawsuit_other=lawsuit_other,
        attachment=attachment,
        material=material,
        ruling_document=ruling_document,
        notifications=notifications,
    )
