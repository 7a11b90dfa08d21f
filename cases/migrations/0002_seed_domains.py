"""Seed the PIL domains (docs/domain.md, Domains). Data, editable by an administrator afterwards."""

from django.db import migrations

DOMAINS = [
    ("ecology", "生态环境和资源保护", "Ecological environment and resource protection", True),
    ("food_drug", "食品药品安全", "Food and drug safety", True),
    ("state_property", "国有财产保护", "Protection of state-owned property", True),
    ("state_land", "国有土地使用权出让", "Transfer of state-owned land-use rights", True),
    ("heroes", "英雄烈士保护", "Protection of heroes and martyrs", True),
    ("minors", "未成年人保护", "Protection of minors", True),
    ("military", "军人地位和权益保障", "Status, rights and interests of servicemen", True),
    ("work_safety", "安全生产", "Work safety", True),
    ("personal_info", "个人信息保护", "Personal information protection", True),
    ("anti_monopoly", "反垄断", "Anti-monopoly", True),
    ("telecom_fraud", "反电信网络诈骗", "Countering telecom and online fraud", True),
    ("farm_products", "农产品质量安全", "Quality and safety of agricultural products", True),
    ("women", "妇女权益保障", "Protection of women's rights and interests", True),
    ("accessibility", "无障碍环境建设", "Barrier-free environment", True),
    ("cultural_relics", "文物保护", "Protection of cultural relics", True),
    ("other", "其他", "Other (exploratory areas)", False),
]


def seed(apps, schema_editor):
    Domain = apps.get_model("cases", "Domain")
    for order, (code, name, name_en, statutory) in enumerate(DOMAINS, start=1):
        Domain.objects.update_or_create(
            code=code,
            defaults={"name": name, "name_en": name_en, "is_statutory": statutory, "sort_order": order * 10},
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
