"""The interference record's form and its correction. They shape the input; the checks (who may
record on which case, a date not in the future) live in interference/services.py, whose refusals
come back as errors on these forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from cases.forms.actions import BootstrapForm, DateInput, MultipleFileField
from interference.models import InterferenceRecord, Means, Relation
from interference.selectors import cases_for_recording
from pil_tracker.filtering import BoundedDateField


class _RecordFields(BootstrapForm, forms.Form):
    person_name = forms.CharField(label=_("干预人姓名"), max_length=100)
    person_unit = forms.CharField(label=_("干预人单位"), max_length=200, required=False)
    person_position = forms.CharField(label=_("干预人职务"), max_length=100, required=False)
    relation = forms.ChoiceField(label=_("干预人身份"), choices=Relation.choices)
    occurred_on = BoundedDateField(label=_("发生日期"), widget=DateInput())
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    means = forms.ChoiceField(label=_("方式"), choices=Means.choices)
    request = forms.CharField(label=_("干预内容"), widget=forms.Textarea(attrs={"rows": 4}))
    files = MultipleFileField(label=_("材料"), required=False)


class InterferenceRecordForm(_RecordFields):
    case = forms.ModelChoiceField(label=_("案件"), queryset=None)
    field_order = ["case"]

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases_for_recording(user).order_by("-opened_on", "-id")


class InterferenceCorrectionForm(_RecordFields):
    correction_reason = forms.CharField(label=_("更正理由"), widget=forms.Textarea(attrs={"rows": 3}))
    field_order = ["correction_reason"]

    @staticmethod
    def initial_from(record: InterferenceRecord) -> dict:
        return {
            name: getattr(record, name)
            for name in (
                "person_name",
                "person_unit",
                "person_position",
                "relation",
                "occurred_on",
                "place",
                "means",
                "request",
            )
        }
