"""Template pieces of the feedback app used on other apps' pages (the case detail's 整改反馈 tab)."""

from __future__ import annotations

from django import template

from feedback.selectors import case_feedback

register = template.Library()


@register.simple_tag(takes_context=True)
def case_feedback_rows(context, case) -> list[dict]:
    """Per recommendation of `case` visible to the request's user: acknowledgement and submitted reports."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    return case_feedback(request.user, case)
