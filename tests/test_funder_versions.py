"""Published versions of the funder's report, and the spreadsheets of reports and participants
(issue 13, item 8): a version keeps its figures whatever is marked afterwards."""

import csv
import datetime as dt
import io
import threading
import zoneinfo

import html5lib
import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from access.models import Role, RoleKind
from exchanges.admin.meetings import participants_csv, participants_xlsx
from exchanges.models import ExchangeMeeting, Registration, RegistrationAnswer, RegistrationStatus
from reports.funder import funder_report_document, funder_report_publish
from reports.models import Document, FunderReport
from reports.services import document_render, document_request

from . import factories

pytestmark = pytest.mark.django_db

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
START, END = dt.date(2021, 1, 1), dt.date(2021, 12, 31)
PERIOD = {"programme": "multiply", "date_from": "2021-01-01", "date_to": "2021-12-31"}
PUBLISH = "/reports/funder/publish/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def register(meeting, contact, status) -> Registration:
    return Registration.objects.create(
        meeting=meeting, contact=contact, status=status, privacy_consent_at=timezone.now()
    )


@pytest.fixture
def world():
    """MULTIPLY's exchange in Warszawa in March 2021: Anna attended, Sven's place is not marked
    yet; another programme with its own coordinator."""
    poland = factories.CountryFactory(code="PL", name="Poland")
    multiply = factories.ProgrammeFactory(slug="multiply", name="MULTIPLY")
    other = factories.ProgrammeFactory(slug="other", name="Other programme")
    network = factories.NetworkFactory(programme=multiply, country=poland)
    warszawa = factories.CityFactory(name="Warszawa", country=poland)
    start = dt.datetime(2021, 3, 10, 10, tzinfo=BRUSSELS)
    exchange = factories.MeetingFactory(
        network=network,
        title="Energy planning",
        host_city=warszawa,
        start=start,
        end=start + dt.timedelta(hours=6),
    )
    register(exchange, factories.ContactFactory(city=warszawa, first_name="Anna"), "attended")
    sven = register(
        exchange, factories.ContactFactory(city=warszawa, first_name="Sven"), "confirmed"
    )
    return {
        "programme": multiply,
        "other": other,
        "network": network,
        "sven": sven,
        "coordinator": with_role(RoleKind.PROGRAMME_COORDINATOR, multiply),
    }


def with_role(kind, programme, network=None, **user):
    person = factories.UserFactory(**user)
    Role.objects.create(user=person, kind=kind, programme=programme, network=network)
    return person


def publish(client, **extra):
    return client.post(PUBLISH, {**PERIOD, **extra})


def mark_sven_attended(world) -> None:
    sven = world["sven"]
    sven.status = RegistrationStatus.ATTENDED
    sven.save()


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def workbook(response):
    assert response["Content-Type"] == XLSX
    return load_workbook(io.BytesIO(response.content))


def sheet_values(sheet) -> list[tuple]:
    return [tuple(cell for cell in row) for row in sheet.iter_rows(values_only=True)]


def totals_on(response) -> dict[str, str]:
    page = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(response.content)
    heading = page.find(".//h2[@id='totals-heading']")
    assert heading is not None
    table = page.find(".//table[@aria-labelledby='totals-heading']")
    return {row.find("th").text: row.find("td").text for row in table.findall(".//tbody/tr")}


def pdf_text(document: Document) -> str:
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


# -- publishing freezes ---------------------------------------------------------------------


def test_a_published_version_keeps_its_figures_when_attendance_changes(client, world, media):
    client.force_login(world["coordinator"])
    response = publish(client, note="Sent with the interim report")
    version = FunderReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:funder_report", args=[version.pk])
    page_url = response["Location"]
    page = client.get(page_url)
    assert "Version 1 of this report is published" in page.text
    assert totals_on(page)["Attended"] == "1"
    assert "Sent with the interim report" in page.text
    before_csv = client.get(f"/reports/funder/{version.pk}.csv").content
    before_xlsx = sheet_values(
        workbook(client.get(f"/reports/funder/{version.pk}.xlsx"))["Summary"]
    )

    mark_sven_attended(world)

    live = client.get("/reports/attendance/", PERIOD)
    assert totals_on(live)["Attended"] == "2"
    assert totals_on(client.get(page_url))["Attended"] == "1"
    assert client.get(f"/reports/funder/{version.pk}.csv").content == before_csv
    xlsx = workbook(client.get(f"/reports/funder/{version.pk}.xlsx"))
    assert sheet_values(xlsx["Summary"]) == before_xlsx
    assert ("Attended", 1) in before_xlsx and ("Version", 1) in before_xlsx
    # The PDF, first rendered after the change, still shows the published figures.
    requested = document_request(**funder_report_document(version, language="en"))
    text = pdf_text(document_render(document_id=requested.pk))
    assert "Version 1, published on" in text and "Sent with the interim report" in text
    assert "Attended 1" in text and "Distinct staff trained 1" in text
    live_pdf = document_request(
        kind=Document.Kind.FUNDER_REPORT,
        programme=world["programme"],
        period_start=START,
        period_end=END,
        language="en",
    )
    assert "Distinct staff trained 2" in pdf_text(document_render(document_id=live_pdf.pk))


