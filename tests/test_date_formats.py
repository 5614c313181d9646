"""One meeting's date, read the same way on its page, in its confirmation e-mail and in its
printable programme (PDF), in each language's own form (multiply/formats/)."""

import datetime as dt
import importlib
import io
import zoneinfo

import pytest
from django.conf import settings
from django.core import mail
from pypdf import PdfReader

from exchanges import registrations
from exchanges.models import Role
from multiply.formats import PORTAL_FORMATS
from reports.models import Document
from reports.services import document_render, document_request

from . import factories

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")
START = dt.datetime(2030, 12, 4, 9, 30, tzinfo=WARSAW)  # a Wednesday

# Written out by hand, as a reader of each language expects them: the day before the month
# (the year first in Hungarian), the genitive or partitive month in Polish and Finnish, weekdays
# and months in lower case where the language writes them so, and a 24-hour clock everywhere.
EXPECTED = {
    # language: (the date and time, the same with its weekday)
    "en": ("4 December 2030, 09:30", "Wednesday 4 December 2030, 09:30"),
    "pl": ("4 grudnia 2030, 09:30", "środa, 4 grudnia 2030, 09:30"),
    "sv": ("4 december 2030 09:30", "onsdag 4 december 2030 kl. 09:30"),
    "fi": ("4. joulukuuta 2030 kello 9.30", "keskiviikko 4. joulukuuta 2030 klo 9.30"),
    "de": ("4. Dezember 2030, 09:30", "Mittwoch, 4. Dezember 2030, 09:30"),
    "hu": ("2030. december 4. 09:30", "2030. december 4., szerda 09:30"),
    "it": ("4 dicembre 2030, 09:30", "mercoledì 4 dicembre 2030, 09:30"),
}


def test_every_language_of_the_portal_has_its_formats():
    assert sorted(EXPECTED) == sorted(code for code, _name in settings.LANGUAGES)
    for code in EXPECTED:
        module = importlib.import_module(f"multiply.formats.{code}.formats")
        missing = [name for name in PORTAL_FORMATS if not hasattr(module, name)]
        assert not missing, f"{code}: {missing}"


@pytest.fixture
def meeting(db):
    meeting = factories.MeetingFactory(
        title="Exchange in Sztum",
        start=START,
        end=START + dt.timedelta(hours=6),
        timezone="Europe/Warsaw",
        capacity=50,
    )
    factories.SessionFactory(meeting=meeting, title="Welcome")
    return meeting


@pytest.mark.django_db
@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_a_meeting_date_reads_the_same_on_the_page_in_the_email_and_in_the_pdf(
    client, meeting, language, django_capture_on_commit_callbacks
):
    moment, with_weekday = EXPECTED[language]

    page = client.get(meeting.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language)
    assert f'<html lang="{language}">' in page.text
    assert with_weekday in page.text

    membership = factories.MembershipFactory(network=meeting.network, role=Role.ENGAGED)
    contact = factories.ContactFactory(city=membership.city, language=language)
    with django_capture_on_commit_callbacks(execute=True):
        registrations.registration_create(
            meeting_id=meeting.pk, contact=contact, privacy_consent=True
        )
    (email,) = mail.outbox
    assert moment in email.body

    document = document_render(
        document_id=document_request(
            kind=Document.Kind.AGENDA,
            programme=meeting.programme,
            meeting=meeting,
            language=language,
        ).pk
    )
    assert document.status == Document.Status.READY, document.error
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert with_weekday in text
