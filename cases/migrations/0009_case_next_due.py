"""Case.next_due_date / next_due_provisional, kept by the deadline services from now on
(deadlines.services.deadlines_refresh_next_due), filled here for the cases that have an open
deadline with one set-based UPDATE (before the indexes are built, so they are built once)."""

from django.conf import settings
from django.db import migrations, models
from django.db.models import Exists, OuterRef, Subquery


def backfill(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Deadline = apps.get_model("deadlines", "Deadline")
    open_deadlines = Deadline.objects.filter(case=OuterRef("pk"), status="open")
    earliest = open_deadlines.order_by("due_date", "id")
    Case.objects.filter(Exists(open_deadlines)).update(
        next_due_date=Subquery(earliest.values("due_date")[:1]),
        next_due_provisional=Subquery(earliest.values("provisional")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0002_procuratorate_short_name_unique"),
        ("cases", "0008_event_kind_supervision"),
        ("deadlines", "0005_deadline_agency"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="next_due_date",
            field=models.DateField(blank=True, editable=False, null=True, verbose_name="下一期限"),
        ),
        migrations.AddField(
            model_name="case",
            name="next_due_provisional",
            field=models.BooleanField(default=False, editable=False, verbose_name="下一期限暂定"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["next_due_date", "-id"], name="case_next_due_idx"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["procuratorate", "next_due_date", "-id"], name="case_scope_next_due_idx"),
        ),
    ]