def test_the_versions_csv_and_xlsx_hold_every_table(client, world):
    client.force_login(world["coordinator"])
    publish(client)
    version = FunderReport.objects.get()

    response = client.get(f"/reports/funder/{version.pk}.csv")
    assert (
        'filename="attendance-multiply-20210101-20211231-v1.csv"'
        in (response["Content-Disposition"])
    )
    rows = csv_rows(response)
    assert rows[:4] == [
        ["Attendance report"],
        ["Programme", "MULTIPLY"],
        ["From", "2021-01-01"],
        ["To", "2021-12-31"],
    ]
    assert ["Version", "1"] in rows and ["Distinct staff trained", "1"] in rows
    meetings = rows.index(["Attendance per meeting"])
    assert rows[meetings + 2] == [
        "Energy planning",
        "2021-03-10",
        "Warszawa",
        "Poland",
        "1",
        "0",
        "1",
        "2",
    ]

    book = workbook(client.get(f"/reports/funder/{version.pk}.xlsx"))
    assert book.sheetnames == [
        "Summary",
        "Attendance per meeting",
        "Attendance per city",
        "Attendance per country",
    ]
    meetings = sheet_values(book["Attendance per meeting"])
    assert meetings[0][:2] == ("Meeting", "Date")
    assert meetings[1] == (
        "Energy planning",
        dt.datetime(2021, 3, 10),
        "Warszawa",
        "Poland",
        1,
        0,
        1,
        2,
    )
    assert book["Attendance per meeting"]["A1"].font.bold
    assert book["Attendance per meeting"].freeze_panes == "A2"


def test_the_live_report_has_an_xlsx_next_to_its_csv(client, world):
    client.force_login(world["coordinator"])
    page = client.get("/reports/attendance/", PERIOD)
    assert "/reports/attendance.xlsx?programme=multiply" in page.text

    response = client.get("/reports/attendance.xlsx", PERIOD)
    assert (
        'filename="attendance-multiply-20210101-20211231.xlsx"' in (response["Content-Disposition"])
    )
    summary = sheet_values(workbook(response)["Summary"])
    assert summary[0] == ("Figure", "Value")
    assert ("From", dt.datetime(2021, 1, 1)) in summary and ("Attended", 1) in summary
    mark_sven_attended(world)
    summary = sheet_values(workbook(client.get("/reports/attendance.xlsx", PERIOD))["Summary"])
    assert ("Attended", 2) in summary


# -- versions: numbered and listed --------------------------------------------------------------


def test_versions_are_numbered_per_period_and_listed_with_their_dates(client, world):
    client.force_login(world["coordinator"])
    publish(client)
    mark_sven_attended(world)
    publish(client)
    publish(client, date_from="2021-03-01", date_to="2021-03-31")

    versions = FunderReport.objects.order_by("pk")
    assert [(v.period_start, v.version) for v in versions] == [
        (START, 1),
        (START, 2),
        (dt.date(2021, 3, 1), 1),
    ]
    assert [v.data["totals"]["attended"] for v in versions] == [1, 2, 2]
    page = client.get("/reports/attendance/", PERIOD)
    assert page.status_code == 200
    tree = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page.content)
    table = tree.find(".//table[@aria-labelledby='versions-heading']")
    rows = [
        ["".join(cell.itertext()).strip() for cell in row] for row in table.findall(".//tbody/tr")
    ]
    # The newest period first, and in a period the newest version.
    published = timezone.localtime(versions[1].published_at)
    coordinator = str(world["coordinator"])
    assert rows[0][:4] == [
        "1 January 2021 – 31 December 2021",
        "2",
        f"{published:%-d %B %Y, %H:%M}",
        coordinator,
    ]
    assert [row[:2] for row in rows[1:]] == [
        ["1 January 2021 – 31 December 2021", "1"],
        ["1 March 2021 – 31 March 2021", "1"],
    ]
    for version in versions:
        for suffix in ("/", ".csv", ".xlsx", ".pdf"):
            assert f"/reports/funder/{version.pk}{suffix}" in page.text
    assert "will be frozen as version 3 of this period" in page.text


