"""Shared fixtures: a city procuratorate with a subordinate one, two agencies, and one user of each
role in each, plus an outsider procuratorate."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from accounts.models import Role, User
from agencies.models import Organisation
from tests.factories import (
    AgencyFactory,
    DisciplineFactory,
    ProcuratorateFactory,
    UserFactory,
)


@dataclass
class World:
    city: Organisation  # the parent procuratorate
    district: Organisation  # subordinate to city
    other: Organisation  # an unrelated procuratorate (outsider)
    agency1: Organisation
    agency2: Organisation
    commission: Organisation
    procurator: User  # district procurator (handles district cases)
    procurator_colleague: User  # another district procurator, not the handler
    city_procurator: User
    other_procurator: User
    supervisor: User  # district supervisor
    city_supervisor: User  # sees city + district
    other_supervisor: User
    agency1_staff: User
    agency2_staff: User
    discipline: User


@pytest.fixture
def world(db) -> World:
    city = ProcuratorateFactory(name="测试市人民检察院", short_name="测市检", level=Organisation.Level.CITY)
    district = ProcuratorateFactory(name="测试区人民检察院", short_name="测区检", parent=city)
    other = ProcuratorateFactory(name="外市人民检察院", short_name="外检", level=Organisation.Level.CITY)
    agency1 = AgencyFactory(name="测试区生态环境局")
    agency2 = AgencyFactory(name="测试区自然资源局")
    commission = DisciplineFactory(name="测试市纪委监委")
    return World(
        city=city,
        district=district,
        other=other,
        agency1=agency1,
        agency2=agency2,
        commission=commission,
        procurator=UserFactory(username="procurator", organisation=district, role=Role.PROCURATOR),
        procurator_colleague=UserFactory(username="colleague", organisation=district, role=Role.PROCURATOR),
        city_procurator=UserFactory(username="city_procurator", organisation=city, role=Role.PROCURATOR),
        other_procurator=UserFactory(username="other_procurator", organisation=other, role=Role.PROCURATOR),
        supervisor=UserFactory(username="supervisor", organisation=district, role=Role.SUPERVISOR),
        city_supervisor=UserFactory(username="city_supervisor", organisation=city, role=Role.SUPERVISOR),
        other_supervisor=UserFactory(username="other_supervisor", organisation=other, role=Role.SUPERVISOR),
        agency1_staff=UserFactory(username="agency1", organisation=agency1, role=Role.AGENCY_STAFF),
        agency2_staff=UserFactory(username="agency2", organisation=agency2, role=Role.AGENCY_STAFF),
        discipline=UserFactory(username="discipline", organisation=commission, role=Role.DISCIPLINE_LIAISON),
    )


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files of a test go to its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _chinese_by_default(settings):
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture(autouse=True)
def _own_cache(settings):
    """Each test starts with an empty cache of its own (a kept dashboard never leaks between tests,
    and the shared Redis of a CI run is never flushed)."""
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
    cache.clear()
    yield
    cache.clear()
