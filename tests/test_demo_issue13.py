"""What a newcomer finds of issue 13 in the demo: an agenda and a registration form with
questions, a city quota, registrations awaiting approval, a meeting to check people in to today,
and what the programmes' certificates print; and that loading again changes none of it."""

import datetime as dt
import shutil
import tempfile

import pytest
import time_machine
from django.forms.models import model_to_dict
from django.test import TestCase, override_settings

from accounts.models import User
from cities.models import City, Contact
from demo.loader import DemoDataError, load_files
from exchanges.checkin import check_in_refusal
from exchanges.models import (
    ExchangeMeeting,
    Programme,
    Question,
    QuestionChoice,
    Registration,
    RegistrationStatus,
    Session,
)
from exchanges.registrations import (
    RegistrationRefused,
    registration_approve,
    registration_create,
)

from .test_demo_current import CURRENT, DAY, EXCHANGE_2, current, load_demo_on
from .test_demo_loader import PROGRAMME, write
from .test_demo_loader import TODAY as LOADER_DAY
from .test_demo_loader import meeting as meeting_entry

SWEDEN_1 = "National exchange 1 (Sweden): Open session in Helsingborg"
TODAY = "Workshop (Poland): Energy data for the monitoring report"
KATARZYNA = "katarzyna.wisniewska@minsk-mazowiecki.example"
MEDIA = tempfile.mkdtemp(prefix="demo-issue13-")


def sign_in(client, email: str) -> None:
    client.force_login(User.objects.get(email=email))


def required_answers(meeting) -> dict:
    """Answers to exchange 2's two required questions: vegetarian, and no coach."""
    dietary = Question.objects.get(meeting=meeting, label_en="Dietary needs")
    coach = Question.objects.get(meeting=meeting, kind="yes_no")
    return {dietary.pk: str(dietary.choices.get(label_en="Vegetarian").pk), coach.pk: False}


