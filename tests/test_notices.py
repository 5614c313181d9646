"""Change notices, reminders and feedback requests to registered people: each sent once."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from exchanges import registrations
from exchanges.models import MeetingStatus, Registration, Role
from exchanges.notices import feedback_requests_send, meeting_record_change, reminders_send
from notifications.models import Message

from . import factories
from .test_admin import meeting_form

pytestmark = pytest.mark.django_db


def registered(meeting, count=1, **contact):
    membership = factories.MembershipFactory(network=meeting.network, role=Role.ENGAGED)
    rows = []
    for _ in range(count):
        contact_row = factories.ContactFactory(city=membership.city, **contact)
        rows.append(
            registrations.registration_create(
                meeting_id=meeting.pk, contact=contact_row, privacy_consent=True
            )
        )
    Message.objects.all().delete()  # the confirmations are not what these tests are about
    return rows


def calendar_of(message):
    return Calendar.from_ical(message.calendar)


def test_cancelling_tells_everyone_registered_with_a_cancelling_calendar_file():
    meeting = factories.MeetingFactory(capacity=1)
    registered(meeting, count=2)  # one confirmed, one waiting: both are told
    meeting.status = MeetingStatus.CANCELLED
    meeting.save()

    told = meeting_record_change(meeting=meeting, changed_fields=["status"])

    assert told == 2
    messages = Message.objects.filter(kind="meeting_cancelled")
    assert messages.count() == 2
    calendar = calendar_of(messages.first())
    assert str(calendar["method"]) == "CANCEL"
    event = calendar.walk("VEVENT")[0]
    assert str(event["status"]) == "CANCELLED" and event["sequence"] == 1
    assert "Cancelled:" in messages.first().subject
    assert "has been cancelled" in messages.first().body_text


def test_a_new_time_raises_the_sequence_and_notifies_once_per_change():
    meeting = factories.MeetingFactory()
    registered(meeting)
    meeting.start += dt.timedelta(days=1)
    meeting.end += dt.timedelta(days=1)
    meeting.save()

    meeting_record_change(meeting=meeting, changed_fields=["start", "end"])
    meeting_record_change(meeting=meeting, changed_fields=["venue"])

    sequences = [calendar_of(m).walk("VEVENT")[0]["sequence"] for m in Message.objects.all()]
    assert sorted(sequences) == [1, 2]


def test_a_change_that_moves_nothing_tells_nobody():
    meeting = factories.MeetingFactory()
    registered(meeting)
    assert meeting_record_change(meeting=meeting, changed_fields=["description"]) == 0
    assert not Message.objects.exists()


def test_a_correction_announced_by_the_coordinator_tells_everyone_with_the_new_details():
    meeting = factories.MeetingFactory(title_en="Exchange")
    registered(meeting, count=2)
    meeting.description = "Bring your energy plan."
    meeting.save()

    told = meeting_record_change(meeting=meeting, changed_fields=["description"], announce=True)

    assert told == 2
    message = Message.objects.filter(kind="meeting_updated").first()
    assert message.subject == "Updated: Exchange"
    assert "Bring your energy plan." in message.body_text
    meeting.refresh_from_db()
    assert meeting.sequence == 0  # nothing moved in anyone's calendar


def test_moving_online_says_so_in_the_recipients_language():
    meeting = factories.MeetingFactory(title_en="Exchange", title_pl="Spotkanie wymiany")
    registered(meeting, language="pl")
    meeting.status = MeetingStatus.MOVED_ONLINE
    meeting.save()
    meeting_record_change(meeting=meeting, changed_fields=["status"])
    message = Message.objects.get()
    assert (message.kind, message.language) == ("meeting_moved_online", "pl")
    assert "Spotkanie wymiany" in message.subject
    assert f"/meetings/{meeting.pk}" in message.body_text


def test_reminders_go_7_days_and_1_day_before_each_once():
    now = timezone.now()
    meeting = factories.MeetingFactory(start=now + dt.timedelta(days=10))
    rows = registered(meeting, count=2)
    Registration.objects.filter(pk__in=[r.pk for r in rows]).update(
        created_at=now - dt.timedelta(days=30)
    )

    assert reminders_send(now=now) == 0  # ten days ahead: nothing yet
    week_before = meeting.start - dt.timedelta(days=6, hours=23)
    assert reminders_send(now=week_before) == 2
    assert reminders_send(now=week_before + dt.timedelta(hours=1)) == 0
    day_before = meeting.start - dt.timedelta(hours=20)
    assert reminders_send(now=day_before) == 2
    assert reminders_send(now=day_before) == 0
    kinds = sorted(Message.objects.values_list("kind", flat=True))
    assert kinds == ["reminder_1d", "reminder_1d", "reminder_7d", "reminder_7d"]


def test_a_reminder_carries_the_meetings_own_subject_and_introduction():
    now = timezone.now()
    meeting = factories.MeetingFactory(start=now + dt.timedelta(days=10), online_url="")
    [row] = registered(meeting, language="pl")
    Registration.objects.filter(pk=row.pk).update(created_at=now - dt.timedelta(days=30))
    factories.MeetingWordingFactory(
        meeting=meeting,
        kind="reminder",
        language="pl",
        subject="Do zobaczenia w Płocku",
        introduction="Autobus odjeżdża o 8:00.",
    )

    reminders_send(now=meeting.start - dt.timedelta(days=6, hours=23))

    message = Message.objects.get()
    assert (message.kind, message.language) == ("reminder_7d", "pl")
    assert message.subject == "Do zobaczenia w Płocku"
    assert "Autobus odjeżdża o 8:00." in message.body_text
    assert "Autobus odjeżdża o 8:00." in message.body_html


def test_no_week_reminder_for_someone_who_registered_within_the_week():
    now = timezone.now()
    meeting = factories.MeetingFactory(start=now + dt.timedelta(days=5))
    registered(meeting)
    assert reminders_send(now=now) == 0


def test_the_day_after_the_meeting_attendees_are_asked_for_feedback_once():
    now = timezone.now()
    meeting = factories.MeetingFactory(start=now + dt.timedelta(days=2))
    registered(meeting, count=3)
    after = meeting.end + dt.timedelta(days=1)

    assert feedback_requests_send(now=meeting.end) == 0
    assert feedback_requests_send(now=after) == 3
    assert feedback_requests_send(now=after) == 0


def test_a_cancelled_meeting_gets_no_reminders_or_feedback_requests():
    now = timezone.now()
    meeting = factories.MeetingFactory(start=now + dt.timedelta(days=2))
    registered(meeting)
    meeting.status = MeetingStatus.CANCELLED
    meeting.save()
    assert reminders_send(now=meeting.start - dt.timedelta(hours=2)) == 0
    assert feedback_requests_send(now=meeting.end + dt.timedelta(days=1)) == 0


# --- The meeting's change form: who is told, and a correction told only when chosen ----------


def change_url(meeting):
    return reverse("admin:exchanges_exchangemeeting_change", args=[meeting.pk])


@pytest.fixture
def saved_in_the_admin(admin_client):
    """A meeting as the admin's form last saved it, then two people registered."""
    meeting = factories.MeetingFactory(number=1)
    assert admin_client.post(change_url(meeting), meeting_form(meeting.network)).status_code == 302
    registered(meeting, count=2)
    return meeting


