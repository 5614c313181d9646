# Moved from visits (issue 12): the model changes app, the table stays.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """MeetingFeedback joins this app in the migration state only: the table visits.0001_initial
    created (visits_meetingfeedback, kept as db_table) keeps its name, rows, constraints and
    indexes, so nothing is written to the database. visits.0002 has dropped the model from the
    visits app's state; 0006 here moves its content type (audit log entries, permissions)."""

    dependencies = [
        ("cities", "0001_initial"),
        ("exchanges", "0004_registration_opens"),
        ("visits", "0002_move_meeting_feedback"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='MeetingFeedback',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('usefulness', models.CharField(blank=True, choices=[('very', 'very useful'), ('quite', 'quite useful'), ('little', 'of little use'), ('not', 'not useful')], max_length=10, verbose_name='how useful was the meeting?')),
                        ('will_apply', models.TextField(blank=True, max_length=3000, verbose_name='what will you apply?')),
                        ('to_change', models.TextField(blank=True, max_length=3000, verbose_name='what should we change next time?')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='answered')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                        ('contact', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='meeting_feedback', to='cities.contact', verbose_name='contact')),
                        ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='feedback', to='exchanges.exchangemeeting', verbose_name='meeting')),
                    ],
                    options={
                        'verbose_name': 'meeting feedback',
                        'verbose_name_plural': 'meeting feedback',
                        'db_table': 'visits_meetingfeedback',
                        'ordering': ['meeting', 'created_at'],
                        'constraints': [models.UniqueConstraint(fields=('meeting', 'contact'), name='feedback_one_per_attendee', violation_error_message='This person has already answered.'), models.CheckConstraint(condition=models.Q(('usefulness__in', ['', 'very', 'quite', 'little', 'not'])), name='feedback_usefulness_valid')],
                    },
                ),
            ],
        ),
    ]
