"""The document pipeline and its PDFs, read back as a reader would."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from exchanges.models import Programme, Registration, RegistrationStatus
from meetings.models import ConsortiumMeeting
from reports import services
from reports.models import Document
from reports.services import document_render, document_request

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def demo(media):
    call_command("load_demo", stdout=io.StringIO())


def programme_with_plan(**fields):
    """A programme with one city in a network: enough for a plan (reports.plan)."""
    programme = factories.ProgrammeFactory(**fields)
    factories.MembershipFactory(network__programme=programme)
    return programme


def rendered(**subject) -> Document:
    document = document_request(**subject)
    return document_render(document_id=document.pk)


def pdf_text(document: Document) -> tuple[str, int]:
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    # Lines wrap where the layout wraps them; a reader reads through.
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    return text, len(reader.pages)


def test_the_multiply_plan_holds_the_networks_schedules_themes_and_consortium(demo):
    multiply = Programme.objects.get(slug="multiply")
    document = rendered(kind="peer_learning_plan", programme=multiply, language="en")

    assert document.status == "ready", document.error
    text, pages = pdf_text(document)
    for city in (
        "Bydgoszcz",
        "Sztum",
        "Piastów",
        "Mińsk Mazowiecki",
        "Siemianowice Śląskie",
        "Ostrołęka",
        "Grodzisk Mazowiecki",
        "Perchtoldsdorf",
    ):
        assert city in text, city
    assert "26 February 2020" in text  # the first Polish national exchange, in Warsaw
    for place in ("Radolfzell", "Kraków", "Graz", "Helsingborg", "Urban Future", "Legambiente"):
        assert place in text, place
    for theme in (
        "Political leadership",
        "Planning and target fulfilment",
        "Citizen engagement",
        "European exchange",
    ):
        assert theme in text, theme
    assert "The Big European Exchange Conference" in text
    assert "Contents" in text and "Page 2 /" in text
    assert 6 <= pages <= 40


def test_finnish_letters_survive_in_motivas_plan(demo):
    pilot = Programme.objects.get(slug="motiva-pilot-2")
    text, _ = pdf_text(rendered(kind="peer_learning_plan", programme=pilot, language="fi"))
    for name in ("Hämeenlinna", "Hyvinkää", "Kerava", "Lohja", "Kuhmo"):
        assert name in text, name
    for finnish in ("Hakuaika", "Vertaisvierailut", "Osallistujien organisointi", "Mentorointi"):
        assert finnish in text, finnish


def test_motivas_second_pilot_plan_describes_its_call_visits_and_mentors(demo):
    pilot = Programme.objects.get(slug="motiva-pilot-2")
    text, pages = pdf_text(rendered(kind="peer_learning_plan", programme=pilot, language="en"))

    for shown in (
        "Call for applications",
        "1 November 2021, 00:00 – 4 December 2021, 23:59",
        "5–6 municipalities sought",
        "energy-efficiency agreement (KETS)",
        "4 November 2021, 10:00–11:00",
        "Preparing the visits 1 January 2022 28 February 2022",
        "The visits 1 March 2022 30 April 2022",
        "Participating municipality Kerava, Kuhmo, Lohja",
        "Kerava Hyvinkää Mentoring",
        "Kick-off of the second peer-learning pilot",
    ):
        assert shown in text, shown
    for absent in ("national exchanges", "International conference", "Consortium meetings", "yet"):
        assert absent not in text, absent
    assert pages <= 8


def test_mayors_in_action_has_nothing_to_plan_yet_so_no_plan(client, demo):
    page = client.get("/programmes/mayors-in-action/")
    assert page.status_code == 200 and "peer-learning-plan.pdf" not in page.text
    assert client.get("/programmes/mayors-in-action/peer-learning-plan.pdf").status_code == 404
    assert not Document.objects.filter(programme__slug="mayors-in-action").exists()


def test_the_minutes_list_attendance_and_the_items_still_open(demo):
    multiply = Programme.objects.get(slug="multiply")
    helsingborg = ConsortiumMeeting.objects.get(programme=multiply, number=7)
    document = rendered(
        kind="minutes", programme=multiply, consortium_meeting=helsingborg, language="en"
    )
    text, _ = pdf_text(document)
    assert "Consortium meeting 7" in text
    assert "Legambiente" in text and "absent" in text
    assert "Action items still open from earlier meetings" in text


def test_a_download_with_no_file_yet_queues_exactly_one_render(client, media):
    programme = programme_with_plan(slug="multiply")
    for _ in range(3):
        response = client.get("/programmes/multiply/peer-learning-plan.pdf")
        assert response.status_code == 202
        assert "being prepared" in response.text
    assert Document.objects.filter(programme=programme, status="queued").count() == 1


def test_a_download_is_served_from_storage_without_rendering(client, media, monkeypatch):
    programme = programme_with_plan(slug="multiply", name="MULTIPLY")
    rendered(kind="peer_learning_plan", programme=programme, language="pl")

    def no_rendering(*args, **kwargs):
        raise AssertionError("WeasyPrint was called on the request path")

    monkeypatch.setattr("weasyprint.HTML", no_rendering)
    monkeypatch.setattr(services, "pdf_from_html", no_rendering)
    response = client.get("/programmes/multiply/peer-learning-plan.pdf?lang=pl")

    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    assert "multiply-peer-learning-plan-pl.pdf" in response["Content-Disposition"]
    again = client.get(
        "/programmes/multiply/peer-learning-plan.pdf?lang=pl", HTTP_IF_NONE_MATCH=response["ETag"]
    )
    assert again.status_code == 304


def test_an_unknown_language_is_not_found(client, media):
    programme_with_plan(slug="multiply")
    assert client.get("/programmes/multiply/peer-learning-plan.pdf?lang=xx").status_code == 404


def test_a_failing_render_keeps_the_old_file_online_and_records_the_error(
    client, media, monkeypatch
):
    programme = programme_with_plan(slug="multiply", name="MULTIPLY")
    good = rendered(kind="peer_learning_plan", programme=programme, language="en")
    programme.name = "MULTIPLY, renamed"
    programme.save()

    def broken(html):
        raise RuntimeError("the fonts are gone")

    monkeypatch.setattr(services, "pdf_from_html", broken)
    failed = rendered(kind="peer_learning_plan", programme=programme, language="en")

    assert failed.status == "failed" and "the fonts are gone" in failed.error
    response = client.get("/programmes/multiply/peer-learning-plan.pdf")
    assert response.status_code == 200
    assert response["ETag"] == f'"{good.data_hash}"'


def test_a_data_change_re_renders_once(media, django_capture_on_commit_callbacks):
    programme = programme_with_plan(slug="multiply")
    network = programme.networks.get()
    rendered(kind="peer_learning_plan", programme=programme, language="en")

    with django_capture_on_commit_callbacks(execute=True):
        for number in range(1, 4):  # a coordinator edits three meetings in a row
            factories.MeetingFactory(network=network, number=number)

    plans = Document.objects.filter(kind="peer_learning_plan", programme=programme)
    assert plans.count() == 2  # the first, and exactly one re-render
    newest = plans.order_by("-pk").first()
    assert newest.status == "ready"
    assert newest.data_hash != plans.order_by("pk").first().data_hash


def test_an_unchanged_plan_is_not_rendered_again(media, monkeypatch):
    programme = programme_with_plan(slug="multiply")
    first = rendered(kind="peer_learning_plan", programme=programme, language="en")
    calls = []
    monkeypatch.setattr(services, "pdf_from_html", lambda html: calls.append(html) or b"%PDF")
    second = rendered(kind="peer_learning_plan", programme=programme, language="en")
    assert calls == []
    assert second.file.name == first.file.name


def test_minutes_are_for_consortium_members_only(client, media):
    meeting = factories.ConsortiumMeetingFactory(programme__slug="multiply", number=1)
    url = f"/programmes/multiply/consortium/{meeting.number}/minutes.pdf"
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(factories.UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(factories.CoordinatorFactory())
    assert client.get(url).status_code == 202


def test_the_participant_list_is_for_coordinators(client, media):
    meeting = factories.MeetingFactory()
    url = f"/meetings/{meeting.pk}/participants.pdf"
    client.force_login(factories.UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(factories.CoordinatorFactory())
    assert client.get(url).status_code == 202


def test_a_certificate_is_only_for_the_attendee_once_attended(client, media):
    from django.utils import timezone

    meeting = factories.MeetingFactory(
        title="National exchange 3", start=timezone.now() - dt.timedelta(days=2)
    )
    user = factories.UserFactory(first_name="Łucja", last_name="Żak")
    contact = factories.ContactFactory(user=user, first_name="Łucja", last_name="Żak")
    registration = Registration.objects.create(
        meeting=meeting,
        contact=contact,
        status=RegistrationStatus.CONFIRMED,
        privacy_consent_at=timezone.now(),
    )
    url = f"/me/registrations/{registration.pk}/certificate.pdf"
    client.force_login(user)
    assert client.get(url).status_code == 404  # not yet attended
    registration.status = RegistrationStatus.ATTENDED
    registration.save()
    assert client.get(url).status_code == 202
    document = Document.objects.get(kind="certificate")
    text, pages = pdf_text(document_render(document_id=document.pk))
    assert "Łucja Żak" in text and "National exchange 3" in text and pages == 1
    client.force_login(factories.UserFactory())
    assert client.get(url).status_code == 404  # someone else's


def test_a_transaction_that_saves_many_rows_asks_for_one_render(
    media, django_capture_on_commit_callbacks
):
    programme = programme_with_plan(slug="multiply")
    network = programme.networks.get()
    rendered(kind="peer_learning_plan", programme=programme, language="en")
    rendered(kind="peer_learning_plan", programme=programme, language="pl")

    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(20):
            factories.MembershipFactory(network=network)

    plans = Document.objects.filter(kind="peer_learning_plan", programme=programme)
    assert plans.count() == 4  # one new render per published language
