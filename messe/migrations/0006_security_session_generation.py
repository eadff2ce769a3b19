from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0005_push_subscription')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Attendee',
            name='pending_token_hash',
            field=fields.CharField(null=True, unique=True, max_length=64),
        ),
        ops.AddField(
            model_name='Attendee',
            name='last_login_at',
            field=fields.DatetimeField(null=True),
        ),
        ops.AddField(
            model_name='Attendee',
            name='session_generation',
            field=fields.IntField(default=1, db_default=1),
        ),
        ops.AddField(
            model_name='Attendee',
            name='ended_sessions',
            field=fields.CharField(default='', db_default='', max_length=255),
        ),
        ops.AddField(
            model_name='Attendee',
            name='sessions_ended_at',
            field=fields.DatetimeField(null=True),
        ),
        ops.AddField(
            model_name='Account',
            name='session_generation',
            field=fields.IntField(default=1, db_default=1),
        ),
        ops.AddField(
            model_name='Account',
            name='ended_sessions',
            field=fields.CharField(default='', db_default='', max_length=255),
        ),
        ops.AddField(
            model_name='Account',
            name='sessions_ended_at',
            field=fields.DatetimeField(null=True),
        ),
    ]
