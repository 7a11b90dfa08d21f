"""`manage.py generate_data --cases N --seed S`: realistic benchmark data, set-based (demo/generate.py)."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError

from demo import generate


class Command(BaseCommand):
    help = (
        "Generate a province's procuratorates, agencies and N cases with their whole history, set-based "
        "(PostgreSQL only, into an empty database; bench/README.md)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--cases", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=generate.DEFAULT_TODAY,
            help=f"the day the data is laid out around (default {generate.DEFAULT_TODAY}, the benchmarks' day)",
        )
        parser.add_argument("--force", action="store_true", help="write even if the database holds other data")

    def handle(self, *args, cases: int, seed: int, today: datetime.date, force: bool, **options) -> None:
        try:
            generate.check_database(force=force)
        except generate.GenerateError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Generating {cases:,} cases (seed {seed}, today {today}):")
        result = generate.generate(cases=cases, seed=seed, today=today, progress=self.stdout.write)
        self.stdout.write(
            f"Done in {result.total:.1f} s. Logins: gen_sup_<region code> (gen_sup_990000: the province), "
            f"gen_pro_<region code>_<n>, gen_ag_<region code>_<kind>; password {generate.PASSWORD!r}."
        )
