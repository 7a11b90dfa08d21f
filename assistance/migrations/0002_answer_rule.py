"""The rule of the agency's answer to an assistance request: 15 days from the request, a
configurable default of local practice (no statute sets it); an administrator edits or switches it
off in the admin."""

from django.db import migrations


def seed(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    DeadlineRule.objects.get_or_create(
        code="assistance_answer",
        defaults={
            "name": "协助调查答复期限",
            "period_value": 15,
            "period_unit": "days",
            "start_event": "请求协助",
            "starts_from": "请求之日的次日",
            "obligor": "other",
            "legal_basis": "可配置的默认期限（本地做法，非法定期限）",
            "sort_order": 200,
        },
    )


def unseed(apps, schema_editor):
    apps.get_model("deadlines", "DeadlineRule").objects.filter(code="assistance_answer").delete()


class Migration(migrations.Migration):
    dependencies = [("assistance", "0001_initial"), ("deadlines", "0006_deadline_subject")]

    operations = [migrations.RunPython(seed, unseed)]
