from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0006_security_session_generation')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Speaker',
            name='email',
            field=fields.CharField(default='', db_default='', max_length=254),
        ),
        ops.AddField(
            model_name='Speaker',
            name='language',
            field=fields.CharField(default='', db_default='', max_length=2),
        ),
    ]
