"""Template pieces of the feedback app used on other apps' pages (the case detail's 整改反馈 tab, the
evaluation form's answers per item)."""

from __future__ import annotations

from django import template

from cases.portal import case_may_have
from feedback.models import ItemAnswer
from feedback.selectors import case_feedback, item_answers

register = template.Library()


@register.simple_tag(takes_context=True)
def case_feedback_rows(context, case) -> list[dict]:
    """Per recommendation of `case` visible to the request's user: acknowledgement and submitted reports."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated or not case_may_have(case, "reviewed_recommendations"):
        return []
    return case_feedback(request.user, case, reports=case_may_have(case, "feedback_reports"))


@register.simple_tag(takes_context=True)
def item_answers_for(context, recommendation) -> dict[int, list[ItemAnswer]]:
    """The agency's answers per item of `recommendation` that the request's user sees (one call
    per page: `{% item_answers_for recommendation as answers %}`, then `answers|answers_of:item`)."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return {}
    return item_answers(request.user, recommendation)


@register.filter
def answers_of(answers: dict[int, list[ItemAnswer]], item) -> list[ItemAnswer]:
    return answers.get(item.pk, []) if answers else []
