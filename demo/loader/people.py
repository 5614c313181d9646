"""Sections for what people did in the current cycle: invitations sent and opened, registrations.

The demo writes the state a cycle is in, not its history: an invitation is made by the real
service (`invitations_send`, rules 2 and 3, so the recipients are those a coordinator would get),
then its outbox row is recorded as sent at the entry's time instead of being sent again to
invented addresses. A registration is written once with the status the file gives; later loads
leave what people did with it alone (a seat cancelled or an offer accepted while trying the
demo, a registration approved), except that the times of a pending offer's expiry and of a
check-in move with the cycle's days.

Issue 13: ``pending`` registrations await a coordinator's approval (those the file places at a
meeting that requires approval were approved when they registered), and ``checked_in`` people
attended and were checked in at the door a quarter of an hour before the start (or when the demo
was loaded, if that is earlier: a check-in is never in the future).
"""

import datetime as dt

from django.db.models import Count
from django.utils import timezone

from cities.models import Contact
from exchanges.invitations import invitation_recipients, invitations_send
from exchanges.models import (
    ACTIVE,
    SEAT_HOLDING,
    ExchangeMeeting,
    Invitation,
    Programme,
    Registration,
    RegistrationStatus,
)
from exchanges.registrations import contact_memberships, next_waiting_number
from notifications.models import Message

from .fields import aware
from .files import Section, Shape

# The order in which a file's lists are written: offers before the waiting list, since an
# offer went to the person who was first in line. "checked_in" is not a status but attendance
# recorded at the door (the status attended, and the time of the check-in).
CHECKED_IN = "checked_in"
STATUSES = [CHECKED_IN, "attended", "confirmed", "offered", "waiting", "pending", "cancelled"]
WAITED = {"offered", "waiting"}  # their places in line are numbered
CHECKED_IN_BEFORE_START = dt.timedelta(minutes=15)


def _meeting(values: dict) -> ExchangeMeeting:
    """The meeting an entry names by its English title in its programme."""
    programme = Programme.objects.get(slug=values["programme"])
    return ExchangeMeeting.objects.get(programme=programme, title_en=values["meeting"])


def _contacts(emails: list[str]) -> list[Contact]:
    found = {contact.email: contact for contact in Contact.objects.filter(email__in=emails)}
    missing = [email for email in emails if email not in found]
    if missing:
        raise ValueError(f"no contact with the e-mail {missing[0]!r}")
    return [found[email] for email in emails]


def invitations_load(values: dict) -> None:
    """Everyone rules 2 and 3 invite to the meeting is invited, at ``sent``; the people in
    ``opened`` followed their link the next day, those in ``declined`` declined."""
    meeting = _meeting(values)
    sent = aware(values["sent"], meeting.timezone)
    recipients = invitation_recipients(meeting=meeting)
    invitations_send(
        meeting_id=meeting.pk, contact_ids=list(recipients.values_list("pk", flat=True))
    )
    invitations = Invitation.objects.filter(meeting=meeting)
    invitations.update(created_at=sent)
    # Only the rows just written are still queued: they are history, not mail to send.
    Message.objects.filter(meeting=meeting, kind="invitation", status=Message.Status.QUEUED).update(
        status=Message.Status.SENT, created_at=sent, sent_at=sent, claimed_at=sent
    )
    _mark(invitations, values.get("opened", []), "opened_at", sent + dt.timedelta(days=1))
    _mark(invitations, values.get("declined", []), "declined_at", sent + dt.timedelta(days=2))


def _mark(invitations, emails: list[str], field: str, when: dt.datetime) -> None:
    contacts = _contacts(emails)
    invited = set(invitations.filter(contact__in=contacts).values_list("contact_id", flat=True))
    for contact in contacts:
        if contact.pk not in invited:
            raise ValueError(f"{contact.email} was not invited to this meeting")
    invitations.filter(contact__in=contacts).update(**{field: when})


