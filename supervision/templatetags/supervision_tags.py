"""Template pieces of the supervision app used on other apps' pages: the case page's block of
supervision actions and the liaison's part of the home page (templates/home.html)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from cases.portal import case_may_have
from supervision.selectors import case_supervision_actions, liaison_home

register = template.Library()


@register.simple_tag(takes_context=True)
def case_supervision(context, case) -> list:
    """The supervision actions on `case` that the request's user may see (handlers, supervisors)."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated or not case_may_have(case, "supervision_actions"):
        return []
    return case_supervision_actions(request.user, case)


@register.simple_tag(takes_context=True)
def liaison_work(context) -> dict:
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return {}
    return liaison_home(request.user, today=timezone.localdate())
