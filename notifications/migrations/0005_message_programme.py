import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def programme_from_meeting_or_campaign(apps, schema_editor):
    """The messages written before the field: a meeting's or a campaign's programme; the rest
    (calls, visits) stay the superuser's, as they were."""
    Message = apps.get_model("notifications", "Message")
    ExchangeMeeting = apps.get_model("exchanges", "ExchangeMeeting")
    Campaign = apps.get_model("campaigns", "Campaign")
    Message.objects.filter(meeting__isnull=False).update(
        programme=Subquery(
            ExchangeMeeting.objects.filter(pk=OuterRef("meeting_id")).values("programme_id")[:1]
        )
    )
    Message.objects.filter(campaign__isnull=False).update(
        programme=Subquery(
            Campaign.objects.filter(pk=OuterRef("campaign_id")).values("programme_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("exchanges", "0007_registration_questions_agenda_checkin"),
        ("campaigns", "0002_segment_status_texts"),
        ("notifications", "0004_message_retry_until"),
    ]

    operations = [
        migrations.AddField(
            model_name="message",
            name="programme",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="exchanges.programme",
                verbose_name="programme",
            ),
        ),
        migrations.RunPython(programme_from_meeting_or_campaign, migrations.RunPython.noop),
    ]
