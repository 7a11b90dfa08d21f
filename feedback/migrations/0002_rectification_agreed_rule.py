"""Seed the deadline rule of an agreed rectification completion date (docs/domain.md, Deadlines: "rectification
completion (agreed) — as agreed"). Its period is set per deadline from the agreed date
(deadlines.services.deadline_rectification_agree); the rule's own period is only a placeholder."""

from django.db import migrations

CODE = "rectification_agreed"


def seed(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    DeadlineRule.objects.get_or_create(
        code=CODE,
        defaults={
            "name": "整改完成期限（经检察院同意）",
            "period_value": 1,
            "period_unit": "days",
            "start_event": "同意整改完成日期",
            "starts_from": "检察院同意行政机关提出的整改完成日期之日；期间按同意的日期计算",
            "rolls_over_rest_days": False,
            "obligor": "agency",
            "legal_basis": "《人民检察院公益诉讼办案规则》",
            "is_active": True,
            "sort_order": 25,
        },
    )


def unseed(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    Deadline = apps.get_model("deadlines", "Deadline")
    if not Deadline.objects.filter(rule__code=CODE).exists():
        DeadlineRule.objects.filter(code=CODE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0001_initial"),
        ("deadlines", "0002_seed_rules"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
