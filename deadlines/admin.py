"""Administration of the calendar and the rules; deadlines and their alerts are read-only here.

Editing a year's holiday arrangement recomputes the open deadlines it affects (services), so the
admin only ever calls the services after saving.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from deadlines import services
from deadlines.models import CalendarDay, Deadline, DeadlineAlert, DeadlineChange, DeadlineRule, HolidayYear


def _report(request, holiday_year: HolidayYear, moved: int) -> None:
    messages.info(
        request,
        ngettext(
            "%(year)d年节假日安排已更新（第%(version)d版），%(n)d个进行中的期限随之调整。",
            "%(year)d年节假日安排已更新（第%(version)d版），%(n)d个进行中的期限随之调整。",
            moved,
        )
        % {"year": holiday_year.year, "version": holiday_year.version, "n": moved},
    )


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    extra = 3
    fields = ["date", "is_rest_day", "name"]


@admin.register(HolidayYear)
class HolidayYearAdmin(admin.ModelAdmin):
    list_display = ["year", "version", "source", "loaded_at", "day_count"]
    readonly_fields = ["version", "loaded_at"]
    fields = ["year", "source", "version", "loaded_at"]
    inlines = [CalendarDayInline]

    @admin.display(description=_("节假日与调休天数"))
    def day_count(self, obj: HolidayYear) -> int:
        return obj.days.count()

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        if not change or form.has_changed() or any(f.has_changed() for f in formsets):
            moved = services.holiday_year_changed(holiday_year=form.instance, user=request.user, created=not change)
            _report(request, form.instance, moved)

    def delete_model(self, request, obj: HolidayYear) -> None:
        services.holiday_year_delete(holiday_year=obj, user=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset:
            services.holiday_year_delete(holiday_year=obj, user=request.user)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "is_rest_day", "name", "holiday_year"]
    list_filter = ["holiday_year", "is_rest_day"]
    search_fields = ["name"]
    date_hierarchy = "date"

    def save_model(self, request, obj: CalendarDay, form, change) -> None:
        super().save_model(request, obj, form, change)
        years = {obj.holiday_year_id}
        if change and "holiday_year" in form.changed_data and form.initial.get("holiday_year"):
            years.add(form.initial["holiday_year"])
        for holiday_year in HolidayYear.objects.filter(pk__in=years):
            _report(request, holiday_year, services.holiday_year_changed(holiday_year=holiday_year, user=request.user))

    def delete_model(self, request, obj: CalendarDay) -> None:
        holiday_year = obj.holiday_year
        super().delete_model(request, obj)
        services.holiday_year_changed(holiday_year=holiday_year, user=request.user)

    def delete_queryset(self, request, queryset) -> None:
        years = list(HolidayYear.objects.filter(days__in=queryset).distinct())
        super().delete_queryset(request, queryset)
        for holiday_year in years:
            services.holiday_year_changed(holiday_year=holiday_year, user=request.user)


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "period_value", "period_unit", "start_event", "obligor", "is_active"]
    list_filter = ["is_active", "period_unit", "obligor"]
    list_editable = ["is_active"]
    search_fields = ["name", "code"]


class DeadlineAlertInline(admin.TabularInline):
    model = DeadlineAlert
    extra = 0
    can_delete = False
    fields = ["level", "created_at", "notified"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class DeadlineChangeInline(admin.TabularInline):
    model = DeadlineChange
    extra = 0
    can_delete = False
    fields = ["changed_at", "old_due_date", "new_due_date", "old_provisional", "new_provisional", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    """Deadlines are opened and closed by the case services; here they are looked at, not edited."""

    list_display = ["case", "rule", "start_date", "due_date", "provisional", "status"]
    list_filter = ["status", "provisional", "rule"]
    search_fields = ["case__number", "case__title"]
    date_hierarchy = "due_date"
    list_select_related = ["case", "rule"]
    inlines = [DeadlineChangeInline, DeadlineAlertInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DeadlineAlert)
class DeadlineAlertAdmin(admin.ModelAdmin):
    list_display = ["deadline", "level", "created_at", "notified"]
    list_filter = ["level", "notified"]
    list_select_related = ["deadline__rule"]
    readonly_fields = ["deadline", "level", "created_at", "scan_id", "notified"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
