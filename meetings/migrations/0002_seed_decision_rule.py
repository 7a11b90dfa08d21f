"""The deadline rule of a joint meeting's decision (docs/domain.md, Joint meetings).

Its period is the due date the meeting sets (deadlines.services.deadline_open_until); the row names
it. Not statute: a configurable default of local practice.
"""

from django.db import migrations


def seed(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    DeadlineRule.objects.get_or_create(
        code="meeting_decision",
        defaults={
            "name": "联席会议议定事项完成期限",
            "period_value": 1,
            "period_unit": "days",
            "start_event": "会议议定",
            "starts_from": "议定事项记录之日，至会议确定的完成期限",
            "rolls_over_rest_days": False,
            "obligor": "other",
            "legal_basis": "可配置的默认规则，依地方联席会议机制",
            "is_active": True,
            "sort_order": 90,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial"), ("deadlines", "0002_seed_rules")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
