from tortoise import migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    """One check-in per attendee, kept by the database (messe.checkin.domain.checkins)."""

    dependencies = [('models', '0009_hall_stand_bookmark')]

    initial = False

    operations = [
        ops.RunSQL("CREATE UNIQUE INDEX IF NOT EXISTS checkin_attendee_once ON checkin (attendee_id)",
                   reverse_sql="DROP INDEX IF EXISTS checkin_attendee_once"),
    ]
