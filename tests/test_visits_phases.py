"""The phases' date windows (seed 004): each step of a peer visit happens in its own window."""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from visits import services
from visits.models import BackgroundMaterial, FeedbackReport, ReportStatus, SelfAssessment

from . import factories
from .factories_visits import (
    RoundFactory,
    VisitFactory,
    round_with_visits,
    staff_of,
    submitted_report,
)
from .files import pdf_bytes

pytestmark = pytest.mark.django_db

HELSINKI = zoneinfo.ZoneInfo("Europe/Helsinki")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def visit_in(phase: str):
    review_round = round_with_visits(3, phase=phase)
    return review_round.visits.order_by("host__name").first()


def pdf():
    return SimpleUploadedFile("plan.pdf", pdf_bytes())


def test_a_window_includes_its_first_and_last_day():
    review_round = RoundFactory.build(phase="preparing")
    start, end = review_round.window("preparing")
    assert review_round.is_open("preparing", start)
    assert review_round.is_open("preparing", end)
    assert not review_round.is_open("preparing", start - dt.timedelta(days=1))
    assert not review_round.is_open("preparing", end + dt.timedelta(days=1))


@pytest.mark.parametrize("phase", ["organising", "visit", "report"])
def test_the_self_assessment_is_written_only_while_preparing(phase):
    visit = visit_in(phase)
    theme = visit.round.themes.first()
    with pytest.raises(services.PhaseClosed, match="while the visits are prepared"):
        services.self_assessment_save(visit=visit, texts={theme.pk: "We have a plan."})
    assert not SelfAssessment.objects.exists()


def test_the_self_assessment_is_saved_per_theme_while_preparing():
    visit = visit_in("preparing")
    first, second = visit.round.themes.order_by("order")
    services.self_assessment_save(
        visit=visit, texts={first.pk: " Responsibilities are clear. ", second.pk: ""}
    )
    assert SelfAssessment.objects.get(theme=first).text == "Responsibilities are clear."


@pytest.mark.parametrize("phase", ["organising", "visit"])
def test_background_material_is_refused_outside_preparing_and_nothing_is_stored(phase, tmp_path):
    visit = visit_in(phase)
    with pytest.raises(services.PhaseClosed):
        services.material_add(visit=visit, title="Plan", upload=pdf(), user=None)
    assert not BackgroundMaterial.objects.exists()
    assert not any(path.is_file() for path in tmp_path.rglob("*"))


def test_background_material_is_stored_while_preparing():
    visit = visit_in("preparing")
    material = services.material_add(visit=visit, title="Plan", upload=pdf(), user=None)
    assert material.file.read().startswith(b"%PDF")


@pytest.mark.parametrize("phase", ["preparing", "visit", "comments"])
def test_the_report_is_written_only_in_the_written_report_window(phase):
    visit = visit_in(phase)
    with pytest.raises(services.PhaseClosed, match="Feedback reports are written from"):
        services.report_save(visit=visit, summary="Fine.", findings={})
    assert not FeedbackReport.objects.exists()


def test_a_draft_becomes_submitted_only_with_a_summary_and_a_finding_and_then_stays():
    visit = visit_in("report")
    theme = visit.round.themes.first()
    user = staff_of(factories.CityFactory())
    services.report_save(visit=visit, summary="", findings={theme.pk: ("Clear roles.", "")})
    with pytest.raises(services.VisitRefused, match="with a summary"):
        services.report_submit(visit=visit, user=user)
    assert FeedbackReport.objects.get().status == ReportStatus.DRAFT

    services.report_save(visit=visit, summary="A good base.", findings={})
    report = services.report_submit(visit=visit, user=user)

    assert report.status == ReportStatus.SUBMITTED and report.submitted_at
    with pytest.raises(services.VisitRefused, match="can no longer be changed"):
        services.report_save(visit=visit, summary="Changed", findings={})


@pytest.mark.parametrize("phase", ["report", "final_event"])
def test_the_host_comments_only_in_the_comments_window(phase):
    visit = visit_in(phase)
    report = submitted_report(visit, development_areas="Monitoring.")
    with pytest.raises(services.PhaseClosed, match="Comments on the results summary are open"):
        services.report_comment(report=report, comment="Our data.", agrees_to_be_named=True)
    report.refresh_from_db()
    assert report.host_comment == "" and not report.host_agrees_to_be_named


def test_the_host_comments_and_agrees_to_be_named_while_comments_are_open():
    visit = visit_in("comments")
    report = submitted_report(visit, development_areas="Monitoring.")
    services.report_comment(report=report, comment="Correct.", agrees_to_be_named=True)
    report.refresh_from_db()
    assert report.host_comment == "Correct." and report.host_agrees_to_be_named


def test_the_visit_date_falls_in_the_visit_window():
    visit = visit_in("preparing")
    review_round = visit.round
    arrangements = {"responsible": None, "format": "virtual", "session_at": None}
    with pytest.raises(services.PhaseClosed, match="The visits take place from"):
        services.visit_update(
            visit=visit, date=review_round.preparing_start, session_place="", **arrangements
        )
    services.visit_update(
        visit=visit, date=review_round.visit_start, session_place="", **arrangements
    )
    visit.refresh_from_db()
    assert visit.date == review_round.visit_start


def test_interviews_fall_in_the_visit_window_and_the_arrangements_close_after_it():
    visit = visit_in("visit")
    review_round = visit.round
    moment = dt.datetime.combine(review_round.visit_end, dt.time(10), tzinfo=HELSINKI)
    services.interview_add(visit=visit, starts_at=moment, role="Mayor", interviewee="Aino")
    with pytest.raises(services.PhaseClosed):
        services.interview_add(
            visit=visit,
            starts_at=moment + dt.timedelta(days=1),
            role="Mayor",
            interviewee="Aino",
        )
    after = review_round.visit_end + dt.timedelta(days=1)
    with pytest.raises(services.PhaseClosed, match="The visits ended on"):
        services.interview_add(
            visit=visit, starts_at=moment, role="Mayor", interviewee="Aino", today=after
        )


def test_the_person_responsible_is_one_of_the_hosts_staff():
    visit = visit_in("preparing")
    stranger = factories.ContactFactory()
    with pytest.raises(services.VisitRefused, match="host's own staff"):
        services.visit_update(
            visit=visit,
            responsible=stranger,
            date=None,
            format="virtual",
            session_at=None,
            session_place="",
        )


def test_phases_start_in_their_order_and_end_after_they_start():
    review_round = RoundFactory.build(phase="preparing")
    review_round.report_start = review_round.visit_start - dt.timedelta(days=1)
    review_round.comments_end = review_round.comments_start - dt.timedelta(days=1)
    with pytest.raises(ValidationError) as invalid:
        review_round.clean()
    assert set(invalid.value.message_dict) == {"report_start", "comments_end"}


def test_the_database_refuses_a_phase_that_ends_before_it_starts():
    review_round = RoundFactory(phase="preparing")
    review_round.visit_end = review_round.visit_start - dt.timedelta(days=1)
    with pytest.raises(IntegrityError):
        review_round.save()


def test_a_visit_is_hosted_once_per_round():
    visit = VisitFactory()
    with pytest.raises(IntegrityError):
        VisitFactory(round=visit.round, host=visit.host)
