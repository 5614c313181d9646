"""Your data (issue 15, item 2): a signed-in person downloads everything the portal holds about
them as one archive from their profile; a coordinator makes the same for a contact they
coordinate, answering that person's request."""

import datetime as dt
import io
import json
import zipfile

import pytest
from auditlog.models import LogEntry
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from accounts.models import LinkRequest
from calls.models import QuestionKind
from exchanges.models import FeedbackAnswer, Question, QuestionChoice, RegistrationAnswer
from exchanges.models import QuestionKind as MeetingQuestionKind
from privacy.export import person_archive
from privacy.selectors import person_of
from visits.models import Interview

from . import factories
from .factories_calls import AnswerFactory, ApplicationFactory, CallFactory, MentorshipFactory
from .factories_calls import QuestionFactory as CallQuestionFactory
from .factories_visits import VisitFactory, staff_of
from .files import image_bytes, pdf_bytes

pytestmark = pytest.mark.django_db

EMAIL = "zofia.nowak@plock.example"
PLAN = pdf_bytes(padding=300)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def network():
    return factories.NetworkFactory(country__code="PL")


@pytest.fixture
def person(network):
    """Zofia, staff of Płock with an account, who registered, applied, got e-mail and asked to
    be linked; each with something only she wrote."""
    user = factories.UserFactory(email=EMAIL, first_name="Zofia", last_name="Nowak", verified=True)
    city = factories.CityFactory(name="Płock", country=network.country)
    contact = factories.ContactFactory(
        city=city,
        user=user,
        first_name="Zofia",
        last_name="Nowak",
        email=EMAIL,
        phone="+48 24 367 15 00",
        position="Energy manager",
    )
    return {"user": user, "contact": contact, "city": city}


def register(contact, meeting, *, note: str, answer: str):
    question = Question.objects.create(
        meeting=meeting, kind=MeetingQuestionKind.TEXT, label="Which workshop will you join?"
    )
    registration = factories.RegistrationFactory(meeting=meeting, contact=contact, note=note)
    RegistrationAnswer.objects.create(registration=registration, question=question, text=answer)
    return registration


def apply_with_file(user, city, *, data: bytes, name="action-plan.pdf"):
    call = CallFactory(title="Second peer-learning pilot")
    question = CallQuestionFactory(call=call, kind=QuestionKind.FILE, text="Action plan")
    application = ApplicationFactory(call=call, applicant=user, city=city, contact_name="Zofia")
    return AnswerFactory(
        application=application, question=question, value="", file=ContentFile(data, name=name)
    )


@pytest.fixture
def her_data(person, network):
    meeting = factories.MeetingFactory(network=network, title="Energy planning in Płock")
    registration = register(
        person["contact"], meeting, note="Vegetarian lunch, please", answer="Heat pumps"
    )
    answer = apply_with_file(person["user"], person["city"], data=PLAN)
    factories.MessageFactory(
        recipient_email=EMAIL.upper(), subject="Your seat is confirmed", body_text="See you."
    )
    factories.MessageFactory(
        recipient_email=EMAIL, subject="Reminder", body_removed_at=timezone.now(), body_text=""
    )
    LinkRequest.objects.create(
        user=person["user"], country=network.country, city_name="Plock", status="linked"
    )
    return {"meeting": meeting, "registration": registration, "answer": answer}


@pytest.fixture
def someone_else(network, her_data):
    """Another person at the same meeting and call, with their own note, e-mail and file."""
    user = factories.UserFactory(email="other@radom.example", verified=True)
    city = factories.CityFactory(name="Radom", country=network.country)
    contact = factories.ContactFactory(city=city, user=user, email=user.email)
    register(contact, her_data["meeting"], note="Arriving by train", answer="Street lighting")
    apply_with_file(user, city, data=image_bytes(), name="radom.png")
    factories.MessageFactory(recipient_email=user.email, subject="Radom's seat is confirmed")
    return contact


def unzip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(response.content))


def data_of(archive: zipfile.ZipFile) -> dict:
    return json.loads(archive.read("data.json").decode("utf-8"))


