"""The demo data of the calls app: Motiva's two pilot calls and pilot 2's mentors (seed 004)."""

import datetime as dt
import io
import zoneinfo

import pytest
from django.core.management import call_command

from calls.models import (
    Answer,
    Application,
    ApplicationStatus,
    Call,
    Question,
    QuestionKind,
)
from mentorships.models import Mentorship, MentorshipContact

pytestmark = pytest.mark.django_db

HELSINKI = zoneinfo.ZoneInfo("Europe/Helsinki")
MODELS = [Call, Question, Application, Answer, Mentorship, MentorshipContact]


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())


def snapshot():
    return {model: set(model.objects.values_list("pk", flat=True)) for model in MODELS}


def test_pilot_2s_call_has_its_real_dates_webinar_and_places(demo):
    call = Call.objects.get(programme__slug="motiva-pilot-2")
    assert call.closes_at == dt.datetime(2021, 12, 4, 23, 59, tzinfo=HELSINKI)
    assert call.local_opens_at.date() == dt.date(2021, 11, 1)
    assert call.webinar_start == dt.datetime(2021, 11, 4, 10, tzinfo=HELSINKI)
    assert call.webinar_end == dt.datetime(2021, 11, 4, 11, tzinfo=HELSINKI)
    assert call.slides_url.startswith("https://www.motiva.fi/") and call.recording_url
    assert (call.places_min, call.places_max) == (5, 6)
    assert "(KETS)" in call.eligibility_en and "energiatehokkuussopimukseen" in call.eligibility_fi
    assert {q.kind for q in call.questions.all()} == set(QuestionKind.values)


def test_the_selected_municipalities_are_members_of_their_pilot(demo):
    for slug, names in [
        ("motiva-pilot-2", {"Kerava", "Lohja", "Kuhmo"}),
        ("motiva-pilot-1", {"Turku", "Hyvinkää", "Hämeenlinna", "Oulu", "Hollola", "Rauma"}),
    ]:
        selected = Application.objects.filter(
            call__programme__slug=slug, status=ApplicationStatus.SELECTED
        ).select_related("city", "membership__network")
        assert {a.city.name for a in selected} == names
        assert all(a.membership.network.programme.slug == slug for a in selected)


def test_pilot_1s_call_ran_from_14_october_to_20_november_2020(demo):
    call = Call.objects.get(programme__slug="motiva-pilot-1")
    assert call.local_opens_at.date() == dt.date(2020, 10, 14)
    assert call.local_closes_at.date() == dt.date(2020, 11, 20)


def test_the_first_pilots_municipalities_mentor_the_second(demo):
    pairs = Mentorship.objects.filter(programme__slug="motiva-pilot-2")
    assert {p.mentee.name for p in pairs} == {"Kerava", "Lohja", "Kuhmo"}
    assert {p.mentor_city.name for p in pairs} == {
        "Turku", "Hyvinkää", "Hämeenlinna", "Oulu", "Hollola", "Rauma",
    }  # fmt: skip
    assert all(p.mentor_contact.city_id == p.mentor_city_id for p in pairs)


def test_loading_twice_keeps_the_same_rows(demo):
    before = snapshot()
    call_command("load_demo", stdout=io.StringIO())
    assert snapshot() == before


def test_the_demo_calls_pages_open_in_finnish(demo, client):
    client.cookies["django_language"] = "fi"
    page = client.get("/calls/motiva-pilot-2-call/", HTTP_ACCEPT_LANGUAGE="fi")
    assert page.status_code == 200
    assert "Haku auki: vertaisoppimisella vauhtia" in page.text
    listing = client.get("/calls/", HTTP_ACCEPT_LANGUAGE="fi").text
    assert "Haku kunta-alan ensimmäiseen vertaisoppimisen pilottihankkeeseen" in listing
