"""Check-in at the door: the coordinator's phone reads a registration's QR code (issue 13, item 6).

Checking in is attending: a checked-in registration is ATTENDED (the database says so, constraint
registration_checked_in_attended), so certificates, the funder's report and the feedback request
count it like attendance marked in the admin. Attendance marked in the admin waits for the
meeting's start (registrations_mark, issue 11 section 5); check-in is the one exception and opens
CHECK_IN_OPENS_BEFORE the start, because the person is standing at the door.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cities.models import City, Contact
from multiply.refusals import Refused
from privacy.notices import notice_current_id

from .models import (
    DID_NOT_TAKE_PLACE,
    SEAT_HOLDING,
    ExchangeMeeting,
    Invitation,
    Registration,
    RegistrationStatus,
    Role,
)
from .registrations import _lock_meeting, contact_memberships, meeting_memberships

CHECK_IN_OPENS_BEFORE = dt.timedelta(hours=1)
# Late arrivals and the last scans of the day: a meeting's end is often optimistic.
CHECK_IN_CLOSES_AFTER = dt.timedelta(hours=4)
# What new_registration_code makes (token_urlsafe): anything else is not ours, unread.
CODE_SHAPE = re.compile(r"[A-Za-z0-9_-]{8,64}")


class CheckInRefused(Refused):
    """A check-in or walk-in the rules do not allow; the message is shown at the door as it is."""


@dataclass(frozen=True)
class CheckIn:
    registration: Registration
    # True when the person had been checked in before: nothing changed.
    already: bool
    checked_in_at: dt.datetime


def _local(meeting: ExchangeMeeting, moment: dt.datetime) -> str:
    return formats.date_format(moment.astimezone(meeting.tz), "DATETIME_FORMAT")


def check_in_refusal(*, meeting: ExchangeMeeting, now=None) -> str | None:
    """Why nobody can be checked in to this meeting now, or None when check-in is open.

    Open from CHECK_IN_OPENS_BEFORE the start until CHECK_IN_CLOSES_AFTER the end, for a meeting
    that takes place (not cancelled, not postponed); times are said in the meeting's zone.
    Attendance is otherwise recorded only once a meeting has started (registrations_mark):
    check-in is the one exception, because the person is standing at the door.
    """
    now = now or timezone.now()
    if meeting.status in DID_NOT_TAKE_PLACE:
        return _("This meeting is %(status)s: nobody can be checked in.") % {
            "status": meeting.get_status_display()
        }
    opens = meeting.start - CHECK_IN_OPENS_BEFORE
    if now < opens:
        return _("Check-in opens on %(date)s, an hour before the meeting starts.") % {
            "date": _local(meeting, opens)
        }
    closes = meeting.end + CHECK_IN_CLOSES_AFTER
    if now > closes:
        return _("Check-in closed on %(date)s.") % {"date": _local(meeting, closes)}
    return None


def registration_check_in(
    *,
    meeting_id: int,
    by,
    code: str | None = None,
    registration_id: int | None = None,
    now=None,
) -> CheckIn:
    """Check a person in to the meeting, found by their QR code or by a coordinator's search.

    A second check-in changes nothing and says when the first one was. The write is one
    conditional UPDATE (only while checked_in_at is empty), as notifications' _claim does: two
    phones scanning the same code at once record one check-in, and the other is told "already".
    Refusals (a forged code, another meeting's, no seat, outside the window) change nothing.
    """
    now = now or timezone.now()
    meeting = ExchangeMeeting.objects.get(pk=meeting_id)
    registration = _find(meeting, code=code, registration_id=registration_id)
    refusal = check_in_refusal(meeting=meeting, now=now)
    if refusal:
        raise CheckInRefused(refusal, "window")
    if registration.checked_in_at is None:
        claimed = (
            Registration.objects.filter(
                pk=registration.pk, checked_in_at__isnull=True, status__in=SEAT_HOLDING
            ).update(
                status=RegistrationStatus.ATTENDED,
                checked_in_at=now,
                checked_in_by=by,
                updated_at=now,
            )
            == 1
        )
        registration.refresh_from_db()
        if claimed:
            return CheckIn(registration=registration, already=False, checked_in_at=now)
    _holds_seat(registration)  # cancelled between the read and the write
    return CheckIn(
        registration=registration, already=True, checked_in_at=registration.checked_in_at
    )


def _find(meeting: ExchangeMeeting, *, code: str | None, registration_id: int | None):
    """The registration the code or id names, if it is one of this meeting's with a seat."""
    rows = Registration.objects.select_related("contact__city", "meeting")
    if registration_id is not None:
        registration = rows.filter(pk=registration_id, meeting=meeting).first()
        if registration is None:
            raise CheckInRefused(_("This person is not registered for this meeting."), "unknown")
    else:
        code = (code or "").strip()
        registration = rows.filter(code=code).first() if CODE_SHAPE.fullmatch(code) else None
    if registration is None:
        raise CheckInRefused(_("This is not a code of this portal."), "unknown")
    if registration.meeting_id != meeting.pk:
        raise CheckInRefused(
            _("This code is for another meeting: %(meeting)s (%(date)s).")
            % {
                "meeting": registration.meeting.title,
                "date": _local(registration.meeting, registration.meeting.start),
            },
            "other_meeting",
        )
    _holds_seat(registration)
    return registration


def _holds_seat(registration: Registration) -> None:
    if registration.status not in SEAT_HOLDING:
        raise CheckInRefused(
            _("%(name)s holds no seat at this meeting: the registration is %(status)s.")
            % {
                "name": registration.contact.full_name,
                "status": registration.get_status_display(),
            },
            "no_seat",
        )


# --- Walk-ins ----------------------------------------------------------------------------------


def walk_in_cities(*, meeting: ExchangeMeeting) -> QuerySet[City]:
    """The cities whose staff may attend the meeting, for the walk-in form's choice: rule 2
    (docs/DESIGN.md) as registrations.contact_memberships reads it for one contact, which
    _may_attend asks again before anyone is registered."""
    memberships = meeting_memberships(meeting=meeting)
    if meeting.engaged_only:
        memberships = memberships.filter(role=Role.ENGAGED)
    return City.objects.filter(pk__in=memberships.values("city_id")).order_by("name")


def _may_attend(meeting: ExchangeMeeting, contact: Contact) -> None:
    roles = set(
        contact_memberships(meeting=meeting, contact=contact).values_list("role", flat=True)
    )
    if not roles or (meeting.engaged_only and Role.ENGAGED not in roles):
        raise CheckInRefused(
            _("%(city)s does not take part in this meeting.") % {"city": contact.city.name},
            "not_allowed",
        )


@transaction.atomic
def walk_in_register(
    *,
    meeting_id: int,
    by,
    contact: Contact | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    city: City | None = None,
    consent: bool,
) -> Registration:
    """Register someone who came without registering, and check them in at once.

    An existing contact, or a new one of a city that may attend (rule 2). Decided under the
    meeting's lock like every seat, but beyond the capacity if need be: they are in the room
    already, and turning them away would not free a seat. Someone who holds a seat is refused
    (check them in instead); a waiting, pending, cancelled or rejected registration of theirs
    becomes the attended one, since a person has one registration per meeting. No e-mail: the
    person is standing in front of the coordinator. Their consent records the version of the
    privacy notice that applies to the meeting's programme now (issue 15, item 1).
    """
    meeting = _lock_meeting(meeting_id)
    refusal = check_in_refusal(meeting=meeting)
    if refusal:
        raise CheckInRefused(refusal, "window")
    if not consent:
        raise CheckInRefused(_("The person must accept the privacy notice first."), "consent")
    contact = contact or _new_contact(
        first_name=first_name, last_name=last_name, email=email, city=city
    )
    _may_attend(meeting, contact)
    registration = meeting.registrations.filter(contact=contact).first()
    if registration and registration.status in SEAT_HOLDING:
        raise CheckInRefused(
            _("%(name)s already holds a seat: check them in instead.")
            % {"name": contact.full_name},
            "duplicate",
        )
    return _attended(meeting, registration or Registration(meeting=meeting, contact=contact), by)


def _new_contact(*, first_name: str, last_name: str, email: str, city: City | None) -> Contact:
    first_name, last_name, email = first_name.strip(), last_name.strip(), email.strip()
    if not (first_name and last_name and email and city):
        raise CheckInRefused(
            _("A new person needs a first name, a last name, an e-mail address and a city."),
            "incomplete",
        )
    existing = Contact.objects.filter(email__iexact=email).select_related("city").first()
    if existing:
        raise CheckInRefused(
            _("%(email)s is the address of %(name)s (%(city)s): search for them instead.")
            % {"email": email, "name": existing.full_name, "city": existing.city.name},
            "exists",
        )
    return Contact.objects.create(
        city=city, first_name=first_name, last_name=last_name, email=email
    )


def _attended(meeting: ExchangeMeeting, registration: Registration, by) -> Registration:
    now = timezone.now()
    registration.status = RegistrationStatus.ATTENDED
    registration.waiting_number = None
    registration.offer_expires_at = None
    registration.cancelled_at = None
    registration.privacy_consent_at = now
    registration.privacy_notice_id = notice_current_id(programme=meeting.programme)
    registration.registered_by = by
    registration.checked_in_at = now
    registration.checked_in_by = by
    registration.save()
    Invitation.objects.filter(
        meeting=meeting, contact=registration.contact, registered_at__isnull=True
    ).update(registered_at=now)
    return registration


# --- What the check-in page reads ------------------------------------------------------------


def check_in_counts(*, meeting: ExchangeMeeting) -> dict:
    """How many of the people holding a seat have been checked in, in one query."""
    return meeting.registrations.aggregate(
        expected=Count("pk", filter=Q(status__in=SEAT_HOLDING)),
        checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
    )


def contacts_matching(rows: QuerySet, query: str, *, prefix: str = "") -> QuerySet:
    """The rows whose contact's name, e-mail or city contains every word of the query (the
    first five): the check-in, walk-in and on-behalf searches."""
    for word in query.split()[:5]:
        rows = rows.filter(
            Q(**{f"{prefix}first_name__icontains": word})
            | Q(**{f"{prefix}last_name__icontains": word})
            | Q(**{f"{prefix}email__icontains": word})
            | Q(**{f"{prefix}city__name__icontains": word})
        )
    return rows


def check_in_search(*, meeting: ExchangeMeeting, query: str = "") -> QuerySet[Registration]:
    """The people holding a seat whose name, city or e-mail contains every word of the query
    (everyone when it is empty), by name."""
    rows = meeting.registrations.filter(status__in=SEAT_HOLDING).select_related("contact__city")
    return contacts_matching(rows, query, prefix="contact__").order_by(
        "contact__last_name", "contact__first_name", "pk"
    )


def check_ins_latest(*, meeting: ExchangeMeeting, count: int = 5) -> list[Registration]:
    rows = meeting.registrations.filter(checked_in_at__isnull=False).select_related("contact__city")
    return list(rows.order_by("-checked_in_at", "-pk")[:count])


def walk_in_candidates(*, meeting: ExchangeMeeting, contacts: QuerySet[Contact], query: str):
    """Contacts of the cities that may attend, matching the query, who hold no seat yet."""
    seated = meeting.registrations.filter(status__in=SEAT_HOLDING).values("contact_id")
    rows = contacts.filter(city__in=walk_in_cities(meeting=meeting)).exclude(pk__in=seated)
    return (
        contacts_matching(rows, query)
        .select_related("city")
        .order_by("last_name", "first_name", "pk")
    )
