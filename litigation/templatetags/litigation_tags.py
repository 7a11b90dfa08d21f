"""`{% load litigation_tags %}{% case_lawsuits_for case as lawsuits %}`: the litigation records of a
case the requesting user sees, for the case detail's 诉讼 tab, its actions panel and the litigation
page (each tag is one scoped selector call)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from litigation.models import LawsuitProposal
from litigation.selectors import (
    case_lawsuits,
    case_plaintiff_suits,
    case_proposals,
    is_agency_view,
    lawsuit_proposals_visible_to,
)

register = template.Library()


def _user(context):
    request = context.get("request")
    return request.user if request is not None else None


@register.simple_tag(takes_context=True)
def case_lawsuits_for(context, case) -> list:
    """The page's `today` when its view passed one (the litigation page), else today's date."""
    user = _user(context)
    return case_lawsuits(user, case, today=context.get("today") or timezone.localdate()) if user else []


@register.simple_tag(takes_context=True)
def case_proposals_for(context, case) -> list:
    user = _user(context)
    return case_proposals(user, case) if user else []


@register.simple_tag(takes_context=True)
def pending_proposal_for(context, case) -> LawsuitProposal | None:
    """The proposal to sue awaiting a supervisor's decision, if any."""
    user = _user(context)
    if not user:
        return None
    return lawsuit_proposals_visible_to(user).filter(case=case, status=LawsuitProposal.Status.PENDING).first()


@register.simple_tag(takes_context=True)
def case_plaintiff_suits_for(context, case) -> list:
    user = _user(context)
    return case_plaintiff_suits(user, case) if user else []


@register.simple_tag(takes_context=True)
def litigation_agency_view(context) -> bool:
    user = _user(context)
    return user is not None and is_agency_view(user)


@register.filter
def all_finished(lawsuits) -> bool:
    """Some lawsuits, every one finished (Lawsuit.is_finished): the case may be closed."""
    return bool(lawsuits) and all(lawsuit.is_finished for lawsuit in lawsuits)
