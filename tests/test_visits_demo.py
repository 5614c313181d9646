"""The demo's peer-review round (Motiva's second pilot): what a coordinator checks after
`manage.py load_demo`, and that loading twice changes nothing."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from reports.models import Document
from reports.services import document_render, document_request
from visits.assignment import assignment_errors, round_assignment, round_participants
from visits.models import (
    FeedbackReport,
    Finding,
    Interview,
    InterviewerSeat,
    ReviewRound,
    SelfAssessment,
    Visit,
)

from .test_visits_views import pdf_text

pytestmark = pytest.mark.django_db

MODELS = [ReviewRound, Visit, InterviewerSeat, Interview, SelfAssessment, FeedbackReport, Finding]


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=io.StringIO())


def snapshot():
    return {model.__name__: set(model.objects.values_list("pk", flat=True)) for model in MODELS}


def test_the_round_follows_the_phases_of_seed_004_and_its_groups_keep_the_rules(demo):
    review_round = ReviewRound.objects.get(programme__slug="motiva-pilot-2")
    assert review_round.window("preparing") == (dt.date(2022, 1, 1), dt.date(2022, 2, 28))
    assert review_round.window("visit") == (dt.date(2022, 3, 1), dt.date(2022, 4, 30))
    assert review_round.window("report") == (dt.date(2022, 5, 1), dt.date(2022, 6, 30))
    assert review_round.themes.count() == 7
    hosts = set(review_round.visits.values_list("host__name", flat=True))
    assert {"Kerava", "Lohja", "Kuhmo", "Turku", "Oulu"} <= hosts and len(hosts) == 9
    participants = round_participants(review_round=review_round)
    groups = round_assignment(review_round=review_round)
    assert assignment_errors(participants=participants, groups=groups) == []
    for visit in review_round.visits.all():
        assert review_round.visit_start <= visit.date <= review_round.visit_end


def test_loading_twice_gives_the_same_rows(demo):
    before = snapshot()
    call_command("load_demo", stdout=io.StringIO())
    assert snapshot() == before


def test_a_demo_report_renders_in_finnish(demo):
    visit = Visit.objects.get(round__programme__slug="motiva-pilot-2", host__name="Kerava")
    assert visit.host_language == "fi"
    document = document_request(
        kind=Document.Kind.FEEDBACK_REPORT,
        programme=visit.round.programme,
        reference=f"visit:{visit.pk}",
        language=visit.host_language,
    )
    document = document_render(document_id=document.pk)
    assert document.status == "ready", document.error
    text = pdf_text(document)
    assert "Kerava" in text and "Hankinnat" in text  # the theme, in Finnish
    assert "Kulutusseuranta kattaa kaikki suurimmat kiinteistöt." in text
