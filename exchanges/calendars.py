"""iCalendar files for meetings (RFC 5545), built with the icalendar library."""

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db.models import F
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import ExchangeMeeting, MeetingFormat, MeetingStatus

PRODID = "-//Multiply//Peer-learning portal//EN"

# A change to any of these moves the event in people's calendars: SEQUENCE must go up.
SCHEDULE_FIELDS = {"start", "end", "timezone", "venue", "address", "format", "status", "host_city"}


def meeting_uid(meeting: ExchangeMeeting) -> str:
    """Stable for the meeting's whole life, so calendar programs update rather than duplicate."""
    return f"meeting-{meeting.pk}@multiply"


def meeting_bump_sequence(*, meeting: ExchangeMeeting, changed_fields: Iterable[str]) -> bool:
    """Raise the meeting's calendar SEQUENCE when its time, place or status changed."""
    if not SCHEDULE_FIELDS.intersection(changed_fields):
        return False
    ExchangeMeeting.objects.filter(pk=meeting.pk).update(sequence=F("sequence") + 1)
    meeting.refresh_from_db(fields=["sequence"])
    return True


def _location(meeting: ExchangeMeeting) -> str:
    if meeting.format == MeetingFormat.ONLINE or meeting.status == MeetingStatus.MOVED_ONLINE:
        return _("Online; the link is sent to registered participants")
    parts = [meeting.venue, meeting.address]
    if meeting.host_city:
        parts.append(meeting.host_city.name)
    return ", ".join(part for part in parts if part)


def meeting_event(meeting: ExchangeMeeting, *, with_link: bool = False) -> Event:
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", meeting.updated_at.astimezone(dt.UTC))
    event.add("last-modified", meeting.updated_at.astimezone(dt.UTC))
    event.add("sequence", meeting.sequence)
    event.add("dtstart", meeting.start.astimezone(meeting.tz))
    event.add("dtend", meeting.end.astimezone(meeting.tz))
    event.add("summary", meeting.title)
    description = meeting.description
    if with_link and meeting.online_url:
        description = f"{description}\n\n{meeting.online_url}".strip()
    if description:
        event.add("description", description)
    location = _location(meeting)
    if location:
        event.add("location", location)
    event.add("url", f"{settings.SITE_URL}{meeting.get_absolute_url()}")
    event.add("status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED")
    return event


def calendar_bytes(
    meetings: Iterable[ExchangeMeeting], *, name: str, with_link=False, method: str = ""
) -> bytes:
    """A calendar of these meetings; e-mailed ones carry METHOD (PUBLISH, or CANCEL)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    calendar.add("x-wr-calname", name)
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, with_link=with_link))
    calendar.add_missing_timezones()
    return calendar.to_ical()
