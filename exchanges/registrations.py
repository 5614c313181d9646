"""Registration for meetings: who may register, and who gets a seat.

Seats are decided as pretix decides quotas (docs/DESIGN.md, "Capacity"): lock the meeting row,
count, then write, all in one transaction. Never count and insert without the lock. A city's
quota (ExchangeMeeting.city_quota) is counted under the same lock, and so is approval: a
registration waiting for approval holds no seat, and approving it places it like a new one.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cities.models import Contact
from multiply.refusals import Refused
from notifications.limits import mail_allowance_check
from notifications.services import message_queue
from privacy.notices import notice_current_id

from .messages import registration_kind, registration_values
from .models import (
    ACTIVE,
    SEAT_HOLDING,
    ExchangeMeeting,
    Invitation,
    MeetingKind,
    MeetingStatus,
    Membership,
    QuestionPurpose,
    Registration,
    RegistrationStatus,
    Role,
)
from .questions import AnswerRefused, answers_check, answers_save, meeting_questions
from .selectors import taken_place

CANCELLABLE = [
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITING,
    RegistrationStatus.OFFERED,
    RegistrationStatus.PENDING,
]

# How long a registration waits for the meeting's lock before giving up (PostgreSQL).
LOCK_TIMEOUT = "10s"


class RegistrationRefused(Refused):
    """A registration the rules do not allow; the message is shown to the person as it is."""


def registration_refusal(*, meeting: ExchangeMeeting, contact: Contact | None) -> str | None:
    """Why this contact may not register for this meeting, or None when they may.

    docs/DESIGN.md rule 2: the cities of the meeting's network take part (only the engaged ones when
    the meeting is limited to them); every city of the programme for its international
    conference and for meetings of the whole programme.
    """
    if contact is None:
        return _("Your account is not linked to a city yet. A coordinator will link it.")
    closed = registration_closed_reason(meeting=meeting)
    if closed:
        return closed
    roles = set(
        contact_memberships(meeting=meeting, contact=contact).values_list("role", flat=True)
    )
    if not roles:
        return _("%(city)s does not take part in this meeting's network.") % {
            "city": contact.city.name
        }
    if meeting.engaged_only and Role.ENGAGED not in roles:
        return _("This meeting is for the network's engaged cities only.")
    return None


def meeting_memberships(*, meeting: ExchangeMeeting):
    """The memberships through which cities take part in the meeting (rule 2): its network's,
    or every network's of the programme for its conference and whole-programme meetings."""
    if meeting.kind == MeetingKind.INTERNATIONAL_CONFERENCE or meeting.network_id is None:
        return Membership.objects.filter(network__programme_id=meeting.programme_id)
    return Membership.objects.filter(network_id=meeting.network_id)


def contact_memberships(*, meeting: ExchangeMeeting, contact: Contact):
    """The memberships through which the contact's city takes part in the meeting (rule 2)."""
    return meeting_memberships(meeting=meeting).filter(city_id=contact.city_id)


def registration_closed_reason(*, meeting: ExchangeMeeting, now=None) -> str | None:
    """Registration opens when the coordinator said (at once if they said nothing), closes at the
    deadline (or the start), and is closed for cancelled or held meetings."""
    now = now or timezone.now()
    if meeting.status == MeetingStatus.CANCELLED:
        return _("This meeting has been cancelled.")
    if meeting.status == MeetingStatus.HELD or meeting.end < now:
        return _("This meeting has already taken place.")
    if meeting.registration_opens and now < meeting.registration_opens:
        return _("Registration opens on %(date)s.") % {
            "date": formats.date_format(
                meeting.registration_opens.astimezone(meeting.tz), "DATETIME_FORMAT"
            )
        }
    deadline = meeting.registration_deadline or meeting.start
    if now > deadline:
        return _("Registration closed on %(date)s.") % {
            "date": formats.date_format(deadline.astimezone(meeting.tz), "DATETIME_FORMAT")
        }
    return None


def _lock_meeting(meeting_id: int) -> ExchangeMeeting:
    """Take the meeting's row lock for the rest of the transaction: seats are decided under it."""
    return _locking().get(pk=meeting_id)


def _locking() -> QuerySet[ExchangeMeeting]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
    return ExchangeMeeting.objects.select_for_update()


