"""`{% load deadlines %}`: `{% due_badge deadline %}` and `{{ deadline|days_left }}` for any page
that shows an item with a deadline (docs/domain.md, Deadlines: due date, days left or overdue, provisional).

`due_badge` also takes a bare date, for lists annotated with deadlines.selectors.case_next_due
(`{% due_badge case.next_due provisional=case.next_due_provisional %}`), so a list needs no query
per row.
"""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from deadlines.models import Deadline

register = template.Library()


def due_state(
    deadline: Deadline | datetime.date, today: datetime.date | None = None, *, provisional: bool = False
) -> dict:
    """What the badge says: its text, its colour (Bootstrap), and the provisional mark."""
    today = today or timezone.localdate()
    if isinstance(deadline, Deadline):
        if deadline.status != Deadline.Status.OPEN:
            css = {Deadline.Status.MET: "success", Deadline.Status.LATE: "danger"}.get(deadline.status, "secondary")
            return {"text": deadline.get_status_display(), "css": css, "provisional": False, "overdue": False}
        due, provisional = deadline.due_date, deadline.provisional
    else:
        due = deadline
    days = (due - today).days
    if days > 0:
        text = ngettext("还剩 %(n)d 天", "还剩 %(n)d 天", days) % {"n": days}
        css = "warning" if days <= 7 else "secondary"
    elif days == 0:
        text, css = _("今天到期"), "warning"
    else:
        text = ngettext("逾期 %(n)d 天", "逾期 %(n)d 天", -days) % {"n": -days}
        css = "danger"
    return {"text": text, "css": css, "provisional": provisional, "overdue": days < 0}


@register.inclusion_tag("deadlines/_due_badge.html")
def due_badge(
    deadline: Deadline | datetime.date | None,
    today: datetime.date | None = None,
    provisional: bool = False,
    explanation: str = "",
) -> dict:
    if deadline is None or deadline == "":
        return {"show": False}
    if isinstance(deadline, Deadline):
        explanation = deadline.explanation
    return {"show": True, "explanation": explanation, **due_state(deadline, today, provisional=provisional)}


@register.filter
def days_left(deadline: Deadline | datetime.date | None) -> int | None:
    """Days to the due date (negative when overdue); None for a closed deadline or no date."""
    if deadline is None or deadline == "":
        return None
    if isinstance(deadline, Deadline):
        return deadline.days_left() if deadline.status == Deadline.Status.OPEN else None
    return (deadline - timezone.localdate()).days
