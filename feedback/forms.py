"""Forms of the agency portal and of the procurator's review.

They shape and type the input only; the rules (who, when, what is complete) live in
feedback/services.py, whose refusals `call_service` puts back on these forms.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import RecommendationItem
from feedback.models import FeedbackAttachment, FeedbackReport, ItemAnswer, SupplementRequest
from feedback.services import AnswerInput, answer_field, max_files_per_report


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern); the service checks each one."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def _files_help() -> str:
    return _("PDF、图片（JPEG、PNG、TIFF）或 Office 文档，每个不超过 %(size)d MB，每份报告最多 %(count)d 个。") % {
        "size": settings.UPLOAD_MAX_BYTES // (1024 * 1024),
        "count": max_files_per_report(),
    }


class BootstrapMixin:
    def _style(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            elif isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                continue
            else:
                widget.attrs.setdefault("class", "form-control")


class AcknowledgeForm(BootstrapMixin, forms.Form):
    acknowledged_on = forms.DateField(label=_("签收日期"), widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class ReportForm(BootstrapMixin, forms.Form):
    """A report: overall summary, one answer per item, the responsible person, evidence files."""

    kind = forms.ChoiceField(label=_("报告类型"), choices=FeedbackReport.Kind.choices)
    supplement_request = forms.ModelChoiceField(
        label=_("所答复的补充说明要求"), queryset=SupplementRequest.objects.none(), required=False
    )
    corrects = forms.ModelChoiceField(label=_("更正的报告"), queryset=FeedbackReport.objects.none(), required=False)
    summary = forms.CharField(label=_("总体情况"), widget=forms.Textarea(attrs={"rows": 4}))
    responsible_person_name = forms.CharField(label=_("负责人姓名"), max_length=100, required=False)
    responsible_person_title = forms.CharField(label=_("负责人职务"), max_length=100, required=False)
    files = MultipleFileField(label=_("证据材料"), required=False)
    remove_attachments = forms.ModelMultipleChoiceField(
        label=_("删除已上传的附件"),
        queryset=FeedbackAttachment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args,
        items: list[RecommendationItem],
        requests=None,
        corrigible=None,
        report: FeedbackReport | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.items = items
        self.fields["files"].help_text = _files_help()
        if report is None:
            self.fields["supplement_request"].queryset = (
                requests if requests is not None else SupplementRequest.objects.none()
            )
            self.fields["corrects"].queryset = corrigible if corrigible is not None else FeedbackReport.objects.none()
            del self.fields["remove_attachments"]
        else:
            # A draft keeps its kind and what it answers; only its content changes.
            for name in ("kind", "supplement_request", "corrects"):
                del self.fields[name]
            self.fields["remove_attachments"].queryset = report.attachments.all()
        for item in items:
            self.fields[answer_field(item.pk, "status")] = forms.ChoiceField(
                label=_("整改情况"), choices=[("", "---------"), *ItemAnswer.Status.choices], required=False
            )
            self.fields[answer_field(item.pk, "measures")] = forms.CharField(
                label=_("已采取的措施及成效"), widget=forms.Textarea(attrs={"rows": 3}), required=False
            )
            self.fields[answer_field(item.pk, "reason")] = forms.CharField(
                label=_("暂不能整改的客观原因"), widget=forms.Textarea(attrs={"rows": 2}), required=False
            )
            self.fields[answer_field(item.pk, "proposed_completion_on")] = forms.DateField(
                label=_("拟完成整改日期"), widget=DateInput(), required=False
            )
        self._style()

    def item_rows(self) -> list[dict]:
        """Per item, its bound fields: the template lays them out as one block per item."""
        return [
            {
                "item": item,
                "status": self[answer_field(item.pk, "status")],
                "measures": self[answer_field(item.pk, "measures")],
                "reason": self[answer_field(item.pk, "reason")],
                "proposed_completion_on": self[answer_field(item.pk, "proposed_completion_on")],
            }
            for item in self.items
        ]

    def answers(self) -> list[AnswerInput]:
        data = self.cleaned_data
        return [
            AnswerInput(
                item_id=item.pk,
                status=data.get(answer_field(item.pk, "status")) or "",
                measures=data.get(answer_field(item.pk, "measures")) or "",
                reason=data.get(answer_field(item.pk, "reason")) or "",
                proposed_completion_on=data.get(answer_field(item.pk, "proposed_completion_on")),
            )
            for item in self.items
        ]

    @staticmethod
    def initial_from(report: FeedbackReport) -> dict:
        initial = {
            "summary": report.summary,
            "responsible_person_name": report.responsible_person_name,
            "responsible_person_title": report.responsible_person_title,
        }
        for answer in report.answers.all():
            initial[answer_field(answer.item_id, "status")] = answer.status
            initial[answer_field(answer.item_id, "measures")] = answer.measures
            initial[answer_field(answer.item_id, "reason")] = answer.reason
            initial[answer_field(answer.item_id, "proposed_completion_on")] = answer.proposed_completion_on
        return initial


class SupplementRequestForm(BootstrapMixin, forms.Form):
    text = forms.CharField(label=_("需要补充说明的事项"), widget=forms.Textarea(attrs={"rows": 4}))
    due_on = forms.DateField(label=_("补充说明期限"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class ProposalDecisionForm(BootstrapMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("决定"), choices=[("accept", _("同意")), ("refuse", _("不同意"))], widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()
        self.fields["decision"].widget.attrs.pop("class", None)


class FollowUpForm(BootstrapMixin, forms.Form):
    conducted_on = forms.DateField(label=_("调查日期"), widget=DateInput(), initial=timezone.localdate)
    location = forms.CharField(label=_("地点"), max_length=200, required=False)
    participants = forms.CharField(label=_("参加人员"), max_length=300, required=False)
    findings = forms.CharField(label=_("调查情况"), widget=forms.Textarea(attrs={"rows": 5}))
    photos = MultipleFileField(label=_("现场照片及材料"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photos"].help_text = _files_help()
        self._style()