# What a registration's decision reads of its meeting: read again under the lock, the rest of
# the row (its texts in every language, what its message names) once before it.
DECIDING_FIELDS = [
    "status",
    "start",
    "end",
    "registration_opens",
    "registration_deadline",
    "capacity",
    "city_quota",
    "waiting_list_enabled",
    "requires_approval",
]


@dataclass(frozen=True)
class Tally:
    """A meeting's registrations as its seats are decided: counted in one query, under its
    lock. `from_city` and `own_id` only when counted for a contact."""

    seats_taken: int
    waiting: int
    last_waiting_number: int | None
    from_city: int = 0  # the contact's city's active registrations (its quota)
    own_id: int | None = None  # the contact's own registration, whatever its status

    def free_seats(self, meeting: ExchangeMeeting) -> int | None:
        if meeting.capacity is None:
            return None
        return max(meeting.capacity - self.seats_taken, 0)

    @property
    def next_waiting_number(self) -> int:
        return (self.last_waiting_number or 0) + 1


def _tally(meeting: ExchangeMeeting, *, contact: Contact | None = None) -> Tally:
    counts = {
        "seats_taken": Count("pk", filter=Q(status__in=SEAT_HOLDING)),
        "waiting": Count("pk", filter=Q(status=RegistrationStatus.WAITING)),
        "last_waiting_number": Max("waiting_number"),
    }
    if contact is not None:
        city = Q(status__in=ACTIVE, contact__city_id=contact.city_id)
        counts["from_city"] = Count("pk", filter=city)
        counts["own_id"] = Max("pk", filter=Q(contact_id=contact.pk))
    return Tally(**Registration.objects.filter(meeting=meeting).aggregate(**counts))


def _free_seats(meeting: ExchangeMeeting) -> int | None:
    return _tally(meeting).free_seats(meeting)


def next_waiting_number(meeting: ExchangeMeeting) -> int:
    return _tally(meeting).next_waiting_number


@transaction.atomic
def registration_create(
    *,
    meeting_id: int,
    contact: Contact,
    privacy_consent: bool,
    listed: bool = False,
    note: str = "",
    answers: dict | None = None,
    questions: list | None = None,
    by=None,
    requested_by=None,
) -> Registration:
    """Register a contact: a seat if one is free and nobody waits, else the waiting list; or,
    when the meeting requires approval, a pending registration that holds no seat yet.

    `answers` are {question id: value} for the meeting's registration questions, checked here
    whatever form they came from (`questions`: those questions, when the caller has read them
    for its form). `by` is the coordinator registering someone on their behalf (a phone call,
    an e-mail): the same rules and messages, except that a coordinator's registration needs no
    approval, since they are the ones who approve. `requested_by` is the account whose own
    form this is: its message counts towards that account's e-mail limit. The consent records
    the version of the privacy notice that applies to the meeting's programme now (issue 15,
    item 1). Refusals raise RegistrationRefused (or MailLimitReached) and write nothing.

    Whatever does not depend on the seats is read, checked and written before the meeting's
    lock: under it only the count, the decision and its rows, so that the next person waits
    for a few queries (issue 18).
    """
    meeting = ExchangeMeeting.objects.select_related("programme", "host_city", "theme")
    meeting = meeting.get(pk=meeting_id)
    checked = _answers(meeting, answers or {}, questions)
    refusal = registration_refusal(meeting=meeting, contact=contact)
    if refusal:
        raise RegistrationRefused(refusal, "not_allowed")
    if not privacy_consent:
        raise RegistrationRefused(_("Please accept the privacy notice to register."), "consent")
    notice_id = notice_current_id(programme=meeting.programme)
    has_agenda = meeting.sessions.exists()
    _allowance_check(requested_by)
    now = timezone.now()
    Invitation.objects.filter(meeting=meeting, contact=contact, registered_at__isnull=True).update(
        registered_at=now
    )

    meeting.refresh_from_db(from_queryset=_locking(), fields=DECIDING_FIELDS)
    # Read again under the lock: the meeting may have been cancelled, closed or filled meanwhile.
    closed = registration_closed_reason(meeting=meeting, now=now)
    if closed:
        raise RegistrationRefused(closed, "not_allowed")
    tally = _tally(meeting, contact=contact)
    existing = Registration.objects.get(pk=tally.own_id) if tally.own_id else None
    _refuse_existing(existing, by=by)
    _refuse_over_quota(meeting, contact, tally)
    registration = existing or Registration(meeting=meeting, contact=contact)
    registration.meeting = meeting  # the row read above, with what its message names
    if meeting.requires_approval and by is None:
        registration.status, registration.waiting_number = RegistrationStatus.PENDING, None
    else:
        _place(meeting, registration, tally)
        registration.decided_at = now if meeting.requires_approval else None
        registration.decided_by = by if meeting.requires_approval else None
    registration.note = note.strip()
    registration.privacy_consent_at = now
    registration.privacy_notice_id = notice_id
    registration.listed_consent_at = now if listed else None
    registration.cancelled_at = None
    registration.offer_expires_at = None
    registration.registered_by = by
    registration.save()
    answers_save(owner=registration, answers=checked, replace=existing is not None)
    _notify(
        registration,
        registration.status,
        requested_by=requested_by,
        allowance_checked=True,
        has_agenda=has_agenda,
    )
    return registration


