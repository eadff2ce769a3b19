from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0003_attendee_language')]

    initial = False

    operations = [
        ops.CreateModel(
            name='DeskGrant',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('event', fields.ForeignKeyField('models.Event', source_field='event_id', db_constraint=True, to_field='id', related_name='desk_grants', on_delete=OnDelete.CASCADE)),
                ('attendee', fields.ForeignKeyField('models.Attendee', source_field='attendee_id', db_constraint=True, to_field='id', related_name='desk_grants', on_delete=OnDelete.CASCADE)),
                ('staffer', fields.CharField(max_length=80)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'desk_grant', 'app': 'models', 'unique_together': (('staffer', 'attendee'),), 'pk_attr': 'id', 'table_description': 'A door staffer may serve an attendee they just found at the desk (or registered as a walk-in):'},
            bases=['Model'],
        ),
    ]
