"""Seed the holiday calendar from the chinese-calendar package (2018 onward, as far as it knows).

Later years are added with `manage.py load_holidays` after upgrading the package, or by hand in the
admin; either recomputes the open deadlines they affect.
"""

from django.db import migrations
from django.utils import timezone

FIRST_YEAR = 2018  # PIL by procuratorates became law in mid-2017


def seed(apps, schema_editor):
    from deadlines.holidays import package_days, package_source, package_years

    HolidayYear = apps.get_model("deadlines", "HolidayYear")
    CalendarDay = apps.get_model("deadlines", "CalendarDay")
    source = package_source()
    for year in package_years():
        if year < FIRST_YEAR or HolidayYear.objects.filter(year=year).exists():
            continue
        holiday_year = HolidayYear.objects.create(year=year, source=source, version=1, loaded_at=timezone.now())
        CalendarDay.objects.bulk_create(
            CalendarDay(holiday_year=holiday_year, date=d.date, is_rest_day=d.is_rest_day, name=d.name)
            for d in package_days(year)
        )


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0002_seed_rules")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
