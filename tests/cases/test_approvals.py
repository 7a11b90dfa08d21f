"""The supervisor's approvals inbox (待审批) and the notifications of a recommendation's approval
(docs/domain.md, Roles: supervisors approve recommendations and lawsuits; Who sees what: a
supervisor decides for their own procuratorate and every subordinate one)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from cases import services
from cases.models import Case, Recommendation
from cases.selectors import approvals_pending_for
from cases.services.recommendations import approver_ids
from litigation.models import LawsuitProposal
from litigation.selectors import approvals_pending_for as proposals_pending_for
from notifications.models import Notification
from tests.factories import CaseFactory, UserFactory, recommendation_at

pytestmark = pytest.mark.django_db

Status = Recommendation.Status
AT = datetime.datetime(2026, 5, 1, 9, 0, tzinfo=datetime.UTC)


def pending_recommendation(case: Case, agency, *, hours: int = 0) -> Recommendation:
    """Submitted through the services, then dated AT + hours (for the order of the inbox)."""
    recommendation = recommendation_at(Status.PENDING_APPROVAL, case=case, agency=agency)
    Recommendation.objects.filter(pk=recommendation.pk).update(submitted_at=AT + datetime.timedelta(hours=hours))
    return recommendation


def pending_proposal(case: Case, *, hours: int = 0) -> LawsuitProposal:
    """A proposal to sue as lawsuit_propose leaves it (its grounds are tested in tests/litigation)."""
    return LawsuitProposal.objects.create(
        case=case,
        reasons="逾期未整改，依法提起诉讼",
        materials=["complaint"],
        proposed_by=case.handler,
        proposed_at=AT + datetime.timedelta(hours=hours),
    )


@dataclass
class Scene:
    district_rec: Recommendation
    city_rec: Recommendation
    other_rec: Recommendation
    district_proposal: LawsuitProposal
    city_proposal: LawsuitProposal
    other_proposal: LawsuitProposal


@pytest.fixture
def scene(world) -> Scene:
    """Pending items in the district, the city and the other procuratorate; plus what must never be
    listed: a draft, an approved recommendation, a returned proposal, a pending item of a closed case."""
    district = CaseFactory(procuratorate=world.district, handler=world.procurator)
    city = CaseFactory(procuratorate=world.city, handler=world.city_procurator)
    other = CaseFactory(procuratorate=world.other, handler=world.other_procurator)
    scene = Scene(
        district_rec=pending_recommendation(district, world.agency1, hours=3),
        city_rec=pending_recommendation(city, world.agency1, hours=1),
        other_rec=pending_recommendation(other, world.agency1, hours=2),
        district_proposal=pending_proposal(district, hours=2),
        city_proposal=pending_proposal(city, hours=4),
        other_proposal=pending_proposal(other, hours=0),
    )
    recommendation_at(Status.DRAFT, case=district, agency=world.agency2)
    recommendation_at(Status.APPROVED, case=district, agency=world.agency2, approver=world.supervisor)
    LawsuitProposal.objects.create(
        case=CaseFactory(procuratorate=world.district, handler=world.procurator),
        reasons="证据不足",
        proposed_by=world.procurator,
        status=LawsuitProposal.Status.RETURNED,
    )
    closed = CaseFactory(procuratorate=world.district, handler=world.procurator)
    pending_recommendation(closed, world.agency1)
    pending_proposal(closed)
    Case.objects.filter(pk=closed.pk).update(status=Case.Status.CLOSED)
    return scene


def listed(response) -> list[tuple[str, str]]:
    return [(item.kind, item.url) for item in response.context["items"]]


def rec_row(recommendation: Recommendation) -> tuple[str, str]:
    return ("recommendation", reverse("recommendation_detail", args=[recommendation.pk]))


def proposal_row(proposal: LawsuitProposal) -> tuple[str, str]:
    url = reverse("litigation_case", args=[proposal.case_id]) + f"#proposals-{proposal.case_id}"
    return ("lawsuit_proposal", url)


# --- Who sees what ------------------------------------------------------------------------------------


def test_the_district_supervisor_sees_the_districts_pending_items_oldest_first(client, world, scene):
    client.force_login(world.supervisor)
    response = client.get(reverse("approval_list"))
    assert response.status_code == 200
    assert listed(response) == [proposal_row(scene.district_proposal), rec_row(scene.district_rec)]


def test_the_city_supervisor_sees_the_district_and_the_city_oldest_first(client, world, scene):
    client.force_login(world.city_supervisor)
    response = client.get(reverse("approval_list"))
    assert listed(response) == [
        rec_row(scene.city_rec),  # +1 h
        proposal_row(scene.district_proposal),  # +2 h
        rec_row(scene.district_rec),  # +3 h
        proposal_row(scene.city_proposal),  # +4 h
    ]


def test_a_long_inbox_shows_the_oldest_items_and_says_so(client, world, scene, monkeypatch):
    monkeypatch.setattr("litigation.approvals.LIMIT", 2)
    client.force_login(world.city_supervisor)
    response = client.get(reverse("approval_list"))
    assert listed(response) == [rec_row(scene.city_rec), proposal_row(scene.district_proposal)]
    assert response.context["truncated"] and "仅显示最早提请的 2 项。" in response.content.decode()


def test_another_citys_supervisor_sees_only_their_own(client, world, scene):
    client.force_login(world.other_supervisor)
    response = client.get(reverse("approval_list"))
    assert listed(response) == [proposal_row(scene.other_proposal), rec_row(scene.other_rec)]


def test_a_supervisor_with_nothing_pending_sees_an_empty_inbox(client, world):
    client.force_login(world.city_supervisor)
    response = client.get(reverse("approval_list"))
    assert response.status_code == 200 and listed(response) == []
    assert "暂无待审批事项。" in response.content.decode()


@pytest.mark.parametrize(
    "user", ["procurator", "city_procurator", "agency1_staff", "discipline", "superuser", "inactive_supervisor"]
)
def test_only_supervisors_may_open_the_inbox(client, world, scene, user):
    if user == "superuser":  # an administrator without the supervisor role does not approve
        account = UserFactory(organisation=world.city, role=Role.PROCURATOR, is_superuser=True, is_staff=True)
    elif user == "inactive_supervisor":
        account = UserFactory(organisation=world.city, role=Role.SUPERVISOR, is_active=False)
    else:
        account = getattr(world, user)
    assert list(approvals_pending_for(account)) == [] and list(proposals_pending_for(account)) == []
    client.force_login(account)
    response = client.get(reverse("approval_list"))
    # Like the invitations page: a page that is not for this user does not exist (the inactive
    # account is logged out by the authentication backend and sent to the login page).
    assert response.status_code == (302 if user == "inactive_supervisor" else 404)


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(reverse("approval_list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize("approver", ["supervisor", "city_supervisor", "other_supervisor"])
def test_the_selectors_follow_can_approve(world, scene, approver):
    from cases.selectors import can_approve

    user = getattr(world, approver)
    everything = Recommendation.objects.filter(status=Status.PENDING_APPROVAL).exclude(case__status="closed")
    assert set(approvals_pending_for(user)) == {r for r in everything if can_approve(user, r.case)}
    proposals = LawsuitProposal.objects.filter(status="pending").exclude(case__status="closed")
    assert set(proposals_pending_for(user)) == {p for p in proposals if can_approve(user, p.case)}


def test_the_inbox_shows_the_case_the_procuratorate_the_handler_and_links_to_the_decision(client, world, scene):
    client.force_login(world.supervisor)
    page = client.get(reverse("approval_list")).content.decode()
    case = scene.district_rec.case
    for text in (case.number, case.title, world.district.name, world.procurator.display_name, "2026-05-01"):
        assert text in page
    assert reverse("recommendation_detail", args=[scene.district_rec.pk]) in page
    assert reverse("litigation_case", args=[case.pk]) in page


def test_the_nav_shows_the_inbox_to_supervisors_only(client, world):
    client.force_login(world.supervisor)
    assert reverse("approval_list") in client.get(reverse("case_list")).content.decode()
    client.force_login(world.procurator)
    assert reverse("approval_list") not in client.get(reverse("case_list")).content.decode()


def test_an_approved_or_returned_item_leaves_the_inbox(client, world, scene):
    client.force_login(world.city_supervisor)
    services.recommendation_approve(user=world.supervisor, recommendation=scene.district_rec)
    services.recommendation_return(user=world.city_supervisor, recommendation=scene.city_rec, comment="请补充证据")
    assert listed(client.get(reverse("approval_list"))) == [
        proposal_row(scene.district_proposal),
        proposal_row(scene.city_proposal),
    ]
    # Submitted again after the return: back in the inbox.
    services.recommendation_submit(user=world.city_procurator, recommendation=scene.city_rec)
    assert rec_row(scene.city_rec) in listed(client.get(reverse("approval_list")))


def test_a_withdrawn_recommendation_leaves_the_inbox(client, world, scene):
    services.recommendation_withdraw(user=world.procurator, recommendation=scene.district_rec, reason="重新调查")
    client.force_login(world.supervisor)
    assert listed(client.get(reverse("approval_list"))) == [proposal_row(scene.district_proposal)]


@pytest.mark.parametrize("per_procuratorate", [1, 4])
def test_inbox_query_count_does_not_grow_with_the_number_of_items(
    client, world, django_assert_num_queries, per_procuratorate
):
    for n in range(per_procuratorate):
        for procuratorate, handler in ((world.district, world.procurator), (world.city, world.city_procurator)):
            case = CaseFactory(procuratorate=procuratorate, handler=handler)
            pending_recommendation(case, world.agency1, hours=n)
            pending_proposal(case, hours=n)
    client.force_login(world.city_supervisor)
    # 1 session, 2 user, 3 the user's organisation (the subtree it approves for), 4 the pending
    # recommendations with case, procuratorate, handler and agency joined, 5 the pending proposals
    # with case, procuratorate, handler and proposer joined, 6 the unread count of the bell.
    # One more per kind an app above registers (referrals/apps.py: the referrals awaiting approval).
    with django_assert_num_queries(7):
        response = client.get(reverse("approval_list"))
    assert len(response.context["items"]) == 4 * per_procuratorate


# --- Notifications --------------------------------------------------------------------------------


def notified(kind: str) -> list[tuple[str, str]]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__username", "key"))


def test_the_approvers_are_found_in_one_query(world, django_assert_num_queries):
    case = CaseFactory(procuratorate=world.district, handler=world.procurator)
    UserFactory(organisation=world.district, role=Role.SUPERVISOR, is_active=False)
    UserFactory(organisation=world.agency1, role=Role.AGENCY_STAFF)
    with django_assert_num_queries(1):
        ids = approver_ids(case)
    assert ids == sorted([world.supervisor.pk, world.city_supervisor.pk])
    city_case = CaseFactory(procuratorate=world.city, handler=world.city_procurator)
    assert approver_ids(city_case) == [world.city_supervisor.pk]


def test_submitting_asks_every_supervisor_who_may_approve_once(world):
    UserFactory(username="retired", organisation=world.district, role=Role.SUPERVISOR, is_active=False)
    case = CaseFactory(procuratorate=world.district, handler=world.procurator)
    recommendation = recommendation_at(Status.PENDING_APPROVAL, case=case, agency=world.agency1)
    key = f"approval:recommendation:{recommendation.pk}:submitted:1"
    assert notified("approval_requested") == [("city_supervisor", key), ("supervisor", key)]
    row = Notification.objects.get(recipient=world.supervisor)
    assert row.url == reverse("recommendation_detail", args=[recommendation.pk])
    assert case.number in row.title and world.agency1.name in row.body
    assert notified("approval_decided") == []


def test_a_city_case_asks_only_the_city_supervisor(world):
    case = CaseFactory(procuratorate=world.city, handler=world.city_procurator)
    recommendation = recommendation_at(Status.PENDING_APPROVAL, case=case, agency=world.agency1)
    key = f"approval:recommendation:{recommendation.pk}:submitted:1"
    assert notified("approval_requested") == [("city_supervisor", key)]


def test_the_decision_is_told_to_the_handler_and_the_submitter_and_a_resubmission_asks_again(world):
    case = CaseFactory(procuratorate=world.district, handler=world.procurator)
    case.co_handlers.add(world.procurator_colleague)
    recommendation = recommendation_at(Status.DRAFT, case=case, agency=world.agency1)
    services.recommendation_submit(user=world.procurator_colleague, recommendation=recommendation)
    services.recommendation_return(user=world.city_supervisor, recommendation=recommendation, comment="请补充证据")
    prefix = f"approval:recommendation:{recommendation.pk}"
    assert notified("approval_decided") == [("colleague", f"{prefix}:decided:1"), ("procurator", f"{prefix}:decided:1")]
    returned = Notification.objects.get(recipient=world.procurator, kind="approval_decided")
    assert "退回" in returned.title and "请补充证据" in returned.body
    assert world.city_supervisor.display_name in returned.body

    # The handler submits the corrected draft: the supervisors are asked again, under a new key.
    services.recommendation_submit(user=world.procurator, recommendation=recommendation)
    assert notified("approval_requested") == [
        ("city_supervisor", f"{prefix}:submitted:1"),
        ("city_supervisor", f"{prefix}:submitted:2"),
        ("supervisor", f"{prefix}:submitted:1"),
        ("supervisor", f"{prefix}:submitted:2"),
    ]
    services.recommendation_approve(user=world.supervisor, recommendation=recommendation)
    # This time the handler submitted: the colleague is not told.
    assert notified("approval_decided")[-1:] == [("procurator", f"{prefix}:decided:2")]
    assert Notification.objects.filter(kind="approval_decided").count() == 3
    assert "同意" in Notification.objects.get(key=f"{prefix}:decided:2").title


def test_a_refused_decision_notifies_nobody(world):
    from pil_tracker.errors import DomainError

    case = CaseFactory(procuratorate=world.district, handler=world.procurator)
    recommendation = recommendation_at(Status.PENDING_APPROVAL, case=case, agency=world.agency1)
    before = Notification.objects.count()
    for user, comment in ((world.supervisor, " "), (world.other_supervisor, "不同意")):
        with pytest.raises(DomainError):
            services.recommendation_return(user=user, recommendation=recommendation, comment=comment)
    with pytest.raises(DomainError):
        services.recommendation_submit(user=world.procurator, recommendation=recommendation)  # already pending
    assert Notification.objects.count() == before


def test_the_texts_are_in_the_sites_language_whatever_the_actors(world):
    case = CaseFactory(procuratorate=world.district, handler=world.procurator)
    recommendation = recommendation_at(Status.DRAFT, case=case, agency=world.agency1)
    with translation.override("en"):
        services.recommendation_submit(user=world.procurator, recommendation=recommendation)
    assert Notification.objects.filter(kind="approval_requested").first().title.startswith("请审批检察建议")


def test_once_decided_the_other_supervisors_emails_are_not_sent(world):
    for user in (world.supervisor, world.city_supervisor):
        user.email = f"{user.username}@example.test"
        user.save(update_fields=["email"])
    case = CaseFactory(procuratorate=world.district, handler=world.procurator)
    recommendation = recommendation_at(Status.PENDING_APPROVAL, case=case, agency=world.agency1)
    asked = Notification.objects.filter(kind="approval_requested")
    assert set(asked.values_list("email_status", flat=True)) == {"pending"}
    services.recommendation_approve(user=world.supervisor, recommendation=recommendation)
    # The in-app notifications stay; the emails that had not gone out are dropped.
    assert set(asked.values_list("email_status", flat=True)) == {"skipped"}


# --- The recommendation page a supervisor approves on (issue 14) -----------------------------------


def test_the_approval_page_has_one_set_of_actions_and_no_draft_heading(client, world):
    """It showed the approve/return buttons twice (the action bar and the approval form), and the
    heading said 草稿 while the badge said 待审批."""
    case = CaseFactory(procuratorate=world.district, handler=world.procurator, agencies=[world.agency1])
    recommendation = pending_recommendation(case, world.agency1)
    client.force_login(world.supervisor)
    page = client.get(reverse("recommendation_detail", args=[recommendation.pk])).content.decode()
    approve, give_back = (reverse(f"recommendation_{s}", args=[recommendation.pk]) for s in ("approve", "return"))
    assert page.count(f'action="{approve}"') == 1 and f'href="{approve}"' not in page
    assert page.count(f'formaction="{give_back}"') == 1 and f'href="{give_back}"' not in page
    heading = page[page.index("<h1") : page.index("</h1>")]
    assert "草稿" not in heading
    assert "待审批" in page  # the badge
    title = page[page.index("<title>") : page.index("</title>")]
    assert "检察建议（待审批）" in title and "草稿" not in title

    # The handler's view of the same page: no approval actions at all.
    client.force_login(world.procurator)
    page = client.get(reverse("recommendation_detail", args=[recommendation.pk])).content.decode()
    assert approve not in page and give_back not in page
