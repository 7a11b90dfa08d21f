"""The joint-meeting forms: they shape the input for meetings/services.py, which decides."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from agencies.widgets import AgencySelect, AgencySelectMultiple
from cases.forms.actions import BootstrapForm, DateInput, date_field
from cases.selectors import cases_visible_to, recommendations_visible_to
from meetings.models import Meeting
from meetings.selectors import participating_organisations
from pil_tracker.filtering import DateFilter, SafeFilterSet


def _numbers(value: str) -> list[str]:
    return list(dict.fromkeys(n.strip() for n in value.replace("，", ",").replace(",", "\n").splitlines() if n.strip()))


class MeetingScheduleForm(BootstrapForm, forms.Form):
    title = forms.CharField(label=_("会议名称"), max_length=200)
    date = forms.DateField(label=_("会议日期"), widget=DateInput())
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    host = forms.ModelChoiceField(
        label=_("主办单位"), queryset=None, widget=AgencySelect(source="meeting_organisations")
    )
    participants = forms.ModelMultipleChoiceField(
        label=_("参会单位"), queryset=None, widget=AgencySelectMultiple(source="meeting_organisations")
    )
    attendees = forms.CharField(
        label=_("参会人员"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个单位：单位名称：姓名、职务。"),
    )
    other_participants = forms.CharField(
        label=_("其他参会单位及人员"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("如人民法院，每行一个单位及参会人员。"),
    )
    agenda = forms.CharField(label=_("议程"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    cases = forms.CharField(label=_("讨论的案件（案号）"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    recommendations = forms.CharField(
        label=_("讨论的检察建议（文号）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    referrals_text = forms.CharField(
        label=_("讨论的移送线索"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["host"].queryset = participating_organisations()
        self.fields["participants"].queryset = participating_organisations()

    def clean_cases(self):
        numbers = _numbers(self.cleaned_data.get("cases") or "")
        found = list(cases_visible_to(self.user).filter(number__in=numbers))
        missing = sorted(set(numbers) - {c.number for c in found})
        if missing:
            raise forms.ValidationError(_("以下案号不存在或不在您的查看范围内：%(n)s") % {"n": "、".join(missing)})
        return found

    def clean_recommendations(self):
        numbers = _numbers(self.cleaned_data.get("recommendations") or "")
        found = list(recommendations_visible_to(self.user).filter(document_number__in=numbers))
        missing = sorted(set(numbers) - {r.document_number for r in found})
        if missing:
            raise forms.ValidationError(_("以下文号不存在或不在您的查看范围内：%(n)s") % {"n": "、".join(missing)})
        return found

    def clean(self):
        data = super().clean()
        # "单位名称：人员" lines, matched to the chosen participants by name or short name.
        by_name = {}
        for org in data.get("participants") or []:
            by_name[org.name] = org.pk
            if org.short_name:
                by_name[org.short_name] = org.pk
        attendees: dict[int, str] = {}
        for line in (data.get("attendees") or "").splitlines():
            name, sep, people = line.replace(":", "：").partition("：")
            if not line.strip():
                continue
            if not sep or name.strip() not in by_name:
                self.add_error("attendees", _("“%(line)s”：单位须为所选参会单位之一。") % {"line": line.strip()})
                continue
            attendees[by_name[name.strip()]] = people.strip()
        data["attendees"] = attendees
        return data


class PostponeForm(BootstrapForm, forms.Form):
    date = forms.DateField(label=_("新的会议日期"), widget=DateInput())
    reason = forms.CharField(label=_("原因"), widget=forms.Textarea(attrs={"rows": 3}))


class CancelForm(BootstrapForm, forms.Form):
    reason = forms.CharField(label=_("原因"), widget=forms.Textarea(attrs={"rows": 3}))


class HoldForm(BootstrapForm, forms.Form):
    held_on = date_field(_("召开日期"))
    minutes = forms.CharField(label=_("会议纪要"), widget=forms.Textarea(attrs={"rows": 8}))


class DecisionForm(BootstrapForm, forms.Form):
    text = forms.CharField(label=_("议定事项"), widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.ModelChoiceField(label=_("责任单位"), queryset=None)
    due_date = forms.DateField(label=_("完成期限"), widget=DateInput())

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = participating_organisations().filter(
            pk__in=meeting.participants.values("organisation_id")
        )


class DecisionDoneForm(BootstrapForm, forms.Form):
    note = forms.CharField(label=_("落实情况"), widget=forms.Textarea(attrs={"rows": 3}))
    done_on = date_field(_("落实日期"))


class MeetingFilter(SafeFilterSet):
    """The list's filters (the web list and the API take the same)."""

    q = django_filters.CharFilter(label=_("会议名称"), field_name="title", lookup_expr="icontains")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Meeting.Status.choices)
    date_after = DateFilter(label=_("会议日期自"), field_name="date", lookup_expr="gte")
    date_before = DateFilter(label=_("会议日期至"), field_name="date", lookup_expr="lte")

    class Meta:
        model = Meeting
        fields: list[str] = []
