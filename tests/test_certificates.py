"""Certificates anyone can verify (issue 13, item 7): what the PDF prints, the code it carries
and the public page that checks it."""

import datetime as dt
import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image
from pypdf import PdfReader

from exchanges.models import RegistrationStatus
from exchanges.registrations import registrations_mark
from reports.certificates import CertificateRefused, certificate_issue, certificate_verify
from reports.models import Document
from reports.services import document_render, document_request

from . import factories

pytestmark = pytest.mark.django_db

FUNDING = (
    "This project has received funding from the European Union's Horizon 2020 research and "
    "innovation programme under grant agreement No 785088"
)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SITE_URL = "https://portal.example"
    return tmp_path


@pytest.fixture
def attended(media):
    """Łucja Żak of Piastów attended a two-day exchange of MULTIPLY, held in Warsaw."""
    programme = factories.ProgrammeFactory(
        name="MULTIPLY",
        funding_statement=FUNDING,
        signatory_name="Anna Kowalska",
        signatory_title="Project coordinator",
    )
    factories.PartnerFactory(programme=programme, name="Energy Cities", is_coordinator=True)
    factories.PartnerFactory(programme=programme, name="Climate Alliance")
    # 9 March 2020, 23:30 UTC is already 10 March in Warsaw: the local dates are printed.
    start = dt.datetime(2020, 3, 9, 23, 30, tzinfo=dt.UTC)
    meeting = factories.MeetingFactory(
        network__programme=programme,
        title="National exchange in Warsaw",
        start=start,
        end=start + dt.timedelta(days=1, hours=8),
        status="held",
    )
    user = factories.UserFactory(email="lucja@piastow.example")
    contact = factories.ContactFactory(
        user=user,
        first_name="Łucja",
        last_name="Żak",
        email="lucja@piastow.example",
        city__name="Piastów",
        city__country=meeting.network.country,
    )
    return factories.RegistrationFactory(
        meeting=meeting, contact=contact, status=RegistrationStatus.ATTENDED
    )


def render_certificate(registration, language="en") -> Document:
    document = document_request(
        kind=Document.Kind.CERTIFICATE,
        programme=registration.meeting.programme,
        meeting=registration.meeting,
        registration=registration,
        language=language,
    )
    rendered = document_render(document_id=document.pk)
    assert rendered.status == Document.Status.READY, rendered.error
    return rendered


def read_pdf(document: Document) -> tuple[str, PdfReader]:
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    return text, reader


def png() -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 40), (0, 90, 160)).save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="multiply.png")


def test_it_names_issuer_funding_signatory_and_the_code_with_its_address(attended):
    text, reader = read_pdf(render_certificate(attended))

    attended.refresh_from_db()
    code = attended.certificate_code
    assert code and len(code) == 14
    assert len(reader.pages) == 1
    for shown in (
        "Certificate of attendance",
        "Łucja Żak",
        "Piastów",
        "National exchange in Warsaw",
        "10 March 2020 – 11 March 2020",
        "Issued by MULTIPLY, coordinated by Energy Cities",
        FUNDING,
        "Anna Kowalska",
        "Project coordinator",
        code,
        f"https://portal.example/certificates/{code}/",
    ):
        assert shown in text, shown
    assert "Climate Alliance" not in text  # a partner, not the coordinator
    assert "lucja@piastow.example" not in text


def test_it_prints_the_programmes_words_in_the_documents_language(attended):
    programme = attended.meeting.programme
    programme.funding_statement_pl = "Projekt otrzymał finansowanie z programu Horyzont 2020"
    programme.signatory_title_pl = "Koordynatorka projektu"
    programme.save()

    text, _ = read_pdf(render_certificate(attended, language="pl"))

    attended.refresh_from_db()
    assert "Projekt otrzymał finansowanie z programu Horyzont 2020" in text
    assert "Koordynatorka projektu" in text
    assert "Anna Kowalska" in text and attended.certificate_code in text


def test_the_logo_is_embedded_when_the_programme_has_one(attended):
    programme = attended.meeting.programme
    programme.logo.save("multiply.png", png())

    _, reader = read_pdf(render_certificate(attended))

    assert len(reader.pages[0].images) == 1


def test_a_logo_file_gone_from_storage_leaves_the_certificate_without_a_logo(attended):
    programme = attended.meeting.programme
    programme.logo.name = "programmes/gone.png"
    programme.save()

    text, reader = read_pdf(render_certificate(attended))

    attended.refresh_from_db()
    assert len(reader.pages[0].images) == 0
    assert "Łucja Żak" in text and attended.certificate_code in text


def test_the_code_is_issued_once(attended):
    first = certificate_issue(registration=attended)
    second = certificate_issue(registration=attended)

    attended.refresh_from_db()
    assert first == second == attended.certificate_code


