"""Recommendation.procuratorate required (0021 filled it), and the index a scope's lists read per
procuratorate (docs/scaling.md)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0021_recommendation_procuratorate")]

    operations = [
        migrations.AlterField(
            model_name="recommendation",
            name="procuratorate",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="agencies.organisation",
                verbose_name="检察院",
            ),
        ),
        migrations.AddIndex(
            model_name="recommendation",
            index=models.Index(fields=["procuratorate", "-created_at", "-id"], name="rec_scope_created_idx"),
        ),
    ]
