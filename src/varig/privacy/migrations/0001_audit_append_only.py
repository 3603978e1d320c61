"""The audit log on PostgreSQL: append-only in the database itself, and indexed for the audit
page's searches at national scale. Nothing happens on SQLite (the model-level guard in
varig.privacy.audit holds there).

- A trigger refuses UPDATE and DELETE on auditlog_logentry, whatever the client, except
  - DELETE when the transaction has `varig.audit_retention = 'on'` (the retention job), and
  - UPDATE when it has `varig.audit_erasure = 'on'` (an approved erasure masking what an entry
    says about the person), and only of the content: who did what to which record, when and
    from where (action, timestamp, actor, content type, object, address, the person's pk)
    stay as they were.
  Both settings are transaction-local (`set_config(..., true)`), set by
  `varig.privacy.audit.audit_maintenance()`.
- Indexes: the entries about one person newest first (`additional_data -> 'job_customer'`, the
  expression Django's `additional_data__job_customer` lookup compiles to) and one user's
  entries newest first.
"""

from django.db import migrations

FORWARD = r"""
CREATE OR REPLACE FUNCTION varig_auditlog_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF coalesce(current_setting('varig.audit_retention', true), '') = 'on' THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'auditlog_logentry is append-only: DELETE refused'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF coalesce(current_setting('varig.audit_erasure', true), '') = 'on'
        AND NEW.id = OLD.id
        AND NEW.action = OLD.action
        AND NEW."timestamp" = OLD."timestamp"
        AND NEW.content_type_id = OLD.content_type_id
        AND NEW.object_pk = OLD.object_pk
        AND NEW.object_id IS NOT DISTINCT FROM OLD.object_id
        AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
        AND NEW.actor_email IS NOT DISTINCT FROM OLD.actor_email
        AND NEW.remote_addr IS NOT DISTINCT FROM OLD.remote_addr
        AND NEW.cid IS NOT DISTINCT FROM OLD.cid
        AND (NEW.additional_data -> 'job_customer')
            IS NOT DISTINCT FROM (OLD.additional_data -> 'job_customer')
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'auditlog_logentry is append-only: UPDATE refused'
        USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS varig_auditlog_append_only ON auditlog_logentry;
CREATE TRIGGER varig_auditlog_append_only
    BEFORE UPDATE OR DELETE ON auditlog_logentry
    FOR EACH ROW EXECUTE FUNCTION varig_auditlog_append_only();

CREATE INDEX IF NOT EXISTS varig_audit_person_time_idx
    ON auditlog_logentry ((additional_data -> 'job_customer'), "timestamp" DESC);
CREATE INDEX IF NOT EXISTS varig_audit_actor_time_idx
    ON auditlog_logentry (actor_id, "timestamp" DESC);
"""

BACKWARD = r"""
DROP TRIGGER IF EXISTS varig_auditlog_append_only ON auditlog_logentry;
DROP FUNCTION IF EXISTS varig_auditlog_append_only();
DROP INDEX IF EXISTS varig_audit_person_time_idx;
DROP INDEX IF EXISTS varig_audit_actor_time_idx;
"""


def _run(schema_editor, sql: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)


def forward(apps, schema_editor):
    _run(schema_editor, FORWARD)


def backward(apps, schema_editor):
    _run(schema_editor, BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("auditlog", "0017_add_actor_email")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
