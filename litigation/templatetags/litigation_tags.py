"""`{% load litigation_tags %}{% case_lawsuits_for case as lawsuits %}`: the litigation records of a
case the requesting user sees, for the case detail's 诉讼 tab, its actions panel and the litigation
page (each tag is one scoped selector call)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from cases.portal import case_may_have
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
    if not user or not case_may_have(case, "lawsuits"):
        return []
    return case_lawsuits(user, case, today=context.get("today") or timezone.localdate())


# The case page asks for the proposals twice (the 诉讼 tab lists them, the actions panel after it
# looks for a pending one): the list read for the tab is kept on the case object (read for this
# request) with its reader, so the panel picks the pending one from it instead of a second query.
_PROPOSALS = "_litigation_proposals_read"


@register.simple_tag(takes_context=True)
def case_proposals_for(context, case) -> list:
    user = _user(context)
    if not user or not case_may_have(case, "lawsuit_proposals"):
        return []
    proposals = case_proposals(user, case)
    setattr(case, _PROPOSALS, (user.pk, proposals))
    return proposals


@register.simple_tag(takes_context=True)
def pending_proposal_for(context, case) -> LawsuitProposal | None:
    """The proposal to sue awaiting a supervisor's decision, if any (the first by proposed_at, id)."""
    user = _user(context)
    if not user or not case_may_have(case, "lawsuit_proposals"):
        return None
    reader, read = getattr(case, _PROPOSALS, (None, None))
    if reader == user.pk and read is not None:
        return next((p for p in read if p.status == LawsuitProposal.Status.PENDING), None)
    return lawsuit_proposals_visible_to(user).filter(case=case, status=LawsuitProposal.Status.PENDING).first()


@register.simple_tag(takes_context=True)
def case_plaintiff_suits_for(context, case) -> list:
    user = _user(context)
    if not user or not case_may_have(case, "plaintiff_suits"):
        return []
    return case_plaintiff_suits(user, case)


@register.simple_tag(takes_context=True)
def litigation_agency_view(context) -> bool:
    user = _user(context)
    return user is not None and is_agency_view(user)


@register.filter
def all_finished(lawsuits) -> bool:
    """Some lawsuits, every one finished (Lawsuit.is_finished): the case may be closed."""
    return bool(lawsuits) and all(lawsuit.is_finished for lawsuit in lawsuits)
