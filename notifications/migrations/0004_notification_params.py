"""Notifications store their kind and parameters and are rendered when read (notifications/messages.py).

The text columns stay, renamed, for the rows written before: 0005 reconstructs the parameters of
those it can, and the others keep showing the text they were written with."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_approval_kinds"),
    ]

    operations = [
        migrations.RenameField(model_name="notification", old_name="title", new_name="stored_title"),
        migrations.RenameField(model_name="notification", old_name="body", new_name="stored_body"),
        migrations.AlterField(
            model_name="notification",
            name="stored_title",
            field=models.CharField(blank=True, max_length=200, verbose_name="标题"),
        ),
        migrations.AddField(
            model_name="notification",
            name="params",
            field=models.JSONField(blank=True, null=True, verbose_name="参数"),
        ),
    ]
