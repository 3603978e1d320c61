"""Each placement stores the start of the unbroken employment it belongs to (issue 9: "Godt
Gået" on I dag reads the employments with an anniversary from an index instead of building the
spans of ~1,600 people in Python). The backfill groups the work placements per person and
company as `continuity.continuous_runs` does (a copy: a migration must not change when the app
code does) and writes the value in batches."""

import datetime

from django.db import migrations, models

WORK_KINDS = ("skaanejob", "fleksjob", "ordinaert")
ONE_DAY = datetime.timedelta(days=1)
BATCH = 2000


def _backfill(apps, schema_editor):
    Placement = apps.get_model("placements", "Placement")
    rows = (
        Placement.objects.filter(kind__in=WORK_KINDS)
        .order_by("job_customer_id", "company_id", "started_on", "pk")
        .values_list("pk", "job_customer_id", "company_id", "started_on", "ended_on")
    )
    table = schema_editor.quote_name(Placement._meta.db_table)
    sql = f"UPDATE {table} SET employed_since = %s WHERE id = %s"
    pending = []
    pair, since, reach = None, None, datetime.date.min
    with schema_editor.connection.cursor() as cursor:
        for pk, person, company, started_on, ended_on in rows.iterator(chunk_size=BATCH):
            end = ended_on or datetime.date.max
            if (person, company) == pair and (
                reach == datetime.date.max or started_on <= reach + ONE_DAY
            ):
                reach = max(reach, end)
            else:
                pair, since, reach = (person, company), started_on, end
            pending.append((since, pk))
            if len(pending) >= BATCH:
                cursor.executemany(sql, pending)
                pending = []
        if pending:
            cursor.executemany(sql, pending)


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0009_name_search_index"),
        ("employers", "0005_version"),
        ("placements", "0007_followup_followup_compliance_idx_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="placement",
            name="employed_since",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(_backfill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="placement",
            index=models.Index(fields=["employed_since"], name="placement_employed_since_idx"),
        ),
    ]
