"""The employment start's index carries the dates, person and company the anniversaries read
(an index-only read on both databases), and PostgreSQL gets statistics for the column 0008
filled: without them it joined the windows to the kind index's 270,000 entries (issue 9)."""

from django.db import migrations, models


def vacuum(apps, schema_editor):
    table = schema_editor.quote_name(apps.get_model("placements", "Placement")._meta.db_table)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"VACUUM (ANALYZE) {table}")
    else:
        schema_editor.execute(f"ANALYZE {table}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("placements", "0008_employed_since")]

    operations = [
        migrations.RemoveIndex(model_name="placement", name="placement_employed_since_idx"),
        migrations.AddIndex(
            model_name="placement",
            index=models.Index(
                fields=["employed_since", "started_on", "ended_on", "job_customer", "company"],
                name="placement_employment_idx",
            ),
        ),
        migrations.RunPython(vacuum, migrations.RunPython.noop, elidable=True),
    ]