def test_the_change_form_says_who_will_be_told(admin_client, saved_in_the_admin):
    response = admin_client.get(change_url(saved_in_the_admin))
    assert "2 registered people will be told of a change of time, place, format or status." in (
        response.text
    )
    assert "Tell the registered people about this change" in response.text

    nobody = factories.MeetingFactory()
    response = admin_client.get(change_url(nobody))
    assert "Nobody is registered for this meeting: a change tells nobody." in response.text


def test_a_corrected_description_is_saved_without_a_notice(admin_client, saved_in_the_admin):
    meeting = saved_in_the_admin
    response = admin_client.post(
        change_url(meeting),
        meeting_form(meeting.network, description_en="Bring your energy plan."),
        follow=True,
    )

    meeting.refresh_from_db()
    assert meeting.description == "Bring your energy plan."
    assert "being told" not in response.text
    assert not Message.objects.exists()


def test_a_correction_the_coordinator_chooses_to_tell_goes_to_everyone(
    admin_client, saved_in_the_admin
):
    meeting = saved_in_the_admin
    response = admin_client.post(
        change_url(meeting),
        meeting_form(
            meeting.network, description_en="Bring your energy plan.", announce_change="on"
        ),
        follow=True,
    )

    assert "2 registered people are being told of the change." in response.text
    messages = Message.objects.filter(kind="meeting_updated")
    assert messages.count() == 2
    assert {m.subject for m in messages} == {"Updated: National exchange 1"}
    assert all("Bring your energy plan." in m.body_text for m in messages)


def test_a_new_time_is_told_whether_or_not_the_box_is_ticked(admin_client, saved_in_the_admin):
    meeting = saved_in_the_admin
    admin_client.post(change_url(meeting), meeting_form(meeting.network, start_1="11:00:00"))

    assert Message.objects.filter(kind="meeting_changed").count() == 2
    assert not Message.objects.filter(kind="meeting_updated").exists()
