# Moved from calls (issue 12): the models change app, the tables stay.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Mentorship and MentorshipContact join this app in the migration state only: the tables
    calls.0001_initial created (calls_mentorship, calls_mentorshipcontact) keep their names,
    rows, constraints and indexes, so nothing is written to the database. calls.0002 drops the
    models from the calls app's state; 0002 here moves their content types (audit log entries,
    permissions)."""

    initial = True

    dependencies = [
        ("calls", "0001_initial"),
        ("cities", "0001_initial"),
        ("exchanges", "0003_invitations"),
        ("meetings", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Mentorship',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('mentoring', 'mentoring'), ('tutoring', 'tutoring'), ('coaching', 'coaching')], default='mentoring', max_length=20, verbose_name='kind')),
                        ('contact_name', models.CharField(blank=True, help_text='For a mentor organisation, or when the person is not a city contact.', max_length=200, verbose_name="contact person's name")),
                        ('contact_email', models.EmailField(blank=True, max_length=254, verbose_name="contact person's e-mail")),
                        ('contact_phone', models.CharField(blank=True, max_length=50, verbose_name="contact person's phone")),
                        ('start_date', models.DateField(verbose_name='start')),
                        ('end_date', models.DateField(blank=True, null=True, verbose_name='end')),
                        ('note', models.TextField(blank=True, verbose_name='note')),
                        ('mentee', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='mentorships', to='cities.city', verbose_name='mentee')),
                        ('mentor_city', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='mentorships_given', to='cities.city', verbose_name='mentor city')),
                        ('mentor_contact', models.ForeignKey(blank=True, help_text='For a mentor city: one of its contacts.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='mentorships_as_contact', to='cities.contact', verbose_name="mentor's contact person")),
                        ('mentor_partner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='mentorships_given', to='meetings.partner', verbose_name='mentor organisation')),
                        ('programme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='mentorships', to='exchanges.programme', verbose_name='programme')),
                    ],
                    options={
                        'verbose_name': 'mentorship',
                        'verbose_name_plural': 'mentorships',
                        'db_table': 'calls_mentorship',
                        'ordering': ['programme', 'mentee__name', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='MentorshipContact',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date', models.DateField(verbose_name='date')),
                        ('form', models.CharField(choices=[('meeting', 'meeting in person'), ('online', 'online meeting'), ('phone', 'phone call'), ('email', 'e-mail'), ('visit', 'visit'), ('other', 'other')], max_length=20, verbose_name='form')),
                        ('note', models.TextField(blank=True, verbose_name='note')),
                        ('mentorship', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='contacts', to='mentorships.mentorship', verbose_name='mentorship')),
                    ],
                    options={
                        'verbose_name': 'contact log entry',
                        'verbose_name_plural': 'contact log',
                        'db_table': 'calls_mentorshipcontact',
                        'ordering': ['mentorship', 'date', 'pk'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='mentorship',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('mentor_city__isnull', False), ('mentor_partner__isnull', True)), models.Q(('mentor_city__isnull', True), ('mentor_partner__isnull', False)), _connector='OR'), name='mentorship_one_mentor', violation_error_message='The mentor is a city or a partner organisation: exactly one of the two.'),
                ),
                migrations.AddConstraint(
                    model_name='mentorship',
                    constraint=models.CheckConstraint(condition=models.Q(('end_date__isnull', True), ('end_date__gte', models.F('start_date')), _connector='OR'), name='mentorship_end_not_before_start', violation_error_message='A mentorship cannot end before it starts.'),
                ),
                migrations.AddConstraint(
                    model_name='mentorship',
                    constraint=models.CheckConstraint(condition=models.Q(('mentor_city', models.F('mentee')), _negated=True), name='mentorship_not_own_mentor', violation_error_message='A city cannot mentor itself.'),
                ),
                migrations.AddConstraint(
                    model_name='mentorship',
                    constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['mentoring', 'tutoring', 'coaching'])), name='mentorship_kind_valid'),
                ),
                migrations.AddConstraint(
                    model_name='mentorship',
                    constraint=models.UniqueConstraint(condition=models.Q(('mentor_city__isnull', False)), fields=('programme', 'mentor_city', 'mentee'), name='mentorship_unique_city_pair', violation_error_message='This pair already exists in the programme.'),
                ),
                migrations.AddConstraint(
                    model_name='mentorship',
                    constraint=models.UniqueConstraint(condition=models.Q(('mentor_partner__isnull', False)), fields=('programme', 'mentor_partner', 'mentee'), name='mentorship_unique_partner_pair', violation_error_message='This pair already exists in the programme.'),
                ),
                migrations.AddConstraint(
                    model_name='mentorshipcontact',
                    constraint=models.CheckConstraint(condition=models.Q(('form__in', ['meeting', 'online', 'phone', 'email', 'visit', 'other'])), name='mentorship_contact_form_valid'),
                ),
            ],
        ),
    ]
