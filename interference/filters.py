"""The list filters of interference records, shared by the web list and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from interference.models import InterferenceRecord, Means
from pil_tracker.filtering import DateFilter, IdFilter, SafeFilterSet


class InterferenceRecordFilter(SafeFilterSet):
    procuratorate = IdFilter(field_name="procuratorate_id", label=_("检察院"))
    case = IdFilter(field_name="case_id", label=_("案件"))
    occurred_from = DateFilter(field_name="occurred_on", lookup_expr="gte", label=_("发生日期自"))
    occurred_to = DateFilter(field_name="occurred_on", lookup_expr="lte", label=_("发生日期至"))
    means = django_filters.ChoiceFilter(choices=Means.choices, label=_("方式"))

    class Meta:
        model = InterferenceRecord
        fields: list[str] = []
