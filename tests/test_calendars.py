import datetime as dt

import pytest
from icalendar import Calendar

from exchanges.calendars import meeting_bump_sequence
from exchanges.models import MeetingFormat, MeetingStatus

from . import factories

pytestmark = pytest.mark.django_db


def read_event(response):
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


def test_a_meeting_calendar_file_has_a_stable_uid_its_time_zone_and_place(client):
    meeting = factories.MeetingFactory(
        title="National exchange 1",
        timezone="Europe/Warsaw",
        start=dt.datetime(2030, 2, 26, 9, 0, tzinfo=dt.UTC),
        venue="Warsaw City Hall",
    )

    calendar, event = read_event(client.get(f"/meetings/{meeting.pk}.ics"))
    _, again = read_event(client.get(f"/meetings/{meeting.pk}.ics"))

    assert str(event["uid"]) == str(again["uid"]) == f"meeting-{meeting.pk}@multiply"
    assert event["dtstart"].params["TZID"] == "Europe/Warsaw"
    assert event.decoded("dtstart").hour == 10  # 09:00 UTC is 10:00 in Warsaw in February
    assert "Warsaw City Hall" in str(event["location"])
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Warsaw"]
    assert str(event["summary"]) == "National exchange 1"


def test_an_online_meeting_says_so_and_never_puts_the_link_in_the_public_file(client):
    meeting = factories.MeetingFactory(
        format=MeetingFormat.ONLINE, online_url="https://meet.example/secret"
    )
    _, event = read_event(client.get(f"/meetings/{meeting.pk}.ics"))
    assert "Online" in str(event["location"])
    assert b"meet.example/secret" not in client.get(f"/meetings/{meeting.pk}.ics").content


def test_the_sequence_rises_when_time_place_or_status_changes_and_only_then(client):
    meeting = factories.MeetingFactory()
    assert meeting_bump_sequence(meeting=meeting, changed_fields=["description"]) is False
    assert meeting_bump_sequence(meeting=meeting, changed_fields=["start"]) is True
    assert meeting_bump_sequence(meeting=meeting, changed_fields=["venue"]) is True
    assert meeting_bump_sequence(meeting=meeting, changed_fields=["status"]) is True

    _, event = read_event(client.get(f"/meetings/{meeting.pk}.ics"))
    assert event["sequence"] == 3


def test_a_cancelled_meeting_is_marked_cancelled(client):
    meeting = factories.MeetingFactory(status=MeetingStatus.CANCELLED)
    _, event = read_event(client.get(f"/meetings/{meeting.pk}.ics"))
    assert str(event["status"]) == "CANCELLED"
