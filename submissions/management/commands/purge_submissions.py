from django.core.management.base import BaseCommand

from submissions.services import submissions_purge


class Command(BaseCommand):
    help = "Delete form submission tokens and API idempotency keys past their age (beat runs it daily)."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"{submissions_purge()} deleted")
