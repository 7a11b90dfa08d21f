"""`manage.py scan_deadlines [--today YYYY-MM-DD]`: the Celery scan, for sites that run cron only."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from deadlines.services import deadlines_scan


class Command(BaseCommand):
    help = "Send the deadline reminders, overdue flags and escalations that came due (once each)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--today", help="Scan as of this date (YYYY-MM-DD); default: today in TIME_ZONE.")

    def handle(self, *args, today: str | None = None, **options) -> None:
        if today:
            try:
                day = datetime.date.fromisoformat(today)
            except ValueError:
                raise CommandError(f"--today={today!r} is not a date (YYYY-MM-DD).") from None
        else:
            day = timezone.localdate()
        result = deadlines_scan(today=day)
        levels = ", ".join(f"{level} {n}" for level, n in sorted(result.alerts.items())) or "none"
        self.stdout.write(f"{day}: alerts {result.alerts_total} ({levels}); notifications {result.notifications}")
