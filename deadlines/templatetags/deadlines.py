"""`{% load deadlines %}`: `{% due_badge deadline %}` and `{{ deadline|days_left }}` for any page
that shows an item with a deadline (DOMAIN.md §7: due date, days left or overdue, provisional)."""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from deadlines.models import Deadline

register = template.Library()


def due_state(deadline: Deadline, today: datetime.date | None = None) -> dict:
    """What the badge says: its text, its colour (Bootstrap), and the provisional mark."""
    today = today or timezone.localdate()
    if deadline.status != Deadline.Status.OPEN:
        css = {Deadline.Status.MET: "success", Deadline.Status.LATE: "danger"}.get(deadline.status, "secondary")
        return {"text": deadline.get_status_display(), "css": css, "provisional": False, "overdue": False}
    days = (deadline.due_date - today).days
    if days > 0:
        text = ngettext("还剩 %(n)d 天", "还剩 %(n)d 天", days) % {"n": days}
        css = "warning" if days <= 7 else "secondary"
    elif days == 0:
        text, css = _("今天到期"), "warning"
    else:
        text = ngettext("逾期 %(n)d 天", "逾期 %(n)d 天", -days) % {"n": -days}
        css = "danger"
    return {"text": text, "css": css, "provisional": deadline.provisional, "overdue": days < 0}


@register.inclusion_tag("deadlines/_due_badge.html")
def due_badge(deadline: Deadline | None, today: datetime.date | None = None) -> dict:
    if deadline is None:
        return {"deadline": None}
    return {"deadline": deadline, **due_state(deadline, today)}


@register.filter
def days_left(deadline: Deadline) -> int | None:
    """Days to the due date (negative when overdue); None for a closed deadline."""
    if deadline is None or deadline.status != Deadline.Status.OPEN:
        return None
    return deadline.days_left()
