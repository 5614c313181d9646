"""Peer visits through the pages: who sees what (a permission matrix per URL), uploads, the
report from draft to PDF, the results summary, invitations, and the absence of any score."""

import io
import re
import zoneinfo

import html5lib
import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from pypdf import PdfReader

from access.models import Role, RoleKind
from notifications.models import Message
from reports.models import Document
from visits import services
from visits.models import BackgroundMaterial, FeedbackReport, Interview, ReportStatus

from . import factories
from .factories_visits import round_with_visits, staff_of, submitted_report
from .files import pdf_bytes

pytestmark = pytest.mark.django_db

HELSINKI = zoneinfo.ZoneInfo("Europe/Helsinki")

# Created in this order, the proposal gives: Kerava <- Lohja, Kuhmo; Lohja <- Kuhmo, Oulu;
# Kuhmo <- Oulu, Turku; Oulu <- Turku, Kerava; Turku <- Kerava, Lohja.
NAMES = ["Kerava", "Lohja", "Kuhmo", "Oulu", "Turku"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MAX_UPLOAD_SIZE = 1024


def parse_strict(content: bytes):
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(content)


def assert_page(response):
    """Valid HTML5, one h1, and every visible field labelled."""
    assert response.status_code in (200, 400), response.status_code
    document = parse_strict(response.content)
    assert len(document.findall(".//h1")) == 1
    labels = {label.get("for") for label in document.iter("label")}
    for element in [*document.iter("input"), *document.iter("select"), *document.iter("textarea")]:
        if element.get("type") in ("hidden", "submit"):
            continue
        assert element.get("id") in labels, element.get("name")
    return document


def make_round(phase="preparing"):
    review_round = round_with_visits(5, phase=phase, names=NAMES)
    return review_round, {v.host.name: v for v in review_round.visits.select_related("host")}


def pdf_upload(name="plan.pdf", size=100):
    return SimpleUploadedFile(name, pdf_bytes(padding=size), content_type="application/pdf")


@pytest.fixture
def world():
    review_round, visits = make_round("preparing")
    kerava = visits["Kerava"]
    people = {
        "anonymous": None,
        "host": staff_of(kerava.host),
        "member": staff_of(visits["Lohja"].host),
        "coordinator": factories.CoordinatorFactory(),
        "other_participant": staff_of(visits["Oulu"].host),
        "outsider": staff_of(factories.CityFactory()),
        "no_city": factories.UserFactory(),
        "staff_without_permission": factories.UserFactory(is_staff=True),
    }
    material = services.material_add(
        visit=kerava, title="Energy plan", upload=pdf_upload(), user=people["host"]
    )
    submitted_report(kerava, strengths="Clear roles.", development_areas="Monitoring.")
    return {"round": review_round, "visits": visits, "people": people, "material": material}


SEES_VISIT = {"host", "member", "coordinator"}
PARTICIPANTS = {"host", "member", "other_participant", "coordinator"}


def expected(url_kind: str, persona: str) -> int:
    if persona == "anonymous":
        return 302
    if url_kind in ("visit", "material", "report_pdf"):
        ok = 202 if url_kind == "report_pdf" else 200
        return ok if persona in SEES_VISIT else 404
    if url_kind in ("self_assessment", "materials", "comment", "edit", "interviews"):
        return 200 if persona == "host" else 403 if persona in SEES_VISIT else 404
    if url_kind == "report":
        return 200 if persona == "member" else 403 if persona in SEES_VISIT else 404
    if url_kind in ("round", "summary"):
        return 200 if persona in PARTICIPANTS else 404
    if url_kind == "assignment":
        return 200 if persona == "coordinator" else 403
    return 200  # the list of one's own visits


PERSONAS = [
    "anonymous",
    "host",
    "member",
    "coordinator",
    "other_participant",
    "outsider",
    "no_city",
    "staff_without_permission",
]


@pytest.mark.parametrize("persona", PERSONAS)
def test_permission_matrix(client, world, persona):
    kerava, material = world["visits"]["Kerava"], world["material"]
    round_pk = world["round"].pk
    urls = {
        "visit": f"/visits/{kerava.pk}/",
        "material": f"/visits/{kerava.pk}/materials/{material.pk}/",
        "report_pdf": f"/visits/{kerava.pk}/report.pdf",
        "self_assessment": f"/visits/{kerava.pk}/self-assessment/",
        "materials": f"/visits/{kerava.pk}/materials/",
        "comment": f"/visits/{kerava.pk}/comment/",
        "edit": f"/visits/{kerava.pk}/edit/",
        "interviews": f"/visits/{kerava.pk}/interviews/",
        "report": f"/visits/{kerava.pk}/report/",
        "round": f"/visits/rounds/{round_pk}/",
        "summary": f"/visits/rounds/{round_pk}/summary/",
        "assignment": f"/visits/rounds/{round_pk}/assignment/",
        "mine": "/visits/",
    }
    user = world["people"][persona]
    if user:
        client.force_login(user)

    statuses = {kind: client.get(url).status_code for kind, url in urls.items()}

    assert statuses == {kind: expected(kind, persona) for kind in urls}
    if persona == "anonymous":
        assert client.get(urls["visit"])["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona", ["member", "coordinator", "other_participant", "outsider"])
def test_only_the_host_writes_before_the_visit_and_refusals_write_nothing(client, world, persona):
    kerava = world["visits"]["Kerava"]
    client.force_login(world["people"][persona])
    theme = kerava.round.themes.first()

    posts = [
        client.post(f"/visits/{kerava.pk}/self-assessment/", {f"theme_{theme.pk}": "Ours"}),
        client.post(
            f"/visits/{kerava.pk}/materials/", {"title": "Theirs", "file": pdf_upload("x.pdf")}
        ),
        client.post(f"/visits/{kerava.pk}/materials/{world['material'].pk}/delete/"),
        client.post(f"/visits/{kerava.pk}/invite/"),
    ]

    assert {response.status_code for response in posts} == {403 if persona in SEES_VISIT else 404}
    assert not kerava.self_assessments.exists()
    assert BackgroundMaterial.objects.count() == 1


def test_the_host_uploads_material_and_the_interview_group_downloads_it(client, world):
    kerava = world["visits"]["Kerava"]
    client.force_login(world["people"]["host"])
    response = client.post(
        f"/visits/{kerava.pk}/materials/",
        {"title": "Consumption data", "file": pdf_upload("data.pdf")},
        follow=True,
    )
    assert "The file is uploaded" in response.text
    material = BackgroundMaterial.objects.get(title="Consumption data")

    client.force_login(world["people"]["member"])
    download = client.get(f"/visits/{kerava.pk}/materials/{material.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert "data.pdf" in download["Content-Disposition"]
    assert "private" in download["Cache-Control"]


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("tool.exe", b"MZ\x90\x00"),
            "“tool.exe” is not an accepted type of file.",
        ),
        (pdf_upload("huge.pdf", size=2048), "; files here may be at most 1.0\xa0KB."),
        (SimpleUploadedFile("fake.pdf", b"<html>"), "“fake.pdf” does not look like a PDF file."),
    ],
    ids=["type", "size", "content"],
)
def test_a_wrong_file_is_refused_with_a_message_and_nothing_is_written(
    client, world, tmp_path, upload, message
):
    kerava = world["visits"]["Kerava"]
    stored = {path for path in tmp_path.rglob("*") if path.is_file()}
    client.force_login(world["people"]["host"])

    response = client.post(f"/visits/{kerava.pk}/materials/", {"title": "Bad", "file": upload})

    assert response.status_code == 400
    assert message in response.text
    assert BackgroundMaterial.objects.count() == 1
    assert {path for path in tmp_path.rglob("*") if path.is_file()} == stored
    assert_page(response)


