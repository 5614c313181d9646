"""Uploads are checked for what they are, not for their first bytes (issue 15, item 8): a PDF
parses, an image decodes, an office file is a zip holding that format's main part, an archive
unpacks safely. Each impostor is refused with a reason the person can act on, and nothing is
stored."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from calls.models import Application, QuestionKind
from multiply.uploads import validate_upload
from visits.models import BackgroundMaterial

from . import factories
from .factories_calls import CallFactory, QuestionFactory
from .factories_visits import round_with_visits, staff_of
from .files import image_bytes, office_bytes, pdf_bytes, real_file, zip_bytes

ALL_TYPES = ["pdf", "png", "jpg", "jpeg", "docx", "xlsx", "pptx", "odt", "ods", "odp", "zip"]
LIMIT = 10 * 1024 * 1024
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def check(name: str, data: bytes, extensions=ALL_TYPES):
    upload = SimpleUploadedFile(name, data)
    validate_upload(upload, max_size=LIMIT, extensions=extensions)
    return upload


def refusal(name: str, data: bytes) -> str:
    with pytest.raises(ValidationError) as raised:
        check(name, data)
    return raised.value.messages[0]


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims these dimensions: all a decompression bomb needs to be opened."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(bytes(1024))  # the first rows; the rest would follow
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def zip_unpacking_to(size: int) -> bytes:
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("zeros.bin", "w", force_zip64=True) as member,
    ):
        chunk = bytes(1024 * 1024)
        for _ in range(size // len(chunk)):
            member.write(chunk)
    return buffer.getvalue()


def with_user_password() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def zip_with_a_broken_crc() -> bytes:
    """An archive with one byte of its member changed after writing: the CRC no longer holds."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("plan.txt", "An energy plan.")
    broken = bytearray(buffer.getvalue())
    broken[30 + len("plan.txt")] ^= 0xFF  # the local header, then the member's content
    return bytes(broken)


# --- what is accepted ------------------------------------------------------------------------


@pytest.mark.parametrize("extension", ALL_TYPES)
def test_a_real_file_of_each_accepted_type_is_accepted_and_left_at_its_start(extension):
    data = real_file(extension)
    upload = check(f"plan.{extension}", data)
    assert upload.read() == data  # whoever stores it next reads it whole


def test_a_pdf_with_only_an_owner_password_opens_for_everyone_and_is_accepted():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    check("plan.pdf", buffer.getvalue())


def test_an_upper_case_extension_is_checked_like_a_lower_case_one():
    check("PLAN.PDF", pdf_bytes())
    assert "not a readable PDF file" in refusal("PLAN.PDF", b"%PDF-1.4\n" + HTML)


# --- what is refused, and why ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        (
            "plan.pdf",
            b"%PDF-1.4\n" + HTML,
            "“plan.pdf” is not a readable PDF file; it may be damaged or incomplete.",
        ),
        (
            "plan.pdf",
            pdf_bytes()[:200],
            "“plan.pdf” is not a readable PDF file; it may be damaged or incomplete.",
        ),
        (
            "photo.png",
            b"\x89PNG\r\n\x1a\n" + HTML,
            "“photo.png” is not a readable PNG file; it may be damaged or incomplete.",
        ),
        (
            "photo.png",
            image_bytes("PNG")[:-20],
            "“photo.png” is not a readable PNG file; it may be damaged or incomplete.",
        ),
        (
            "photo.jpg",
            b"\xff\xd8\xff\xe0" + HTML,
            "“photo.jpg” is not a readable JPG file; it may be damaged or incomplete.",
        ),
        (
            "photo.jpeg",
            image_bytes("JPEG", size=(400, 300))[:-200],
            "“photo.jpeg” is not a readable JPEG file; it may be damaged or incomplete.",
        ),
        (
            "plan.docx",
            zip_bytes({"index.html": HTML}),
            "“plan.docx” is a zip archive but not in the DOCX format.",
        ),
        (
            "plan.xlsx",
            office_bytes("docx"),
            "“plan.xlsx” is a zip archive but not in the XLSX format.",
        ),
        (
            "slides.pptx",
            zip_bytes({"[Content_Types].xml": "<Types/>", "index.html": HTML}),
            "“slides.pptx” is a zip archive but not in the PPTX format.",
        ),
        (
            "plan.odt",
            zip_bytes({"index.html": HTML, "mimetype": "application/vnd.oasis.opendocument.text"}),
            "“plan.odt” is a zip archive but not in the ODT format.",
        ),
        (
            "plan.ods",
            zip_bytes({"mimetype": "application/vnd.oasis.opendocument.text"}),
            "“plan.ods” is a zip archive but not in the ODS format.",
        ),
        (
            ".pdf",
            pdf_bytes(),
            "“.pdf” has no name before its extension; rename it and upload it again.",
        ),
        (
            "plan.pdf",
            with_user_password(),
            "“plan.pdf” is protected by a password; upload a copy without one.",
        ),
        (
            "data.zip",
            zip_bytes({"../../settings.py": "DEBUG = True"}),
            "“data.zip” holds a file whose path leads outside the archive.",
        ),
        (
            "data.zip",
            zip_bytes({"/etc/cron.d/job": "* * * * * root sh"}),
            "“data.zip” holds a file whose path leads outside the archive.",
        ),
        (
            "data.zip",
            zip_with_a_broken_crc(),
            "“data.zip” is not a readable ZIP file; it may be damaged or incomplete.",
        ),
    ],
    ids=[
        "pdf-header-then-html",
        "truncated-pdf",
        "png-signature-then-html",
        "truncated-png",
        "jpeg-signature-then-html",
        "truncated-jpeg",
        "docx-that-is-a-zip-of-html",
        "docx-named-xlsx",
        "pptx-without-its-main-part",
        "odt-without-mimetype-first",
        "odt-named-ods",
        "only-an-extension",
        "pdf-with-a-password",
        "zip-climbing-out",
        "zip-absolute-path",
        "zip-with-a-broken-crc",
    ],
)
def test_an_impostor_is_refused_with_its_reason(name, data, reason):
    assert refusal(name, data) == reason


