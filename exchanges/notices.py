"""Messages to the people registered for a meeting: change notices, reminders, feedback requests.

Each message's key names its event, so a beat task that runs twice, or a save repeated, never
sends the same notice twice.
"""

import datetime as dt

from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone, translation

from notifications.models import Message
from notifications.services import message_queue

from .calendars import calendar_bytes, meeting_bump_sequence
from .messages import change_kind, change_values, feedback_values, reminder_values, wording_for
from .models import (
    ACTIVE,
    ExchangeMeeting,
    MeetingStatus,
    MessageKind,
    Registration,
    RegistrationStatus,
)

REMINDER_DAYS = (7, 1)


def _registrations(meeting: ExchangeMeeting, statuses) -> QuerySet[Registration]:
    return meeting.registrations.filter(status__in=statuses).select_related("contact")


def meeting_notice_recipients(*, meeting: ExchangeMeeting) -> QuerySet[Registration]:
    """Who a change notice goes to: everyone registered, waiting or awaiting approval."""
    return _registrations(meeting, ACTIVE)


@transaction.atomic
def meeting_record_change(
    *, meeting: ExchangeMeeting, changed_fields, announce: bool = False
) -> int:
    """After a coordinator saved the meeting: a moved time or place, a move online, a
    postponement or a cancellation raises the calendar SEQUENCE and tells everyone registered
    (docs/DESIGN.md rule 5), with the updated calendar file. Any other change (a title, a
    description) tells them only when the coordinator chose to `announce` it (issue 14, item
    7): a correction need not become a message. Returns how many were told."""
    if meeting_bump_sequence(meeting=meeting, changed_fields=changed_fields):
        kind, event = change_kind(meeting), f"meeting-changed:{meeting.pk}:{meeting.sequence}"
    elif announce:
        # No SEQUENCE marks this change: the moment of the announcement names it.
        kind, event = (
            "meeting_updated",
            f"meeting-updated:{meeting.pk}:{timezone.now():%Y%m%d%H%M%S%f}",
        )
    else:
        return 0
    cancelled = meeting.status == MeetingStatus.CANCELLED
    calendar = calendar_bytes(
        [meeting], name=meeting.title, method="CANCEL" if cancelled else "PUBLISH"
    )
    told = 0
    for registration in meeting_notice_recipients(meeting=meeting):
        contact = registration.contact
        language = meeting.programme.language_for(contact.language)
        with translation.override(language):
            values = change_values(meeting)
        message_queue(
            key=f"{event}:{registration.pk}",
            kind=kind,
            meeting=meeting,
            programme=meeting.programme,
            email=contact.email,
            name=contact.full_name,
            language=language,
            values=values,
            calendar=calendar,
        )
        told += 1
    return told


def _without_message(registrations: QuerySet, prefix: str) -> QuerySet:
    key = Concat(Value(prefix), Cast(OuterRef("pk"), CharField()))
    return registrations.annotate(sent=Exists(Message.objects.filter(key=key))).filter(sent=False)


def reminders_send(*, now=None) -> int:
    """Reminders to confirmed registrants 7 days and 1 day before, each at most once.

    A person who registered after the reminder's moment gets no reminder: their confirmation
    was the reminder.
    """
    now = now or timezone.now()
    sent = 0
    for days in REMINDER_DAYS:
        due = Registration.objects.filter(
            status=RegistrationStatus.CONFIRMED,
            meeting__start__gt=now,
            meeting__start__lte=now + dt.timedelta(days=days),
        ).exclude(meeting__status__in=[MeetingStatus.CANCELLED, MeetingStatus.POSTPONED])
        due = _without_message(due, f"reminder-{days}d:")
        for registration in due.select_related("contact", "meeting__host_city", "meeting__theme"):
            meeting = registration.meeting
            if registration.created_at > meeting.start - dt.timedelta(days=days):
                continue
            _remind(registration, days)
            sent += 1
    return sent


def _remind(registration: Registration, days: int) -> None:
    """A reminder, with the meeting's own subject and introduction when it has them."""
    meeting, contact = registration.meeting, registration.contact
    language = meeting.programme.language_for(contact.language)
    wording = wording_for(meeting, MessageKind.REMINDER, language)
    with translation.override(language):
        values = reminder_values(meeting, wording, days)
    message_queue(
        key=f"reminder-{days}d:{registration.pk}",
        kind=f"reminder_{days}d",
        meeting=meeting,
        programme=meeting.programme,
        email=contact.email,
        name=contact.full_name,
        language=language,
        values=values,
        subject=wording.subject if wording else "",
        calendar=calendar_bytes([meeting], name=meeting.title, method="PUBLISH", with_link=True),
    )


def feedback_requests_send(*, now=None) -> int:
    """The day after a meeting: a request for feedback to everyone who attended, once."""
    now = now or timezone.now()
    due = Registration.objects.filter(
        status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.ATTENDED],
        meeting__end__lte=now - dt.timedelta(hours=18),
        meeting__end__gt=now - dt.timedelta(days=3),
    ).exclude(meeting__status__in=[MeetingStatus.CANCELLED, MeetingStatus.POSTPONED])
    sent = 0
    rows = _without_message(due, "feedback:").select_related("contact", "meeting__programme")
    for registration in rows:
        contact, meeting = registration.contact, registration.meeting
        language = meeting.programme.language_for(contact.language)
        with translation.override(language):
            values = feedback_values(meeting)
        message_queue(
            key=f"feedback:{registration.pk}",
            kind="feedback_request",
            meeting=meeting,
            programme=meeting.programme,
            email=contact.email,
            name=contact.full_name,
            language=language,
            values=values,
        )
        sent += 1
    return sent