def test_material_of_a_visit_is_not_reachable_through_another_visit(client, world):
    lohja = world["visits"]["Lohja"]
    # Lohja's staff may open Lohja's visit, but Kerava's material is not Lohja's visit's.
    client.force_login(world["people"]["member"])
    assert client.get(f"/visits/{lohja.pk}/materials/{world['material'].pk}/").status_code == 404


def test_the_host_reads_the_report_only_once_the_group_submits_it(client):
    _round, visits = make_round("report")
    kerava = visits["Kerava"]
    host, member = staff_of(kerava.host), staff_of(visits["Lohja"].host)
    theme = kerava.round.themes.order_by("order").first()
    client.force_login(member)
    fields = {
        f"strengths_{theme.pk}": "A named coordinator.",
        f"development_areas_{theme.pk}": "Procurement criteria are not followed up.",
        "summary": "Solid work.",
    }

    response = client.post(f"/visits/{kerava.pk}/report/", {**fields, "save": ""}, follow=True)
    assert "The draft is saved." in response.text
    client.force_login(host)
    page = client.get(f"/visits/{kerava.pk}/").text
    assert "Procurement criteria" not in page
    assert "has not submitted its report yet" in page
    assert client.get(f"/visits/{kerava.pk}/report.pdf").status_code == 404

    client.force_login(member)
    response = client.post(f"/visits/{kerava.pk}/report/", {**fields, "submit": ""}, follow=True)
    assert "The report is submitted" in response.text
    client.force_login(host)
    assert "Procurement criteria are not followed up." in client.get(f"/visits/{kerava.pk}/").text
    report = FeedbackReport.objects.get()
    assert report.status == ReportStatus.SUBMITTED and report.submitted_by == member


