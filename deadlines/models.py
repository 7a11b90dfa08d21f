"""Statutory deadlines (docs/domain.md, Deadlines): the holiday calendar, the rules, the deadlines and their alerts."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from deadlines import engine


class HolidayYear(models.Model):
    """A year whose holiday arrangement (节假日安排) is known.

    A year without a row is counted with weekends only and its deadlines are provisional. `version`
    goes up each time the year's days change, and deadlines record the version they were computed
    with.
    """

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    source = models.CharField(_("来源"), max_length=100, help_text=_("如 chinese-calendar 1.11.0、国务院办公厅通知。"))
    version = models.PositiveIntegerField(_("版本"), default=1)
    loaded_at = models.DateTimeField(_("载入时间"), default=timezone.now)

    class Meta:
        verbose_name = _("节假日安排年度")
        verbose_name_plural = _("节假日安排年度")
        ordering = ["-year"]

    def __str__(self) -> str:
        return _("%(year)d年节假日安排") % {"year": self.year}


class CalendarDay(models.Model):
    """An exception to the weekend rule: a holiday on a weekday, or a weekend working day (调休)."""

    holiday_year = models.ForeignKey(HolidayYear, verbose_name=_("年度"), on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("日期"), unique=True)
    is_rest_day = models.BooleanField(_("休息日"), help_text=_("勾选：法定节假日（休息）；不勾选：调休上班的周末。"))
    name = models.CharField(_("名称"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")
        ordering = ["date"]

    def __str__(self) -> str:
        kind = _("休") if self.is_rest_day else _("班")
        return f"{self.date:%Y-%m-%d} {kind} {self.name}".strip()

    def clean(self) -> None:
        if self.date and self.holiday_year_id and self.date.year != self.holiday_year.year:
            raise ValidationError({"date": _("日期必须在该年度内。")})
        if self.date and self.is_rest_day is not None:
            weekend = self.date.weekday() >= 5
            if self.is_rest_day and weekend:
                raise ValidationError({"is_rest_day": _("周末本来就是休息日，无需登记。")})
            if not self.is_rest_day and not weekend:
                raise ValidationError({"is_rest_day": _("工作日本来就要上班，只有周末才能登记为调休上班日。")})


class RuleCode(models.TextChoices):
    """The rule codes the code relies on, one place for all of them (the rows are seeded by deadlines
    migration 0002, feedback migration 0002 and litigation migration 0002).

    Only the codes: a rule's name, period and obligor are data an administrator edits
    (DeadlineRule), and what is displayed is the row's `name`, so the labels here are not shown.
    DeadlineRule.code deliberately has no `choices=`: the table may hold rules the code does not
    open (an administrator may add one ahead of a release), and the admin form would refuse them.
    """

    REPLY = "reply"
    REPLY_URGENT = "reply_urgent"
    FILING = "filing"
    CIVIL_ANNOUNCEMENT = "civil_announcement"
    DEFENCE = "defence"
    APPEAL_JUDGMENT = "appeal_judgment"
    APPEAL_RULING = "appeal_ruling"
    # Not "compliance": a deadlines test creates a rule of that code itself.
    COMPLIANCE = "ruling_compliance"
    RECTIFICATION_AGREED = "rectification_agreed"
    # Internal case-handling limits, seeded switched off.
    LEAD_EVALUATION = "lead_evaluation"
    RECOMMENDATION_DECISION = "recommendation_decision"
    LAWSUIT_DECISION = "lawsuit_decision"


# The agency's written reply to a recommendation, normal or urgent.
REPLY_RULES = (RuleCode.REPLY, RuleCode.REPLY_URGENT)
# Duties that closing the case does not end (deadlines.services.deadlines_cancel_for_case): the
# filing (备案) of a served recommendation with the next-higher procuratorate is the procuratorate's
# own duty towards its superior, owed whatever became of the case, so it stays open — reminded and
# listed — until the filing is recorded (cases.services.recommendation_file_with_superior, allowed
# on a closed case for that reason).
SURVIVE_CASE_CLOSE = (RuleCode.FILING,)
# The names the rules are seeded with, by code (deadlines/migrations/0002_seed_rules.py,
# feedback/migrations/0002_rectification_agreed_rule.py, litigation/migrations/0002_seed_compliance_rule.py).
# A rule still named so is shown in the reader's language; a name an administrator typed is data and
# is shown as typed.
SEEDED_RULE_NAMES = {
    RuleCode.REPLY: gettext_noop("检察建议书面回复期限"),
    RuleCode.REPLY_URGENT: gettext_noop("检察建议书面回复期限（紧急）"),
    RuleCode.FILING: gettext_noop("检察建议报上一级检察院备案"),
    RuleCode.CIVIL_ANNOUNCEMENT: gettext_noop("民事公益诉讼公告期"),
    RuleCode.DEFENCE: gettext_noop("提交答辩状及举证期限"),
    RuleCode.APPEAL_JUDGMENT: gettext_noop("不服判决的上诉期限"),
    RuleCode.APPEAL_RULING: gettext_noop("不服裁定的上诉期限"),
    RuleCode.LEAD_EVALUATION: gettext_noop("线索评估期限（内部办案期限）"),
    RuleCode.RECOMMENDATION_DECISION: gettext_noop("立案后作出检察建议决定期限（内部办案期限）"),
    RuleCode.LAWSUIT_DECISION: gettext_noop("回复期满后决定是否起诉期限（内部办案期限）"),
    RuleCode.RECTIFICATION_AGREED: gettext_noop("整改完成期限（经检察院同意）"),
    RuleCode.COMPLIANCE: gettext_noop("生效裁判履行期限"),
}


# Likewise the starting events they are seeded with (shown in the deadline tables).
SEEDED_START_EVENTS = {
    RuleCode.REPLY: gettext_noop("送达"),
    RuleCode.REPLY_URGENT: gettext_noop("送达"),
    RuleCode.FILING: gettext_noop("送达"),
    RuleCode.CIVIL_ANNOUNCEMENT: gettext_noop("公告"),
    RuleCode.DEFENCE: gettext_noop("收到起诉状副本"),
    RuleCode.APPEAL_JUDGMENT: gettext_noop("判决书送达"),
    RuleCode.APPEAL_RULING: gettext_noop("裁定书送达"),
    RuleCode.LEAD_EVALUATION: gettext_noop("受理线索"),
    RuleCode.RECOMMENDATION_DECISION: gettext_noop("立案"),
    RuleCode.LAWSUIT_DECISION: gettext_noop("回复期满"),
    RuleCode.RECTIFICATION_AGREED: gettext_noop("同意整改完成日期"),
    RuleCode.COMPLIANCE: gettext_noop("裁判生效"),
}


def register_seeded_rule(code: str, *, name: str, start_event: str) -> None:
    """A module that seeds its own rule (a referral's acknowledgement, …) names it here from its
    AppConfig.ready(), with gettext_noop'd texts: the rule is then shown in the reader's language
    like the ones above while it keeps its seeded name."""
    SEEDED_RULE_NAMES[code] = name
    SEEDED_START_EVENTS[code] = start_event


def rule_display_name(code: str, name: str) -> str:
    """A rule's name in the reader's language when it is the seeded one, else as typed."""
    return gettext(name) if SEEDED_RULE_NAMES.get(code) == name else name


class DeadlineRule(models.Model):
    """A kind of period (docs/domain.md, Deadlines): data an administrator edits, seeded by a migration.

    A change applies to the deadlines that start afterwards: every deadline keeps a copy of the
    period it was opened with, so that it can be recomputed and explained later.
    """

    class Unit(models.TextChoices):
        DAYS = engine.DAYS, _("日")
        MONTHS = engine.MONTHS, _("月")

    class Obligor(models.TextChoices):
        AGENCY = "agency", _("行政机关")
        PROCURATORATE = "procuratorate", _("检察院")
        OTHER = "other", _("其他")

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    period_value = models.PositiveSmallIntegerField(_("期间"), validators=[MinValueValidator(1)])
    period_unit = models.CharField(_("单位"), max_length=10, choices=Unit.choices)
    start_event = models.CharField(_("起算事件"), max_length=30, help_text=_("说明中使用的简称，如“送达”“公告”。"))
    starts_from = models.CharField(_("起算日"), max_length=200, help_text=_("如“送达之日的次日”。"))
    rolls_over_rest_days = models.BooleanField(
        _("届满日遇节假日顺延"),
        default=True,
        help_text=_("期间届满的最后一日是法定休假日的，以休假日后的第一日为期间届满日。"),
    )
    obligor = models.CharField(
        _("义务人"),
        max_length=20,
        choices=Obligor.choices,
        default=Obligor.PROCURATORATE,
        help_text=_("为“行政机关”时，提醒也发给被建议机关的工作人员。"),
    )
    legal_basis = models.CharField(_("依据"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True, help_text=_("停用后不再开始新的此类期限。"))
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("期限规则")
        verbose_name_plural = _("期限规则")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return rule_display_name(self.code, self.name)

    @property
    def display_start_event(self) -> str:
        """The starting event in the reader's language when it is the seeded one, else as typed."""
        seeded = SEEDED_START_EVENTS.get(self.code) == self.start_event
        return gettext(self.start_event) if seeded else self.start_event


class Deadline(models.Model):
    """One running period: its inputs (start, period, calendar version) and its result.

    Most deadlines belong to a case. The cooperation modules (a referral waiting for its
    acknowledgement, a joint meeting's decision, an assistance request) watch periods that belong to
    one of their own records instead: `subject_type` and `subject_id` name it, `watcher` is the
    person who waits for the act, `agency` the organisation that must act, and `label` says what it
    is about in notifications. The owning app registers how to link to its subjects
    (deadlines.subjects.register), so the scan reminds and links without importing it.

    Opened and closed only by the services that cause them (deadlines/services.py). Overdue is not a
    status: it is derived from the due date and today (`is_overdue`), so no job has to flip it.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("进行中")
        MET = "met", _("按期完成")
        LATE = "late", _("逾期完成")
        CANCELLED = "cancelled", _("已撤销")

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("案件"), null=True, blank=True, on_delete=models.PROTECT, related_name="deadlines"
    )
    # A deadline of a cooperation module's record rather than of a case (see the class docstring).
    subject_type = models.CharField(_("事项类型"), max_length=40, blank=True)
    subject_id = models.PositiveBigIntegerField(_("事项编号"), null=True, blank=True)
    label = models.CharField(_("事项"), max_length=200, blank=True)
    watcher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("关注人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recommendation = models.ForeignKey(
        "cases.Recommendation",
        verbose_name=_("检察建议"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deadlines",
    )
    # The organisation that must act by the due date when it is an agency: the recommendation's
    # agency for its reply and agreed rectification, the defendant agency for a lawsuit's defence,
    # appeal and compliance periods. The scan reminds its staff, and the agency portal shows the
    # deadline to them, from this field (not through the recommendation: a second lawsuit's
    # deadlines have none). Null for the procuratorate's own periods.
    agency = models.ForeignKey(
        "agencies.Organisation",
        verbose_name=_("义务机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rule = models.ForeignKey(DeadlineRule, verbose_name=_("期限规则"), on_delete=models.PROTECT, related_name="+")
    # Inputs, copied from the rule when the deadline starts.
    start_date = models.DateField(_("起算事件日"))
    period_value = models.PositiveSmallIntegerField(_("期间"))
    period_unit = models.CharField(_("单位"), max_length=10, choices=DeadlineRule.Unit.choices)
    rolls_over_rest_days = models.BooleanField(_("届满日遇节假日顺延"), default=True)
    calendar_version = models.PositiveIntegerField(
        _("节假日安排版本"), default=0, help_text=_("计算时届满日所在年度的节假日安排版本；0 表示尚未载入。")
    )
    # Result.
    due_date = models.DateField(_("届满日"))
    provisional = models.BooleanField(_("暂定"), default=False)
    explanation = models.TextField(_("计算说明"), blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.OPEN)
    fulfilled_on = models.DateField(_("完成日期"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("期限")
        verbose_name_plural = _("期限")
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "rule"],
                condition=models.Q(recommendation__isnull=False),
                name="deadline_unique_per_recommendation_rule",
            ),
            # One running period of a rule per subject: opening it twice (a double click, a retried
            # task) cannot start two clocks.
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "rule"],
                condition=models.Q(subject_id__isnull=False),
                name="deadline_unique_per_subject_rule",
            ),
            # Every deadline belongs to a case or to a module's record.
            models.CheckConstraint(
                condition=models.Q(case__isnull=False)
                | (models.Q(subject_id__isnull=False) & ~models.Q(subject_type="")),
                name="deadline_has_case_or_subject",
            ),
        ]
        indexes = [
            # A module's page lists the deadlines of its records (deadlines.selectors.subject_deadlines).
            models.Index(
                fields=["subject_type", "subject_id"],
                condition=models.Q(subject_id__isnull=False),
                name="deadline_subject_idx",
            ),
            # The scan job (deadlines.services.deadlines_scan, every 15 minutes) finds the open
            # deadlines that reached a level with one range scan on this partial index; closed
            # deadlines, the vast majority over time, are not in it.
            models.Index(fields=["due_date"], condition=models.Q(status="open"), name="deadline_open_due_idx"),
            # A case's earliest open deadline: kept on the case by
            # deadlines.services.deadlines_refresh_next_due, and the due-within filter's check.
            models.Index(
                fields=["case", "due_date"], condition=models.Q(status="open"), name="deadline_open_case_due_idx"
            ),
            # A recommendation's earliest open deadline (the agency home's due date): one probe, no
            # table row read for the many closed ones.
            models.Index(
                fields=["recommendation", "due_date"],
                condition=models.Q(status="open"),
                name="deadline_open_rec_due_idx",
            ),
            # Recomputation after a calendar change groups the open deadlines by their inputs.
            models.Index(
                fields=["start_date", "rule"], condition=models.Q(status="open"), name="deadline_open_start_idx"
            ),
            # The dashboard (dashboard/metrics.py): reply deadlines due in a period (on-time reply rate),
            # replies overdue now, deadline ageing.
            models.Index(
                fields=["due_date", "case"],
                condition=models.Q(recommendation__isnull=False),
                name="deadline_rec_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.due_date:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def days_left(self, today: datetime.date | None = None) -> int:
        """Days from today to the due date: negative when overdue (today in China Standard Time)."""
        return (self.due_date - (today or timezone.localdate())).days

    def is_overdue_on(self, today: datetime.date) -> bool:
        return self.status == self.Status.OPEN and self.due_date < today

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(timezone.localdate())


class DeadlineAlert(models.Model):
    """That a deadline reached a level (a reminder N days before, overdue, escalated), once.

    The unique constraint is what makes "once per deadline and level" hold however many scans run at
    the same time: the scan inserts with ON CONFLICT DO NOTHING, and only the rows it inserted (its
    `scan_id`) lead to notifications.
    """

    OVERDUE = "overdue"
    ESCALATED = "escalated"

    deadline = models.ForeignKey(Deadline, verbose_name=_("期限"), on_delete=models.CASCADE, related_name="alerts")
    # remind_<N> for each configured reminder day (settings.DEADLINE_REMINDER_DAYS), overdue, escalated.
    level = models.CharField(_("级别"), max_length=20)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    scan_id = models.UUIDField(_("扫描批次"), null=True, blank=True, editable=False)
    notified = models.BooleanField(
        _("已通知"), default=True, help_text=_("补扫时同一期限同时达到多个级别的，只就最高级别发出通知。")
    )

    class Meta:
        verbose_name = _("期限提醒记录")
        verbose_name_plural = _("期限提醒记录")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["deadline", "level"], name="deadlinealert_once_per_level"),
        ]

    def __str__(self) -> str:
        return f"{self.deadline_id} {self.level_label}"

    @property
    def level_label(self) -> str:
        return alert_level_label(self.level)


def alert_level_label(level: str) -> str:
    if level == DeadlineAlert.OVERDUE:
        return str(_("逾期"))
    if level == DeadlineAlert.ESCALATED:
        return str(_("逾期升级督办"))
    if level.startswith("remind_"):
        return str(_("到期前%(n)s日提醒") % {"n": level.removeprefix("remind_")})
    return level


class DeadlineChange(models.Model):
    """A change of a deadline's due date — by a calendar correction, or by a service that restarts,
    extends or reopens it (deadlines/services.py) — with who and why: part of the case's history.

    Kept separately from the deadline so the previous date stays on the record (a holiday
    correction must reach open items, and a change is an event, never a silent shift).
    """

    deadline = models.ForeignKey(Deadline, verbose_name=_("期限"), on_delete=models.CASCADE, related_name="changes")
    changed_at = models.DateTimeField(_("时间"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    old_due_date = models.DateField(_("原届满日"))
    new_due_date = models.DateField(_("新届满日"))
    old_provisional = models.BooleanField(_("原为暂定"))
    new_provisional = models.BooleanField(_("现为暂定"))
    reason = models.CharField(_("原因"), max_length=200)

    class Meta:
        verbose_name = _("期限变更记录")
        verbose_name_plural = _("期限变更记录")
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return self.note

    @property
    def note(self) -> str:
        def label(day: datetime.date, provisional: bool) -> str:
            return f"{day:%Y-%m-%d}" + (str(_("（暂定）")) if provisional else "")

        return str(_("%(reason)s，期限由 %(old)s 调整为 %(new)s")) % {
            "reason": self.reason,
            "old": label(self.old_due_date, self.old_provisional),
            "new": label(self.new_due_date, self.new_provisional),
        }