@override_settings(MEDIA_ROOT=MEDIA)
class TestIssue13InTheDemo(TestCase):
    """Read-only checks, and changes rolled back after each test, on one load (setUpTestData)."""

    @classmethod
    def setUpTestData(cls):
        load_demo_on(DAY)

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(MEDIA, ignore_errors=True)

    def setUp(self):
        traveller = time_machine.travel(DAY, tick=False)
        traveller.start()
        self.addCleanup(traveller.stop)

    def test_exchange_2_has_an_agenda_of_four_sessions_on_its_day(self):
        meeting = current(EXCHANGE_2)
        sessions = list(meeting.sessions.order_by("start"))
        times = [(s.local_start.time(), s.local_end.time()) for s in sessions]
        keynote, workshop, visit = sessions[1:]

        assert [s.title_en for s in sessions] == [
            "Registration and coffee",
            "Keynote: ten years of Sztum's energy plan",
            "Workshop: monitoring indicators that a small town can keep up",
            "Site visit: the heating plant's new heat storage",
        ]
        assert times[0] == (dt.time(10), dt.time(10, 30)) and times[-1][1] == dt.time(16)
        assert all(s.local_start.date() == meeting.local_start.date() for s in sessions)
        assert [c.full_name for c in keynote.speakers.all()] == ["Ewa Mazur"]
        assert "PNEC" in workshop.other_speakers and workshop.target_group.slug == "planning-staff"
        assert visit.room.startswith("Ciepłownia miejska")
        assert keynote.title_pl.startswith("Wystąpienie otwierające")

    def test_the_meeting_page_shows_the_agenda_and_its_printable_programme(self):
        meeting = current(EXCHANGE_2)

        page = self.client.get(meeting.get_absolute_url()).text
        programme = self.client.get(f"/meetings/{meeting.pk}/programme.pdf")

        assert "Keynote: ten years of Sztum" in page and "Ewa Mazur" in page
        assert f'href="/meetings/{meeting.pk}/programme.pdf?lang=en"' in page
        assert programme.status_code == 202  # being prepared: the render is queued

    def test_exchange_2_asks_five_questions_two_of_them_required_in_english_and_polish(self):
        questions = list(Question.objects.filter(meeting=current(EXCHANGE_2)).order_by("order"))
        required = {(q.kind, q.label_en) for q in questions if q.required}
        sessions_question = next(q for q in questions if q.kind == "multiple")

        assert len(questions) == 5
        assert required == {
            ("single", "Dietary needs"),
            ("yes_no", "Will you join the site visit by coach after lunch?"),
        }
        assert all(q.label_pl and q.label_pl != q.label_en for q in questions)
        assert sessions_question.choices.count() == 4

    def test_katarzyna_must_answer_the_required_questions_to_register(self):
        meeting = current(EXCHANGE_2)
        sign_in(self.client, KATARZYNA)
        consent = {"privacy_consent": "on"}
        answers = {
            f"question_{pk}": value if isinstance(value, str) else "no"
            for pk, value in required_answers(meeting).items()
        }

        form = self.client.get(meeting.get_absolute_url()).text
        refused = self.client.post(f"/meetings/{meeting.pk}/register/", consent)
        nothing_written = not meeting.registrations.filter(contact__email=KATARZYNA).exists()
        self.client.post(f"/meetings/{meeting.pk}/register/", consent | answers)

        assert "Dietary needs" in form and "Will you join the site visit by coach" in form
        assert refused.status_code == 400 and nothing_written
        registration = meeting.registrations.get(contact__email=KATARZYNA)
        assert registration.status == RegistrationStatus.CONFIRMED
        assert sorted(answer.display() for answer in registration.answers.all()) == [
            "Vegetarian",
            "no",
        ]

    def test_exchange_2_takes_at_most_three_people_per_city_and_still_has_three_seats(self):
        meeting = current(EXCHANGE_2)
        bydgoszcz = City.objects.get(name="Bydgoszcz", country__code="PL")
        fourth = Contact.objects.create(
            city=bydgoszcz, first_name="Adam", last_name="Nowy", email="adam.nowy@example.org"
        )
        held = meeting.registrations.filter(status=RegistrationStatus.CONFIRMED).count()

        with pytest.raises(RegistrationRefused, match="Bydgoszcz has already registered 3"):
            registration_create(
                meeting_id=meeting.pk,
                contact=fourth,
                privacy_consent=True,
                answers=required_answers(meeting),
            )

        assert meeting.city_quota == 3
        assert meeting.capacity - held == 3

    def test_two_swedish_registrations_await_approval_and_the_cockpit_says_so(self):
        meeting = current(SWEDEN_1)
        pending = meeting.registrations.filter(status=RegistrationStatus.PENDING)
        sign_in(self.client, "admin@multiply.example")

        cockpit = self.client.get(f"/manage/{CURRENT}/").text
        approved = registration_approve(registration_id=pending.first().pk, by=None)

        assert meeting.requires_approval
        assert "2 await approval" in cockpit
        assert approved.status == RegistrationStatus.CONFIRMED
        assert pending.count() == 1
        logins = set(User.objects.values_list("email", flat=True))
        assert not logins & set(meeting.registrations.values_list("contact__email", flat=True))

    def test_todays_workshop_is_open_for_check_in_with_one_person_checked_in(self):
        meeting = current(TODAY)
        checked_in = meeting.registrations.get(checked_in_at__isnull=False)
        sign_in(self.client, "poland@pnec.example")

        page = self.client.get(f"/manage/meetings/{meeting.pk}/check-in/").text

        assert meeting.local_start == dt.datetime.combine(DAY.date(), dt.time(9))
        assert meeting.capacity == 20 and meeting.host_city.name == "Grodzisk Mazowiecki"
        assert check_in_refusal(meeting=meeting) is None
        assert checked_in.status == RegistrationStatus.ATTENDED
        assert checked_in.checked_in_at <= meeting.start
        assert "1 of 7 checked in" in page
        expected = meeting.registrations.filter(status=RegistrationStatus.CONFIRMED)
        assert KATARZYNA in set(expected.values_list("contact__email", flat=True))

    def test_the_certificates_print_the_funders_statement_and_a_signatory(self):
        multiply = Programme.objects.get(slug="multiply")
        demo = Programme.objects.get(slug=CURRENT)

        assert multiply.funding_statement_en == (
            "This project has received funding from the European Union's Horizon 2020 "
            "research and innovation programme under grant agreement No 785088."
        )
        for lang in ("pl", "sv", "fi"):
            assert "785088" in getattr(multiply, f"funding_statement_{lang}"), lang
        assert multiply.signatory_name and multiply.signatory_title_pl
        assert "invented" in demo.funding_statement_en and demo.signatory_name
        assert demo.logo.name.endswith(".png") and demo.logo.size > 0

    def test_magdalena_finds_the_certificate_of_the_exchange_she_attended(self):
        sign_in(self.client, "magdalena.kaminska@ostroleka.example")

        page = self.client.get("/me/meetings/").text

        attended = Registration.objects.get(
            contact__email="magdalena.kaminska@ostroleka.example",
            status=RegistrationStatus.ATTENDED,
        )
        assert attended.meeting.programme.slug == CURRENT
        assert f'href="/me/registrations/{attended.pk}/certificate.pdf"' in page


