"""The referral blocks other apps' pages include (cases/portal.py, templates/home.html); each
reads through referrals_visible_to, so a block shows only what the reader may see."""

from __future__ import annotations

from django import template

from cases.portal import case_may_have
from referrals.models import Referral
from referrals.selectors import referrals_visible_to, referrals_waiting_for

register = template.Library()


@register.simple_tag
def case_referrals(user, case) -> list[Referral]:
    if not case_may_have(case, "referrals"):
        return []
    return list(referrals_visible_to(user).filter(case=case).select_related("receiver").order_by("-id"))


@register.simple_tag
def lead_referrals(user, lead) -> list[Referral]:
    return list(referrals_visible_to(user).filter(lead=lead).select_related("sender"))


@register.simple_tag
def referrals_waiting(user) -> list[Referral]:
    return list(referrals_waiting_for(user)[:50])
