from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='PendingImport',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('event', fields.ForeignKeyField('models.Event', source_field='event_id', db_constraint=True, to_field='id', related_name='pending_imports', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharField(max_length=20)),
                ('filename', fields.CharField(default='', max_length=200)),
                ('content', fields.TextField(unique=False)),
                ('options', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_by', fields.CharField(default='', max_length=200)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'pending_import', 'app': 'models', 'pk_attr': 'id', 'table_description': 'An uploaded file waiting for the organiser to confirm its import after the preview.'},
            bases=['Model'],
        ),
    ]