def registrations_load(values: dict) -> None:
    """The meeting's registrations by status, each list in the order people registered.

    The file must describe a state the registration service could have reached: the people are
    from the meeting's network, the seats held fit the capacity and each city's people its quota.
    """
    meeting = _meeting(values)
    now = timezone.now()
    for status in STATUSES:
        for contact in _contacts(values.get(status, [])):
            _check_member(meeting, contact)
            _registration_load(meeting, contact, status, values, now)
    _check_capacity(meeting)
    _check_quota(meeting)
    Invitation.objects.filter(
        meeting=meeting,
        registered_at=None,
        contact__registrations__meeting=meeting,
    ).update(registered_at=now)


def _registration_load(meeting, contact, listed: str, values: dict, now) -> None:
    """``listed``: the list of the entry that names the contact (a status, or checked_in)."""
    status = RegistrationStatus.ATTENDED if listed == CHECKED_IN else listed
    times = _times(meeting, listed, values, now)
    registration, created = Registration.objects.get_or_create(
        meeting=meeting,
        contact=contact,
        defaults={
            "status": status,
            "waiting_number": next_waiting_number(meeting) if status in WAITED else None,
            "privacy_consent_at": now,
            "listed_consent_at": now,
            "cancelled_at": now if status == "cancelled" else None,
            "decided_at": now if meeting.requires_approval and status != "pending" else None,
            **times,
        },
    )
    if not created:
        _move_with_cycle(registration, times)


def _times(meeting: ExchangeMeeting, listed: str, values: dict, now) -> dict:
    """The times that follow the cycle's days: an offer's expiry, a check-in's time."""
    if listed == "offered":
        if "offer_expires" not in values:
            raise ValueError("offer_expires: needed by an entry with offers")
        return {"offer_expires_at": aware(values["offer_expires"], meeting.timezone)}
    if listed == CHECKED_IN:
        return {"checked_in_at": min(now, meeting.start - CHECKED_IN_BEFORE_START)}
    return {}


def _move_with_cycle(registration: Registration, times: dict) -> None:
    """A registration loaded before keeps what people did with it: only a pending offer's
    expiry and a check-in not undone since move to the cycle's new days."""
    still = {
        "offer_expires_at": registration.status == RegistrationStatus.OFFERED,
        "checked_in_at": registration.checked_in_at is not None,
    }
    moved = {field: value for field, value in times.items() if still[field]}
    for field, value in moved.items():
        setattr(registration, field, value)
    if moved:
        registration.save(update_fields=[*moved, "updated_at"])


def _check_member(meeting: ExchangeMeeting, contact: Contact) -> None:
    if not contact_memberships(meeting=meeting, contact=contact).exists():
        raise ValueError(f"{contact.email}: {contact.city} does not take part in this meeting")


def _check_capacity(meeting: ExchangeMeeting) -> None:
    held = meeting.registrations.filter(status__in=SEAT_HOLDING).count()
    if meeting.capacity is not None and held > meeting.capacity:
        raise ValueError(f"{held} seats held for a capacity of {meeting.capacity}")


def _check_quota(meeting: ExchangeMeeting) -> None:
    """No city has more people registered than the meeting's quota allows (counted as the
    registration service counts it: everyone active, pending and waiting included)."""
    if meeting.city_quota is None:
        return
    largest = (
        meeting.registrations.filter(status__in=ACTIVE)
        .values("contact__city__name")
        .annotate(people=Count("pk"))
        .order_by("-people", "contact__city__name")
        .first()
    )
    if largest and largest["people"] > meeting.city_quota:
        raise ValueError(
            f"{largest['contact__city__name']}: {largest['people']} people registered for a "
            f"quota of {meeting.city_quota} per city"
        )


SECTIONS = {
    "invitations": Section(
        Shape(required="programme meeting sent", optional="opened declined", datetimes="sent"),
        invitations_load,
    ),
    "registrations": Section(
        Shape(
            required="programme meeting",
            optional=" ".join(STATUSES),
            datetimes="offer_expires",
        ),
        registrations_load,
    ),
}
