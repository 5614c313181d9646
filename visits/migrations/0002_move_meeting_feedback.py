# Meeting feedback moved to the exchanges app (issue 12): the model leaves this app's state, its
# table (visits_meetingfeedback) stays where it is for exchanges.0005 to take over.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("visits", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="MeetingFeedback"),
            ],
        ),
    ]