def test_a_person_downloads_everything_the_portal_holds_about_them(client, person, her_data):
    client.force_login(person["user"])
    response = client.get("/me/export/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="multiply-data-{today}.zip"'
    assert "no-store" in response["Cache-Control"]
    archive = unzip(response)
    data = data_of(archive)
    assert data["account"]["email"] == EMAIL
    assert data["account"]["email_addresses"] == [
        {"email": EMAIL, "verified": True, "primary": True}
    ]
    assert data["contacts"][0]["city"] == "Płock"
    assert data["contacts"][0]["phone"] == "+48 24 367 15 00"
    [registration] = data["registrations"]
    assert registration["meeting"] == "Energy planning in Płock"
    assert registration["note"] == "Vegetarian lunch, please"
    assert registration["status_display"] == "confirmed"
    assert registration["answers"] == [
        {"question": "Which workshop will you join?", "answer": "Heat pumps"}
    ]
    [application] = data["applications"]
    assert application["call"] == "Second peer-learning pilot"
    [file_answer] = application["answers"]
    assert file_answer["question"] == "Action plan"
    assert archive.read(file_answer["file"]) == PLAN
    assert [f["path"] for f in data["uploaded_files"]] == [file_answer["file"]]
    confirmed, reminder = data["messages"]
    assert (confirmed["subject"], confirmed["body_text"]) == ("Your seat is confirmed", "See you.")
    assert reminder["body_text"] is None and "removed" in reminder["note"]
    assert data["link_requests"][0]["municipality_as_typed"] == "Plock"
    assert "README.txt" in archive.namelist()


def test_another_persons_registration_message_and_file_are_not_in_it(
    client, person, her_data, someone_else
):
    client.force_login(person["user"])
    archive = unzip(client.get("/me/export/"))

    text = archive.read("data.json").decode("utf-8")
    assert "Arriving by train" not in text
    assert "Street lighting" not in text
    assert "Radom's seat is confirmed" not in text
    assert "radom.png" not in text
    assert image_bytes() not in [archive.read(name) for name in archive.namelist()]
    assert len(data_of(archive)["registrations"]) == 1


def test_file_names_in_the_archive_stay_inside_it(client, person, her_data):
    # Two more applications' files, both called plan.pdf.
    apply_with_file(person["user"], person["city"], data=PLAN, name="plan.pdf")
    apply_with_file(person["user"], person["city"], data=b"%PDF-1.4\n", name="plan.pdf")
    client.force_login(person["user"])
    names = unzip(client.get("/me/export/")).namelist()

    files = [name for name in names if name.startswith("files/")]
    assert len(files) == 3
    assert len(set(files)) == 3
    assert all(".." not in name and not name.startswith("/") for name in names)


def test_anonymous_visitors_are_sent_to_sign_in(client, person):
    for url in ("/me/export/", f"/privacy/contacts/{person['contact'].pk}/export/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def national_coordinator(network):
    return factories.RoleFactory(
        kind="national_coordinator", programme=network.programme, network=network
    ).user


def test_a_national_coordinator_of_the_contacts_network_gets_its_archive(
    client, network, person, her_data
):
    coordinator = national_coordinator(network)
    client.force_login(coordinator)
    contact = person["contact"]
    response = client.get(f"/privacy/contacts/{contact.pk}/export/")

    assert response.status_code == 200
    assert f"multiply-data-contact-{contact.pk}-" in response["Content-Disposition"]
    assert "Nowak" not in response["Content-Disposition"]
    data = data_of(unzip(response))
    assert data["registrations"][0]["note"] == "Vegetarian lunch, please"
    assert data["account"]["email"] == EMAIL
    # Who took a copy of the person's data is in the audit log.
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS, object_pk=str(contact.pk))
    assert entry.actor == coordinator


@pytest.mark.parametrize("persona", ["national coordinator of Sweden", "city staff"])
def test_anyone_who_does_not_coordinate_the_contact_gets_404(client, network, person, persona):
    if persona == "city staff":
        user = staff_of(person["city"])
    else:
        sweden = factories.NetworkFactory(programme=network.programme, country__code="SE")
        user = national_coordinator(sweden)
    client.force_login(user)

    response = client.get(f"/privacy/contacts/{person['contact'].pk}/export/")

    assert response.status_code == 404
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()


def test_the_coordinators_notes_on_an_application_are_only_in_a_coordinators_export(
    client, network, person, her_data
):
    application = her_data["answer"].application
    application.criteria_notes = "Weak on monitoring."
    application.save()

    client.force_login(person["user"])
    own = client.get("/me/export/")
    client.force_login(national_coordinator(network))
    requested = client.get(f"/privacy/contacts/{person['contact'].pk}/export/")

    assert "Weak on monitoring." not in own.content.decode("latin-1")
    assert "Weak on monitoring." not in unzip(own).read("data.json").decode()
    assert data_of(unzip(requested))["applications"][0]["criteria_notes"] == "Weak on monitoring."


def test_a_contact_without_an_account_gets_an_archive_too(client, network):
    contact = factories.ContactFactory(
        city__country=network.country, email="no.account@plock.example"
    )
    meeting = factories.MeetingFactory(network=network)
    register(contact, meeting, note="By phone", answer="All of them")
    factories.MessageFactory(recipient_email=contact.email, subject="Registered by phone")
    client.force_login(national_coordinator(network))

    data = data_of(unzip(client.get(f"/privacy/contacts/{contact.pk}/export/")))

    assert data["account"] is None
    assert data["registrations"][0]["note"] == "By phone"
    assert data["messages"][0]["subject"] == "Registered by phone"


def test_a_missing_file_does_not_break_the_export(client, person, her_data):
    answer = her_data["answer"]
    answer.file.storage.delete(answer.file.name)
    client.force_login(person["user"])

    response = client.get("/me/export/")

    assert response.status_code == 200
    archive = unzip(response)
    [listed] = data_of(archive)["uploaded_files"]
    assert listed["missing"] is True
    assert not [name for name in archive.namelist() if name.startswith("files/")]
    assert "action-plan.pdf" in archive.read("README.txt").decode()


def test_the_archive_speaks_the_contacts_language(client, person, her_data):
    person["contact"].language = "pl"
    person["contact"].save()
    client.force_login(person["user"])

    archive = unzip(client.get("/me/export/", HTTP_ACCEPT_LANGUAGE="en"))

    assert data_of(archive)["language"] == "pl"
    with translation.override("pl"):
        heading = translation.gettext("Correcting or erasing your data")
    assert heading in archive.read("README.txt").decode()


def test_without_a_contact_the_archive_speaks_the_language_of_the_request(client):
    user = factories.UserFactory(verified=True)
    client.force_login(user)

    archive = unzip(client.get("/me/export/", HTTP_ACCEPT_LANGUAGE="sv"))

    assert data_of(archive)["language"] == "sv"
    assert data_of(archive)["contacts"] == []


def test_peer_visit_material_interviews_and_mentorships_that_name_them(person, network):
    user, contact = person["user"], person["contact"]
    visit = VisitFactory(host=person["city"], round__programme=network.programme)
    factories.BackgroundMaterialFactory(
        visit=visit, uploaded_by=user, file=ContentFile(PLAN, name="energy-audit.pdf")
    )
    Interview.objects.create(
        visit=visit,
        starts_at=timezone.now() + dt.timedelta(days=3),
        role="Energy manager",
        interviewee="Zofia Nowak",
        email=EMAIL.title(),
    )
    MentorshipFactory(
        programme=network.programme, mentor_city=person["city"], mentor_contact=contact
    )

    archive = zipfile.ZipFile(io.BytesIO(person_archive(person=person_of(user=user))))

    data = data_of(archive)
    [material] = data["uploaded_files"]
    assert material["title"].startswith("Energy plan")
    assert archive.read(material["path"]) == PLAN
    assert data["visit_interviews"][0]["role_interviewed"] == "Energy manager"
    assert data["mentorships"][0]["mentor"] == "Płock"


def give_feedback(contact, meeting, *, choice: str):
    question = Question.objects.create(
        meeting=meeting, purpose="feedback", kind=MeetingQuestionKind.SINGLE, label="Useful?"
    )
    chosen = QuestionChoice.objects.create(question=question, label=choice)
    feedback = factories.MeetingFeedbackFactory(meeting=meeting, contact=contact)
    FeedbackAnswer.objects.create(feedback=feedback, question=question).choices.set([chosen])


def test_feedback_answers_name_the_choices_given(person, network):
    meeting = factories.MeetingFactory(network=network)
    give_feedback(person["contact"], meeting, choice="very useful")

    data = data_of(
        zipfile.ZipFile(io.BytesIO(person_archive(person=person_of(user=person["user"]))))
    )

    assert data["feedback"][0]["answers"] == [
        {"question": "Useful?", "answer": "very useful", "choices": ["very useful"]}
    ]


def queries_for(person) -> int:
    with CaptureQueriesContext(connection) as queries:
        person_archive(person=person)
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_what_a_person_holds(person, network):
    contact = person["contact"]

    def one_more(number):
        meeting = factories.MeetingFactory(network=network)
        register(contact, meeting, note="", answer=f"Answer {number}")
        factories.InvitationFactory(meeting=meeting, contact=contact)
        give_feedback(contact, meeting, choice=f"Choice {number}")
        factories.MessageFactory(recipient_email=EMAIL, meeting=meeting)
        apply_with_file(person["user"], person["city"], data=PLAN)

    one_more(1)
    one = queries_for(person_of(user=person["user"]))
    one_more(2)
    one_more(3)
    three = queries_for(person_of(user=person["user"]))

    assert three == one