def test_the_download_gives_the_code_before_serving(client, attended):
    client.force_login(attended.contact.user)

    response = client.get(f"/me/registrations/{attended.pk}/certificate.pdf")

    assert response.status_code == 202
    attended.refresh_from_db()
    assert attended.certificate_code
    queued = Document.objects.get(kind="certificate", status="queued")
    text, _ = read_pdf(document_render(document_id=queued.pk))
    assert attended.certificate_code in text


def test_a_certificate_rendered_before_its_code_is_not_served_again(client, attended):
    """A certificate from before codes existed does not print one: it gives way to a new one."""
    old = render_certificate(attended)
    type(attended).objects.filter(pk=attended.pk).update(certificate_code=None)
    client.force_login(attended.contact.user)

    response = client.get(f"/me/registrations/{attended.pk}/certificate.pdf")

    assert response.status_code == 202  # a new render, not the old file
    assert not Document.objects.filter(pk=old.pk).exists()


def test_a_registration_that_did_not_attend_gets_no_code(attended):
    registrations_mark(registration_ids=[attended.pk], status=RegistrationStatus.NO_SHOW)
    attended.refresh_from_db()
    upcoming = factories.RegistrationFactory(status=RegistrationStatus.CONFIRMED)
    marked_early = factories.RegistrationFactory(status=RegistrationStatus.ATTENDED)

    for registration in (attended, upcoming, marked_early):
        with pytest.raises(CertificateRefused):
            certificate_issue(registration=registration)
        registration.refresh_from_db()
        assert registration.certificate_code is None


def test_the_page_confirms_who_attended_what_and_when(client, attended):
    code = certificate_issue(registration=attended)

    page = client.get(f"/certificates/{code}/")

    assert page.status_code == 200
    assert "This certificate is genuine" in page.text
    assert "<strong>Łucja Żak</strong> of Piastów attended" in page.text
    assert (
        "National exchange in Warsaw</strong> (MULTIPLY) on 10 March 2020 – 11 March" in page.text
    )
    assert "Energy Cities" in page.text
    assert page["X-Robots-Tag"].startswith("noindex")


@pytest.mark.parametrize(
    "typed", [lambda c: c.lower(), lambda c: c.replace("-", ""), lambda c: " ".join(c)]
)
def test_the_page_reads_the_code_in_any_case_or_spacing(client, attended, typed):
    code = certificate_issue(registration=attended)

    page = client.get(f"/certificates/{typed(code)}/")

    assert page.status_code == 200 and "This certificate is genuine" in page.text


def test_a_forged_code_names_nobody(client, attended):
    certificate_issue(registration=attended)

    for forged in ("ABCD-EFGH-JKLM", "not-a-code"):
        page = client.get(f"/certificates/{forged}/")
        assert page.status_code == 404
        assert "No certificate has this code" in page.text
        assert "Łucja" not in page.text


def test_the_page_says_withdrawn_once_marked_no_show(client, attended):
    code = certificate_issue(registration=attended)
    registrations_mark(registration_ids=[attended.pk], status=RegistrationStatus.NO_SHOW)

    page = client.get(f"/certificates/{code}/")

    assert page.status_code == 410
    assert "This certificate was withdrawn" in page.text
    assert "This certificate is genuine" not in page.text
    assert certificate_verify(code=code).stands is False


def test_the_page_shows_no_email_address(client, attended):
    page = client.get(f"/certificates/{certificate_issue(registration=attended)}/")

    assert "lucja@piastow.example" not in page.text
    assert "@" not in page.text.split("<main", 1)[1].split("</main>", 1)[0]


def test_the_lookup_form_goes_to_the_codes_page(client, attended):
    code = certificate_issue(registration=attended)

    assert client.get("/certificates/").status_code == 200
    response = client.get("/certificates/", {"code": f"  {code.lower().replace('-', ' ')} "})

    assert response.status_code == 302
    assert response["Location"] == f"/certificates/{code}/"


def test_the_lookup_form_explains_a_code_of_the_wrong_shape(client):
    page = client.get("/certificates/", {"code": "ABC-123"})

    assert page.status_code == 400
    assert "A certificate code has twelve letters and digits" in page.text


def test_the_admin_shows_the_code_and_lets_the_programme_set_what_certificates_print(
    client, attended
):
    code = certificate_issue(registration=attended)
    client.force_login(factories.CoordinatorFactory())

    registration_page = client.get(f"/admin/exchanges/registration/{attended.pk}/change/")
    programme_page = client.get(
        f"/admin/exchanges/programme/{attended.meeting.programme.pk}/change/"
    )

    assert code in registration_page.text
    for field in ("logo", "funding_statement_en", "signatory_name", "signatory_title_en"):
        assert f'name="{field}"' in programme_page.text, field


def test_a_meeting_cancelled_after_the_fact_withdraws_its_certificates(client, attended):
    code = certificate_issue(registration=attended)
    attended.meeting.status = "cancelled"
    attended.meeting.save()

    page = client.get(f"/certificates/{code}/")

    assert page.status_code == 410 and "withdrawn" in page.text
