"""Forms of the assistance pages: they shape the input; the rules live in assistance/services.py."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.models import Organisation
from agencies.widgets import AgencySelect
from assistance.models import AssistanceRequest
from cases.forms.actions import BootstrapForm, MultipleFileField, date_field, text_area
from cases.models import Case


class RequestForm(BootstrapForm, forms.Form):
    agency = forms.ModelChoiceField(
        label=_("被请求机关"), queryset=Organisation.objects.none(), widget=AgencySelect(source="agencies")
    )
    kind = forms.ChoiceField(label=_("协助事项"), choices=AssistanceRequest.Kind.choices)
    subject = forms.CharField(label=_("标题"), max_length=200)
    details = text_area(_("请求内容"), rows=5, help_text=_("行政机关只能看到本请求的内容，看不到案件的其他信息。"))
    due_date = date_field(_("答复期限"), required=False, today=False)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Organisation.objects.filter(
            kind=Organisation.Kind.AGENCY, is_active=True
        ).order_by("name")
        self.fields["agency"].initial = case.agencies.values_list("pk", flat=True).first()
        self.fields["due_date"].help_text = _("不填写的，按协助答复期限规则（默认15日，本地做法，可配置）计算。")


class AnswerForm(BootstrapForm, forms.Form):
    answer = text_area(_("答复内容"), rows=6)
    files = MultipleFileField(label=_("材料"), required=False)


class CloseForm(BootstrapForm, forms.Form):
    note = text_area(_("办结说明"), rows=3, required=False)


class WithdrawForm(BootstrapForm, forms.Form):
    reason = text_area(_("撤回理由"), rows=3)


class RequestFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部")), *AssistanceRequest.Status.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("协助事项"), choices=[("", _("全部")), *AssistanceRequest.Kind.choices], required=False
    )