def test_a_publish_button_with_a_confirmation_is_on_the_report(client, world):
    client.force_login(world["coordinator"])
    page = client.get("/reports/attendance/", PERIOD)
    tree = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page.content)
    form = tree.find(f".//form[@action='{PUBLISH}']")
    assert form.get("method") == "post"
    assert form.find(".//input[@name='csrfmiddlewaretoken']") is not None
    assert form.find(".//button").text == "Publish this report as a version"
    note = form.find(".//textarea[@name='note']")
    assert tree.find(f".//label[@for='{note.get('id')}']") is not None
    assert "will be frozen as version 1 of this period" in page.text
    assert "No version of this programme's report has been published yet." in page.text


@pytest.mark.parametrize("count", [1, 3])
def test_the_versions_list_costs_the_same_queries_for_1_and_3(
    client, world, count, django_assert_num_queries
):
    client.force_login(world["coordinator"])
    for _ in range(count):
        funder_report_publish(
            programme=world["programme"], start=START, end=END, by=world["coordinator"]
        )
    client.get("/reports/attendance/", PERIOD)  # the session, read once
    with django_assert_num_queries(12):
        response = client.get("/reports/attendance/", PERIOD)
    assert response.text.count("/reports/funder/") >= count * 4


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (set DATABASE_URL)"
)
def test_two_publishes_at_once_get_distinct_numbers(world):
    barrier = threading.Barrier(4)
    errors = []

    def worker():
        try:
            barrier.wait()
            funder_report_publish(
                programme=world["programme"], start=START, end=END, by=world["coordinator"]
            )
        except Exception as error:  # collected and asserted on below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    numbers = FunderReport.objects.values_list("version", flat=True)
    assert sorted(numbers) == [1, 2, 3, 4]


def test_the_database_refuses_a_version_twice_and_a_reversed_period(world):
    report = funder_report_publish(programme=world["programme"], start=START, end=END, by=None)
    fields = {"programme": report.programme, "published_at": timezone.now(), "data": {}}
    with pytest.raises(IntegrityError), transaction.atomic():
        FunderReport.objects.create(**fields, period_start=START, period_end=END, version=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        FunderReport.objects.create(**fields, period_start=END, period_end=START, version=1)


# -- who may publish and read -------------------------------------------------------------------


def version_urls(pk) -> list[str]:
    return [f"/reports/funder/{pk}/", f"/reports/funder/{pk}.csv", f"/reports/funder/{pk}.xlsx"]


def test_only_the_programmes_coordinators_publish_and_read_versions(client, world, media):
    version = funder_report_publish(programme=world["programme"], start=START, end=END, by=None)
    urls = [*version_urls(version.pk), f"/reports/funder/{version.pk}.pdf"]
    national = with_role(RoleKind.NATIONAL_COORDINATOR, world["programme"], world["network"])
    staff = factories.UserFactory()
    factories.ContactFactory(user=staff, email=staff.email)
    outsider = with_role(RoleKind.PROGRAMME_COORDINATOR, world["other"])

    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert publish(client).status_code == 302 and FunderReport.objects.count() == 1

    for person, status in [(national, 403), (staff, 403), (outsider, 404)]:
        client.force_login(person)
        for url in urls:
            assert client.get(url).status_code == status, (url, person)
        assert publish(client).status_code == status
    assert FunderReport.objects.count() == 1

    client.force_login(world["coordinator"])
    for url in version_urls(version.pk):
        assert client.get(url).status_code == 200
    assert client.get(f"/reports/funder/{version.pk}.pdf").status_code == 202


def test_publishing_needs_a_post_with_the_csrf_token(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world["coordinator"])
    assert client.get(PUBLISH, PERIOD).status_code == 405
    assert client.post(PUBLISH, PERIOD).status_code == 403
    assert not FunderReport.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"date_from": "2021-12-31", "date_to": "2021-01-01"}, "The period cannot end before"),
        ({"date_from": "2021-13-45"}, "Enter a valid date."),
        ({"note": "x" * 1001}, "Ensure this value has at most 1000 characters"),
    ],
)
def test_bad_input_publishes_nothing_and_says_why(client, world, data, message):
    client.force_login(world["coordinator"])
    response = publish(client, **data)
    assert response.status_code == 400
    assert message in response.text and "Nothing was published" in response.text
    assert not FunderReport.objects.exists()


def test_a_superuser_publishes_per_programme_only(client, world):
    client.force_login(factories.CoordinatorFactory())
    response = client.post(PUBLISH, {**PERIOD, "programme": ""})
    assert response.status_code == 400
    assert "A version is published per programme: choose a programme first." in response.text
    assert not FunderReport.objects.exists()


# -- participants with their answers --------------------------------------------------------------


