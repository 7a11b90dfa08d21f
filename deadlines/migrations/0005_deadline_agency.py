"""Deadline.agency: the agency that must act by the due date, and its backfill.

The recommendation's agency for the recommendation's reply and agreed-rectification deadlines; the
defendant agency for a lawsuit's defence period and for its rulings' appeal and compliance periods
(whether or not the deadline was linked to a recommendation). The procuratorate's own periods
(filing, internal limits) and the civil announcement stay without one.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

# The codes as they were when this migration was written (deadlines.models.RuleCode).
RECOMMENDATION_RULES = ["reply", "reply_urgent", "rectification_agreed"]


def backfill(apps, schema_editor):
    Deadline = apps.get_model("deadlines", "Deadline")
    Recommendation = apps.get_model("cases", "Recommendation")
    Lawsuit = apps.get_model("litigation", "Lawsuit")
    Ruling = apps.get_model("litigation", "Ruling")
    Deadline.objects.filter(rule__code__in=RECOMMENDATION_RULES, recommendation__isnull=False).update(
        agency_id=Subquery(Recommendation.objects.filter(pk=OuterRef("recommendation_id")).values("agency_id")[:1])
    )
    sued = Lawsuit.objects.filter(defendant_agency__isnull=False)
    Deadline.objects.filter(pk__in=sued.filter(defence_deadline__isnull=False).values("defence_deadline_id")).update(
        agency_id=Subquery(Lawsuit.objects.filter(defence_deadline_id=OuterRef("pk")).values("defendant_agency_id")[:1])
    )
    rulings = Ruling.objects.filter(lawsuit__in=sued)
    for name in ("appeal_deadline", "compliance_deadline"):
        Deadline.objects.filter(pk__in=rulings.filter(**{f"{name}__isnull": False}).values(f"{name}_id")).update(
            agency_id=Subquery(
                Ruling.objects.filter(**{f"{name}_id": OuterRef("pk")}).values("lawsuit__defendant_agency_id")[:1]
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0002_procuratorate_short_name_unique"),
        ("cases", "0006_dashboard_indexes"),
        ("deadlines", "0004_dashboard_indexes"),
        ("feedback", "0002_rectification_agreed_rule"),
        ("litigation", "0005_hearing_reschedule_cancel"),
    ]

    operations = [
        migrations.AddField(
            model_name="deadline",
            name="agency",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="agencies.organisation",
                verbose_name="义务机关",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
