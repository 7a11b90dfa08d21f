"""The deadline rule of compliance with an effective ruling (docs/domain.md, Deadlines: "as the judgment says").

Its period is the date the ruling gives (deadlines.services.deadline_open_until); the row names it.
"""

from django.db import migrations


def seed(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    DeadlineRule.objects.get_or_create(
        code="ruling_compliance",
        defaults={
            "name": "生效裁判履行期限",
            "period_value": 1,
            "period_unit": "days",
            "start_event": "裁判生效",
            "starts_from": "裁判生效之日，至裁判确定的履行期限届满",
            "rolls_over_rest_days": False,
            "obligor": "agency",
            "legal_basis": "《中华人民共和国行政诉讼法》第九十四条、第九十六条",
            "is_active": True,
            "sort_order": 75,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("litigation", "0001_initial"), ("deadlines", "0002_seed_rules")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
