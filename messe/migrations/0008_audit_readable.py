from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0007_organiser_speaker_mail')]

    initial = False

    operations = [
        ops.AddField(
            model_name='AuditEntry',
            name='actor_role',
            field=fields.CharField(default='', db_default='', max_length=20),
        ),
        ops.AddField(
            model_name='AuditEntry',
            name='kind',
            field=fields.CharField(default='', db_default='', max_length=60),
        ),
        # Entries written before the kind existed: their kind is their action.
        ops.RunSQL("UPDATE audit_entry SET kind = action WHERE kind = ''", reverse_sql=""),
        # The audit page filters an event's log by kind and by person, newest first.
        ops.RunSQL("CREATE INDEX IF NOT EXISTS audit_entry_event_kind ON audit_entry (event_id, kind)",
                   reverse_sql="DROP INDEX IF EXISTS audit_entry_event_kind"),
        ops.RunSQL("CREATE INDEX IF NOT EXISTS audit_entry_event_actor ON audit_entry (event_id, actor)",
                   reverse_sql="DROP INDEX IF EXISTS audit_entry_event_actor"),
    ]
