"""The rules of a peer visit (docs/DESIGN.md rule 7; seed 004 and the digest's Motiva section).

Every write checks its phase's window: the host prepares (self-assessment, background material)
while preparing, the group writes while reports are written, the host comments while comments
are open. Views call these functions and show a refusal's message as it is.
"""

import datetime as dt
import zoneinfo

from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from multiply.refusals import Refused
from notifications.models import Message
from notifications.services import message_queue
from reports.models import Document
from reports.services import document_request, published_refresh

from .messages import report_values, session_values
from .models import (
    BackgroundMaterial,
    FeedbackReport,
    Finding,
    Interview,
    Phase,
    ReportStatus,
    ReviewRound,
    SelfAssessment,
    Visit,
)


class VisitRefused(Refused):
    """A request the rules refuse; `message` says why, for the person who asked."""


class PhaseClosed(VisitRefused):
    """The phase this needs is not open today."""


def _day(day: dt.date) -> str:
    return date_format(day, "DATE_FORMAT")


def _refusal(phase: str, start: dt.date, end: dt.date) -> str:
    texts = {
        Phase.ORGANISING: _("The interview groups are formed from %(start)s to %(end)s."),
        Phase.PREPARING: _(
            "Self-assessments and background material are sent while the visits are prepared, "
            "from %(start)s to %(end)s."
        ),
        Phase.VISIT: _("The visits take place from %(start)s to %(end)s."),
        Phase.REPORT: _("Feedback reports are written from %(start)s to %(end)s."),
        Phase.FINAL_EVENT: _("The final event is held from %(start)s to %(end)s."),
        Phase.COMMENTS: _("Comments on the results summary are open from %(start)s to %(end)s."),
    }
    return texts[phase] % {"start": _day(start), "end": _day(end)}


def phase_require(*, review_round: ReviewRound, phase: str, today: dt.date | None = None) -> None:
    """Refuse unless today falls in the phase's window (both ends included)."""
    if not review_round.is_open(phase, today):
        start, end = review_round.window(phase)
        raise PhaseClosed(_refusal(phase, start, end))


def _until_visits_end(visit: Visit, today: dt.date | None) -> None:
    """The practical arrangements (who, when, how, whom to interview) are made while organising
    and preparing and may still move during the visits, never after."""
    review_round = visit.round
    today = today or review_round.today()
    if today > review_round.visit_end:
        raise PhaseClosed(
            _("The visits ended on %(date)s: their arrangements can no longer change.")
            % {"date": _day(review_round.visit_end)}
        )


def _local_date(review_round: ReviewRound, moment: dt.datetime) -> dt.date:
    return moment.astimezone(zoneinfo.ZoneInfo(review_round.timezone)).date()


def _in_visit_window(review_round: ReviewRound, day: dt.date) -> bool:
    return review_round.visit_start <= day <= review_round.visit_end


# --- Arrangements ----------------------------------------------------------------------------


@transaction.atomic
def visit_update(
    *,
    visit: Visit,
    responsible,
    date: dt.date | None,
    format: str,
    session_at: dt.datetime | None,
    session_place: str,
    today: dt.date | None = None,
) -> Visit:
    """The host names its person responsible and fixes the date, format and feedback session.
    The visit and its session fall in the visit phase (seed 004: March-April)."""
    _until_visits_end(visit, today)
    review_round = visit.round
    if responsible is not None and responsible.city_id != visit.host_id:
        raise VisitRefused(_("The person responsible must be one of the host's own staff."))
    if date is not None and not _in_visit_window(review_round, date):
        raise PhaseClosed(_refusal(Phase.VISIT, review_round.visit_start, review_round.visit_end))
    if session_at is not None and not _in_visit_window(
        review_round, _local_date(review_round, session_at)
    ):
        raise PhaseClosed(_refusal(Phase.VISIT, review_round.visit_start, review_round.visit_end))
    visit.responsible = responsible
    visit.date = date
    visit.format = format
    visit.session_at = session_at
    visit.session_place = session_place
    visit.save()
    return visit


def interview_add(
    *,
    visit: Visit,
    starts_at: dt.datetime,
    role: str,
    interviewee: str,
    email: str = "",
    today: dt.date | None = None,
) -> Interview:
    """One more slot in the interview schedule, during the visit phase."""
    _until_visits_end(visit, today)
    review_round = visit.round
    if not _in_visit_window(review_round, _local_date(review_round, starts_at)):
        raise PhaseClosed(_refusal(Phase.VISIT, review_round.visit_start, review_round.visit_end))
    return Interview.objects.create(
        visit=visit, starts_at=starts_at, role=role, interviewee=interviewee, email=email
    )


def interview_delete(*, interview: Interview, today: dt.date | None = None) -> None:
    _until_visits_end(interview.visit, today)
    interview.delete()


@transaction.atomic
def session_invite(*, visit: Visit, today: dt.date | None = None) -> int:
    """Invite everyone interviewed (with an address) to the closing feedback session, through the
    outbox (seed 004: "palautetilaisuus, johon kutsutaan kaikki haastatellut"). Each person is
    invited once per session time: moving the session invites them again. Returns how many
    invitations are new."""
    _until_visits_end(visit, today)
    if visit.session_at is None:
        raise VisitRefused(_("Set the time of the feedback session first."))
    tz = zoneinfo.ZoneInfo(visit.round.timezone)
    stamp = visit.session_at.strftime("%Y%m%d%H%M")
    invited = 0
    # The e-mail shows the session's time in the round's time zone, as the pages do.
    with timezone.override(tz):
        for interview in visit.interviews.exclude(email=""):
            invited += _invite(visit, interview, stamp)
    return invited