def _allowance_check(requested_by) -> None:
    """The e-mail limit of the account whose own form this is (notifications.limits), before
    the meeting's lock: its count is not what the lock decides, and taking the account's row
    lock first in every such path means two requests of one person never wait for each other
    in opposite orders."""
    if requested_by is not None:
        mail_allowance_check(requested_by)


def _refuse_existing(registration: Registration | None, *, by) -> None:
    """One registration per person and meeting; a rejected person cannot simply register again
    (a coordinator can, on their behalf)."""
    if registration is None:
        return
    if registration.status in ACTIVE:
        raise RegistrationRefused(
            _("You are already registered (%(status)s).")
            % {"status": registration.get_status_display()},
            "duplicate",
        )
    if registration.status == RegistrationStatus.REJECTED and by is None:
        raise RegistrationRefused(
            _(
                "Your registration for this meeting was not accepted. Please contact its "
                "organisers."
            ),
            "rejected",
        )


def _answers(meeting: ExchangeMeeting, values: dict, questions: list | None = None) -> list:
    if questions is None:
        questions = meeting_questions(meeting=meeting, purpose=QuestionPurpose.REGISTRATION)
    try:
        return answers_check(questions, values)
    except AnswerRefused as refusal:
        raise RegistrationRefused(str(refusal), "answers") from None


def _refuse_over_quota(meeting: ExchangeMeeting, contact: Contact, tally: Tally) -> None:
    """At most city_quota people per city, pending and waiting ones included: a city's
    delegation is whoever it has put forward. Counted under the meeting's lock."""
    if meeting.city_quota is None:
        return
    registered = tally.from_city
    if registered >= meeting.city_quota:
        raise RegistrationRefused(
            ngettext(
                "%(city)s has already registered %(count)s person, the most this meeting takes "
                "from one city. Ask your colleague or the organisers if someone should give up "
                "their place.",
                "%(city)s has already registered %(count)s people, the most this meeting takes "
                "from one city. Ask your colleagues or the organisers if someone should give up "
                "their place.",
                registered,
            )
            % {"city": contact.city.name, "count": registered},
            "quota",
        )


@transaction.atomic
def registration_approve(*, registration_id: int, by) -> Registration:
    """A coordinator approves a pending registration: it gets a seat if one is free and nobody
    waits, else the end of the waiting list, as a new registration would (pretix's "approve")."""
    registration, meeting = _locked(registration_id)
    if registration.status != RegistrationStatus.PENDING:
        raise RegistrationRefused(
            _("Only registrations awaiting approval can be approved."), "state"
        )
    _place(meeting, registration, _tally(meeting))
    registration.decided_at, registration.decided_by = timezone.now(), by
    registration.save()
    _notify(registration, "approved")
    return registration


@transaction.atomic
def registration_reject(*, registration_id: int, by) -> Registration:
    """A coordinator rejects a pending registration; it held no seat, so nothing moves."""
    registration, _meeting = _locked(registration_id)
    if registration.status != RegistrationStatus.PENDING:
        raise RegistrationRefused(
            _("Only registrations awaiting approval can be rejected."), "state"
        )
    registration.status = RegistrationStatus.REJECTED
    registration.decided_at, registration.decided_by = timezone.now(), by
    registration.save()
    _notify(registration, "rejected")
    return registration


