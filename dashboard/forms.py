"""The dashboard's filter form: procuratorate (within the user's scope), period, domain, case type."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms.browse import DATE_INPUT, bootstrap
from cases.models import CaseType, Domain
from cases.selectors import procuratorates_visible_to
from pil_tracker.filtering import BoundedDateField, BoundedModelChoiceField


class DashboardFilterForm(forms.Form):
    procuratorate = BoundedModelChoiceField(
        label=_("检察院"), queryset=None, required=False, empty_label=_("本院及全部下级院")
    )
    start = BoundedDateField(label=_("统计期间自"), required=False, widget=DATE_INPUT)
    end = BoundedDateField(label=_("统计期间至"), required=False, widget=DATE_INPUT)
    domain = BoundedModelChoiceField(
        label=_("领域"), queryset=Domain.objects.order_by("sort_order", "code"), required=False, empty_label=_("全部")
    )
    case_type = forms.ChoiceField(label=_("案件类型"), choices=[("", _("全部")), *CaseType.choices], required=False)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["procuratorate"].queryset = procuratorates_visible_to(user).order_by("tree_path", "name")
        bootstrap(self)

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("结束日期不能早于开始日期。"))
        return data

    def period(self) -> tuple[datetime.date | None, datetime.date | None]:
        """The valid part of the period (None where missing or invalid)."""
        data = getattr(self, "cleaned_data", {})
        if "end" in self.errors:
            return data.get("start"), None
        return data.get("start"), data.get("end")
