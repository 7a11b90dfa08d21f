"""Administration of regions and organisations (procuratorates, agencies, discipline commissions)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.utils.translation import gettext_lazy as _

from agencies.models import Organisation, Region


def _path_ids(organisation: Organisation) -> list[int]:
    return [int(part) for part in organisation.tree_path.strip("/").split("/") if part]


class OrganisationChangeList(ChangeList):
    """Loads the names along every listed organisation's tree path in one query per page."""

    def get_results(self, request) -> None:
        super().get_results(request)
        rows = list(self.result_list)  # evaluates (and caches) the page's queryset
        ids = {pk for organisation in rows for pk in _path_ids(organisation)}
        names = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "name"))
        for organisation in rows:
            organisation.path_names = [names.get(pk, "?") for pk in _path_ids(organisation)]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "parent"]
    list_select_related = ["parent"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]
    ordering = ["code"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "level", "parent", "tree_display", "region", "is_active"]
    list_filter = ["kind", "level", "is_active", ("region", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["parent", "region"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["parent", "region", "merged_into"]
    readonly_fields = ["tree_display"]
    fields = ["name", "short_name", "kind", "level", "region", "parent", "tree_display", "is_active", "merged_into"]

    def get_changelist(self, request, **kwargs):
        return OrganisationChangeList

    @admin.display(description=_("上下级路径"), ordering="tree_path")
    def tree_display(self, obj: Organisation) -> str:
        if not obj.pk:
            return "—"
        names = getattr(obj, "path_names", None)
        if names is None:  # the change form: one organisation, one query
            ids = _path_ids(obj)
            by_pk = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "name"))
            names = [by_pk.get(pk, "?") for pk in ids]
        return " › ".join(names)