def issue13_rows() -> dict:
    """Every field of the rows issue 13 added to the demo, the many-to-many ones included."""
    sessions = Session.objects.filter(meeting__programme__slug=CURRENT).order_by("pk")
    questions = Question.objects.filter(meeting__programme__slug=CURRENT).order_by("pk")
    choices = QuestionChoice.objects.filter(question__in=questions).order_by("pk")
    registrations = Registration.objects.filter(meeting__programme__slug=CURRENT).order_by("pk")
    programmes = Programme.objects.order_by("pk")
    rows = [*sessions, *questions, *choices, *registrations]
    return {
        "rows": [(type(row).__name__, model_to_dict(row)) for row in rows],
        "speakers": list(Session.speakers.through.objects.order_by("pk").values_list()),
        "programmes": [
            (p.slug, p.logo.name, p.funding_statement_en, p.signatory_name) for p in programmes
        ],
    }


@pytest.mark.django_db
def test_loading_twice_changes_none_of_issue_13s_rows(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    load_demo_on(DAY)
    before = issue13_rows()

    load_demo_on(DAY)

    assert issue13_rows() == before
    assert len(list((tmp_path / "programmes").iterdir())) == 1  # the logo, stored once


@pytest.mark.django_db
def test_the_next_day_todays_workshop_and_its_check_in_move_to_that_day(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    load_demo_on(DAY)
    next_day = DAY + dt.timedelta(days=1)

    load_demo_on(next_day)

    meeting = current(TODAY)
    checked_in = meeting.registrations.get(status=RegistrationStatus.ATTENDED)
    assert meeting.local_start.date() == next_day.date()
    assert checked_in.checked_in_at.date() == next_day.date()
    assert meeting.start - dt.timedelta(hours=1) <= checked_in.checked_in_at <= meeting.start


# --- What the loader refuses in the new keys ------------------------------------------------------

SESSION = """
[[meetings.sessions]]
title = { en = "Opening" }
start = 10:00:00
end = 10:30:00
"""
QUESTION = """
[[meetings.questions]]
kind = "single"
label = { en = "Dietary needs" }
"""


@pytest.mark.django_db
@pytest.mark.parametrize(
    "extra, error",
    [
        (SESSION.replace("end = 10:30:00", "end = 12:00:00"), "not within the meeting's hours"),
        (SESSION.replace("start = 10:00:00", 'start = "10:00"'), "start: expected a local time"),
        (SESSION + 'speakers = ["nobody@example.org"]\n', "DoesNotExist"),
        (QUESTION, "'Dietary needs': a choice question needs choices"),
        (QUESTION.replace('"single"', '"yes_no"') + "session_choices = true\n", "only choice"),
        (QUESTION.replace('"single"', '"sngle"'), "kind: 'sngle' is not one of"),
    ],
)
def test_a_meeting_entry_with_a_wrong_session_or_question_fails_naming_it(tmp_path, extra, error):
    text = PROGRAMME + meeting_entry("Webinar", "2024-03-05") + extra

    with pytest.raises(DemoDataError, match=error):
        load_files([write(tmp_path, text)], today=LOADER_DAY)

    assert not ExchangeMeeting.objects.exists()


@pytest.mark.django_db
def test_a_logo_that_is_not_in_the_files_folder_fails_before_anything_is_written(tmp_path):
    text = PROGRAMME.replace('name = { en = "Loader test" }', 'name.en = "L"\nlogo = "gone.png"')

    with pytest.raises(DemoDataError, match="logo: no file 'gone.png' in demo/data/files/"):
        load_files([write(tmp_path, text)], today=LOADER_DAY)

    assert not Programme.objects.exists()
