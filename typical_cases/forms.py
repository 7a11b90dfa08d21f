"""Forms of the typical-case and congress pages; each feeds one service (typical_cases/services.py)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from cases.models import Case, Domain
from cases.selectors import cases_visible_to, procuratorates_visible_to
from typical_cases.anonymisation import format_replacements, parse_replacements
from typical_cases.models import CongressRequest, TypicalCase


class CaseNumberForm(forms.Form):
    """Name a closed case by its number (the case's page belongs to a lower layer, so the way in is
    here). A supervisor starts writing; a procurator proposes, with a reason."""

    number = forms.CharField(label=_("案号"), max_length=60)
    note = forms.CharField(label=_("推荐理由"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_number(self) -> Case:
        number = self.cleaned_data["number"].strip()
        case = cases_visible_to(self.user).filter(number=number).first()
        if case is None:
            raise forms.ValidationError(_("案号不存在或不在您的查看范围内。"))
        return case


class TypicalCaseForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    domain = forms.ModelChoiceField(label=_("领域"), queryset=Domain.objects.filter(is_active=True))
    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100)
    summary = forms.CharField(label=_("基本案情"), widget=forms.Textarea(attrs={"rows": 8}))
    outcome = forms.CharField(label=_("办理结果"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    significance = forms.CharField(label=_("典型意义"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    replacements = forms.CharField(
        label=_("化名替换"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("每行一项：原名称 → 替换为（如“张三 → 某甲”）。保存时替换到标题和各段文字中。"),
    )

    @classmethod
    def initial_for(cls, typical: TypicalCase) -> dict:
        return {
            "title": typical.title,
            "domain": typical.domain_id,
            "year": typical.year,
            "summary": typical.summary,
            "outcome": typical.outcome,
            "significance": typical.significance,
            "replacements": format_replacements(typical.replacements),
        }

    def clean_replacements(self) -> list[tuple[str, str]]:
        try:
            return parse_replacements(self.cleaned_data["replacements"])
        except ValueError as error:
            raise forms.ValidationError(
                _("第%(line)s行格式不正确：应为“原名称 → 替换为”。"), params={"line": error.args[0]}
            ) from error


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))


class CongressRequestForm(forms.Form):
    procuratorate = forms.ModelChoiceField(label=_("检察院"), queryset=None)
    kind = forms.ChoiceField(label=_("监督方式"), choices=CongressRequest.Kind.choices)
    requested_on = forms.DateField(label=_("交办日期"), widget=forms.DateInput(attrs={"type": "date"}))
    content = forms.CharField(label=_("监督事项"), widget=forms.Textarea(attrs={"rows": 4}))
    due_on = forms.DateField(label=_("答复期限"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procuratorate"].queryset = procuratorates_visible_to(user)
        if user.organisation_id:
            self.fields["procuratorate"].initial = user.organisation_id


class CongressAnswerForm(forms.Form):
    answered_on = forms.DateField(label=_("答复日期"), widget=forms.DateInput(attrs={"type": "date"}))
    answer_note = forms.CharField(label=_("答复说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    report = forms.TypedChoiceField(label=_("已生成的报表"), required=False, coerce=int, empty_value=None)
    upload = forms.FileField(label=_("或上传答复材料"), required=False)

    def __init__(self, *args, report_choices: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report"].choices = [("", "—"), *report_choices]

    def clean(self):
        data = super().clean()
        if not data.get("report") and not data.get("upload"):
            raise forms.ValidationError(_("请选择已生成的报表或上传答复材料。"))
        return data


class PeriodForm(forms.Form):
    """The dashboard's period and procuratorates, on the lists behind its congress figures."""

    start = forms.DateField()
    end = forms.DateField()
    procuratorates = forms.CharField(required=False)

    def clean_procuratorates(self) -> list[int]:
        value = self.cleaned_data["procuratorates"]
        ids = [int(part) for part in value.split(",") if part.strip().isdigit() and len(part.strip()) < 19]
        return ids[:500]
