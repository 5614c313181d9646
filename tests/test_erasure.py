"""Erasure (issue 15, item 3): a person deletes their account, or a coordinator erases a contact
on request; nothing personal of theirs stays in any table, and the funder's counts survive."""

import datetime as dt
import json

import pytest
from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone

from accounts.models import User
from calls.models import Answer, Application
from cities.models import Contact
from exchanges.models import Registration, RegistrationStatus
from exchanges.models.questions import FeedbackAnswer, RegistrationAnswer
from notifications.models import Message
from privacy.erasure import ErasureRefused, person_erase
from privacy.models import RemovalRecord
from privacy.selectors import person_of
from reports.selectors import attendance_report

from . import factories, factories_calls
from .files import pdf_bytes

pytestmark = pytest.mark.django_db

FIRST, LAST = "Zofia", "Quxwiśniewska"
EMAIL, SECOND_EMAIL = "zofia.q@hollola.example", "zq-private@mail.example"
PHONE = "+48 601 234 567"
PASSWORD = "correct horse battery"


def secrets() -> list[str]:
    return [FIRST, LAST, EMAIL, SECOND_EMAIL, PHONE]


def traces_left() -> list[str]:
    """Every table, every column, read back raw from the database: where does a value of the
    erased person still appear? JSON may keep non-ASCII letters escaped, so look for that too."""
    needles = {}
    for value in secrets():
        needles[value.lower()] = value
        needles[json.dumps(value)[1:-1].lower()] = value
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - names from the database itself
            for row in cursor.fetchall():
                for cell in row:
                    text = str(cell).lower()
                    found += [f"{table}: {v}" for needle, v in needles.items() if needle in text]
    return found


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def person(media):
    """Zofia of Hollola, with everything a person leaves behind: an account with two addresses,
    her contact, an attended meeting with an answer and a comment, an application with a file,
    e-mails to her, and a coordinator's e-mail and the audit trail naming her."""
    user = factories.UserFactory(email=EMAIL, first_name=FIRST, last_name=LAST, verified=True)
    EmailAddress.objects.create(user=user, email=SECOND_EMAIL, verified=True, primary=False)
    meeting = factories.MeetingFactory(
        start=timezone.now() - dt.timedelta(days=10), end=timezone.now() - dt.timedelta(days=10)
    )
    contact = factories.ContactFactory(
        city__country=meeting.network.country,
        first_name=FIRST,
        last_name=LAST,
        email=EMAIL,
        phone=PHONE,
        position="Energy manager",
        user=user,
    )
    contact.position = "Head of energy"  # an audit entry with her name in it
    contact.save()
    registration = factories.RegistrationFactory(
        meeting=meeting, contact=contact, status=RegistrationStatus.ATTENDED, note=f"Call {PHONE}"
    )
    question = factories.QuestionFactory(meeting=meeting, kind="text")
    RegistrationAnswer.objects.create(
        registration=registration, question=question, text="Vegetarian, no nuts"
    )
    feedback = factories.MeetingFeedbackFactory(meeting=meeting, contact=contact)
    FeedbackAnswer.objects.create(
        feedback=feedback, question=question, text=f"Write to me at {SECOND_EMAIL}"
    )
    application = factories_calls.ApplicationFactory(
        applicant=user,
        city=contact.city,
        contact_name=f"{FIRST} {LAST}",
        contact_email=EMAIL,
        contact_phone=PHONE,
    )
    answer = factories_calls.AnswerFactory(application=application, value="Our SECAP")
    answer.file.save("secap.pdf", ContentFile(pdf_bytes()), save=True)
    factories.MessageFactory(
        recipient_email=EMAIL,
        recipient_name=f"{FIRST} {LAST}",
        status="sent",
        sent_at=timezone.now(),
        body_text=f"Dear {FIRST} {LAST}, see you there.",
    )
    factories.MessageFactory(recipient_email=SECOND_EMAIL, status="queued")
    coordinator_mail = factories.MessageFactory(
        recipient_email="coordinator@pnec.example",
        status="sent",
        sent_at=timezone.now(),
        body_text=f"{FIRST} {LAST} ({EMAIL}) registered.",
    )
    return {
        "user": user,
        "contact": contact,
        "meeting": meeting,
        "registration": registration,
        "application": application,
        "answer": answer,
        "coordinator_mail": coordinator_mail,
    }


def funder_totals(meeting):
    day = meeting.start.date()
    return attendance_report(
        programme=meeting.programme, start=day - dt.timedelta(days=1), end=day
    )["totals"]


def test_the_fixture_leaves_traces_everywhere_the_erasure_must_reach(person):
    left = {line.split(":")[0] for line in traces_left()}
    assert {"accounts_user", "cities_contact", "notifications_message"} <= left
    assert "auditlog_logentry" in left


def test_no_personal_value_of_an_erased_person_remains_in_any_table(person):
    person_erase(person=person_of(user=person["user"]), reason=RemovalRecord.Reason.SELF)

    assert traces_left() == []


def test_the_funder_report_still_counts_the_erased_persons_attendance(person):
    before = funder_totals(person["meeting"])
    assert before["attended"] == 1 and before["staff_trained"] == 1

    person_erase(person=person_of(user=person["user"]), reason=RemovalRecord.Reason.SELF)

    assert funder_totals(person["meeting"]) == before
    registration = Registration.objects.get(pk=person["registration"].pk)
    assert registration.contact.full_name == "erased person"
    assert registration.contact.city == person["contact"].city


