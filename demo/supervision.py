"""The demo's supervision (督办): the deadline scan runs once on the demo's "today", so the replies
the stories left overdue are escalated to the discipline liaison as they would be in production,
and the liaison has recorded an action on the two oldest (docs/domain.md, Supervision).
Idempotent: the scan happens once per deadline and level, and actions are recorded only when the
commission has none yet."""

from __future__ import annotations

import datetime

from accounts.models import User
from deadlines.services import deadlines_scan
from supervision.models import SupervisionAction
from supervision.selectors import escalations_visible_to
from supervision.services import supervision_action_record

# (kind, what the commission wrote), recorded on the oldest escalations, one each.
ACTIONS = [
    (
        SupervisionAction.Kind.INTERVIEW,
        "约谈该局分管负责人，要求十日内书面回复检察建议并报送整改方案。",
    ),
    (
        SupervisionAction.Kind.WRITTEN_INQUIRY,
        "向该局发出书面询问函，要求说明逾期未回复检察建议的原因及责任人员。",
    ),
]


def seed_supervision(*, users: dict[str, User], today: datetime.date) -> int:
    """Escalate what is overdue as of `today` and record the liaison's first actions; returns how
    many actions were recorded."""
    deadlines_scan(today=today)
    liaison = users.get("discipline1")
    if liaison is None or SupervisionAction.objects.filter(commission_id=liaison.organisation_id).exists():
        return 0
    oldest = (
        escalations_visible_to(liaison)
        .select_related("deadline__recommendation__agency")
        .order_by("deadline__due_date", "id")
    )
    recorded = 0
    for escalation, (kind, note) in zip(oldest[: len(ACTIONS)], ACTIONS, strict=False):
        taken_on = min(today, escalation.deadline.due_date + datetime.timedelta(days=20))
        supervision_action_record(
            user=liaison, escalation=escalation, kind=kind, taken_on=taken_on, note=note, today=today
        )
        recorded += 1
    return recorded
