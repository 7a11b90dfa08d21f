"""`manage.py seed_demo`: the Ordos demo (organisations, logins, about 200 cases). Idempotent."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from demo import data as demo
from pil_tracker.env import env_str


class Command(BaseCommand):
    help = "Create the demo organisations, users and cases (Ordos); running it again creates nothing new."

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        result = demo.seed(password=env_str("DEMO_PASSWORD") or demo.DEFAULT_PASSWORD)
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Created {result.regions} regions, {result.organisations} organisations, {result.users} users, "
            f"{result.cases} cases ({result.leads} leads with their histories) in {elapsed:.1f} s."
        )
        if not result.cases:
            self.stdout.write("The demo cases were already there: no case created.")
        for heading, counts in demo.summary().items():
            self.stdout.write(f"{heading}：" + "，".join(f"{label} {n}" for label, n in counts))
        self.stdout.write("Demo logins:")
        for user in demo.DEMO_USERS:
            where = user.organisation or "（系统管理员）"
            self.stdout.write(f"  {user.username:<13} {user.full_name}  {user.title}  {where}")
        self.stdout.write(f"Password: the DEMO_PASSWORD value (default {demo.DEFAULT_PASSWORD}).")