def _locked(registration_id: int) -> tuple[Registration, ExchangeMeeting]:
    """A registration read again under its meeting's lock, with the locked meeting."""
    meeting_id = Registration.objects.values_list("meeting_id", flat=True).get(pk=registration_id)
    meeting = _lock_meeting(meeting_id)
    return Registration.objects.select_related("contact").get(pk=registration_id), meeting


def _place(meeting: ExchangeMeeting, registration: Registration, tally: Tally) -> None:
    """A seat when one is free and nobody is waiting for it; else the end of the waiting list."""
    free = tally.free_seats(meeting)
    if free is None or (free > 0 and not tally.waiting):
        registration.status = RegistrationStatus.CONFIRMED
        registration.waiting_number = None
    elif meeting.waiting_list_enabled:
        registration.status = RegistrationStatus.WAITING
        registration.waiting_number = tally.next_waiting_number
    else:
        raise RegistrationRefused(_("The meeting is full and has no waiting list."), "full")


@transaction.atomic
def registration_cancel(*, registration_id: int, requested_by=None) -> Registration:
    """Cancel a registration; a seat it held goes to the first person waiting."""
    registration = Registration.objects.select_related("meeting").get(pk=registration_id)
    _allowance_check(requested_by)
    meeting = _lock_meeting(registration.meeting_id)
    registration.refresh_from_db()
    if registration.status not in CANCELLABLE:
        raise RegistrationRefused(_("This registration cannot be cancelled."), "not_active")
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.offer_expires_at = None
    registration.save()
    _notify(
        registration,
        "cancelled",
        requested_by=requested_by,
        allowance_checked=True,
    )
    promote_waiting(meeting=meeting)
    return registration


@transaction.atomic
def registration_delete(*, registration_id: int) -> None:
    """A coordinator deletes a registration. One that holds, is offered or waits for a seat is
    cancelled first, through registration_cancel: the person is told and the seat passes to the
    first person waiting, so that deleting never leaves a seat stuck while people wait (issue
    11, section 5). Cancelled rows and attendance records simply go."""
    meeting_id = Registration.objects.values_list("meeting_id", flat=True).get(pk=registration_id)
    _lock_meeting(meeting_id)
    registration = Registration.objects.get(pk=registration_id)
    if registration.status in CANCELLABLE:
        registration_cancel(registration_id=registration.pk)
    registration.delete()


def promote_waiting(*, meeting: ExchangeMeeting) -> list[Registration]:
    """Give free seats to the people waiting, first come first served. Call under the lock.

    Per meeting, either at once (confirmed) or as an offer to accept within offer_hours.
    """
    promoted = []
    free = _free_seats(meeting)
    waiting = meeting.registrations.filter(status=RegistrationStatus.WAITING).order_by(
        "waiting_number"
    )
    for registration in waiting[: free if free is not None else None]:
        _promote(meeting, registration)
        promoted.append(registration)
    return promoted


def _promote(meeting: ExchangeMeeting, registration: Registration) -> None:
    if meeting.offer_hours:
        registration.status = RegistrationStatus.OFFERED
        registration.offer_expires_at = timezone.now() + dt.timedelta(hours=meeting.offer_hours)
    else:
        registration.status = RegistrationStatus.CONFIRMED
    registration.save()
    _notify(registration, "offered" if meeting.offer_hours else "promoted")


@transaction.atomic
def registration_promote(*, registration_id: int) -> Registration:
    """A coordinator gives a seat to one person on the waiting list, out of turn."""
    registration = Registration.objects.get(pk=registration_id)
    meeting = _lock_meeting(registration.meeting_id)
    registration.refresh_from_db()
    if registration.status != RegistrationStatus.WAITING:
        raise RegistrationRefused(_("Only people on the waiting list can be promoted."), "state")
    if _free_seats(meeting) == 0:
        raise RegistrationRefused(
            _("The meeting is full: raise its capacity before promoting someone."), "full"
        )
    registration.status = RegistrationStatus.CONFIRMED
    registration.save()
    _notify(registration, "promoted")
    return registration


