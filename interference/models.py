"""Interference records (干预司法记录, docs/domain.md, Interference records).

A record notes an attempt by an official, an official's relative or staff, or an official letter to
interfere in a public-interest case. Records are append-only: a mistaken record is corrected by a
new record that references it (`corrects`), never changed or deleted. The model refuses it
(save() on an existing row, delete(), queryset update() and delete()), and so does the database
itself: triggers on both tables (migration 0002) refuse every UPDATE and DELETE, so raw SQL cannot
rewrite the record either.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pil_tracker.errors import DomainError
from storage.models import StoredFile


def _refuse() -> DomainError:
    return DomainError(gettext("干预司法记录不能修改或删除；如有错误，请另行登记一条更正记录。"), code="append_only")


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise _refuse()

    def delete(self):
        raise _refuse()


class AppendOnly(models.Model):
    """A row written once: inserting is the only write."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise _refuse()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise _refuse()


class Means(models.TextChoices):
    IN_PERSON = "in_person", _("当面")
    PHONE = "phone", _("电话")
    MESSAGE = "message", _("短信或即时消息")
    LETTER = "letter", _("书面或函件")
    THROUGH_OTHERS = "through_others", _("通过他人转达")


class Relation(models.TextChoices):
    OFFICIAL = "official", _("领导干部本人")
    RELATIVE = "relative", _("领导干部亲属")
    STAFF = "staff", _("领导干部身边工作人员")
    LETTER = "letter", _("机关公函")
    OTHER = "other", _("其他人员")


class InterferenceRecord(AppendOnly):
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="interference_records"
    )
    # The case's procuratorate when recorded: what the scope and the quarterly report filter on.
    procuratorate = models.ForeignKey(
        "agencies.Organisation", verbose_name=_("检察院"), on_delete=models.PROTECT, related_name="+"
    )
    person_name = models.CharField(_("干预人姓名"), max_length=100)
    person_unit = models.CharField(_("干预人单位"), max_length=200, blank=True)
    person_position = models.CharField(_("干预人职务"), max_length=100, blank=True)
    relation = models.CharField(_("干预人身份"), max_length=20, choices=Relation.choices)
    occurred_on = models.DateField(_("发生日期"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    means = models.CharField(_("方式"), max_length=20, choices=Means.choices)
    request = models.TextField(_("干预内容"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    # One correction per record (unique): a later correction corrects the correction, so the
    # records form a chain whose newest member is the one in force.
    corrects = models.OneToOneField(
        "self",
        verbose_name=_("更正的记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="correction",
    )
    correction_reason = models.TextField(_("更正理由"), blank=True)

    class Meta:
        verbose_name = _("干预司法记录")
        verbose_name_plural = _("干预司法记录")
        ordering = ["-occurred_on", "-id"]
        # Read-only in the admin: no change or delete permission is ever granted.
        default_permissions = ("add", "view")
        indexes = [models.Index(fields=["procuratorate", "occurred_on"], name="interference_org_date_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(corrects__isnull=True, correction_reason="")
                | (models.Q(corrects__isnull=False) & ~models.Q(correction_reason="")),
                name="interference_correction_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on:%Y-%m-%d} {self.person_name}"


class InterferenceAttachment(StoredFile, AppendOnly):
    """A material of an interference record (a letter, a message's screenshot, a call note)."""

    record = models.ForeignKey(
        InterferenceRecord, verbose_name=_("干预司法记录"), on_delete=models.PROTECT, related_name="attachments"
    )

    class Meta(StoredFile.Meta):
        verbose_name = _("干预司法记录材料")
        verbose_name_plural = _("干预司法记录材料")
        default_permissions = ("add", "view")

    def __str__(self) -> str:
        return self.original_name

    def storage_folder(self) -> str:
        return f"interference/{self.record_id}"
