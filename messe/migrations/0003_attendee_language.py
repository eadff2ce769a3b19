from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0002_admin_pending_import')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Attendee',
            name='language',
            field=fields.CharField(default='da', db_default='da', max_length=2),
        ),
    ]
