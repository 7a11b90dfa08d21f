"""Organisations: procuratorates, administrative agencies and discipline commissions.

All three are rows of one tree so that a user belongs to exactly one organisation and the
supervisor's scope ("own procuratorate and every subordinate one") is a prefix match on a
materialised path, which stays one indexed query however deep the tree grows (national scale).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """An administrative region (city, banner, district)."""

    name = models.CharField(_("名称"), max_length=100)
    code = models.CharField(_("行政区划代码"), max_length=12, unique=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级区划"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    class Kind(models.TextChoices):
        PROCURATORATE = "procuratorate", _("人民检察院")
        AGENCY = "agency", _("行政机关")
        DISCIPLINE = "discipline", _("纪检监察机关")

    class Level(models.TextChoices):
        PROVINCE = "province", _("省级")
        CITY = "city", _("市级")
        COUNTY = "county", _("旗县区级")

    name = models.CharField(_("名称"), max_length=200, unique=True)
    short_name = models.CharField(_("简称"), max_length=20, blank=True, help_text=_("用于文书编号，如“东检”。"))
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    level = models.CharField(_("层级"), max_length=20, choices=Level.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("行政区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("检察院填上级检察院；行政机关可留空。"),
    )
    # "/1/4/": ids from the root down. Kept by save(); indexed for the supervisor's subtree query.
    tree_path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    is_active = models.BooleanField(_("有效"), default=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("并入机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["kind", "tree_path", "name"]
        indexes = [models.Index(fields=["kind", "is_active"], name="org_kind_active_idx")]
        constraints = [
            # Document numbers start with the short name: two procuratorates sharing one would
            # produce the same numbers.
            models.UniqueConstraint(
                fields=["short_name"],
                condition=models.Q(kind="procuratorate") & ~models.Q(short_name=""),
                name="org_unique_procuratorate_short_name",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        path = f"{self.parent.tree_path if self.parent else '/'}{self.pk}/"
        if path != self.tree_path:
            old = self.tree_path
            Organisation.objects.filter(pk=self.pk).update(tree_path=path)
            self.tree_path = path
            if old:
                # Re-root the subtree in one statement when an organisation moves.

                Organisation.objects.filter(tree_path__startswith=old).exclude(pk=self.pk).update(
                    tree_path=Concat(Value(path), Substr("tree_path", len(old) + 1))
                )

    def clean(self) -> None:
        ancestor = self.parent
        while ancestor is not None:
            if self.pk and ancestor.pk == self.pk:
                raise ValidationError({"parent": _("上级机关不能是本机关或其下级。")})
            ancestor = ancestor.parent
        if self.parent and self.kind == self.Kind.PROCURATORATE and self.parent.kind != self.Kind.PROCURATORATE:
            raise ValidationError({"parent": _("检察院的上级必须是检察院。")})
