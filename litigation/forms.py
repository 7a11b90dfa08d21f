"""Forms for the court events of a case. They shape and type the input; every rule about state,
dates and permissions lives in litigation/services.py."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.models import Organisation
from cases.forms.actions import BootstrapForm, CloseForm, date_field, text_area
from cases.models import Case, CaseType
from litigation.models import Hearing, LawsuitProposal, Material, Ruling


def _amount(label: str) -> forms.DecimalField:
    return forms.DecimalField(label=label, required=False, max_digits=14, decimal_places=2, min_value=0)


class LawsuitFileForm(BootstrapForm, forms.Form):
    court = forms.CharField(label=_("受理法院"), max_length=100)
    court_case_number = forms.CharField(label=_("法院案号"), max_length=60, help_text=_("如 (2026)内0602行初12号"))
    filed_on = date_field(_("起诉日期"))
    defendant_agency = forms.ModelChoiceField(
        label=_("被告行政机关"), queryset=Organisation.objects.none(), required=False
    )
    defendant_name = forms.CharField(
        label=_("被告"), max_length=200, required=False, help_text=_("民事公益诉讼的被告。")
    )
    claims = text_area(_("诉讼请求"), rows=5)
    materials = forms.MultipleChoiceField(
        label=_("起诉材料"), choices=Material.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    criminal_case_number = forms.CharField(
        label=_("刑事案件案号"),
        max_length=60,
        required=False,
        help_text=_("刑事附带民事公益诉讼一并提起的刑事案件案号。"),
    )
    internal_notes = text_area(_("内部备注"), required=False, rows=2, help_text=_("仅本院可见，行政机关看不到。"))

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["defendant_agency"].queryset = case.agencies.order_by("name")
        if case.case_type == CaseType.ADMINISTRATIVE:
            del self.fields["defendant_name"]
        else:
            del self.fields["defendant_agency"]
        if case.case_type != CaseType.CRIMINAL_CIVIL:
            del self.fields["criminal_case_number"]
        # The checklist the supervisor approved, to start from.
        approved = (
            LawsuitProposal.objects.filter(case=case, status=LawsuitProposal.Status.APPROVED)
            .order_by("-decided_at", "-id")
            .first()
        )
        if approved is not None:
            self.fields["materials"].initial = approved.materials


class ComplaintCopyForm(BootstrapForm, forms.Form):
    received_on = date_field(_("被告收到起诉状副本日期"))


class DefenceForm(BootstrapForm, forms.Form):
    submitted_on = date_field(_("提交答辩状日期"))


class HearingForm(BootstrapForm, forms.Form):
    held_on = date_field(_("开庭日期"))
    court_room = forms.CharField(label=_("法庭"), max_length=100, required=False)
    appearance = forms.ChoiceField(label=_("行政机关出庭情况"), choices=Hearing.Appearance.choices)
    appeared_names = forms.CharField(label=_("出庭人员"), max_length=200, required=False)
    note = text_area(_("庭审情况"), required=False, rows=3)


class HearingScheduleForm(BootstrapForm, forms.Form):
    held_on = date_field(_("开庭日期"), today=False)
    court_room = forms.CharField(label=_("法庭"), max_length=100, required=False)


class HearingRescheduleForm(BootstrapForm, forms.Form):
    held_on = date_field(_("新的开庭日期"), today=False)
    court_room = forms.CharField(label=_("法庭"), max_length=100, required=False, help_text=_("留空则沿用原法庭。"))
    reason = text_area(_("改期原因"), rows=2)


class HearingCancelForm(BootstrapForm, forms.Form):
    reason = text_area(_("取消原因"), rows=2, help_text=_("被告行政机关会收到取消通知及原因。"))


class HearingOutcomeForm(BootstrapForm, forms.Form):
    appearance = forms.ChoiceField(label=_("行政机关出庭情况"), choices=Hearing.Appearance.choices)
    appeared_names = forms.CharField(label=_("出庭人员"), max_length=200, required=False)
    note = text_area(_("庭审情况"), required=False, rows=3, help_text=_("仅本院可见，行政机关看不到。"))


class AppearanceRegistrationForm(BootstrapForm, forms.Form):
    appearance = forms.ChoiceField(
        label=_("出庭人员类别"),
        choices=[(v, label) for v, label in Hearing.Appearance.choices if v in Hearing.REGISTRABLE],
        help_text=_("行政机关负责人应当出庭应诉；不能出庭的，应当委托本机关工作人员出庭，不得仅委托律师出庭。"),
    )
    names = forms.CharField(label=_("出庭人员姓名及职务"), max_length=200)


class _UploadForm(BootstrapForm, forms.Form):
    upload = forms.FileField(label=_("文件"), help_text=_("PDF、图片（JPEG、PNG、TIFF）或 Office 文档。"))
    description = forms.CharField(label=_("说明"), max_length=200, required=False)


class MaterialForm(_UploadForm):
    material = forms.ChoiceField(label=_("材料项目"), choices=[("", "—"), *Material.choices], required=False)


class RulingDocumentForm(_UploadForm):
    pass


class PlaintiffSuitForm(BootstrapForm, forms.Form):
    plaintiff = forms.CharField(label=_("起诉的机关或组织"), max_length=200)
    court = forms.CharField(label=_("受理法院"), max_length=100)
    court_case_number = forms.CharField(label=_("法院案号"), max_length=60, required=False)
    filed_on = date_field(_("起诉日期"))


class PlaintiffSupportForm(BootstrapForm, forms.Form):
    supported_on = date_field(_("支持起诉日期"))
    note = text_area(_("支持起诉情况"), required=False, rows=3)


class RulingForm(BootstrapForm, forms.Form):
    instance = forms.ChoiceField(label=_("审级"), choices=Ruling.Instance.choices)
    kind = forms.ChoiceField(label=_("裁判类型"), choices=Ruling.Kind.choices)
    outcome = forms.ChoiceField(label=_("裁判结果"), choices=Ruling.Outcome.choices)
    decided_on = date_field(_("裁判日期"))
    served_on = date_field(_("送达日期"))
    remedial_order = forms.BooleanField(label=_("责令采取补救措施"), required=False)
    ordered_action = text_area(_("判令履行事项"), required=False, rows=3)
    compliance_due_on = date_field(_("履行期限"), required=False, today=False)
    compensation_amount = _amount(_("赔偿金额（元）"))
    restoration_cost = _amount(_("生态修复等费用（元）"))
    summary = text_area(_("裁判要旨"), required=False, rows=3)


class AppealForm(BootstrapForm, forms.Form):
    appealed_on = date_field(_("上诉日期"))
    appealed_by = forms.ChoiceField(label=_("上诉人"), choices=Ruling.AppealedBy.choices)
    late_reason = text_area(_("逾期上诉理由"), required=False, rows=2, help_text=_("上诉期届满后上诉的，必须填写。"))


class EffectForm(BootstrapForm, forms.Form):
    effective_on = date_field(_("生效日期"))


class ComplianceForm(BootstrapForm, forms.Form):
    complied_on = date_field(_("履行日期"))
    note = text_area(_("说明"), required=False, rows=2)


class EnforcementForm(BootstrapForm, forms.Form):
    transferred_on = date_field(_("移送执行日期"))
    note = text_area(_("说明"), required=False, rows=2)


class LitigationCloseForm(CloseForm):
    """The case's closing once its lawsuits are finished: the same form, and the same confirmation
    of the deadlines it cancels, as closing before litigation (cases.forms.CloseForm)."""

    ground = forms.ChoiceField(
        label=_("终结理由"),
        choices=Case.ClosureGround.choices,
        initial=Case.ClosureGround.PUBLIC_INTEREST_RESTORED,
    )


class DecideToSueForm(BootstrapForm, forms.Form):
    """The proposal to sue (提请审批起诉): reasons and the materials checklist; a supervisor decides."""

    reasons = text_area(_("起诉理由"), rows=5)
    materials = forms.MultipleChoiceField(
        label=_("起诉材料清单"),
        choices=Material.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("勾选将向法院提交的材料。"),
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        civil = case.case_type != "administrative"
        # The materials that exist for this kind of case, all ticked at first.
        excluded = {Material.RECOMMENDATION, Material.REPLY, Material.FOLLOW_UP} if civil else {Material.ANNOUNCEMENT}
        choices = [(v, label) for v, label in Material.choices if v not in excluded]
        self.fields["materials"].choices = choices
        self.fields["materials"].initial = [v for v, _label in choices]
