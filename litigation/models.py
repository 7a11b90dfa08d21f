"""Lawsuits, hearings and court rulings of a case (docs/domain.md, Litigation and rulings), and what
comes before them: the
decision to sue with its approval, and (civil cases) another qualified plaintiff's suit.

The lawsuit's own status follows the court side (filed → ruled → appealed → effective → complied /
transferred for enforcement), and the case's status follows its lawsuits (litigation/services/
court.py `_case_court_status`). The periods the court side runs (defence, appeal, compliance) are
deadlines of the case, linked from here.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deadlines.engine import add_months
from storage.models import StoredFile, stored_file_path


class Material(models.TextChoices):
    """The materials filed with the court (docs/domain.md, Litigation and rulings: 起诉材料清单)."""

    COMPLAINT = "complaint", _("起诉书")
    EVIDENCE = "evidence", _("证据材料及证据目录")
    RECOMMENDATION = "recommendation", _("检察建议书及送达回证")
    REPLY = "reply", _("行政机关书面回复")
    FOLLOW_UP = "follow_up", _("跟进调查及整改评估材料")
    ANNOUNCEMENT = "announcement", _("公告及公告期满材料")
    APPROVAL = "approval", _("起诉审批材料")


class Lawsuit(models.Model):
    class Status(models.TextChoices):
        FILED = "filed", _("已起诉")
        RULED = "ruled", _("一审已裁判")
        APPEALED = "appealed", _("二审中")
        EFFECTIVE = "effective", _("裁判已生效")
        COMPLIED = "complied", _("已履行")
        ENFORCEMENT = "enforcement", _("已移送执行")

    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="lawsuits")
    court = models.CharField(_("受理法院"), max_length=100)
    court_case_number = models.CharField(_("法院案号"), max_length=60, help_text=_("如 (2026)内0602行初12号"))
    filed_on = models.DateField(_("起诉日期"))
    defendant_agency = models.ForeignKey(
        "agencies.Organisation",
        verbose_name=_("被告行政机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lawsuits_against",
        limit_choices_to={"kind": "agency"},
    )
    defendant_name = models.CharField(_("被告"), max_length=200, blank=True, help_text=_("民事公益诉讼的被告。"))
    # The recommendation whose items the claims follow (docs/domain.md, Recommendations and
    # feedback: the items line up with the claims). Its agency is the defendant; the court periods
    # the agency must meet (defence, compliance) are linked to it, so the deadline scan reminds the
    # agency's staff too.
    recommendation = models.ForeignKey(
        "cases.Recommendation",
        verbose_name=_("检察建议"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lawsuits",
    )
    # Criminal-incidental civil PIL: the criminal case the civil claims are filed with (提起刑事附带
    # 民事公益诉讼). On the lawsuit, not the case: it is the court-side link made at filing.
    criminal_case_number = models.CharField(
        _("刑事案件案号"), max_length=60, blank=True, help_text=_("刑事附带民事公益诉讼一并提起的刑事案件案号。")
    )
    claims = models.TextField(_("诉讼请求"))
    materials = models.JSONField(_("起诉材料"), default=list, blank=True)
    complaint_copy_received_on = models.DateField(_("被告收到起诉状副本日期"), null=True, blank=True)
    defence_submitted_on = models.DateField(_("提交答辩状日期"), null=True, blank=True)
    defence_deadline = models.OneToOneField(
        "deadlines.Deadline",
        verbose_name=_("答辩期限"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("诉讼状态"), max_length=20, choices=Status.choices, default=Status.FILED)
    # Procuratorate staff only, never the defendant agency (docs/domain.md, Who sees what).
    internal_notes = models.TextField(_("内部备注"), blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("承办检察官"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("诉讼")
        verbose_name_plural = _("诉讼")
        ordering = ["filed_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["court", "court_case_number"], name="lawsuit_unique_court_number"),
        ]
        indexes = [
            # The agency portal: the lawsuits against one agency.
            models.Index(fields=["defendant_agency", "filed_on"], name="lawsuit_defendant_idx"),
            # The dashboard (dashboard/metrics.py): lawsuits filed in a period, the first lawsuit of a case.
            models.Index(fields=["filed_on", "case"], name="lawsuit_filed_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.court} {self.court_case_number}"

    @property
    def defendant(self) -> str:
        return str(self.defendant_agency) if self.defendant_agency_id else self.defendant_name

    @property
    def first_instance_expected_by(self) -> datetime.date:
        """Shown, not enforced: a first-instance trial should end within 6 months of filing
        (Administrative Litigation Law art. 81)."""
        return add_months(self.filed_on, 6)

    @property
    def is_finished(self) -> bool:
        """Nothing is left to watch: complied, transferred, or effective without an ordered action
        (reads the rulings: prefetch them for many lawsuits). A property so that cases.services
        can ask it through `case.lawsuits` without importing the litigation app."""
        if self.status in (self.Status.COMPLIED, self.Status.ENFORCEMENT):
            return True
        if self.status != self.Status.EFFECTIVE:
            return False
        return not any(r.is_effective and r.orders_action for r in self.rulings.all())

    @property
    def defence_stage_over(self) -> bool:
        """The court has heard or decided the case: the defence period (答辩期) belongs to the past,
        whether or not a defence was recorded (reads the hearings and rulings: prefetch them)."""
        return any(h.is_held for h in self.hearings.all()) or bool(self.rulings.all())

    def get_materials_display(self) -> list[str]:
        labels = dict(Material.choices)
        return [str(labels.get(code, code)) for code in self.materials]


class Hearing(models.Model):
    class Appearance(models.TextChoices):
        HEAD = "head", _("行政机关负责人出庭")
        DEPUTY_HEAD = "deputy_head", _("副职负责人出庭")
        STAFF = "staff", _("工作人员出庭")
        LAWYER_ONLY = "lawyer_only", _("仅委托律师出庭")
        NOBODY = "nobody", _("无人出庭")

    # Administrative Litigation Law art. 3 and its 2018 interpretation art. 128: the head, or a
    # staff member when the head cannot, appears; never only a hired lawyer.
    VIOLATIONS = (Appearance.LAWYER_ONLY, Appearance.NOBODY)

    # Who may be registered to appear before the hearing (nobody is not a registration).
    REGISTRABLE = (Appearance.HEAD, Appearance.DEPUTY_HEAD, Appearance.STAFF, Appearance.LAWYER_ONLY)

    lawsuit = models.ForeignKey(Lawsuit, verbose_name=_("诉讼"), on_delete=models.PROTECT, related_name="hearings")
    held_on = models.DateField(_("开庭日期"))
    court_room = models.CharField(_("法庭"), max_length=100, blank=True)
    # False: scheduled (开庭通知), not yet held; `appearance` is then empty. Only held hearings count
    # for the appearance figures.
    is_held = models.BooleanField(_("已开庭"), default=True)
    appearance = models.CharField(_("行政机关出庭情况"), max_length=20, choices=Appearance.choices, blank=True)
    appeared_names = models.CharField(_("出庭人员"), max_length=200, blank=True)
    # Procuratorate staff only: the prosecutor's account of the hearing.
    note = models.TextField(_("庭审情况"), blank=True)
    # The defendant agency's registration of who will appear (出庭应诉人员报备).
    registered_appearance = models.CharField(_("报备出庭情况"), max_length=20, choices=Appearance.choices, blank=True)
    registered_names = models.CharField(_("报备出庭人员"), max_length=200, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报备人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("报备时间"), null=True, blank=True)
    # The court postponed the hearing (改期): the date before the latest postponement, and how many
    # there were (each notifies the defendant agency once). Every postponement is also an Event of
    # the case with the dates before and after.
    rescheduled_from = models.DateField(_("原定开庭日期"), null=True, blank=True)
    reschedule_count = models.PositiveSmallIntegerField(_("改期次数"), default=0)
    # The court cancelled the hearing (取消开庭): it stays on the record, never held, never counted.
    cancelled_on = models.DateField(_("取消日期"), null=True, blank=True)
    cancel_reason = models.TextField(_("取消原因"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("庭审")
        verbose_name_plural = _("庭审")
        ordering = ["held_on", "id"]
        constraints = [
            # A cancelled hearing was never held.
            models.CheckConstraint(
                condition=models.Q(cancelled_on__isnull=True) | models.Q(is_held=False),
                name="hearing_cancelled_not_held",
            ),
        ]
        indexes = [
            # The dashboard counts hearings where the agency did not appear properly, by date.
            models.Index(
                fields=["held_on"],
                condition=models.Q(appearance__in=["lawyer_only", "nobody"]),
                name="hearing_violation_idx",
            ),
            # The dashboard (dashboard/metrics.py): hearings held in a period (head-appearance rate).
            models.Index(fields=["held_on"], name="hearing_held_idx"),
        ]

    def __str__(self) -> str:
        if self.is_cancelled:
            return f"{self.held_on:%Y-%m-%d} {_('已取消开庭')}"
        if not self.is_held:
            return f"{self.held_on:%Y-%m-%d} {_('待开庭')}"
        return f"{self.held_on:%Y-%m-%d} {self.get_appearance_display()}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_on is not None

    @property
    def is_scheduled(self) -> bool:
        """Set by the court and still to come: neither held nor cancelled."""
        return not self.is_held and not self.is_cancelled

    def state_on(self, today: datetime.date) -> str:
        """What the hearing is on `today`: cancelled, held, scheduled (today or later), or
        awaiting_record (its date has passed and what happened is not recorded yet). Computed
        from the date, never stored, so it cannot go stale."""
        if self.is_cancelled:
            return "cancelled"
        if self.is_held:
            return "held"
        return "awaiting_record" if self.held_on < today else "scheduled"

    @property
    def is_violation(self) -> bool:
        return self.is_held and self.appearance in self.VIOLATIONS

    @property
    def registration_is_violation(self) -> bool:
        return self.registered_appearance in self.VIOLATIONS


class Ruling(models.Model):
    class Instance(models.TextChoices):
        FIRST = "first", _("一审")
        SECOND = "second", _("二审")

    class Kind(models.TextChoices):
        JUDGMENT = "judgment", _("判决")
        RULING = "ruling", _("裁定")
        MEDIATION = "mediation", _("调解")

    class Outcome(models.TextChoices):
        # Administrative PIL (the 2018 interpretation of the two high courts).
        DECLARE_UNLAWFUL = "declare_unlawful", _("确认违法")
        DECLARE_VOID = "declare_void", _("确认无效")
        REVOKE = "revoke", _("撤销")
        REVOKE_REDO = "revoke_redo", _("撤销并责令重新作出行政行为")
        ORDER_PERFORMANCE = "order_performance", _("责令限期履行")
        MODIFY = "modify", _("变更")
        DISMISS = "dismiss", _("驳回诉讼请求")
        # Civil PIL.
        SUPPORTED_FULLY = "supported_fully", _("支持全部诉讼请求")
        SUPPORTED_PARTLY = "supported_partly", _("支持部分诉讼请求")
        MEDIATED = "mediated", _("调解结案")
        # Second instance.
        UPHELD = "upheld", _("驳回上诉，维持原判")
        AMENDED = "amended", _("改判")

    ADMINISTRATIVE_OUTCOMES = (
        Outcome.DECLARE_UNLAWFUL,
        Outcome.DECLARE_VOID,
        Outcome.REVOKE,
        Outcome.REVOKE_REDO,
        Outcome.ORDER_PERFORMANCE,
        Outcome.MODIFY,
        Outcome.DISMISS,
    )
    CIVIL_OUTCOMES = (Outcome.SUPPORTED_FULLY, Outcome.SUPPORTED_PARTLY, Outcome.DISMISS, Outcome.MEDIATED)
    SECOND_INSTANCE_OUTCOMES = (Outcome.UPHELD, Outcome.AMENDED)

    class AppealedBy(models.TextChoices):
        PROCURATORATE = "procuratorate", _("检察院")
        DEFENDANT = "defendant", _("被告")

    lawsuit = models.ForeignKey(Lawsuit, verbose_name=_("诉讼"), on_delete=models.PROTECT, related_name="rulings")
    instance = models.CharField(_("审级"), max_length=10, choices=Instance.choices)
    kind = models.CharField(_("裁判类型"), max_length=20, choices=Kind.choices)
    outcome = models.CharField(_("裁判结果"), max_length=30, choices=Outcome.choices)
    decided_on = models.DateField(_("裁判日期"))
    served_on = models.DateField(_("送达日期"))
    remedial_order = models.BooleanField(_("责令采取补救措施"), default=False)
    ordered_action = models.TextField(_("判令履行事项"), blank=True)
    compliance_due_on = models.DateField(_("履行期限"), null=True, blank=True)
    compensation_amount = models.DecimalField(
        _("赔偿金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    restoration_cost = models.DecimalField(
        _("生态修复等费用（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    summary = models.TextField(_("裁判要旨"), blank=True)
    appeal_deadline = models.OneToOneField(
        "deadlines.Deadline",
        verbose_name=_("上诉期限"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    appealed_on = models.DateField(_("上诉日期"), null=True, blank=True)
    appealed_by = models.CharField(_("上诉人"), max_length=20, choices=AppealedBy.choices, blank=True)
    late_appeal_reason = models.TextField(_("逾期上诉理由"), blank=True)
    effective_on = models.DateField(_("生效日期"), null=True, blank=True)
    compliance_deadline = models.OneToOneField(
        "deadlines.Deadline",
        verbose_name=_("履行期限"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    complied_on = models.DateField(_("履行日期"), null=True, blank=True)
    transferred_for_enforcement_on = models.DateField(_("移送执行日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("裁判")
        verbose_name_plural = _("裁判")
        ordering = ["decided_on", "id"]
        constraints = [
            # One decision per instance of a lawsuit (a second first-instance ruling is refused).
            models.UniqueConstraint(fields=["lawsuit", "instance"], name="ruling_unique_per_instance"),
        ]
        indexes = [
            # The dashboard (dashboard/metrics.py): rulings decided in a period (claims supported, outcomes) and
            # rulings that took effect in a period (compliance rate).
            models.Index(fields=["decided_on"], name="ruling_decided_idx"),
            models.Index(
                fields=["effective_on"], condition=models.Q(effective_on__isnull=False), name="ruling_effective_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_instance_display()}{self.get_kind_display()} {self.decided_on:%Y-%m-%d}"

    @property
    def second_instance_expected_by(self) -> datetime.date | None:
        """Shown, not enforced: an appeal should be decided within 3 months of the appeal
        (Administrative Litigation Law art. 88)."""
        return add_months(self.appealed_on, 3) if self.appealed_on else None

    @property
    def is_effective(self) -> bool:
        return self.effective_on is not None

    @property
    def orders_action(self) -> bool:
        return bool(self.ordered_action.strip())


class LawsuitProposal(models.Model):
    """The decision to sue (决定提起诉讼), proposed by the case's procurator with the reasons and the
    checklist of materials, approved or returned by a supervisor of the case's procuratorate or of
    a higher one (docs/domain.md, Roles: supervisors approve lawsuits). Approval moves the case to 提起诉讼."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        RETURNED = "returned", _("已退回")

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="lawsuit_proposals"
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    reasons = models.TextField(_("起诉理由"))
    materials = models.JSONField(_("起诉材料清单"), default=list, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提请人"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("提请时间"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_comment = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("起诉审批")
        verbose_name_plural = _("起诉审批")
        ordering = ["proposed_at", "id"]
        constraints = [
            # One proposal at a time awaits a decision.
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(status="pending"), name="lawsuitproposal_one_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_status_display()}"

    def get_materials_display(self) -> list[str]:
        labels = dict(Material.choices)
        return [str(labels.get(code, code)) for code in self.materials]


class PlaintiffSuit(models.Model):
    """Civil PIL: a qualified organ or organisation (法律规定的机关和有关组织) sued after the
    announcement; the procuratorate may support its suit (支持起诉) or close the case."""

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="plaintiff_suits"
    )
    plaintiff = models.CharField(_("起诉的机关或组织"), max_length=200)
    court = models.CharField(_("受理法院"), max_length=100)
    court_case_number = models.CharField(_("法院案号"), max_length=60, blank=True)
    filed_on = models.DateField(_("起诉日期"))
    supported_on = models.DateField(_("支持起诉日期"), null=True, blank=True)
    support_note = models.TextField(_("支持起诉情况"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("适格主体起诉")
        verbose_name_plural = _("适格主体起诉")
        ordering = ["filed_on", "id"]

    def __str__(self) -> str:
        return f"{self.plaintiff} {self.court}"

    @property
    def is_supported(self) -> bool:
        return self.supported_on is not None


# Kept for the migrations that name it; files are stored by storage.models.stored_file_path.
litigation_file_path = stored_file_path


class LitigationFile(StoredFile):
    """A file of a lawsuit: a material filed with the court (internal) or a ruling document, which
    the defendant agency may download too. Stored outside the web root; served only by a
    permission-checked view (pil_tracker/files.py)."""

    class Kind(models.TextChoices):
        MATERIAL = "material", _("起诉材料")
        RULING_DOCUMENT = "ruling_document", _("裁判文书")

    lawsuit = models.ForeignKey(Lawsuit, verbose_name=_("诉讼"), on_delete=models.PROTECT, related_name="files")
    ruling = models.ForeignKey(
        Ruling, verbose_name=_("裁判"), null=True, blank=True, on_delete=models.PROTECT, related_name="files"
    )
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    material = models.CharField(_("材料项目"), max_length=20, choices=Material.choices, blank=True)
    description = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta(StoredFile.Meta):
        verbose_name = _("诉讼文件")
        verbose_name_plural = _("诉讼文件")
        constraints = [
            # A ruling document belongs to a ruling; a material does not.
            models.CheckConstraint(
                condition=models.Q(kind="ruling_document", ruling__isnull=False)
                | models.Q(kind="material", ruling__isnull=True),
                name="litigationfile_kind_matches_ruling",
            ),
        ]

    def storage_folder(self) -> str:
        return f"litigation/{self.lawsuit_id}"
