"""Sections for what people did in the current cycle: invitations sent and opened, registrations.

The demo writes the state a cycle is in, not its history: an invitation is made by the real
service (`invitations_send`, rules 2 and 3, so the recipients are those a coordinator would get),
then its outbox row is recorded as sent at the entry's time instead of being sent again to
invented addresses. A registration is written once with the status the file gives; later loads
leave what people did with it alone (a seat cancelled or an offer accepted while trying the
demo), except that a pending offer's expiry moves with the cycle's days.
"""

import datetime as dt

from django.utils import timezone

from cities.models import Contact
from exchanges.invitations import invitation_recipients, invitations_send
from exchanges.models import (
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
# offer went to the person who was first in line.
STATUSES = ["attended", "confirmed", "offered", "waiting", "cancelled"]
WAITED = {"offered", "waiting"}  # their places in line are numbered


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
    from the meeting's network, and the seats held fit the capacity.
    """
    meeting = _meeting(values)
    now = timezone.now()
    for status in STATUSES:
        for contact in _contacts(values.get(status, [])):
            _check_member(meeting, contact)
            _registration_load(meeting, contact, status, values, now)
    _check_capacity(meeting)
    Invitation.objects.filter(
        meeting=meeting,
        registered_at=None,
        contact__registrations__meeting=meeting,
    ).update(registered_at=now)


def _registration_load(meeting, contact, status: str, values: dict, now) -> None:
    expires = None
    if status == "offered":
        if "offer_expires" not in values:
            raise ValueError("offer_expires: needed by an entry with offers")
        expires = aware(values["offer_expires"], meeting.timezone)
    registration, created = Registration.objects.get_or_create(
        meeting=meeting,
        contact=contact,
        defaults={
            "status": status,
            "waiting_number": next_waiting_number(meeting) if status in WAITED else None,
            "offer_expires_at": expires,
            "privacy_consent_at": now,
            "listed_consent_at": now,
            "cancelled_at": now if status == "cancelled" else None,
        },
    )
    if not created and registration.status == RegistrationStatus.OFFERED and expires:
        registration.offer_expires_at = expires
        registration.save(update_fields=["offer_expires_at", "updated_at"])


def _check_member(meeting: ExchangeMeeting, contact: Contact) -> None:
    if not contact_memberships(meeting=meeting, contact=contact).exists():
        raise ValueError(f"{contact.email}: {contact.city} does not take part in this meeting")


def _check_capacity(meeting: ExchangeMeeting) -> None:
    held = meeting.registrations.filter(status__in=SEAT_HOLDING).count()
    if meeting.capacity is not None and held > meeting.capacity:
        raise ValueError(f"{held} seats held for a capacity of {meeting.capacity}")


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