def test_a_pdf_without_pages_is_refused():
    buffer = io.BytesIO()
    PdfWriter().write(buffer)
    assert refusal("plan.pdf", buffer.getvalue()) == "“plan.pdf” is a PDF file with no pages."


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    bomb = zip_unpacking_to(101 * 1024 * 1024)
    assert len(bomb) < 1024 * 1024  # small to send, large to unpack

    assert refusal("data.zip", bomb) == (
        "“data.zip” unpacks to 101.0\xa0MB; archives here may unpack to at most 100.0\xa0MB."
    )


def test_an_archive_of_too_many_files_is_refused():
    members = {f"part-{number}.txt": "" for number in range(5001)}
    assert refusal("data.zip", zip_bytes(members)) == (
        "“data.zip” holds 5001 files; archives here may hold at most 5000."
    )


@pytest.mark.parametrize("pixels", [(12_000, 8_000), (20_000, 20_000)], ids=["warned", "bomb"])
def test_an_image_claiming_too_many_pixels_is_refused_without_being_decoded(pixels):
    assert refusal("photo.png", png_claiming(*pixels)) == (
        "“photo.png” has too many pixels; images here may have at most 89 million."
    )


def test_a_file_with_no_name_is_refused():
    upload = SimpleUploadedFile("x.pdf", pdf_bytes())
    upload.name = None
    with pytest.raises(ValidationError, match="The file has no name"):
        validate_upload(upload, max_size=LIMIT, extensions=["pdf"])


def test_a_refused_file_is_left_at_its_start():
    upload = SimpleUploadedFile("plan.docx", zip_bytes({"index.html": HTML}))
    with pytest.raises(ValidationError):
        validate_upload(upload, max_size=LIMIT, extensions=["docx"])
    assert upload.tell() == 0


def test_size_and_type_are_still_checked_first():
    large = SimpleUploadedFile("plan.pdf", pdf_bytes(padding=2048))
    with pytest.raises(ValidationError) as raised:
        validate_upload(large, max_size=1024, extensions=["pdf"])
    assert "files here may be at most 1.0\xa0KB" in raised.value.messages[0]
    with pytest.raises(ValidationError) as raised:
        validate_upload(
            SimpleUploadedFile("plan.png", image_bytes()), max_size=LIMIT, extensions=["pdf"]
        )
    assert "Accepted: pdf" in raised.value.messages[0]


# --- through the forms people use --------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("upload", "reason"),
    [
        (
            ("plan.pdf", b"%PDF-1.4\n" + HTML),
            "“plan.pdf” is not a readable PDF file; it may be damaged or incomplete.",
        ),
        (
            ("plan.docx", zip_bytes({"index.html": HTML})),
            "“plan.docx” is a zip archive but not in the DOCX format.",
        ),
        (("photo.png", b"\x89PNG\r\n\x1a\n" + HTML), "“photo.png” is not a readable PNG file"),
    ],
    ids=["pdf", "docx", "png"],
)
def test_the_visit_material_form_shows_the_reason_and_stores_nothing(
    client, settings, tmp_path, upload, reason
):
    settings.MEDIA_ROOT = tmp_path
    visit = round_with_visits(3, phase="preparing").visits.order_by("host__name").first()
    client.force_login(staff_of(visit.host))

    response = client.post(
        f"/visits/{visit.pk}/materials/",
        {"title": "Energy plan", "file": SimpleUploadedFile(*upload)},
    )

    assert response.status_code == 400
    assert reason in response.text
    assert not BackgroundMaterial.objects.exists()
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]


@pytest.mark.django_db
def test_the_visit_material_form_takes_a_real_file(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    visit = round_with_visits(3, phase="preparing").visits.order_by("host__name").first()
    client.force_login(staff_of(visit.host))

    response = client.post(
        f"/visits/{visit.pk}/materials/",
        {"title": "Energy plan", "file": SimpleUploadedFile("plan.docx", office_bytes("docx"))},
        follow=True,
    )

    assert "The file is uploaded" in response.text
    assert BackgroundMaterial.objects.get().file.read() == office_bytes("docx")


@pytest.mark.django_db
def test_the_call_application_form_shows_the_reason_and_stores_nothing(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call = CallFactory()
    question = QuestionFactory(
        call=call, kind=QuestionKind.FILE, text="Action plan", allowed_extensions="pdf"
    )
    user = factories.UserFactory(verified=True)
    city = factories.CityFactory(name="Kerava")
    factories.ContactFactory(city=city, user=user)
    client.force_login(user)

    response = client.post(
        f"/calls/{call.slug}/apply/",
        {
            "city": city.pk,
            "contact_name": "Aino Virtanen",
            "contact_email": "aino@kerava.example",
            "language": "en",
            "eligibility": "on",
            f"q{question.pk}": SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n" + HTML),
        },
    )

    assert response.status_code == 400
    assert "“plan.pdf” is not a readable PDF file" in response.text
    assert "nothing has been saved" in response.text
    assert not Application.objects.exists()
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]
