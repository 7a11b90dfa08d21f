"""The world with regions (the liaison's commission covers the city and its district, not the
other city), a district case handled by `procurator` and one of the other city, and a helper that
records through the service."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agencies.models import Region
from interference.models import InterferenceRecord, Means, Relation
from interference.services import interference_record
from tests.factories import CaseFactory

TODAY = datetime.date(2026, 5, 20)
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def pdf(name: str = "来函.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def iworld(world):
    city_region = Region.objects.create(name="测试市", code="150600")
    district_region = Region.objects.create(name="测试区", code="150602", parent=city_region)
    other_region = Region.objects.create(name="外市", code="150700")
    for org, region in (
        (world.city, city_region),
        (world.district, district_region),
        (world.other, other_region),
        (world.commission, city_region),
    ):
        org.region = region
        org.save()
    world.case = CaseFactory(procuratorate=world.district, handler=world.procurator)
    world.other_case = CaseFactory(procuratorate=world.other, handler=world.other_procurator)
    return world


def record(user, case, **overrides) -> InterferenceRecord:
    data = {
        "person_name": "张某",
        "person_unit": "某旗人民政府",
        "person_position": "副旗长",
        "relation": Relation.OFFICIAL,
        "occurred_on": datetime.date(2026, 5, 10),
        "place": "办公室",
        "means": Means.PHONE,
        "request": "要求对该案“暂缓处理”。",
        "today": TODAY,
    }
    data.update(overrides)
    return interference_record(user=user, case=case, **data)
