"""The messages about meetings, each a kind a coordinator can rewrite (issue 14, item 5).

Registered from ExchangesConfig.ready(). Each kind's default is emails/<template>-subject.txt
and -body.txt, written with the placeholders below only; the values are computed here from the
objects, in the recipient's language (call these inside translation.override(language)), so
that a coordinator's text never reaches a model.
"""

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications.kinds import Kind, kind_register

from .models import (
    ACTIVE,
    ExchangeMeeting,
    Invitation,
    MeetingFormat,
    MeetingStatus,
    MeetingWording,
    MessageKind,
    Registration,
    RegistrationStatus,
)

MEETING_PLACEHOLDERS = {
    "recipient_name": gettext_lazy("The recipient's name"),
    "programme_name": gettext_lazy("The programme's name"),
    "meeting_title": gettext_lazy("The meeting's title"),
    "meeting_when": gettext_lazy("When the meeting takes place, in its own time zone"),
    "meeting_where": gettext_lazy("Where: the venue and address, or “online”"),
    "meeting_facts": gettext_lazy("The meeting's title, time, place, host and theme, one per line"),
    "meeting_url": gettext_lazy("The link to the meeting's page"),
    "my_meetings_url": gettext_lazy("The link to the recipient's “My meetings” page"),
}
REGISTRATION_PLACEHOLDERS = {
    **MEETING_PLACEHOLDERS,
    "registered_by_name": gettext_lazy(
        "Who registered the recipient on their behalf (empty if they registered themselves)"
    ),
    "checkin_code": gettext_lazy("The check-in code (empty if the registration holds no seat)"),
    "checkin_url": gettext_lazy("The link to the QR code to show at the door"),
    "agenda_url": gettext_lazy("The link to the agenda (empty if the meeting has none yet)"),
    "agenda_pdf_url": gettext_lazy("The link to the programme as a PDF"),
}
OFFER_PLACEHOLDERS = {
    **REGISTRATION_PLACEHOLDERS,
    "offer_expires": gettext_lazy("Until when the seat is kept, in the meeting's time zone"),
}
INTRODUCTION = gettext_lazy(
    "The meeting's own introductory paragraph in this language, or else the standard one"
)
INVITATION_PLACEHOLDERS = {
    **MEETING_PLACEHOLDERS,
    "introduction": INTRODUCTION,
    "invitation_url": gettext_lazy("The recipient's personal link to register or decline"),
}
REMINDER_PLACEHOLDERS = {
    **MEETING_PLACEHOLDERS,
    "introduction": INTRODUCTION,
    "online_url": gettext_lazy("The online link (empty for a meeting without one)"),
}
CHANGE_PLACEHOLDERS = {
    **MEETING_PLACEHOLDERS,
    "status_note": gettext_lazy("The coordinator's note on the meeting's status (may be empty)"),
}
UPDATE_PLACEHOLDERS = {
    **CHANGE_PLACEHOLDERS,
    "meeting_description": gettext_lazy("The meeting's description"),
}
FEEDBACK_PLACEHOLDERS = {
    **MEETING_PLACEHOLDERS,
    "feedback_url": gettext_lazy("The link to the feedback questions"),
}


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _moment(value) -> str:
    return date_format(value, "DATETIME_FORMAT")


def meeting_where(meeting: ExchangeMeeting) -> str:
    if meeting.format == MeetingFormat.ONLINE or meeting.status == MeetingStatus.MOVED_ONLINE:
        return _("online")
    place = meeting.venue or (meeting.host_city.name if meeting.host_city else "")
    return ", ".join(part for part in (place, meeting.address) if part)


def _facts(meeting: ExchangeMeeting, when: str, where: str) -> str:
    lines = [meeting.title, f"{_('When')}: {when}", f"{_('Where')}: {where}"]
    if meeting.host_city:
        lines.append(f"{_('Host')}: {meeting.host_city.name}")
    if meeting.theme:
        lines.append(f"{_('Theme')}: {meeting.theme.name}")
    return "\n".join(lines)


def meeting_values(meeting: ExchangeMeeting) -> dict:
    """What every message about a meeting can say, in the active language; the times are the
    meeting's wall-clock times in its own zone, named, as its page shows them."""
    when = f"{_moment(meeting.local_start)} – {_moment(meeting.local_end)} ({meeting.timezone})"
    where = meeting_where(meeting)
    return {
        "programme_name": meeting.programme.name,
        "meeting_title": meeting.title,
        "meeting_when": when,
        "meeting_where": where,
        "meeting_facts": _facts(meeting, when, where),
        "meeting_url": _absolute(meeting.get_absolute_url()),
        "my_meetings_url": _absolute(reverse("exchanges:my_meetings")),
    }


