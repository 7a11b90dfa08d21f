"""The approval of a proposal to sue notifies (docs/domain.md, Roles): every supervisor who may approve is
asked once per proposal; the handler and the proposer learn the decision; proposing again after a
return asks again. A decided proposal leaves the supervisors' inbox."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import Role, User
from litigation import services
from litigation.selectors import approvals_pending_for
from notifications.models import Notification
from tests.factories import UserFactory
from tests.litigation.conftest import TODAY, follow_up_case, propose, refused

pytestmark = pytest.mark.django_db


def notified(kind: str) -> list[tuple[str, str]]:
    """(recipient, key) of the proposals' notifications of `kind` (the recommendation's own, made by
    follow_up_case, are left out)."""
    rows = Notification.objects.filter(kind=kind, key__startswith="approval:lawsuit_proposal:")
    return sorted(rows.values_list("recipient__username", "key"))


def approvers(world) -> list[str]:
    """The active supervisors of the district and the city: world's two, and the one that
    follow_up_case made to approve its recommendation."""
    users = User.objects.filter(role=Role.SUPERVISOR, is_active=True, organisation__in=[world.district, world.city])
    return sorted(users.values_list("username", flat=True))


def test_proposing_asks_every_supervisor_who_may_approve_once(world):
    UserFactory(username="retired", organisation=world.city, role=Role.SUPERVISOR, is_active=False)
    case = follow_up_case(world)
    proposal = propose(world, case)
    key = f"approval:lawsuit_proposal:{proposal.pk}:submitted"
    assert notified("approval_requested") == [(name, key) for name in approvers(world)]
    assert {"supervisor", "city_supervisor"} <= set(approvers(world))
    assert "other_supervisor" not in approvers(world) and "retired" not in approvers(world)
    row = Notification.objects.get(recipient=world.supervisor, key=key)
    assert row.url == reverse("litigation_case", args=[case.pk])
    assert case.number in row.title and "逾期未整改" in row.body
    assert set(approvals_pending_for(world.supervisor)) == {proposal}
    assert set(approvals_pending_for(world.city_supervisor)) == {proposal}
    assert not approvals_pending_for(world.other_supervisor).exists()


@pytest.mark.parametrize("decision", ["approve", "return"])
def test_the_decision_is_told_to_the_handler_and_the_proposer_and_leaves_the_inbox(world, decision):
    case = follow_up_case(world)
    case.co_handlers.add(world.procurator_colleague)
    proposal = propose(world, case, user=world.procurator_colleague)
    if decision == "approve":
        services.lawsuit_proposal_approve(user=world.city_supervisor, proposal=proposal, comment="同意", today=TODAY)
    else:
        services.lawsuit_proposal_return(user=world.city_supervisor, proposal=proposal, comment="证据不足")
    key = f"approval:lawsuit_proposal:{proposal.pk}:decided"
    assert notified("approval_decided") == [("colleague", key), ("procurator", key)]
    row = Notification.objects.get(recipient=world.procurator, key=key)
    assert ("批准" if decision == "approve" else "退回") in row.title
    assert ("同意" if decision == "approve" else "证据不足") in row.body
    assert world.city_supervisor.display_name in row.body
    assert not approvals_pending_for(world.supervisor).exists()
    assert not approvals_pending_for(world.city_supervisor).exists()


def test_the_handlers_own_proposal_tells_the_handler_once(world):
    case = follow_up_case(world)
    proposal = propose(world, case)
    services.lawsuit_proposal_approve(user=world.supervisor, proposal=proposal, today=TODAY)
    assert notified("approval_decided") == [("procurator", f"approval:lawsuit_proposal:{proposal.pk}:decided")]


def test_proposing_again_after_a_return_asks_again(world):
    case = follow_up_case(world)
    first = propose(world, case)
    services.lawsuit_proposal_return(user=world.supervisor, proposal=first, comment="请补充鉴定意见")
    second = propose(world, case)
    assert notified("approval_requested") == sorted(
        (name, f"approval:lawsuit_proposal:{p.pk}:submitted") for p in (first, second) for name in approvers(world)
    )
    assert set(approvals_pending_for(world.supervisor)) == {second}
    services.lawsuit_proposal_approve(user=world.city_supervisor, proposal=second, today=TODAY)
    assert [key for _, key in notified("approval_decided")] == [
        f"approval:lawsuit_proposal:{first.pk}:decided",
        f"approval:lawsuit_proposal:{second.pk}:decided",
    ]


def test_refused_proposals_and_decisions_notify_nobody(world):
    case = follow_up_case(world)
    proposal = propose(world, case)
    count = Notification.objects.count()
    with refused(code="invalid_transition"):
        propose(world, case)  # one proposal at a time
    with refused(field="comment"):
        services.lawsuit_proposal_return(user=world.supervisor, proposal=proposal, comment=" ")
    with refused(code="permission_denied"):
        services.lawsuit_proposal_approve(user=world.other_supervisor, proposal=proposal, today=TODAY)
    assert Notification.objects.count() == count


def test_the_texts_are_in_the_sites_language_whatever_the_actors(world):
    case = follow_up_case(world)
    with translation.override("en"):
        proposal = propose(world, case)
        services.lawsuit_proposal_return(user=world.supervisor, proposal=proposal, comment="证据不足")
    asked = Notification.objects.get(
        recipient=world.supervisor, key=f"approval:lawsuit_proposal:{proposal.pk}:submitted"
    )
    decided = Notification.objects.get(key=f"approval:lawsuit_proposal:{proposal.pk}:decided")
    assert asked.title.startswith("请审批起诉") and decided.title.startswith("起诉审批被退回")


def test_once_decided_the_other_supervisors_emails_are_not_sent(world):
    for user in (world.supervisor, world.city_supervisor):
        user.email = f"{user.username}@example.test"
        user.save(update_fields=["email"])
    case = follow_up_case(world)
    proposal = propose(world, case)
    asked = Notification.objects.filter(key=f"approval:lawsuit_proposal:{proposal.pk}:submitted")
    asked = asked.filter(recipient__in=[world.supervisor, world.city_supervisor])
    assert list(asked.values_list("email_status", flat=True)) == ["pending", "pending"]
    services.lawsuit_proposal_approve(user=world.supervisor, proposal=proposal, today=TODAY)
    assert list(asked.values_list("email_status", flat=True)) == ["skipped", "skipped"]
