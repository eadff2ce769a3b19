from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.fields.base import OnDelete

class Migration(migrations.Migration):
    dependencies = [('models', '0008_audit_readable')]

    initial = False

    operations = [
        ops.CreateModel(
            name='StandBookmark',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('attendee', fields.ForeignKeyField('models.Attendee', source_field='attendee_id', db_constraint=True, to_field='id', related_name='stand_bookmarks', on_delete=OnDelete.CASCADE)),
                ('exhibitor', fields.ForeignKeyField('models.Exhibitor', source_field='exhibitor_id', db_constraint=True, to_field='id', related_name='bookmarks', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'stand_bookmark', 'app': 'models', 'unique_together': (('attendee', 'exhibitor'),), 'pk_attr': 'id', 'table_description': 'A stand an attendee saved in "Mit program" (to visit): one per attendee and exhibitor.'},
            bases=['Model'],
        ),
    ]
