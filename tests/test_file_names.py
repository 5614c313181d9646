"""The names uploaded files are stored under (multiply/filenames.py): whatever name a browser
sends, the file is stored under a short, safe one with its extension, and nothing is left behind
on the disk when an upload is refused."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from calls.models import Answer, Application, QuestionKind
from multiply.filenames import MAX_NAME_BYTES, safe_name, upload_path
from visits.models import BackgroundMaterial

from . import factories
from .factories_calls import CallFactory, QuestionFactory
from .factories_visits import round_with_visits, staff_of
from .files import pdf_bytes

# 250 Finnish letters: 250 characters, but 500 bytes, where a disk keeps 255 per name.
LONG_FINNISH = "Ä" * 250 + ".pdf"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MAX_UPLOAD_SIZE = 1024 * 1024


def pdf(name):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def folders_without_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_dir() and not any(path.iterdir())]


# --- the names -------------------------------------------------------------------------------


def test_it_keeps_an_ordinary_name():
    assert safe_name("Energy plan 2027.pdf") == "Energy plan 2027.pdf"
    assert safe_name("Energiakatselmus Äänekoski.docx") == "Energiakatselmus Äänekoski.docx"


def test_it_shortens_a_long_name_to_what_a_disk_keeps_and_keeps_the_extension():
    name = safe_name(LONG_FINNISH, max_length=300)
    assert name.endswith(".pdf")
    assert len(name.encode()) <= MAX_NAME_BYTES
    assert name.startswith("ÄÄÄ")


def test_it_shortens_to_the_length_it_is_given():
    assert safe_name("a" * 300 + ".pdf", max_length=20) == "a" * 16 + ".pdf"


def test_it_never_cuts_a_letter_in_half():
    name = safe_name("語" * 100 + ".pdf", max_length=300)
    assert name == "語" * ((MAX_NAME_BYTES - 4) // 3) + ".pdf"


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("C:\\Users\\aino\\Desktop\\plan.pdf", "plan.pdf"),
        ("../../etc/passwd", "passwd"),
        ("plan\x00.pdf", "plan.pdf"),
        ("plan\n\r\t.pdf", "plan.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),  # a right-to-left override hides ".exe"
        ("\ud800plan.pdf", "plan.pdf"),
        ("<script>.pdf", "script.pdf"),
    ],
)
def test_it_drops_folders_control_characters_and_what_a_storage_would_drop(sent, stored):
    assert safe_name(sent) == stored


@pytest.mark.parametrize("sent", ["", "...", "\x00\x00", "/", "†††"])
def test_a_name_with_nothing_left_is_called_file(sent):
    assert safe_name(sent) == "file"


def test_a_name_that_is_only_an_extension_is_a_file_of_that_type():
    assert safe_name(".pdf") == "file.pdf"
    assert safe_name("†.pdf") == "file.pdf"
    assert safe_name(".hidden.pdf") == "hidden.pdf"


def test_a_long_ending_is_part_of_the_name_not_an_extension():
    name = safe_name("report." + "x" * 300, max_length=50)
    assert len(name) == 50 and name.startswith("report.")


def test_the_path_fits_the_field():
    path = upload_path("visits/visit-1/" + "f" * 32, LONG_FINNISH, max_length=100)
    assert len(path) <= 100
    assert path.endswith(".pdf")


# --- uploads through the pages ----------------------------------------------------------------


@pytest.mark.django_db
def test_a_visit_material_with_a_very_long_name_is_stored_under_a_short_one(client, tmp_path):
    review_round = round_with_visits(3, phase="preparing")
    visit = review_round.visits.first()
    client.force_login(staff_of(visit.host))

    response = client.post(
        f"/visits/{visit.pk}/materials/", {"title": "Plan", "file": pdf(LONG_FINNISH)}, follow=True
    )

    assert response.status_code == 200
    assert "The file is uploaded" in response.text
    stored = BackgroundMaterial.objects.get().file.name
    assert stored.endswith(".pdf") and len(stored) <= 300
    assert all(len(part.encode()) <= 255 for part in stored.split("/"))
    assert folders_without_files(tmp_path) == []


@pytest.mark.django_db
def test_an_application_file_with_a_very_long_name_is_stored_under_a_short_one(client, tmp_path):
    call = CallFactory()
    question = QuestionFactory(
        call=call, kind=QuestionKind.FILE, allowed_extensions="pdf", max_file_size_mb=1
    )
    user = factories.UserFactory(verified=True)
    city = factories.CityFactory(name="Kerava")
    factories.ContactFactory(city=city, user=user)
    client.force_login(user)

    data = {
        "city": city.pk,
        "contact_name": "Aino Virtanen",
        "contact_email": "aino@kerava.example",
        "language": "en",
        "eligibility": "on",
        f"q{question.pk}": pdf(LONG_FINNISH),
    }
    response = client.post(f"/calls/{call.slug}/apply/", data)

    assert response.status_code == 302, response.content.decode()[:2000]
    answer = Answer.objects.get(application=Application.objects.get())
    assert answer.file.name.endswith(".pdf")
    assert all(len(part.encode()) <= 255 for part in answer.file.name.split("/"))
    assert folders_without_files(tmp_path) == []


@pytest.mark.django_db
def test_a_refused_upload_leaves_no_folder_behind(client, tmp_path):
    review_round = round_with_visits(3, phase="preparing")
    visit = review_round.visits.first()
    client.force_login(staff_of(visit.host))

    response = client.post(
        f"/visits/{visit.pk}/materials/",
        {"title": "Fake", "file": SimpleUploadedFile("Ä" * 250 + ".pdf", b"<html>")},
    )

    assert response.status_code == 400
    assert not BackgroundMaterial.objects.exists()
    assert list(tmp_path.rglob("*")) == []
