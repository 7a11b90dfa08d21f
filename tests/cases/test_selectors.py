"""Who sees what (docs/domain.md, Who sees what): the scope matrix of every *_visible_to selector, generated.

One scene holds leads, cases and attachments in the city, the district and an unrelated
procuratorate, and recommendations in every status to both agencies. Each test names a user and
compares the exact set of visible objects with the expected one, so both leaks and gaps fail.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from accounts.models import Role, User
from cases.models import Attachment, Case, Lead, Recommendation
from cases.selectors import (
    attachments_visible_to,
    cases_visible_to,
    handlers_for_choice,
    leads_visible_to,
    procuratorates_visible_to,
    recommendations_visible_to,
)
from tests.factories import CaseFactory, LeadFactory, RecommendationFactory, UserFactory

Status = Recommendation.Status
PROCURATORATES = ("city", "district", "other")

# Which procuratorates' leads, cases and files each user reads.
SCOPE: dict[str, set[str]] = {
    "procurator": {"district"},
    "procurator_colleague": {"district"},
    "city_procurator": {"city"},
    "other_procurator": {"other"},
    "supervisor": {"district"},
    "city_supervisor": {"city", "district"},  # own and every subordinate procuratorate
    "other_supervisor": {"other"},
    "agency1_staff": set(),
    "agency2_staff": set(),
    "discipline": set(),
    "superuser": set(PROCURATORATES),
    "inactive_procurator": set(),
    "inactive_supervisor": set(),
    "inactive_agency1_staff": set(),
    "inactive_superuser": set(),
}

# Recommendations are named "<procuratorate>:<status>:<agency>". Agency staff read only what was
# issued to their own agency (docs/domain.md, Who sees what), never drafts, pending, approved or withdrawn ones.
AGENCY_SEES = {
    "agency1_staff": {
        "district:issued:agency1",
        "district:served:agency1",
        "district:replied:agency1",
        "city:served:agency1",
    },
    "agency2_staff": {"district:replied:agency2", "other:issued:agency2"},
}
RECOMMENDATIONS = [
    *(f"district:{status}:agency1" for status in Status.values),
    "district:replied:agency2",
    "district:draft:agency2",
    "city:served:agency1",
    "city:approved:agency2",
    "other:issued:agency2",
    "other:pending_approval:agency1",
]


@dataclass
class Scene:
    users: dict[str, User]
    leads: dict[str, Lead]
    cases: dict[str, Case]
    recommendations: dict[str, Recommendation]
    attachments: dict[str, Attachment]


@pytest.fixture
def scene(world) -> Scene:
    users = {name: getattr(world, name) for name in SCOPE if hasattr(world, name)}
    users["superuser"] = UserFactory(username="admin", role="", organisation=None, is_superuser=True, is_staff=True)
    users["inactive_superuser"] = UserFactory(
        username="old_admin", role="", organisation=None, is_superuser=True, is_active=False
    )
    users["inactive_procurator"] = UserFactory(organisation=world.district, role=Role.PROCURATOR, is_active=False)
    users["inactive_supervisor"] = UserFactory(organisation=world.city, role=Role.SUPERVISOR, is_active=False)
    users["inactive_agency1_staff"] = UserFactory(organisation=world.agency1, role=Role.AGENCY_STAFF, is_active=False)
    handlers = {"city": world.city_procurator, "district": world.procurator, "other": world.other_procurator}
    leads, cases, attachments = {}, {}, {}
    for name in PROCURATORATES:
        org, handler = getattr(world, name), handlers[name]
        leads[name] = LeadFactory(procuratorate=org, registered_by=handler)
        cases[name] = CaseFactory(procuratorate=org, handler=handler, agencies=[world.agency1, world.agency2])
        attachments[name] = Attachment.objects.create(
            case=cases[name],
            file=f"attachments/{cases[name].pk}/0123456789abcdef",
            original_name="现场照片.jpg",
            content_type="image/jpeg",
            size=1024,
            sha256="0" * 64,
            uploaded_by=handler,
        )
    recommendations = {}
    for key in RECOMMENDATIONS:
        procuratorate, status, agency = key.split(":")
        recommendations[key] = RecommendationFactory(
            case=cases[procuratorate], agency=getattr(world, agency), status=status
        )
    return Scene(users, leads, cases, recommendations, attachments)


def visible(objects: dict, queryset) -> set[str]:
    names = {obj.pk: name for name, obj in objects.items()}
    return {names[pk] for pk in queryset.values_list("pk", flat=True)}


@pytest.mark.parametrize("who", SCOPE)
def test_leads_visible_to(scene, who):
    assert visible(scene.leads, leads_visible_to(scene.users[who])) == SCOPE[who]


@pytest.mark.parametrize("who", SCOPE)
def test_cases_visible_to(scene, who):
    assert visible(scene.cases, cases_visible_to(scene.users[who])) == SCOPE[who]


@pytest.mark.parametrize("who", SCOPE)
def test_attachments_visible_to(scene, who):
    assert visible(scene.attachments, attachments_visible_to(scene.users[who])) == SCOPE[who]


@pytest.mark.parametrize("who", SCOPE)
def test_recommendations_visible_to(scene, who):
    expected = AGENCY_SEES.get(who) or {key for key in RECOMMENDATIONS if key.split(":")[0] in SCOPE[who]}
    assert visible(scene.recommendations, recommendations_visible_to(scene.users[who])) == expected


@pytest.mark.parametrize("who", SCOPE)
def test_procuratorates_visible_to(scene, who, world):
    orgs = {name: getattr(world, name) for name in PROCURATORATES}
    assert visible(orgs, procuratorates_visible_to(scene.users[who])) == SCOPE[who]


def test_agency_staff_never_see_drafts_of_their_own_agency(scene):
    seen = set(recommendations_visible_to(scene.users["agency1_staff"]).values_list("status", flat=True))
    assert seen == {Status.ISSUED, Status.SERVED, Status.REPLIED}


def test_an_unrelated_recommendation_is_invisible_to_agency_staff_once_withdrawn(scene, world):
    rec = scene.recommendations["district:issued:agency1"]
    Recommendation.objects.filter(pk=rec.pk).update(status=Status.WITHDRAWN)
    assert not recommendations_visible_to(world.agency1_staff).filter(pk=rec.pk).exists()


def test_handlers_for_choice_are_the_active_procurators_of_the_procuratorate(world):
    UserFactory(organisation=world.district, role=Role.PROCURATOR, is_active=False)
    assert set(handlers_for_choice(world.district)) == {world.procurator, world.procurator_colleague}
