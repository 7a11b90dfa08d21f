"""Forms of the inspection pages: they shape the input; the rules live in inspections/services.py."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.models import Organisation
from agencies.widgets import AgencySelect, AgencySelectMultiple
from cases.forms.actions import BootstrapForm, date_field, text_area
from cases.models import Domain
from inspections.models import Inspection


class InspectionForm(BootstrapForm, forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=Inspection.Kind.choices)
    title = forms.CharField(label=_("名称"), max_length=200)
    subject = text_area(_("检查区域或对象"), rows=2)
    starts_on = date_field(_("开始日期"))
    ends_on = date_field(_("结束日期"))
    organiser = forms.ModelChoiceField(
        label=_("组织单位"),
        queryset=Organisation.objects.none(),
        widget=AgencySelect(source="inspection_organisations"),
    )
    participants = forms.ModelMultipleChoiceField(
        label=_("参加单位"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=AgencySelectMultiple(source="inspection_organisations"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        active = Organisation.objects.filter(is_active=True).order_by("kind", "name")
        self.fields["organiser"].queryset = active
        self.fields["participants"].queryset = active


class HoldForm(BootstrapForm, forms.Form):
    summary = text_area(_("检查情况"), rows=5)


class CancelForm(BootstrapForm, forms.Form):
    reason = text_area(_("取消理由"), rows=3)


class FindingForm(BootstrapForm, forms.Form):
    description = text_area(_("发现问题"), rows=4)
    location = forms.CharField(label=_("地点"), max_length=200, required=False)
    agency = forms.ModelChoiceField(
        label=_("涉及行政机关"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=AgencySelect(source="inspection_agencies"),
    )
    domain = forms.ModelChoiceField(label=_("领域"), queryset=Domain.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Organisation.objects.filter(
            kind=Organisation.Kind.AGENCY, is_active=True
        ).order_by("name")
        self.fields["domain"].queryset = Domain.objects.filter(is_active=True)


class InspectionFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=[("", _("全部")), *Inspection.Status.choices], required=False)
    kind = forms.ChoiceField(label=_("类别"), choices=[("", _("全部")), *Inspection.Kind.choices], required=False)
    q = forms.CharField(label=_("名称"), max_length=100, required=False)
