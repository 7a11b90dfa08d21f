"""The request form of each kind of report. They shape and type the input; the scope checks live in
reports/services.py (`report_request`), whose refusals become errors on these forms."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from agencies.widgets import AgencySelect
from cases.forms.actions import BootstrapForm, DateInput
from cases.models import CaseType, Domain
from cases.selectors import procuratorates_visible_to
from interference.selectors import interference_report_procuratorates
from meetings.selectors import meetings_visible_to
from reports.builders.briefing import briefing_agencies
from reports.models import ReportJob
from reports.services import typical_cases_max


def _start_of_year() -> datetime.date:
    return timezone.localdate().replace(month=1, day=1)


class _PeriodForm(BootstrapForm, forms.Form):
    kind: str
    start = forms.DateField(label=_("开始日期"), widget=DateInput(), initial=_start_of_year)
    end = forms.DateField(label=_("结束日期"), widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args, user: User, **kwargs):
        kwargs.setdefault("prefix", self.kind)
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("结束日期不能早于开始日期。"))
        return data

    def params(self) -> dict:
        """The cleaned data as `report_request` takes it."""
        return dict(self.cleaned_data)


class BriefingForm(_PeriodForm):
    kind = ReportJob.Kind.BRIEFING
    agency = forms.ModelChoiceField(label=_("行政机关"), queryset=None, widget=AgencySelect(source="briefing_agencies"))
    meeting = forms.ModelChoiceField(label=_("联席会议"), queryset=None, required=False)
    field_order = ["agency", "meeting", "start", "end"]

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["agency"].queryset = briefing_agencies(user)
        self.fields["meeting"].queryset = meetings_visible_to(user).order_by("-date", "-id")
        self.fields["start"].label = _("上次联席会议日期")
        self.fields["start"].help_text = _("通报该日以来的整改情况；待回复和逾期情况截至今天。")

    def params(self) -> dict:
        # The builder takes the meeting as its title (reports/builders/briefing.py).
        params = super().params()
        params["meeting"] = str(params["meeting"]) if params.get("meeting") else ""
        return params


class _ScopeForm(_PeriodForm):
    procuratorate = forms.ModelChoiceField(
        label=_("检察院"), queryset=None, required=False, empty_label=_("本院及下级院（全部）")
    )
    domain = forms.ModelChoiceField(label=_("领域"), queryset=None, required=False, empty_label=_("全部领域"))
    case_type = forms.ChoiceField(label=_("案件类型"), required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["procuratorate"].queryset = procuratorates_visible_to(user).order_by("tree_path", "name")
        self.fields["domain"].queryset = Domain.objects.filter(is_active=True)
        self.fields["case_type"].choices = [("", _("全部类型")), *CaseType.choices]


class StatisticsForm(_ScopeForm):
    kind = ReportJob.Kind.STATISTICS


class CongressForm(_ScopeForm):
    kind = ReportJob.Kind.CONGRESS
    case_numbers = forms.CharField(
        label=_("典型案例（案号）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["case_numbers"].help_text = _(
            "每行一个已发布典型案例的案件案号，最多%(n)d件。留空则自动选取本范围内、"
            "年份在期间内的已发布典型案例，从新到旧。"
        ) % {"n": typical_cases_max()}


def _this_year() -> int:
    return timezone.localdate().year


def _last_quarter() -> int:
    # The report usually requested is the one of the quarter just ended.
    return max(1, (timezone.localdate().month - 1) // 3)


class InterferenceReportForm(BootstrapForm, forms.Form):
    """The quarterly interference report of one procuratorate (docs/domain.md, Interference records)."""

    kind = ReportJob.Kind.INTERFERENCE
    procuratorate = forms.ModelChoiceField(label=_("检察院"), queryset=None)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2999, initial=_this_year)
    quarter = forms.TypedChoiceField(
        label=_("季度"),
        coerce=int,
        choices=[(1, _("第一季度")), (2, _("第二季度")), (3, _("第三季度")), (4, _("第四季度"))],
        initial=_last_quarter,
    )

    def __init__(self, *args, user: User, **kwargs):
        kwargs.setdefault("prefix", self.kind)
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["procuratorate"].queryset = interference_report_procuratorates(user).order_by("tree_path", "name")

    def params(self) -> dict:
        return dict(self.cleaned_data)


FORMS: dict[str, type[forms.Form]] = {
    ReportJob.Kind.BRIEFING: BriefingForm,
    ReportJob.Kind.STATISTICS: StatisticsForm,
    ReportJob.Kind.CONGRESS: CongressForm,
    ReportJob.Kind.INTERFERENCE: InterferenceReportForm,
}
