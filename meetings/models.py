"""Joint meetings (联席会议, docs/domain.md, Joint meetings): a procuratorate schedules a meeting with
agencies, the court and the commission, holds it (minutes), and records decisions, each owned by a
participating organisation with a due date watched by the deadline engine."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The deadline rule of a decision (seeded by migration 0002); a module constant rather than a
# deadlines.models.RuleCode, which lists the statutory and case rules.
DECISION_RULE = "meeting_decision"
# The deadline subject type of a decision (deadlines/subjects.py).
DECISION_SUBJECT = "meeting_decision"


class Meeting(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("已安排")
        POSTPONED = "postponed", _("已延期")
        HELD = "held", _("已召开")
        CANCELLED = "cancelled", _("已取消")

    title = models.CharField(_("会议名称"), max_length=200)
    # The procuratorate that keeps the record: its scope decides who reads and records it.
    procuratorate = models.ForeignKey(
        "agencies.Organisation", verbose_name=_("记录检察院"), on_delete=models.PROTECT, related_name="+"
    )
    host = models.ForeignKey(
        "agencies.Organisation", verbose_name=_("主办单位"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("会议日期"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    agenda = models.TextField(_("议程"), blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    status_reason = models.TextField(_("延期或取消原因"), blank=True)
    minutes = models.TextField(_("会议纪要"), blank=True)
    # The court has no organisation kind: it takes part by name (with its attendees).
    other_participants = models.TextField(
        _("其他参会单位及人员"), blank=True, help_text=_("如人民法院，每行一个单位及参会人员。")
    )
    cases = models.ManyToManyField("cases.Case", verbose_name=_("讨论的案件"), blank=True, related_name="+")
    recommendations = models.ManyToManyField(
        "cases.Recommendation", verbose_name=_("讨论的检察建议"), blank=True, related_name="+"
    )
    # Referrals are a sibling module: referenced by number, as text.
    referrals_text = models.TextField(_("讨论的移送线索"), blank=True)
    recorder = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("联席会议")
        verbose_name_plural = _("联席会议")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.title


class Participant(models.Model):
    """A participating organisation (procuratorate, agency, commission) and who attended for it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    organisation = models.ForeignKey(
        "agencies.Organisation", verbose_name=_("参会单位"), on_delete=models.PROTECT, related_name="+"
    )
    attendees = models.TextField(_("参会人员"), blank=True, help_text=_("姓名和职务"))

    class Meta:
        verbose_name = _("参会单位")
        verbose_name_plural = _("参会单位")
        constraints = [models.UniqueConstraint(fields=["meeting", "organisation"], name="meeting_participant_once")]

    def __str__(self) -> str:
        return str(self.organisation)


class Decision(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("待落实")
        DONE = "done", _("已落实")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("议定事项"))
    owner = models.ForeignKey(
        "agencies.Organisation", verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField(_("完成期限"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.OPEN)
    done_on = models.DateField(_("落实日期"), null=True, blank=True)
    done_note = models.TextField(_("落实情况"), blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("议定事项")
        verbose_name_plural = _("议定事项")
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class MeetingEvent(models.Model):
    """The meeting's own history (shown on its page); discussed cases get a copy on their timeline."""

    class Kind(models.TextChoices):
        SCHEDULED = "scheduled", _("安排会议")
        POSTPONED = "postponed", _("会议延期")
        CANCELLED = "cancelled", _("取消会议")
        HELD = "held", _("召开会议")
        DECISION_RECORDED = "decision_recorded", _("记录议定事项")
        DECISION_DONE = "decision_done", _("议定事项已落实")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="events")
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("事项"), max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.get_kind_display()}"
