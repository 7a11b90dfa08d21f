"""Forms for the actions on a case and its recommendations.

Forms only shape and type the input; every rule about state, dates and permissions lives in the
services (cases/services), whose refusals `call_service` turns into errors on these forms.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from agencies.models import Organisation
from cases.models import Case, Investigation, Recommendation, RecommendationItem
from cases.selectors import agencies_for_choice


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label: str, *, required: bool = True, today: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        initial=timezone.localdate if today else None,
    )


def text_area(label: str, *, required: bool = True, rows: int = 4, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}), help_text=help_text
    )


class BootstrapForm:
    """Give every widget its Bootstrap class, so templates render `{{ field }}` as is."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                continue  # the class would land on the wrapper too; the inputs look fine unstyled
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern); the service validates each one."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            files = [single(d, initial) for d in data if d]
        else:
            files = [single(data, initial)] if data else []
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return files


# --- Case ------------------------------------------------------------------------------------


class ConfirmForm(forms.Form):
    """A button that sends nothing but the CSRF token."""


class NoteForm(BootstrapForm, forms.Form):
    note = text_area(_("说明"), required=False, rows=2)


class InvestigationForm(BootstrapForm, forms.Form):
    kind = forms.ChoiceField(label=_("调查方式"), choices=Investigation.Kind.choices)
    conducted_on = date_field(_("调查日期"))
    location = forms.CharField(label=_("地点"), max_length=200, required=False)
    participants = forms.CharField(label=_("参加人员"), max_length=300, required=False)
    findings = text_area(_("调查情况"), rows=6)
    file = MultipleFileField(
        label=_("证据材料"),
        required=False,
        help_text=_("可选择多个文件：PDF、图片（JPEG、PNG、TIFF）或 Office 文档。"),
    )
    description = forms.CharField(label=_("材料说明"), max_length=200, required=False)