def _invite(visit: Visit, interview: Interview, stamp: str) -> int:
    key = f"visit-session:{visit.pk}:{interview.pk}:{stamp}"
    if Message.objects.filter(key=key).exists():
        return 0
    with translation.override(visit.host_language):
        values = session_values(visit)
    message_queue(
        key=key,
        kind="visit_session",
        email=interview.email,
        name=interview.interviewee,
        language=visit.host_language,
        values=values,
        programme=visit.round.programme,
    )
    return 1


# --- Before the visit: self-assessment and background material -------------------------------


@transaction.atomic
def self_assessment_save(
    *, visit: Visit, texts: dict[int, str], today: dt.date | None = None
) -> None:
    """The host's self-assessment, one text per theme of the round, while preparing."""
    phase_require(review_round=visit.round, phase=Phase.PREPARING, today=today)
    theme_ids = set(visit.round.themes.values_list("pk", flat=True))
    for theme_id, text in texts.items():
        if theme_id not in theme_ids:
            continue
        SelfAssessment.objects.update_or_create(
            visit=visit, theme_id=theme_id, defaults={"text": text.strip()}
        )


def material_add(
    *, visit: Visit, title: str, upload, user, today: dt.date | None = None
) -> BackgroundMaterial:
    """Store a background file the form has already checked (type and size), while preparing.
    The window is checked before anything is written to storage."""
    phase_require(review_round=visit.round, phase=Phase.PREPARING, today=today)
    material = BackgroundMaterial(visit=visit, title=title, uploaded_by=user)
    material.file.save(upload.name, upload, save=False)
    try:
        material.save()
    except Exception:
        material.file.delete(save=False)  # no row, no file
        raise
    return material


def material_delete(*, material: BackgroundMaterial, today: dt.date | None = None) -> None:
    phase_require(review_round=material.visit.round, phase=Phase.PREPARING, today=today)
    storage, name = material.file.storage, material.file.name
    material.delete()
    transaction.on_commit(lambda: storage.delete(name))


# --- The feedback report ---------------------------------------------------------------------


@transaction.atomic
def report_save(
    *,
    visit: Visit,
    summary: str,
    findings: dict[int, tuple[str, str]],
    today: dt.date | None = None,
) -> FeedbackReport:
    """The interview group writes its draft while reports are written: per theme strengths and
    development areas, and a summary (seed 004, phase 4)."""
    phase_require(review_round=visit.round, phase=Phase.REPORT, today=today)
    report, _created = FeedbackReport.objects.select_for_update().get_or_create(visit=visit)
    if report.is_submitted:
        raise VisitRefused(_("The report has been submitted and can no longer be changed."))
    theme_ids = set(visit.round.themes.values_list("pk", flat=True))
    report.summary = summary.strip()
    report.save(update_fields=["summary", "updated_at"])
    for theme_id, (strengths, development_areas) in findings.items():
        if theme_id in theme_ids:
            Finding.objects.update_or_create(
                report=report,
                theme_id=theme_id,
                defaults={
                    "strengths": strengths.strip(),
                    "development_areas": development_areas.strip(),
                },
            )
    return report


@transaction.atomic
def report_submit(*, visit: Visit, user, today: dt.date | None = None) -> FeedbackReport:
    """The group hands its report over: it no longer changes, the host may read it, its PDF is
    made in the host's language and the host's person responsible is told."""
    phase_require(review_round=visit.round, phase=Phase.REPORT, today=today)
    report = FeedbackReport.objects.select_for_update().filter(visit=visit).first()
    if report is not None and report.is_submitted:
        raise VisitRefused(_("The report has been submitted and can no longer be changed."))
    has_findings = (
        report is not None and report.findings.exclude(strengths="", development_areas="").exists()
    )
    if report is None or not report.summary or not has_findings:
        raise VisitRefused(
            _(
                "A report is submitted with a summary and the strengths or development areas "
                "of at least one theme."
            )
        )
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = user
    report.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    document_request(
        kind=Document.Kind.FEEDBACK_REPORT,
        programme=visit.round.programme,
        reference=f"visit:{visit.pk}",
        language=visit.host_language,
    )
    _tell_host(visit)
    results_summary_refresh(review_round=visit.round)
    return report


def _tell_host(visit: Visit) -> None:
    contact = visit.responsible
    if contact is None or not contact.is_active:
        return
    with translation.override(contact.language):
        values = report_values(visit)
    message_queue(
        key=f"visit-report:{visit.pk}",
        kind="visit_report",
        email=contact.email,
        name=contact.full_name,
        language=contact.language,
        values=values,
        programme=visit.round.programme,
    )


@transaction.atomic
def report_comment(
    *,
    report: FeedbackReport,
    comment: str,
    agrees_to_be_named: bool,
    today: dt.date | None = None,
) -> FeedbackReport:
    """The host comments on the results summary as far as its own data go, and says whether it
    may be named there, while comments are open (seed 004, phase 6)."""
    phase_require(review_round=report.visit.round, phase=Phase.COMMENTS, today=today)
    if not report.is_submitted:
        raise VisitRefused(_("The interview group has not submitted its report yet."))
    report.host_comment = comment.strip()
    report.host_commented_at = timezone.now()
    report.host_agrees_to_be_named = agrees_to_be_named
    report.save(update_fields=["host_comment", "host_commented_at", "host_agrees_to_be_named"])
    results_summary_refresh(review_round=report.visit.round)
    return report


def results_summary_refresh(*, review_round: ReviewRound) -> int:
    """The summary's data changed: re-render every language already published, debounced."""
    return published_refresh(
        kind=Document.Kind.RESULTS_SUMMARY,
        programme=review_round.programme,
        reference=f"round:{review_round.pk}",
    )