def registration_values(
    registration: Registration, event: str, *, has_agenda: bool | None = None
) -> dict:
    """A registration's message: the meeting, the check-in code while it holds a seat, the
    agenda once there is one (`has_agenda`, when the caller knows), and who registered the
    person when someone else did (said only in the message of the registration itself, not in
    every later one)."""
    meeting = registration.meeting
    values = meeting_values(meeting)
    by = registration.registered_by
    on_behalf = by is not None and event == registration.status
    values["registered_by_name"] = (by.get_full_name() or by.email) if on_behalf else ""
    seated = registration.holds_seat
    values["checkin_code"] = registration.code if seated else ""
    values["checkin_url"] = (
        _absolute(reverse("exchanges:check_in_code", args=[registration.code])) if seated else ""
    )
    if has_agenda is None:
        has_agenda = meeting.sessions.exists()
    values["agenda_url"] = f"{values['meeting_url']}#agenda" if has_agenda else ""
    values["agenda_pdf_url"] = (
        _absolute(reverse("reports:agenda", kwargs={"pk": meeting.pk})) if has_agenda else ""
    )
    expires = registration.offer_expires_at
    values["offer_expires"] = _in_zone(expires, meeting) if expires else ""
    return values


def _in_zone(moment, meeting: ExchangeMeeting) -> str:
    """A moment as the meeting's wall clock shows it, the zone named."""
    return f"{_moment(moment.astimezone(meeting.tz).replace(tzinfo=None))} ({meeting.timezone})"


def registration_kind(registration: Registration, event: str) -> str:
    """The kind of a registration's message: an approval that finds the meeting full is a
    message of its own (the person waits)."""
    if event == "approved" and registration.status == RegistrationStatus.WAITING:
        return "registration_approved_waiting"
    return f"registration_{event}"


def wording_for(meeting: ExchangeMeeting, kind: str, language: str) -> MeetingWording | None:
    """The meeting's own subject and introduction of its invitation or reminder, if any."""
    return MeetingWording.objects.filter(meeting=meeting, kind=kind, language=language).first()


def invitation_values(meeting: ExchangeMeeting, wording, invitation_url: str) -> dict:
    standard = _("You are invited to a meeting of %(programme)s.") % {
        "programme": meeting.programme.name
    }
    introduction = wording.introduction if wording and wording.introduction else standard
    return {
        **meeting_values(meeting),
        "introduction": introduction,
        "invitation_url": invitation_url,
    }


def reminder_values(meeting: ExchangeMeeting, wording, days: int) -> dict:
    if days == 1:
        standard = _("A reminder: your meeting is tomorrow.")
    else:
        standard = _("A reminder: your meeting is in a week.")
    introduction = wording.introduction if wording and wording.introduction else standard
    return {
        **meeting_values(meeting),
        "introduction": introduction,
        "online_url": meeting.online_url,
    }


def change_kind(meeting: ExchangeMeeting) -> str:
    """The notice a change of time, place, format or status calls for (docs/DESIGN.md rule 5)."""
    return {
        MeetingStatus.CANCELLED: "meeting_cancelled",
        MeetingStatus.POSTPONED: "meeting_postponed",
        MeetingStatus.MOVED_ONLINE: "meeting_moved_online",
    }.get(meeting.status, "meeting_changed")


def change_values(meeting: ExchangeMeeting) -> dict:
    return {
        **meeting_values(meeting),
        "status_note": meeting.status_note,
        "meeting_description": meeting.description,
    }


def feedback_values(meeting: ExchangeMeeting) -> dict:
    url = _absolute(reverse("exchanges:meeting_feedback", args=[meeting.pk]))
    return {**meeting_values(meeting), "feedback_url": url}


# --- Samples: the values for a real recipient of the programme, for the editor's preview -----


def _in_language(rows):
    """The first row whose contact reads the active language, else the first."""
    return rows.filter(contact__language=translation.get_language()).first() or rows.first()


def _registration_sample(programme, statuses=None) -> Registration | None:
    rows = Registration.objects.filter(meeting__programme=programme).order_by("-created_at")
    if statuses is not None:
        rows = rows.filter(status__in=statuses)
    rows = rows.select_related("contact", "meeting__programme", "meeting__host_city")
    return _in_language(rows) or (_registration_sample(programme) if statuses else None)


def _with_name(values: dict, contact) -> dict:
    return {**values, "recipient_name": contact.full_name}


def _registration_sampler(event: str, statuses=None):
    def sample(programme):
        registration = _registration_sample(programme, statuses)
        if registration is None:
            return None
        values = registration_values(registration, event)
        if event == "offered" and not values["offer_expires"]:
            later = timezone.now() + dt.timedelta(hours=registration.meeting.offer_hours or 24)
            values["offer_expires"] = _in_zone(later, registration.meeting)
        return _with_name(values, registration.contact)

    return sample


