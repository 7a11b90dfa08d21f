"""`{% load litigation_tags %}{% case_lawsuits case as lawsuits %}`: the lawsuits of a case the
requesting user sees, for the case detail's 诉讼 tab and the litigation page."""

from __future__ import annotations

from django import template

from litigation.selectors import case_lawsuits, is_agency_view

register = template.Library()


@register.simple_tag(takes_context=True)
def case_lawsuits_for(context, case) -> list:
    request = context.get("request")
    if request is None:
        return []
    return case_lawsuits(request.user, case)


@register.simple_tag(takes_context=True)
def litigation_agency_view(context) -> bool:
    request = context.get("request")
    return request is not None and is_agency_view(request.user)