def test_the_city_keeps_its_application_and_file_without_the_person(person):
    person_erase(person=person_of(user=person["user"]), reason=RemovalRecord.Reason.SELF)

    application = Application.objects.get(pk=person["application"].pk)
    assert application.applicant is None
    assert (application.contact_name, application.contact_email) == ("", "")
    answer = Answer.objects.get(pk=person["answer"].pk)
    assert answer.file.read() == pdf_bytes()


def test_the_account_goes_and_the_erasure_is_recorded_with_counts_only(person):
    coordinator = factories.CoordinatorFactory()
    record = person_erase(
        person=person_of(contact=person["contact"]),
        reason=RemovalRecord.Reason.REQUEST,
        by=coordinator,
    )

    assert not User.objects.filter(pk=person["user"].pk).exists()
    assert not EmailAddress.objects.filter(email__in=[EMAIL, SECOND_EMAIL]).exists()
    assert record.by == coordinator
    assert record.removed["accounts"] == 1 and record.removed["contacts"] == 1
    assert record.removed["messages_deleted"] == 1  # the one still queued is not sent
    assert Message.objects.filter(pk=person["coordinator_mail"].pk).get().body_text == (
        "[…] ([…]) registered."
    )
    assert RegistrationAnswer.objects.count() == 0
    assert FeedbackAnswer.objects.get().text == ""


def test_a_contact_without_an_account_is_erased_alone(person):
    other = factories.ContactFactory(first_name="Olli", last_name="Unrelated")
    contact = factories.ContactFactory(first_name="Ilse", last_name="Quxberg", user=None)

    person_erase(person=person_of(contact=contact), reason=RemovalRecord.Reason.REQUEST)

    contact.refresh_from_db()
    assert contact.erased_at is not None and not contact.is_active
    assert (contact.first_name, contact.last_name) == ("", "")
    assert User.objects.filter(pk=person["user"].pk).exists()
    assert Contact.objects.get(pk=other.pk).first_name == "Olli"


def test_a_coordinator_account_is_not_erased_while_it_holds_a_role(person):
    factories.RoleFactory(user=person["user"])

    with pytest.raises(ErasureRefused):
        person_erase(person=person_of(user=person["user"]), reason=RemovalRecord.Reason.SELF)

    assert Contact.objects.get(pk=person["contact"].pk).first_name == FIRST
    assert not RemovalRecord.objects.exists()


# --- The pages -----------------------------------------------------------------------------


def national_coordinator(network):
    user = factories.UserFactory(verified=True)
    factories.RoleFactory(
        user=user, kind="national_coordinator", network=network, programme=network.programme
    )
    return user


def test_a_person_deletes_their_account_with_their_password_and_is_signed_out(client, person):
    client.force_login(person["user"])

    page = client.get("/me/delete/")
    assert "This cannot be undone" in page.content.decode()
    wrong = client.post("/me/delete/", {"password": "not it"})
    assert wrong.status_code == 400 and "This is not your password." in wrong.content.decode()
    assert User.objects.filter(pk=person["user"].pk).exists()

    done = client.post("/me/delete/", {"password": PASSWORD}, follow=True)

    assert "Your account has been deleted" in done.content.decode()
    assert not User.objects.filter(pk=person["user"].pk).exists()
    assert client.get("/me/").status_code == 302  # signed out
    assert RemovalRecord.objects.get().reason == RemovalRecord.Reason.SELF


def test_a_coordinator_cannot_delete_their_own_account_while_they_hold_a_role(client, person):
    factories.RoleFactory(user=person["user"])
    client.force_login(person["user"])

    page = client.post("/me/delete/", {"password": PASSWORD})

    assert "Its roles must be removed first" in page.content.decode()
    assert User.objects.filter(pk=person["user"].pk).exists()


def test_the_national_coordinator_erases_a_contact_of_their_network_on_request(client, person):
    coordinator = national_coordinator(person["meeting"].network)
    client.force_login(coordinator)
    url = f"/privacy/contacts/{person['contact'].pk}/erase/"

    unconfirmed = client.post(url, {})
    assert unconfirmed.status_code == 400
    assert Contact.objects.get(pk=person["contact"].pk).erased_at is None

    client.post(url, {"confirm": "on"})

    assert Contact.objects.get(pk=person["contact"].pk).erased_at is not None
    assert RemovalRecord.objects.get().by == coordinator
    assert client.get(url).status_code == 404  # nothing left to erase


def test_another_networks_coordinator_and_city_staff_get_404(client, person):
    url = f"/privacy/contacts/{person['contact'].pk}/erase/"
    elsewhere = factories.NetworkFactory(country=factories.CountryFactory(code="ZZ"))
    client.force_login(national_coordinator(elsewhere))
    assert client.post(url, {"confirm": "on"}).status_code == 404
    client.force_login(factories.UserFactory(verified=True))
    assert client.get(url).status_code == 404
    assert Contact.objects.get(pk=person["contact"].pk).erased_at is None


def test_the_contacts_admin_page_links_to_export_and_erasure(client, person):
    client.force_login(factories.CoordinatorFactory())

    page = client.get(f"/admin/cities/contact/{person['contact'].pk}/change/").content.decode()

    assert f"/privacy/contacts/{person['contact'].pk}/erase/" in page
    assert f"/privacy/contacts/{person['contact'].pk}/export/" in page
