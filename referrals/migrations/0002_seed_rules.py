"""Seed the two watched periods of a referral (docs/domain.md, Referrals). Both are configurable
defaults of local practice, not statute: an administrator edits them in the rule table.

The deadline engine counts calendar days and months; the local practice of "15 working days" to
acknowledge is seeded as 21 calendar days (three weeks), which the rule's basis says."""

from django.db import migrations

RULES = [
    {
        "code": "referral_acknowledge",
        "name": "移送线索签收期限",
        "period_value": 21,
        "period_unit": "days",
        "start_event": "移送线索",
        "starts_from": "移送之日的次日",
        "rolls_over_rest_days": True,
        "obligor": "other",
        "legal_basis": "可配置的默认值，地方工作惯例（15个工作日，按21个自然日计算），非法定期限",
        "is_active": True,
        "sort_order": 60,
    },
    {
        "code": "referral_outcome",
        "name": "移送线索处理结果反馈期限",
        "period_value": 3,
        "period_unit": "months",
        "start_event": "签收移送线索",
        "starts_from": "签收之日的次日",
        "rolls_over_rest_days": True,
        "obligor": "other",
        "legal_basis": "可配置的默认值，地方工作惯例，非法定期限",
        "is_active": True,
        "sort_order": 61,
    },
]


def seed(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    for rule in RULES:
        DeadlineRule.objects.get_or_create(code=rule["code"], defaults={k: v for k, v in rule.items() if k != "code"})


def unseed(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    Deadline = apps.get_model("deadlines", "Deadline")
    for rule in RULES:
        if not Deadline.objects.filter(rule__code=rule["code"]).exists():
            DeadlineRule.objects.filter(code=rule["code"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0001_initial"),
        ("deadlines", "0006_deadline_subject"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
