"""What each document shows: a template, its context and a file name, per kind.

The data is gathered with a constant number of queries whatever the size of the programme.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify

from exchanges.agenda import meeting_agenda_days
from exchanges.models import SEAT_HOLDING, RegistrationStatus
from exchanges.selectors import meeting_feedback_summary
from meetings.selectors import action_items_for_meeting

from .certificates import certificate_context
from .funder import funder_report_build
from .plan import plan_sections
from .selectors import attendance_chart, attendance_report


def build_document(document) -> tuple[str, dict, str]:
    builder = BUILDERS[document.kind]
    return builder(document)


def register_builder(kind: str, builder) -> None:
    """Other apps add their documents here, from their AppConfig.ready(): reports stays the
    one pipeline without importing them."""
    BUILDERS[kind] = builder


def _plan(document) -> tuple[str, dict, str]:
    """The sections the programme has data for (reports.plan); NoPlan when it has none."""
    programme = document.programme
    context = {
        "programme": programme,
        "sections": plan_sections(programme=programme),
        "today": timezone.localdate(),
    }
    return (
        "reports/peer_learning_plan.html",
        context,
        f"{programme.slug}-peer-learning-plan-{document.language}.pdf",
    )


def _minutes(document) -> tuple[str, dict, str]:
    meeting = document.consortium_meeting
    attendances = meeting.attendances.select_related("partner").order_by("partner__order")
    present = [a for a in attendances if not a.is_absent]
    absent = [a for a in attendances if a.is_absent]
    items = list(action_items_for_meeting(meeting=meeting))
    context = {
        "programme": document.programme,
        "meeting": meeting,
        "present": present,
        "absent": absent,
        "agreed": [item for item in items if item.meeting_id == meeting.pk],
        "carried": [item for item in items if item.meeting_id != meeting.pk],
        "today": timezone.localdate(),
    }
    return (
        "reports/minutes.html",
        context,
        f"{document.programme.slug}-consortium-{meeting.number}-{document.language}.pdf",
    )


def _participants(document) -> tuple[str, dict, str]:
    meeting = document.meeting
    registrations = (
        meeting.registrations.filter(status__in=SEAT_HOLDING)
        .exclude(status=RegistrationStatus.OFFERED)
        .select_related("contact__city__country")
        .order_by("contact__city__name", "contact__last_name")
    )
    context = {"meeting": meeting, "registrations": registrations, "today": timezone.localdate()}
    name = slugify(meeting.title)[:60] or "meeting"
    return "reports/participant_list.html", context, f"{name}-participants.pdf"


def _meeting_feedback(document) -> tuple[str, dict, str]:
    """The answers to a meeting's feedback form, counted, without names (exchanges.feedback)."""
    meeting = document.meeting
    if meeting is None:
        raise ValueError(f"document {document.pk} names no meeting")
    summary = meeting_feedback_summary(meeting=meeting)
    context = {**summary, "summary": summary, "today": timezone.localdate()}
    name = slugify(meeting.title)[:50] or "meeting"
    return "reports/meeting_feedback.html", context, f"{name}-feedback-{document.language}.pdf"


def _agenda(document) -> tuple[str, dict, str]:
    """A meeting's printable programme: its facts and its sessions by day, in the meeting's
    zone (exchanges.agenda). Anyone may download it, so no online link is printed."""
    meeting = document.meeting
    if meeting is None:
        raise ValueError(f"document {document.pk} names no meeting")
    context = {
        "meeting": meeting,
        "programme": document.programme,
        "agenda": meeting_agenda_days(meeting=meeting),
        "site_url": settings.SITE_URL,
        "today": timezone.localdate(),
    }
    name = slugify(meeting.title)[:50] or "meeting"
    return "reports/agenda.html", context, f"{name}-programme-{document.language}.pdf"


class NoCertificate(Exception):
    """A certificate exists only for attendance of a meeting that has taken place."""


def _certificate(document) -> tuple[str, dict, str]:
    """Refused (the render fails, nothing is served) unless the person attended a meeting that
    has taken place: a certificate must not say more than happened (issue 11, section 5)."""
    registration = document.registration
    attended = registration.status == RegistrationStatus.ATTENDED
    if not (attended and registration.meeting.has_taken_place):
        raise NoCertificate(f"registration {registration.pk}: no attendance of a held meeting")
    context = {
        "registration": registration,
        "meeting": registration.meeting,
        "contact": registration.contact,
        "today": timezone.localdate(),
        **certificate_context(registration=registration),  # issuer, logo, verification code
    }
    name = slugify(registration.contact.full_name)[:40] or "participant"
    return "reports/certificate.html", context, f"certificate-{name}-{registration.meeting_id}.pdf"


def _funder_report(document) -> tuple[str, dict, str]:
    """Attendance over the document's period, for the funder (issue 5); a published version
    ("funder-report:<pk>") from its frozen figures alone (issue 13, item 8)."""
    published = funder_report_build(document)
    if published is not None:
        return published
    report = attendance_report(
        programme=document.programme, start=document.period_start, end=document.period_end
    )
    context = {
        "report": report,
        "chart": attendance_chart(report["countries"]),
        # WeasyPrint sizes an SVG with "height: auto" from a default ratio: the page alone
        # scales the chart to the screen.
        "print": True,
        "programme": document.programme,
        "today": timezone.localdate(),
    }
    period = f"{document.period_start:%Y%m%d}-{document.period_end:%Y%m%d}"
    return (
        "reports/funder_report.html",
        context,
        f"{document.programme.slug}-attendance-{period}-{document.language}.pdf",
    )


BUILDERS = {
    "peer_learning_plan": _plan,
    "minutes": _minutes,
    "participant_list": _participants,
    "meeting_feedback": _meeting_feedback,
    "agenda": _agenda,
    "certificate": _certificate,
    "funder_report": _funder_report,
}
