"""`manage.py load_holidays [--year Y ...]`: the holiday arrangements from the chinese-calendar package.

Idempotent: a year whose days are already loaded is left alone. A year that changes gets a new
version and its open deadlines are recomputed, each moved due date recorded in the case history.
Years the package does not know yet are entered in the admin (期限 › 节假日安排年度).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from deadlines.holidays import package_days, package_source, package_years
from deadlines.services import holiday_year_load

FIRST_YEAR = 2018


class Command(BaseCommand):
    help = "Load the State Council holiday arrangements (节假日安排) from the chinese-calendar package."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--year",
            type=int,
            action="append",
            dest="years",
            help=f"A year to load (repeatable); default: {FIRST_YEAR} onward.",
        )

    def handle(self, *args, years: list[int] | None = None, **options) -> None:
        known = package_years()
        source = package_source()
        if years:
            unknown = sorted(set(years) - set(known))
            if unknown:
                raise CommandError(
                    f"{source} does not know {', '.join(map(str, unknown))} (it covers {known[0]}–{known[-1]}); "
                    "upgrade the package or enter the year in the admin."
                )
        else:
            years = [y for y in known if y >= FIRST_YEAR]
        for year in sorted(set(years)):
            result = holiday_year_load(year=year, days=package_days(year), source=source)
            if result.changed:
                self.stdout.write(
                    f"{year}: loaded (version {result.holiday_year.version}); "
                    f"{result.deadlines_changed} open deadline(s) changed"
                )
            else:
                self.stdout.write(f"{year}: unchanged")
