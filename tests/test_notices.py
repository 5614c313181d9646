"""Change notices, reminders and feedback requests to registered people: each sent once."""

import datetime as dt

import pytest
from django.utils import timezone
from icalendar import Calendar

from exchanges import registrations
from exchanges.models import MeetingStatus, Registration, Role
from exchanges.notices import feedback_requests_send, meeting_record_change, reminders_send
from notifications.models import Message

from . import factories

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
    messages = Message.objects.filter(kind="meeting_changed")
    assert messages.count() == 2
    calendar = calendar_of(messages.first())
    assert str(calendar["method"]) == "CANCEL"
    event = calendar.walk("VEVENT")[0]
    assert str(event["status"]) == "CANCELLED" and event["sequence"] == 1
    assert "Cancelled:" in messages.first().subject


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


def test_moving_online_says_so_in_the_recipients_language():
    meeting = factories.MeetingFactory(title_en="Exchange", title_pl="Spotkanie wymiany")
    registered(meeting, language="pl")
    meeting.status = MeetingStatus.MOVED_ONLINE
    meeting.save()
    meeting_record_change(meeting=meeting, changed_fields=["status"])
    message = Message.objects.get()
    assert message.language == "pl"
    assert "Spotkanie wymiany" in message.subject


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
