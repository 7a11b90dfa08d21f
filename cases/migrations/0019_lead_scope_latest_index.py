"""The lead list's deep pages for a scope of several procuratorates read each procuratorate's leads
newest first off one index (pil_tracker/pagination.py, split_by); the index it replaces,
(procuratorate, received_on), served only the dashboard's period ranges, which this one serves too."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0002_procuratorate_short_name_unique"),
        ("cases", "0018_case_recommendation_version_attachment_removed"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="lead",
            index=models.Index(fields=["procuratorate", "-received_on", "-id"], name="lead_scope_latest_idx"),
        ),
        migrations.RemoveIndex(model_name="lead", name="lead_scope_received_idx"),
    ]
