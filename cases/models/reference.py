"""Reference data an administrator edits: domains and document-number templates."""

from __future__ import annotations

import string

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Domain(models.Model):
    """A PIL domain (领域). Data, not code: the statutory list keeps growing."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    name_en = models.CharField(_("英文名称"), max_length=100, blank=True)
    is_statutory = models.BooleanField(_("法定领域"), default=True, help_text=_("否则为“等外”探索领域。"))
    is_active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("领域")
        verbose_name_plural = _("领域")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class DocumentType(models.TextChoices):
    ADMIN_CASE = "admin_case", _("行政公益诉讼立案决定")
    CIVIL_CASE = "civil_case", _("民事公益诉讼立案决定")
    CRIMINAL_CIVIL_CASE = "criminal_civil_case", _("刑事附带民事公益诉讼立案决定")
    ADMIN_RECOMMENDATION = "admin_recommendation", _("行政公益诉讼检察建议")
    CIVIL_ANNOUNCEMENT = "civil_announcement", _("民事公益诉讼公告")


DEFAULT_NUMBER_TEMPLATES = {
    DocumentType.ADMIN_CASE: "{short}行公立〔{year}〕{n}号",
    DocumentType.CIVIL_CASE: "{short}民公立〔{year}〕{n}号",
    DocumentType.CRIMINAL_CIVIL_CASE: "{short}刑附民公立〔{year}〕{n}号",
    DocumentType.ADMIN_RECOMMENDATION: "{short}行公建〔{year}〕{n}号",
    DocumentType.CIVIL_ANNOUNCEMENT: "{short}民公告〔{year}〕{n}号",
}


class NumberTemplate(models.Model):
    """The format of a document number; a row without procuratorate is the default for its type."""

    document_type = models.CharField(_("文书类型"), max_length=30, choices=DocumentType.choices)
    procuratorate = models.ForeignKey(
        "agencies.Organisation",
        verbose_name=_("检察院"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        limit_choices_to={"kind": "procuratorate"},
        help_text=_("留空表示所有检察院的默认格式。"),
    )
    template = models.CharField(
        _("格式"),
        max_length=100,
        help_text=_("可用占位符：{short} 检察院简称，{year} 年度，{n} 序号。"),
    )

    class Meta:
        verbose_name = _("文书编号格式")
        verbose_name_plural = _("文书编号格式")
        constraints = [
            models.UniqueConstraint(
                fields=["document_type", "procuratorate"], name="numbertemplate_unique_per_procuratorate"
            ),
            models.UniqueConstraint(
                fields=["document_type"],
                condition=models.Q(procuratorate__isnull=True),
                name="numbertemplate_unique_default",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_document_type_display()}: {self.template}"

    def clean(self) -> None:
        try:
            fields = {name for _text, name, _spec, _conv in string.Formatter().parse(self.template) if name}
            self.template.format(short="X", year=2026, n=1)
        except (KeyError, IndexError, ValueError):
            raise ValidationError({"template": _("格式只能使用 {short}、{year}、{n} 三个占位符。")}) from None
        # Numbers are unique across procuratorates and years: a template must tell them apart.
        required = {"n", "year"} if self.procuratorate_id else {"n", "year", "short"}
        if not required <= fields:
            raise ValidationError(
                {
                    "template": _("格式必须包含：%(fields)s。")
                    % {"fields": "、".join("{" + f + "}" for f in sorted(required))}
                }
            )


class DocumentSequence(models.Model):
    """The last number given per procuratorate, document type and year.

    Numbers are allocated by locking this row inside the transaction that creates the document,
    so a rolled-back creation gives its number back and two concurrent creations queue on the row:
    unique and gap-free.
    """

    procuratorate = models.ForeignKey("agencies.Organisation", on_delete=models.PROTECT)
    document_type = models.CharField(max_length=30, choices=DocumentType.choices)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("文书编号序列")
        verbose_name_plural = _("文书编号序列")
        constraints = [
            models.UniqueConstraint(fields=["procuratorate", "document_type", "year"], name="documentsequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.procuratorate} {self.document_type} {self.year}: {self.last_number}"
