"""After 0007 rewrote every job customer's row: on PostgreSQL VACUUM the table, outside a
transaction. Without it the index-only count of the status filter read the heap of 100,000
fresh row versions until autovacuum came by (in work, all: 72 -> 28 ms at national scale)."""

from django.db import migrations


def vacuum(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        table = apps.get_model("customers", "JobCustomer")._meta.db_table
        schema_editor.execute(f"VACUUM (ANALYZE) {schema_editor.quote_name(table)}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("customers", "0007_current_status")]

    operations = [migrations.RunPython(vacuum, migrations.RunPython.noop, elidable=True)]