def _invitation_sample(programme):
    """The latest invitation of the programme; before the first, someone its latest meeting
    would invite (with a link of the kind they would get)."""
    invitation = _in_language(
        Invitation.objects.filter(meeting__programme=programme)
        .select_related("contact", "meeting__programme")
        .order_by("-created_at")
    )
    if invitation is None:
        from .invitations import invitation_recipients  # it imports this module

        meeting = ExchangeMeeting.objects.filter(programme=programme).order_by("-start").first()
        if meeting is None:
            return None
        recipients = invitation_recipients(meeting=meeting)
        contact = (
            recipients.filter(language=translation.get_language()).first() or recipients.first()
        )
        if contact is None:
            return None
        invitation = Invitation(meeting=meeting, contact=contact)
    meeting = invitation.meeting
    wording = wording_for(meeting, MessageKind.INVITATION, translation.get_language())
    url = _absolute(invitation.get_absolute_url())
    return _with_name(invitation_values(meeting, wording, url), invitation.contact)


def _reminder_sampler(days: int):
    def sample(programme):
        registration = _registration_sample(programme, [RegistrationStatus.CONFIRMED])
        if registration is None:
            return None
        meeting = registration.meeting
        wording = wording_for(meeting, MessageKind.REMINDER, translation.get_language())
        return _with_name(reminder_values(meeting, wording, days), registration.contact)

    return sample


def _change_sample(programme):
    registration = _registration_sample(programme, ACTIVE)
    if registration is None:
        return None
    return _with_name(change_values(registration.meeting), registration.contact)


def _feedback_sample(programme):
    statuses = [RegistrationStatus.ATTENDED, RegistrationStatus.CONFIRMED]
    registration = _registration_sample(programme, statuses)
    if registration is None:
        return None
    return _with_name(feedback_values(registration.meeting), registration.contact)


# --- The kinds ------------------------------------------------------------------------------

MEETINGS = gettext_lazy("Meetings")
REGISTRATIONS = gettext_lazy("Registrations")
CHANGES = gettext_lazy("Changes to a meeting")

REGISTRATION_KINDS = [
    # (event, status the sample's registration has, label)
    ("confirmed", [RegistrationStatus.CONFIRMED], gettext_lazy("Registration confirmed")),
    ("pending", [RegistrationStatus.PENDING], gettext_lazy("Registration awaiting approval")),
    ("approved", [RegistrationStatus.CONFIRMED], gettext_lazy("Registration approved")),
    (
        "approved_waiting",
        [RegistrationStatus.WAITING],
        gettext_lazy("Registration approved, on the waiting list"),
    ),
    ("rejected", [RegistrationStatus.REJECTED], gettext_lazy("Registration not accepted")),
    ("waiting", [RegistrationStatus.WAITING], gettext_lazy("On the waiting list")),
    ("promoted", [RegistrationStatus.CONFIRMED], gettext_lazy("A seat from the waiting list")),
    ("offered", [RegistrationStatus.OFFERED], gettext_lazy("A seat offered, to accept")),
    ("offer_expired", [RegistrationStatus.CANCELLED], gettext_lazy("A seat offer expired")),
    ("cancelled", [RegistrationStatus.CANCELLED], gettext_lazy("Registration cancelled")),
]

REMINDER_KINDS = [
    (7, gettext_lazy("Reminder a week before")),
    (1, gettext_lazy("Reminder the day before")),
]

CHANGE_KINDS = [
    ("meeting_changed", gettext_lazy("Time or place changed")),
    ("meeting_moved_online", gettext_lazy("Meeting moved online")),
    ("meeting_postponed", gettext_lazy("Meeting postponed")),
    ("meeting_cancelled", gettext_lazy("Meeting cancelled")),
]


def register() -> None:
    kind_register(
        Kind(
            code="invitation",
            label=gettext_lazy("Invitation to a meeting"),
            group=MEETINGS,
            placeholders=INVITATION_PLACEHOLDERS,
            sample=_invitation_sample,
        )
    )
    for event, statuses, label in REGISTRATION_KINDS:
        kind_register(
            Kind(
                code=f"registration_{event}",
                label=label,
                group=REGISTRATIONS,
                placeholders=OFFER_PLACEHOLDERS
                if event == "offered"
                else REGISTRATION_PLACEHOLDERS,
                sample=_registration_sampler(
                    "approved" if event == "approved_waiting" else event, statuses
                ),
            )
        )
    for days, label in REMINDER_KINDS:
        kind_register(
            Kind(
                code=f"reminder_{days}d",
                label=label,
                group=MEETINGS,
                placeholders=REMINDER_PLACEHOLDERS,
                sample=_reminder_sampler(days),
            )
        )
    for code, label in CHANGE_KINDS:
        kind_register(
            Kind(
                code=code,
                label=label,
                group=CHANGES,
                placeholders=CHANGE_PLACEHOLDERS,
                sample=_change_sample,
            )
        )
    kind_register(
        Kind(
            code="meeting_updated",
            label=gettext_lazy("Meeting details updated (when the coordinator tells)"),
            group=CHANGES,
            placeholders=UPDATE_PLACEHOLDERS,
            sample=_change_sample,
        )
    )
    kind_register(
        Kind(
            code="feedback_request",
            label=gettext_lazy("Feedback request after a meeting"),
            group=MEETINGS,
            placeholders=FEEDBACK_PLACEHOLDERS,
            sample=_feedback_sample,
        )
    )
