from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from pil_tracker.filtering import SafeFilterSet
from referrals.models import Referral


class ReferralFilter(SafeFilterSet):
    direction = django_filters.ChoiceFilter(label=_("移送方向"), choices=Referral.Direction.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Referral.Status.choices)
    q = django_filters.CharFilter(label=_("编号或标题"), method="search", max_length=100)

    class Meta:
        model = Referral
        fields = ["direction", "status"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(title__icontains=value) | queryset.filter(number__icontains=value)