@pytest.fixture
def asked():
    """Two meetings with registration questions, answered (and one left unanswered)."""
    first = factories.MeetingFactory(title="Energy planning")
    diet = factories.QuestionFactory(meeting=first, label="Dietary needs", order=1)
    session = factories.QuestionFactory(meeting=first, kind="multiple", label="Sessions", order=2)
    morning = factories.QuestionChoiceFactory(question=session, label="Morning")
    factories.QuestionChoiceFactory(question=session, label="Afternoon")
    factories.QuestionFactory(meeting=first, purpose="feedback", label="Was it useful?")
    second = factories.MeetingFactory(
        title="Citizen engagement", start=first.start + dt.timedelta(days=7)
    )
    visit = factories.QuestionFactory(meeting=second, kind="yes_no", label="Study visit?")
    lucja = factories.RegistrationFactory(meeting=first, contact__first_name="Łucja")
    RegistrationAnswer.objects.create(registration=lucja, question=diet, text="=vegan")
    RegistrationAnswer.objects.create(registration=lucja, question=session).choices.add(morning)
    factories.RegistrationFactory(meeting=first, contact__first_name="Piotr")
    asa = factories.RegistrationFactory(meeting=second, contact__first_name="Åsa")
    RegistrationAnswer.objects.create(registration=asa, question=visit, yes_no=True)
    return ExchangeMeeting.objects.filter(pk__in=[first.pk, second.pk])


def test_the_participants_csv_has_a_column_per_question_with_the_answers(asked):
    rows = csv_rows(participants_csv(asked))
    assert rows[0] == [
        "meeting",
        "name",
        "city",
        "country",
        "target groups",
        "status",
        "Energy planning: Dietary needs",
        "Energy planning: Sessions",
        "Citizen engagement: Study visit?",
    ]
    answers = {row[1].split()[0]: row[6:] for row in rows[1:]}
    assert answers == {
        "Łucja": ["'=vegan", "Morning", ""],
        "Piotr": ["", "", ""],
        "Åsa": ["", "", "yes"],
    }


def test_the_participants_xlsx_has_a_sheet_per_meeting(asked):
    first, second = asked.order_by("start")
    book = workbook(participants_xlsx(asked))
    assert book.sheetnames == [
        f"{first.local_start:%Y-%m-%d} Energy planning",
        f"{second.local_start:%Y-%m-%d} Citizen engagement",
    ]
    energy = book.worksheets[0]
    rows = sheet_values(energy)
    assert rows[0] == (
        "name",
        "city",
        "country",
        "target groups",
        "status",
        "Dietary needs",
        "Sessions",
    )
    lucja = next(row for row in rows if row[0].startswith("Łucja"))
    assert lucja[5:] == ("=vegan", "Morning")
    assert energy["F2"].data_type == "s" or energy["F3"].data_type == "s"  # text, not a formula
    assert all(cell.data_type != "f" for row in energy.iter_rows() for cell in row)
    citizen = sheet_values(book.worksheets[1])
    assert citizen[0][-1] == "Study visit?" and citizen[1][-1] == "yes"


def test_the_admin_exports_participants_as_xlsx_from_meetings_and_registrations(
    admin_client, asked
):
    meetings = reverse("admin:exchanges_exchangemeeting_changelist")
    response = admin_client.post(
        meetings,
        {"action": "export_participants_xlsx", "_selected_action": [m.pk for m in asked]},
    )
    assert len(workbook(response).sheetnames) == 2

    registration = Registration.objects.get(contact__first_name="Åsa")
    response = admin_client.post(
        reverse("admin:exchanges_registration_changelist"),
        {"action": "export_xlsx", "_selected_action": [registration.pk]},
    )
    book = workbook(response)
    assert [sheet.title[11:] for sheet in book.worksheets] == ["Citizen engagement"]
    page = admin_client.get(reverse("admin:exchanges_registration_changelist"))
    assert "Export the meetings&#x27; participants (XLSX)" in page.text


@pytest.mark.parametrize("count", [1, 3])
def test_the_participants_export_costs_the_same_queries_for_1_and_3(
    count, django_assert_num_queries
):
    meeting = factories.MeetingFactory()
    text = factories.QuestionFactory(meeting=meeting)
    choice = factories.QuestionChoiceFactory(question__meeting=meeting)
    group = factories.TargetGroupFactory()
    for _ in range(count):
        registration = factories.RegistrationFactory(meeting=meeting)
        registration.contact.target_groups.add(group)
        RegistrationAnswer.objects.create(registration=registration, question=text, text="yes")
        answer = RegistrationAnswer.objects.create(
            registration=registration, question=choice.question
        )
        answer.choices.add(choice)
    meetings = ExchangeMeeting.objects.filter(pk=meeting.pk)

    with django_assert_num_queries(6):
        rows = csv_rows(participants_csv(meetings))
    assert len(rows) == count + 1
    with django_assert_num_queries(6):
        book = workbook(participants_xlsx(meetings))
    assert book.worksheets[0].max_row == count + 1
