"""Fixtures of the agency-portal tests: a recommendation of a district case served on agency1,
agency1's responsible person, evidence files, and report input."""

from __future__ import annotations

import datetime
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from cases.models import Recommendation
from feedback import services
from feedback.models import FeedbackReport, ItemAnswer
from tests.factories import SERVED_ON, CaseFactory, UserFactory, recommendation_at

# Service tests run on a fixed day inside the reply period (served 2026-04-03, due 2026-06-03).
DAY = datetime.date(2026, 5, 15)

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
        + chunk(b"IEND", b"")
    )


def pdf_file(name: str = "整改报告.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def png_file(name: str = "现场照片.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png(), content_type="image/png")


def exe_file(name: str = "evidence.pdf") -> SimpleUploadedFile:
    # A Windows executable named like a PDF, announced as a PDF: refused by its content.
    return SimpleUploadedFile(name, b"MZ\x90\x00\x03" + b"\x00" * 200, content_type="application/pdf")


def answers_for(recommendation: Recommendation, status: str = ItemAnswer.Status.RECTIFIED, **extra):
    return [
        services.AnswerInput(item_id=item.pk, status=status, measures=f"第{item.number}项已采取措施。", **extra)
        for item in recommendation.items.order_by("number")
    ]


@pytest.fixture
def boss(world):
    """agency1's responsible person (机关负责人): the one who submits."""
    return UserFactory(
        username="agency1_boss",
        full_name="王局长",
        title="局长",
        organisation=world.agency1,
        role=Role.AGENCY_STAFF,
        is_responsible_person=True,
    )


@pytest.fixture
def served(world) -> Recommendation:
    """A recommendation of a district case (handler: world.procurator) served on agency1 on SERVED_ON."""
    case = CaseFactory(procuratorate=world.district, handler=world.procurator, agencies=[world.agency1])
    recommendation = recommendation_at(
        Recommendation.Status.SERVED, case=case, agency=world.agency1, approver=world.supervisor
    )
    assert recommendation.served_on == SERVED_ON
    return recommendation


@pytest.fixture
def served2(world) -> Recommendation:
    """The same procuratorate's recommendation served on agency2."""
    case = CaseFactory(procuratorate=world.district, handler=world.procurator, agencies=[world.agency2])
    return recommendation_at(Recommendation.Status.SERVED, case=case, agency=world.agency2, approver=world.supervisor)


def draft(user, recommendation, *, kind=FeedbackReport.Kind.INTERIM, uploads=(), answers=None, **kwargs):
    return services.feedback_draft_create(
        user=user,
        recommendation=recommendation,
        kind=kind,
        summary="已成立专班，逐项落实整改。",
        answers=answers if answers is not None else answers_for(recommendation),
        responsible_person_name="王局长",
        responsible_person_title="局长",
        uploads=uploads,
        today=DAY,
        **kwargs,
    )
