from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.models import Organisation
from agencies.widgets import AgencySelect
from cases.models import Domain
from pil_tracker.filtering import BoundedDateField
from referrals.models import Referral
from referrals.services import receiving_procuratorates


class OutgoingForm(forms.Form):
    commission = forms.ModelChoiceField(
        label=_("接收的纪检监察机关"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.DISCIPLINE, is_active=True),
        widget=AgencySelect(source="commissions"),
    )
    title = forms.CharField(label=_("标题"), max_length=200)
    concern = forms.ChoiceField(label=_("问题类型"), choices=Referral.Concern.choices)
    persons_concerned = forms.CharField(label=_("涉及人员或单位"), max_length=300)
    agency = forms.ModelChoiceField(
        label=_("涉及行政机关"),
        required=False,
        queryset=Organisation.objects.filter(kind=Organisation.Kind.AGENCY, is_active=True),
        widget=AgencySelect(source="referral_agencies"),
    )
    facts = forms.CharField(label=_("主要事实"), widget=forms.Textarea(attrs={"rows": 6}))


class IncomingForm(forms.Form):
    procuratorate = forms.ModelChoiceField(label=_("接收的检察院"), queryset=Organisation.objects.none())
    title = forms.CharField(label=_("标题"), max_length=200)
    domain = forms.ModelChoiceField(label=_("领域"), queryset=Domain.objects.filter(is_active=True))
    agency = forms.ModelChoiceField(
        label=_("涉及行政机关"),
        required=False,
        queryset=Organisation.objects.filter(kind=Organisation.Kind.AGENCY, is_active=True),
        widget=AgencySelect(source="referral_agencies"),
    )
    persons_concerned = forms.CharField(label=_("涉及人员或单位"), max_length=300, required=False)
    facts = forms.CharField(label=_("主要事实"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, commission: Organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["procuratorate"].queryset = receiving_procuratorates(commission)


class EmptyForm(forms.Form):
    pass


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 3}))


class AcknowledgeForm(forms.Form):
    acknowledged_on = BoundedDateField(label=_("签收日期"), widget=forms.DateInput(attrs={"type": "date"}))


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("处理结果"), choices=Referral.Outcome.choices)
    outcome_text = forms.CharField(label=_("处理情况"), widget=forms.Textarea(attrs={"rows": 4}))
    outcome_on = BoundedDateField(label=_("反馈日期"), widget=forms.DateInput(attrs={"type": "date"}))


class FileForm(forms.Form):
    upload = forms.FileField(label=_("材料"))
    description = forms.CharField(label=_("说明"), max_length=200, required=False)