class ConsultationForm(BootstrapForm, forms.Form):
    agency = forms.ModelChoiceField(label=_("磋商机关"), queryset=Organisation.objects.none())
    held_on = date_field(_("磋商日期"))
    participants = forms.CharField(label=_("参加人员"), max_length=300, required=False)
    summary = text_area(_("磋商情况"), rows=6)
    outcome = text_area(_("磋商结果"), required=False, rows=3)

    def __init__(self, *args, case: Case, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = case_agencies(case, user)


class AttachmentForm(BootstrapForm, forms.Form):
    file = MultipleFileField(
        label=_("文件"), help_text=_("可选择多个文件：PDF、图片（JPEG、PNG、TIFF）或 Office 文档。")
    )
    description = forms.CharField(label=_("说明"), max_length=200, required=False)


class CloseForm(BootstrapForm, forms.Form):
    ground = forms.ChoiceField(label=_("终结理由"), choices=Case.ClosureGround.choices)
    closed_on = date_field(_("终结日期"))
    note = text_area(_("终结说明"), required=False, rows=4, help_text=_("理由为“其他”时必填。"))
    # Asked every time: closing cannot be undone, and it cancels the deadlines the page lists.
    confirmed = forms.BooleanField(label=_("我已核对，确认终结本案。终结后案件不能再修改。"))

    def __init__(self, *args, cancels: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        if cancels:
            self.fields["confirmed"].label = gettext(
                "我已核对，确认终结本案并撤销上列 %(count)d 项期限。终结后案件不能再修改。"
            ) % {"count": cancels}
        self.fields["confirmed"].error_messages["required"] = _("请勾选确认后再终结案件。")


# --- Recommendation -------------------------------------------------------------------------


def case_agencies(case: Case, user: User):
    """The agencies a recommendation or consultation of `case` may address: the case's own."""
    return agencies_for_choice(user).filter(pk__in=case.agencies.values("pk"))


class RecommendationForm(BootstrapForm, forms.ModelForm):
    """The contents of a recommendation (2021 rules, art. 75); the items come in a formset."""

    class Meta:
        model = Recommendation
        fields = list(Recommendation.CONTENT_FIELDS)
        widgets = {
            "urgency": forms.RadioSelect,
            "case_source": forms.Textarea(attrs={"rows": 3}),
            "harm_facts": forms.Textarea(attrs={"rows": 6}),
            "failure_facts": forms.Textarea(attrs={"rows": 6}),
            "legal_basis": forms.Textarea(attrs={"rows": 4}),
            "remarks": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "rectification_period": _("如：收到本检察建议书之日起两个月内。"),
        }

    # Optimistic locking (issue 16): the draft's version when the form was loaded; the service
    # refuses the save if someone saved the draft since.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=2**31 - 1)

    def __init__(self, *args, case: Case, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = case_agencies(case, user)
        self.fields["agency"].empty_label = None if self.fields["agency"].queryset.count() == 1 else "---------"
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def content(self) -> dict:
        return {name: self.cleaned_data[name] for name in Recommendation.CONTENT_FIELDS}


class ItemForm(BootstrapForm, forms.Form):
    # Not required: an empty row is skipped, so rows can be added and left blank.
    text = forms.CharField(label=_("建议事项"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class BaseItemFormSet(forms.BaseFormSet):
    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"

    def texts(self) -> list[str]:
        """The items in order, without deleted or blank rows."""
        return [
            form.cleaned_data["text"].strip()
            for form in self.forms
            if form.cleaned_data.get("text", "").strip() and not self._should_delete_form(form)
        ]

    def clean(self) -> None:
        super().clean()
        if not any(form.errors for form in self.forms) and not self.texts():
            raise forms.ValidationError(_("检察建议至少要有一项建议事项。"))


ItemFormSet = forms.formset_factory(
    ItemForm, formset=BaseItemFormSet, extra=0, min_num=1, can_delete=True, max_num=50, validate_max=True
)


class ApproveForm(BootstrapForm, forms.Form):
    comment = text_area(_("审批意见"), required=False, rows=3)


class ReturnForm(BootstrapForm, forms.Form):
    comment = text_area(_("审批意见"), rows=3, help_text=_("请说明退回修改的理由。"))


class WithdrawForm(BootstrapForm, forms.Form):
    reason = text_area(_("撤回理由"), rows=3)


class IssueForm(BootstrapForm, forms.Form):
    issued_on = date_field(_("签发日期"))


class ServeForm(BootstrapForm, forms.Form):
    served_on = date_field(_("送达日期"))
    service_method = forms.ChoiceField(label=_("送达方式"), choices=Recommendation.ServiceMethod.choices)
    received_by = forms.CharField(label=_("签收人"), max_length=100)


class FileWithSuperiorForm(BootstrapForm, forms.Form):
    filed_on = date_field(_("备案日期"))


class ReplyForm(BootstrapForm, forms.Form):
    received_on = date_field(_("收到日期"))
    posted_on = date_field(_("交邮日期"), required=False, today=False)
    summary = text_area(_("回复内容摘要"), rows=6)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["posted_on"].help_text = Recommendation._meta.get_field("reply_posted_on").help_text


class EvaluationForm(BootstrapForm, forms.Form):
    """The evaluation of one item; left empty, the item is not evaluated now."""

    evaluation = forms.ChoiceField(
        label=_("整改评估"),
        choices=[("", _("（暂不评估）")), *RecommendationItem.Evaluation.choices],
        required=False,
    )
    note = text_area(_("评估说明"), required=False, rows=2)

    def __init__(self, *args, item: RecommendationItem, **kwargs):
        kwargs.setdefault("initial", {"evaluation": item.evaluation, "note": item.evaluation_note})
        super().__init__(*args, **kwargs)
        self.item = item

    @property
    def is_change(self) -> bool:
        data = self.cleaned_data
        return bool(data.get("evaluation")) and (
            data["evaluation"] != self.item.evaluation or data.get("note", "") != self.item.evaluation_note
        )


def evaluation_forms(items, data=None) -> list[EvaluationForm]:
    return [EvaluationForm(data, item=item, prefix=f"item-{item.pk}") for item in items]
