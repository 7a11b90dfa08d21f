"""Procuratorates, agencies, domains and the holiday calendar."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers

from agencies.models import Organisation
from api.serializers.common import text
from cases.models import Domain
from deadlines.models import CalendarDay, HolidayYear


class OrganisationSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.name", read_only=True, default=None)

    class Meta:
        model = Organisation
        fields = ["id", "name", "short_name", "kind", "level", "parent", "region", "is_active", "merged_into"]
        read_only_fields = fields


class DomainSerializer(serializers.ModelSerializer):
    class Meta:
        model = Domain
        fields = ["id", "code", "name", "name_en", "is_statutory", "is_active", "sort_order"]
        read_only_fields = fields


class CalendarDaySerializer(serializers.ModelSerializer):
    class Meta:
        model = CalendarDay
        fields = ["date", "is_rest_day", "name"]


class HolidayYearSerializer(serializers.ModelSerializer):
    days = CalendarDaySerializer(many=True, read_only=True)

    class Meta:
        model = HolidayYear
        fields = ["year", "source", "version", "loaded_at", "days"]
        read_only_fields = fields


class CalendarDayInput(serializers.Serializer):
    date = serializers.DateField()
    is_rest_day = serializers.BooleanField()
    name = text(required=False, max_length=50)


class HolidayYearInput(serializers.Serializer):
    """A year's whole arrangement: the holidays on weekdays and the weekend working days (调休)."""

    year = serializers.IntegerField(min_value=1949, max_value=2200)
    source = text(max_length=100)
    days = CalendarDayInput(many=True, max_length=366)

    def validate_days(self, days: list[dict]) -> list[dict]:
        dates = [d["date"] for d in days]
        if len(set(dates)) != len(dates):
            raise serializers.ValidationError(_duplicate_message())
        return days


def _duplicate_message() -> str:
    return _("同一日期只能出现一次。")
