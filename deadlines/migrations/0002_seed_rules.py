"""Seed the deadline rules of docs/domain.md, Deadlines. Administrators edit them afterwards (admin: 期限规则)."""

from django.db import migrations

INTERPRETATION = "最高人民法院、最高人民检察院《关于检察公益诉讼案件适用法律若干问题的解释》"

# code, name, value, unit, start_event, starts_from, obligor, legal basis, active
RULES = [
    ("reply", "检察建议书面回复期限", 2, "months", "送达", "行政机关收到检察建议书之日的次日", "agency",
     INTERPRETATION + "第二十一条", True),
    ("reply_urgent", "检察建议书面回复期限（紧急）", 15, "days", "送达", "行政机关收到检察建议书之日的次日",
     "agency", INTERPRETATION + "第二十一条", True),
    ("filing", "检察建议报上一级检察院备案", 5, "days", "送达", "检察建议书送达之日的次日", "procuratorate",
     "《人民检察院检察建议工作规定》", True),
    ("civil_announcement", "民事公益诉讼公告期", 30, "days", "公告", "公告发布之日的次日", "other",
     INTERPRETATION + "第十三条", True),
    ("defence", "提交答辩状及举证期限", 15, "days", "收到起诉状副本", "被告收到起诉状副本之日的次日", "agency",
     "《中华人民共和国行政诉讼法》第六十七条", True),
    ("appeal_judgment", "不服判决的上诉期限", 15, "days", "判决书送达", "判决书送达之日的次日", "other",
     "《中华人民共和国行政诉讼法》第八十五条", True),
    ("appeal_ruling", "不服裁定的上诉期限", 10, "days", "裁定书送达", "裁定书送达之日的次日", "other",
     "《中华人民共和国行政诉讼法》第八十五条", True),
    # Internal case-handling limits: they have changed between rule books, so they are seeded
    # switched off; an administrator sets the current values and switches them on.
    ("lead_evaluation", "线索评估期限（内部办案期限）", 1, "months", "受理线索", "线索受理之日的次日",
     "procuratorate", "《人民检察院公益诉讼办案规则》（以现行规定为准）", False),
    ("recommendation_decision", "立案后作出检察建议决定期限（内部办案期限）", 3, "months", "立案",
     "立案之日的次日", "procuratorate", "《人民检察院公益诉讼办案规则》（以现行规定为准）", False),
    ("lawsuit_decision", "回复期满后决定是否起诉期限（内部办案期限）", 3, "months", "回复期满",
     "书面回复期限届满之日的次日", "procuratorate", "《人民检察院公益诉讼办案规则》（以现行规定为准）", False),
]


def seed(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    for order, (code, name, value, unit, event, starts_from, obligor, basis, active) in enumerate(RULES, start=1):
        DeadlineRule.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "period_value": value,
                "period_unit": unit,
                "start_event": event,
                "starts_from": starts_from,
                "rolls_over_rest_days": True,
                "obligor": obligor,
                "legal_basis": basis,
                "is_active": active,
                "sort_order": order * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
