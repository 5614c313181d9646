# Mentorships moved to their own app (issue 12): the models leave this app's state, their
# tables stay where they are for mentorships.0001_initial to take over.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("calls", "0001_initial"),
        ("mentorships", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="MentorshipContact"),
                migrations.DeleteModel(name="Mentorship"),
            ],
        ),
    ]