@transaction.atomic
def registration_accept_offer(*, registration_id: int, requested_by=None) -> Registration:
    registration = Registration.objects.get(pk=registration_id)
    _allowance_check(requested_by)
    _lock_meeting(registration.meeting_id)
    registration.refresh_from_db()
    if registration.status != RegistrationStatus.OFFERED:
        raise RegistrationRefused(_("There is no seat on offer for you."), "state")
    if registration.offer_expires_at < timezone.now():
        raise RegistrationRefused(_("The offer has expired."), "expired")
    registration.status = RegistrationStatus.CONFIRMED
    registration.offer_expires_at = None
    registration.save()
    _notify(
        registration,
        "confirmed",
        requested_by=requested_by,
        allowance_checked=True,
    )
    return registration


def offers_expire(*, now=None) -> int:
    """Offers past their time pass to the next person waiting. Safe to run at any time."""
    now = now or timezone.now()
    expired = 0
    due = Registration.objects.filter(status=RegistrationStatus.OFFERED, offer_expires_at__lt=now)
    for meeting_id in set(due.values_list("meeting_id", flat=True)):
        with transaction.atomic():
            meeting = _lock_meeting(meeting_id)
            for registration in due.filter(meeting_id=meeting_id):
                registration.status = RegistrationStatus.CANCELLED
                registration.cancelled_at = now
                registration.offer_expires_at = None
                registration.save()
                _notify(registration, "offer_expired")
                expired += 1
            promote_waiting(meeting=meeting)
    return expired


@transaction.atomic
def meeting_fill_free_seats(*, meeting_id: int) -> list[Registration]:
    """After a coordinator raises the capacity: the freed seats go to the people waiting."""
    return promote_waiting(meeting=_lock_meeting(meeting_id))


@dataclass(frozen=True)
class Marked:
    count: int
    # Rows left as they were because their meeting has not taken place, and those meetings.
    refused: int
    refused_meetings: list[str]


def registrations_mark(*, registration_ids: list[int], status: str, now=None) -> Marked:
    """Attendance: attended or no-show, for confirmed registrations of meetings that have taken
    place (started, neither cancelled nor postponed).

    Attendance records what happened, so it cannot be recorded before the meeting starts
    (issue 11, section 5): rows of other meetings are left as they are and reported.
    """
    assert status in (RegistrationStatus.ATTENDED, RegistrationStatus.NO_SHOW)
    now = now or timezone.now()
    rows = Registration.objects.filter(pk__in=registration_ids, status__in=SEAT_HOLDING).exclude(
        status=RegistrationStatus.OFFERED
    )
    early = rows.exclude(taken_place(prefix="meeting__", now=now))
    titles = list(early.values_list("meeting__title", flat=True))
    # A no-show was not checked in either: correcting a check-in by mistake clears it.
    cleared = {"checked_in_at": None, "checked_in_by": None}
    count = rows.filter(taken_place(prefix="meeting__", now=now)).update(
        status=status, updated_at=now, **(cleared if status == RegistrationStatus.NO_SHOW else {})
    )
    return Marked(count=count, refused=len(titles), refused_meetings=sorted(set(titles)))


def waiting_position(*, registration: Registration) -> int | None:
    """1 for the first person waiting; None when not waiting."""
    if registration.status != RegistrationStatus.WAITING:
        return None
    return Registration.objects.filter(
        meeting_id=registration.meeting_id,
        status=RegistrationStatus.WAITING,
        waiting_number__lte=registration.waiting_number,
    ).count()


def _notify(
    registration: Registration,
    event: str,
    *,
    requested_by=None,
    allowance_checked: bool = False,
    has_agenda: bool | None = None,
) -> None:
    """The message of a registration's event, in the person's language; `requested_by` when
    the person's own form caused it (notifications.limits), `allowance_checked` when its limit
    was checked before the lock, `has_agenda` when known (messages.registration_values).

    Called under the meeting's lock: the message is a row with what it says, and its templates
    are rendered by the worker that sends it, so that the next registration for the meeting
    waits for a few queries, not for this one's e-mail (issue 18)."""
    contact, meeting = registration.contact, registration.meeting
    language = meeting.programme.language_for(contact.language)
    with translation.override(language):
        values = registration_values(registration, event, has_agenda=has_agenda)
    message_queue(
        key=f"registration:{registration.pk}:{event}:{timezone.now().isoformat()}",
        meeting=meeting,
        programme=meeting.programme,
        kind=registration_kind(registration, event),
        email=contact.email,
        name=contact.full_name,
        language=language,
        values=values,
        requested_by=requested_by,
        allowance_checked=allowance_checked,
        render=False,
    )
