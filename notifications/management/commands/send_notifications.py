"""Deliver notification emails in this process, for sites that run cron instead of a Celery worker.

manage.py send_notifications                    # every unsent email (what the sweeper does)
manage.py send_notifications --digests          # also the agency digests for today
manage.py send_notifications --digests --today 2026-10-08
"""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError

from notifications import services


class Command(BaseCommand):
    help = "Send unsent notification emails (and, with --digests, the agency digests) without a worker."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--digests", action="store_true", help="Also send the daily agency digests.")
        parser.add_argument("--today", help="The digest day, YYYY-MM-DD (default: today in China Standard Time).")

    def handle(self, *args, digests: bool, today: str | None, **options) -> None:
        try:
            day = datetime.date.fromisoformat(today) if today else None
        except ValueError:
            raise CommandError(f"--today {today!r} is not a date (YYYY-MM-DD).") from None
        # No grace period: without a worker nothing else is going to send a new email.
        sent = 0
        while True:
            sent_before = sent
            batch: list[int] = []

            def collect(ids: list[int], batch: list[int] = batch) -> int:
                batch.extend(ids)
                return len(ids)

            if not services.notifications_sweep(grace=datetime.timedelta(0), enqueue=collect):
                break
            sent += services.deliver_now(batch)
            if sent == sent_before:
                break  # the mail server refuses everything; the rows stay pending for the next run
        self.stdout.write(f"{sent} email(s) sent.")
        if digests:
            count = services.agency_digests_send(today=day)
            self.stdout.write(f"{count} digest email(s) sent.")
