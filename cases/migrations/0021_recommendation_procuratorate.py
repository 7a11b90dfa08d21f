"""The case's procuratorate kept on each recommendation (Recommendation.procuratorate): added empty,
filled from the cases in one statement; 0022 makes it required and adds the index (a migration of
its own: PostgreSQL refuses to alter a table with the fill's foreign-key checks still pending)."""

import django.db.models.deletion
from django.db import migrations, models

FILL = (
    "UPDATE cases_recommendation SET procuratorate_id ="
    " (SELECT c.procuratorate_id FROM cases_case c WHERE c.id = cases_recommendation.case_id)"
    " WHERE procuratorate_id IS NULL"
)


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0003_tree_path_statistics"),
        ("cases", "0020_merge_agency_home_lead_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="recommendation",
            name="procuratorate",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="agencies.organisation",
                verbose_name="检察院",
            ),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop, elidable=True),
    ]
