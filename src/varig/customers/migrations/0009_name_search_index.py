"""The name search's index (customers.search): trigram GIN indexes on PostgreSQL, an FTS5
trigram table kept by triggers on SQLite. Vendor-specific SQL, so not in the model state."""

from django.db import migrations

from varig.customers import search


def forwards(apps, schema_editor):
    search.install(schema_editor.connection)


def backwards(apps, schema_editor):
    search.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0008_current_status_vacuum"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