def test_submitting_an_empty_report_says_what_is_missing_and_keeps_the_draft(client):
    _round, visits = make_round("report")
    kerava = visits["Kerava"]
    client.force_login(staff_of(visits["Lohja"].host))
    response = client.post(
        f"/visits/{kerava.pk}/report/", {"summary": "Only a summary.", "submit": ""}, follow=True
    )
    assert "A report is submitted with a summary and the strengths" in response.text
    report = FeedbackReport.objects.get()
    assert report.status == ReportStatus.DRAFT and report.summary == "Only a summary."


def pdf_text(document: Document) -> str:
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_feedback_report_pdf_is_made_in_the_hosts_language(
    client, django_capture_on_commit_callbacks
):
    _round, visits = make_round("report")
    kerava = visits["Kerava"]
    host = staff_of(kerava.host, language="fi")
    kerava.responsible = host.contact
    kerava.save()
    theme = kerava.round.themes.order_by("order").first()
    services.report_save(
        visit=kerava,
        summary="Hyvä pohja energiatehokkuustyölle.",
        findings={theme.pk: ("Nimetty koordinaattori.", "Hankintakriteerien seuranta.")},
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.report_submit(visit=kerava, user=staff_of(visits["Lohja"].host))

    client.force_login(host)
    response = client.get(f"/visits/{kerava.pk}/report.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    document = Document.objects.get(kind="feedback_report", reference=f"visit:{kerava.pk}")
    assert document.language == "fi"
    text = pdf_text(document)
    assert "Kerava" in text
    assert "Lohja" in text and "Kuhmo" in text  # the interview group
    assert "Procurement" in text  # the theme
    assert "Nimetty koordinaattori." in text and "Hankintakriteerien seuranta." in text
    assert "Hyvä pohja energiatehokkuustyölle." in text
    assert "Sivu 1" in text  # the page footer, in Finnish
    # The host's responsible person was told, in Finnish, through the outbox.
    message = Message.objects.get(key=f"visit-report:{kerava.pk}")
    assert message.recipient_email == host.email and message.language == "fi"


def test_the_results_summary_names_only_the_hosts_that_agreed(
    client, django_capture_on_commit_callbacks
):
    review_round, visits = make_round("comments")
    submitted_report(visits["Kerava"], named=True, development_areas="Energy audits are late.")
    submitted_report(visits["Lohja"], named=False, development_areas="Nobody monitors use.")
    submitted_report(visits["Kuhmo"], named=False, strengths="Staff are trained yearly.")
    client.force_login(staff_of(visits["Oulu"].host))

    page = client.get(f"/visits/rounds/{review_round.pk}/summary/")

    assert_page(page)
    text = page.text
    assert 'Energy audits are late. <span class="meta">(Kerava)</span>' in text
    assert "Nobody monitors use." in text and "Staff are trained yearly." in text
    for name in ("Lohja", "Kuhmo", "Oulu", "Turku"):
        assert name not in text, name

    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(f"/visits/rounds/{review_round.pk}/summary.pdf?lang=en").status_code
    response = client.get(f"/visits/rounds/{review_round.pk}/summary.pdf?lang=en")
    assert response.status_code == 200
    pdf = pdf_text(
        Document.objects.get(kind="results_summary", reference=f"round:{review_round.pk}")
    )
    assert "Energy audits are late. (Kerava)" in pdf
    assert "Nobody monitors use." in pdf and "Staff are trained yearly." in pdf
    assert "Based on 3 submitted reports of 5 visits." in pdf
    for name in ("Lohja", "Kuhmo", "Oulu", "Turku"):
        assert name not in pdf, name


def test_the_results_summary_opens_to_participants_with_the_comments_window(client):
    review_round, visits = make_round("report")
    submitted_report(visits["Lohja"], development_areas="Nobody monitors use.")
    client.force_login(staff_of(visits["Oulu"].host))
    page = client.get(f"/visits/rounds/{review_round.pk}/summary/")
    assert "opens for comments on" in page.text
    assert "Nobody monitors use." not in page.text
    assert client.get(f"/visits/rounds/{review_round.pk}/summary.pdf").status_code == 403


def test_the_host_comments_and_agrees_to_be_named_through_the_page(client):
    review_round, visits = make_round("comments")
    report = submitted_report(visits["Kerava"], development_areas="Energy audits are late.")
    client.force_login(staff_of(visits["Kerava"].host))
    page = client.get(f"/visits/{visits['Kerava'].pk}/comment/")
    assert_page(page)

    client.post(
        f"/visits/{visits['Kerava'].pk}/comment/",
        {"host_comment": "Audits are booked for autumn.", "host_agrees_to_be_named": "on"},
    )

    report.refresh_from_db()
    assert report.host_comment == "Audits are booked for autumn."
    assert report.host_agrees_to_be_named
    coordinator_view = client.get(f"/visits/rounds/{review_round.pk}/summary/")
    assert "Audits are booked for autumn." not in coordinator_view.text  # coordinators only
    client.force_login(factories.CoordinatorFactory())
    coordinator_view = client.get(f"/visits/rounds/{review_round.pk}/summary/")
    assert "Audits are booked for autumn." in coordinator_view.text


def test_everyone_interviewed_is_invited_to_the_feedback_session_once(client):
    _round, visits = make_round("visit")
    kerava = visits["Kerava"]
    host = staff_of(kerava.host, language="fi")
    kerava.responsible = host.contact
    kerava.save()
    client.force_login(host)
    review_round = kerava.round
    day = review_round.visit_start.isoformat()
    response = client.post(
        f"/visits/{kerava.pk}/edit/",
        {
            "responsible": host.contact.pk,
            "date": day,
            "format": "virtual",
            "session_at": f"{day}T15:00",
            "session_place": "https://meet.example/kerava",
        },
    )
    assert response.status_code == 302
    for hour, email in ((9, "mayor@kerava.example"), (10, ""), (11, "energy@kerava.example")):
        client.post(
            f"/visits/{kerava.pk}/interviews/",
            {
                "starts_at": f"{day}T{hour:02d}:00",
                "role": "Role",
                "interviewee": f"Person {hour}",
                "email": email,
            },
        )
    assert Interview.objects.count() == 3
    first = Interview.objects.order_by("starts_at").first()
    assert first.starts_at.astimezone(HELSINKI).hour == 9  # read in the round's time zone

    response = client.post(f"/visits/{kerava.pk}/invite/", follow=True)
    assert "on their way to 2 people" in response.text
    client.post(f"/visits/{kerava.pk}/invite/")

    invitations = Message.objects.filter(kind="visit_session").order_by("recipient_email")
    assert [m.recipient_email for m in invitations] == [
        "energy@kerava.example",
        "mayor@kerava.example",
    ]
    assert {m.language for m in invitations} == {"fi"}
    assert "15.00 (Europe/Helsinki)" in invitations[0].body_text
    assert "meet.example/kerava" in invitations[0].body_text


def test_the_coordinator_saves_a_proposal_and_sees_clear_messages_for_a_bad_edit(client):
    review_round = round_with_visits(0, phase="organising")
    hosts = [factories.CityFactory(name=name) for name in NAMES]
    visits = [review_round.visits.create(host=host) for host in hosts]
    client.force_login(factories.CoordinatorFactory())

    page = client.get(f"/visits/rounds/{review_round.pk}/assignment/")
    assert_page(page)
    assert "This is a proposal" in page.text
    data = {
        f"group_{v.pk}_{place}": page.context["form"][f"group_{v.pk}_{place}"].initial
        for v in visits
        for place in (1, 2)
    }
    response = client.post(f"/visits/rounds/{review_round.pk}/assignment/", data, follow=True)
    assert "The interview groups are saved." in response.text
    kerava = visits[0]
    assert sorted(s.reviewer.host.name for s in kerava.seats.all()) == ["Kuhmo", "Lohja"]

    data[f"group_{kerava.pk}_1"] = kerava.pk
    response = client.post(f"/visits/rounds/{review_round.pk}/assignment/", data)
    assert response.status_code == 400
    assert "Kerava cannot sit on its own interview group" in response.text
    assert sorted(s.reviewer.host.name for s in kerava.seats.all()) == ["Kuhmo", "Lohja"]


def test_every_page_is_valid_html_with_one_h1_and_labelled_fields(client, world):
    kerava = world["visits"]["Kerava"]
    round_pk = world["round"].pk
    client.force_login(world["people"]["host"])
    for url in (
        "/visits/",
        f"/visits/rounds/{round_pk}/",
        f"/visits/rounds/{round_pk}/summary/",
        f"/visits/{kerava.pk}/",
        f"/visits/{kerava.pk}/edit/",
        f"/visits/{kerava.pk}/interviews/",
        f"/visits/{kerava.pk}/self-assessment/",
        f"/visits/{kerava.pk}/materials/",
        f"/visits/{kerava.pk}/comment/",
    ):
        assert_page(client.get(url))
    client.force_login(world["people"]["member"])
    assert_page(client.get(f"/visits/{kerava.pk}/report/"))
    client.force_login(world["people"]["coordinator"])
    for url in (f"/visits/rounds/{round_pk}/", f"/visits/rounds/{round_pk}/summary/"):
        assert_page(client.get(url))


def test_the_report_form_has_text_fields_only_and_no_number_or_scale(client):
    _round, visits = make_round("report")
    client.force_login(staff_of(visits["Lohja"].host))
    document = assert_page(client.get(f"/visits/{visits['Kerava'].pk}/report/"))
    form = document.find(".//main//form")
    kinds = {element.get("type") for element in form.iter("input")}
    assert kinds == {"hidden"}  # the CSRF token; the buttons are <button>
    assert not list(form.iter("select"))
    assert len(list(form.iter("textarea"))) == 2 * 2 + 1  # two themes, and the summary


def test_no_field_of_a_peer_visit_is_a_number():
    """Municipalities are never scored or ranked (docs/DESIGN.md rule 7): the only numbers in the
    app are row ids. Meeting feedback's scale is words (Usefulness), not a number."""
    numeric = (models.IntegerField, models.FloatField, models.DecimalField, models.DurationField)
    for model in apps.get_app_config("visits").get_models():
        for field in model._meta.concrete_fields:
            if field.primary_key or field.is_relation:
                continue
            assert not isinstance(field, numeric), f"{model.__name__}.{field.name}"
            assert "score" not in field.name and "rank" not in field.name


def test_no_page_ranks_or_compares_municipalities(client):
    review_round, visits = make_round("comments")
    for name in NAMES:
        submitted_report(visits[name], strengths=f"Strength of {name}.")
    for user in (factories.CoordinatorFactory(), staff_of(visits["Oulu"].host)):
        client.force_login(user)
        for url in (
            f"/visits/rounds/{review_round.pk}/",
            f"/visits/rounds/{review_round.pk}/summary/",
        ):
            text = client.get(url).text.lower()
            found = re.findall(r"\b(score|scores|rank|ranking|points|grade|best|worst)\b", text)
            assert found == [], url
            assert "<meter" not in text and "<progress" not in text


def query_count_world(count: int):
    review_round = round_with_visits(max(count, 3), phase="comments")
    visits = list(review_round.visits.select_related("host"))[:count]
    for visit in visits:
        submitted_report(visit, named=True, strengths="Good.", development_areas="Better.")
    return review_round, visits


@pytest.mark.parametrize("count", [1, 30])
def test_the_summary_costs_the_same_queries_for_1_and_30_reports(
    client, count, django_assert_num_queries
):
    review_round, _visits = query_count_world(count)
    client.force_login(factories.CoordinatorFactory())
    client.get("/visits/")  # the session and the content types are cached after this
    with django_assert_num_queries(9):
        response = client.get(f"/visits/rounds/{review_round.pk}/summary/")
    assert response.text.count("Better.") == count


@pytest.mark.parametrize("count", [1, 30])
def test_the_round_page_costs_the_same_queries_for_1_and_30_visits(
    client, count, django_assert_num_queries
):
    review_round = factories_round_of(count)
    client.force_login(factories.CoordinatorFactory())
    client.get("/visits/")
    with django_assert_num_queries(7):
        response = client.get(f"/visits/rounds/{review_round.pk}/")
    assert response.text.count("/visits/") >= count


@pytest.mark.parametrize("count", [1, 30])
def test_my_visits_costs_the_same_queries_for_1_and_30_visits(
    client, count, django_assert_num_queries
):
    city = factories.CityFactory(name="Kerava")
    user = staff_of(city)
    for i in range(count):
        review_round = round_with_visits(3, names=[f"Host {i}", f"Lohja {i}", f"Kuhmo {i}"])
        # Kerava sits on the group of each round's first visit.
        review_round.visits.filter(host__name=f"Lohja {i}").update(host=city)
    client.force_login(user)
    client.get("/visits/")
    with django_assert_num_queries(9):  # ... and the person's roles, read once for the page
        response = client.get("/visits/")
    assert response.text.count("Visit to Host") == count


def factories_round_of(count: int):
    review_round = round_with_visits(0)
    for _ in range(count):
        review_round.visits.create(host=factories.CityFactory())
    return review_round


def test_a_national_coordinator_sees_only_their_networks_visits_on_the_round_page(client, world):
    review_round, visits = world["round"], world["visits"]
    network = factories.NetworkFactory(programme=review_round.programme)
    for name in ("Kerava", "Lohja"):
        factories.MembershipFactory(network=network, city=visits[name].host)
    coordinator = factories.UserFactory()
    Role.objects.create(
        user=coordinator,
        kind=RoleKind.NATIONAL_COORDINATOR,
        programme=review_round.programme,
        network=network,
    )
    client.force_login(coordinator)

    page = client.get(f"/visits/rounds/{review_round.pk}/")

    listed = {visit.host.name for visit in page.context["visits"]}
    assert listed == {"Kerava", "Lohja"}
    # Oulu may sit on their interview groups, but its own visit is not theirs to open.
    assert f"/visits/{visits['Oulu'].pk}/" not in page.text
    assert f"/visits/{visits['Kerava'].pk}/" in page.text
