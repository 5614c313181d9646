"""Reporting for the funder: attendance per meeting, city and country over a period, and the
number of distinct staff trained, as a page, a CSV and a PDF (issue 5)."""

import csv
import datetime as dt
import io
import zoneinfo

import html5lib
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from access.models import Role, RoleKind
from exchanges.models import MeetingStatus, Programme, Registration, RegistrationStatus
from reports.models import Document
from reports.selectors import attendance_report
from reports.services import document_render, document_request

from . import factories

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
START, END = dt.date(2021, 1, 1), dt.date(2021, 12, 31)
PERIOD = "date_from=2021-01-01&date_to=2021-12-31"
PAGE, CSV, PDF = "/reports/attendance/", "/reports/attendance.csv", "/reports/attendance.pdf"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def at(year, month, day, hour=10, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=BRUSSELS)


def register(meeting, contact, status) -> Registration:
    return Registration.objects.create(
        meeting=meeting, contact=contact, status=status, privacy_consent_at=timezone.now()
    )


def meeting(network, start, **fields):
    return factories.MeetingFactory(
        network=network, start=start, end=start + dt.timedelta(hours=6), **fields
    )


@pytest.fixture
def data():
    """Two meetings of MULTIPLY in 2021 (Warszawa, Malmö), one just after the period, one
    cancelled, and one of another programme: who attended, who did not, who is not marked."""
    poland = factories.CountryFactory(code="PL", name="Poland")
    sweden = factories.CountryFactory(code="SE", name="Sweden")
    multiply = factories.ProgrammeFactory(slug="multiply", name="MULTIPLY")
    other = factories.ProgrammeFactory(slug="other", name="Other programme")
    polish = factories.NetworkFactory(programme=multiply, country=poland)
    swedish = factories.NetworkFactory(programme=multiply, country=sweden)
    other_swedish = factories.NetworkFactory(programme=other, country=sweden)
    warszawa = factories.CityFactory(name="Warszawa", country=poland)
    lodz = factories.CityFactory(name="Łódź", country=poland)
    malmo = factories.CityFactory(name="Malmö", country=sweden)
    anna = factories.ContactFactory(city=warszawa, first_name="Anna")
    piotr = factories.ContactFactory(city=warszawa, first_name="Piotr")
    ewa = factories.ContactFactory(city=lodz, first_name="Ewa")
    sven = factories.ContactFactory(city=malmo, first_name="Sven")
    olle = factories.ContactFactory(city=malmo, first_name="Olle")

    first = meeting(polish, at(2021, 3, 10), title="Energy planning", host_city=warszawa)
    register(first, anna, RegistrationStatus.ATTENDED)
    register(first, piotr, RegistrationStatus.ATTENDED)
    register(first, ewa, RegistrationStatus.NO_SHOW)
    register(first, sven, RegistrationStatus.CONFIRMED)  # attendance not marked yet
    register(first, olle, RegistrationStatus.CANCELLED)

    second = meeting(swedish, at(2021, 6, 15), title="Citizen engagement", host_city=malmo)
    register(second, anna, RegistrationStatus.ATTENDED)  # Anna again: one person trained
    register(second, sven, RegistrationStatus.ATTENDED)
    register(second, olle, RegistrationStatus.NO_SHOW)

    # Half an hour into 2022 in Brussels (still 2021 in UTC): outside the period.
    late = meeting(polish, at(2022, 1, 1, 0, 30), title="New year exchange", host_city=lodz)
    register(late, ewa, RegistrationStatus.ATTENDED)
    cancelled = meeting(
        polish, at(2021, 9, 1), title="Cancelled exchange", status=MeetingStatus.CANCELLED
    )
    register(cancelled, ewa, RegistrationStatus.ATTENDED)

    elsewhere = meeting(other_swedish, at(2021, 5, 5), title="Other programme meeting")
    register(elsewhere, olle, RegistrationStatus.ATTENDED)
    return multiply


def coordinator_client(client):
    client.force_login(factories.CoordinatorFactory())
    return client


# -- the figures ----------------------------------------------------------------------------


def test_it_counts_attendance_per_meeting_city_and_country(data):
    report = attendance_report(programme=data, start=START, end=END)

    assert report["meetings"] == [
        {
            "pk": report["meetings"][0]["pk"],
            "title": "Energy planning",
            "date": dt.date(2021, 3, 10),
            "host": "Warszawa",
            "country": "Poland",
            "attended": 2,
            "no_shows": 1,
            "not_marked": 1,
            "registered": 4,  # the cancelled registration is not one
        },
        {
            "pk": report["meetings"][1]["pk"],
            "title": "Citizen engagement",
            "date": dt.date(2021, 6, 15),
            "host": "Malmö",
            "country": "Sweden",
            "attended": 2,
            "no_shows": 1,
            "not_marked": 0,
            "registered": 3,
        },
    ]
    # Łódź only had a no-show in the period: it is not in the attendance tables.
    assert report["cities"] == [
        {"city": "Warszawa", "country": "Poland", "participations": 3, "people": 2},
        {"city": "Malmö", "country": "Sweden", "participations": 1, "people": 1},
    ]
    assert report["countries"] == [
        {"country": "Poland", "cities": 1, "participations": 3, "people": 2},
        {"country": "Sweden", "cities": 1, "participations": 1, "people": 1},
    ]
    assert report["totals"] == {
        "meetings": 2,
        "registered": 7,
        "attended": 4,
        "no_shows": 2,
        "not_marked": 1,
        "staff_trained": 3,  # Anna twice, Piotr, Sven
        "cities": 2,
        "countries": 2,
    }


def test_without_a_programme_it_counts_every_programme(data):
    report = attendance_report(start=START, end=END)

    assert [row["title"] for row in report["meetings"]] == [
        "Energy planning",
        "Other programme meeting",
        "Citizen engagement",
    ]
    assert report["totals"]["staff_trained"] == 4  # and Olle, in the other programme
    assert {"city": "Malmö", "country": "Sweden", "participations": 2, "people": 2} in report[
        "cities"
    ]


def test_the_period_includes_both_of_its_days(data):
    report = attendance_report(programme=data, start=dt.date(2021, 3, 10), end=dt.date(2022, 1, 1))
    titles = [row["title"] for row in report["meetings"]]
    assert titles == ["Energy planning", "Citizen engagement", "New year exchange"]
    assert "Cancelled exchange" not in titles
    assert attendance_report(programme=data, start=END, end=END)["meetings"] == []


def test_a_meeting_without_a_host_city_takes_its_networks_country(data):
    network = data.networks.get(country__code="SE")
    meeting(network, at(2021, 10, 1), title="Online exchange")
    report = attendance_report(programme=data, start=START, end=END)
    online = next(row for row in report["meetings"] if row["title"] == "Online exchange")
    assert (online["host"], online["country"], online["registered"]) == ("", "Sweden", 0)


def _programme_with_meetings(count: int):
    network = factories.NetworkFactory()
    for number in range(count):
        held = meeting(
            network, at(2021, 1, 1) + dt.timedelta(days=number * 7), host_city=None, number=number
        )
        for status in (RegistrationStatus.ATTENDED, RegistrationStatus.NO_SHOW):
            register(held, factories.ContactFactory(), status)
    return network.programme


@pytest.mark.parametrize("count", [1, 30])
def test_the_report_costs_four_queries_whatever_the_size(count, django_assert_num_queries):
    programme = _programme_with_meetings(count)
    with django_assert_num_queries(4):
        report = attendance_report(programme=programme, start=START, end=END)
    assert report["totals"]["meetings"] == count
    assert report["totals"]["staff_trained"] == count


def test_the_page_costs_the_same_queries_for_1_and_30_meetings(client):
    coordinator_client(client)
    counts = []
    for size in (1, 30):
        programme = _programme_with_meetings(size)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{PAGE}?programme={programme.slug}&{PERIOD}")
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# -- who may see it -------------------------------------------------------------------------


@pytest.mark.parametrize("url", [PAGE, CSV, f"{PDF}?programme=multiply"])
def test_it_is_for_coordinators_only(client, media, url):
    factories.ProgrammeFactory(slug="multiply")
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    client.force_login(factories.UserFactory())
    assert client.get(url).status_code == 403

    client.force_login(factories.UserFactory(is_staff=True))  # staff, without a role
    assert client.get(url).status_code == 403

    programme = Programme.objects.get(slug="multiply")
    network = factories.NetworkFactory(programme=programme)
    national = factories.UserFactory()
    Role.objects.create(
        user=national, kind=RoleKind.NATIONAL_COORDINATOR, programme=programme, network=network
    )
    client.force_login(national)  # the funder's report covers the whole programme
    assert client.get(url).status_code == 403

    coordinator = factories.UserFactory()
    Role.objects.create(user=coordinator, kind=RoleKind.PROGRAMME_COORDINATOR, programme=programme)
    client.force_login(coordinator)
    assert client.get(url).status_code in (200, 202)


# -- the page -------------------------------------------------------------------------------


def parse_strict(content: bytes):
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(content)


def test_the_page_shows_the_tables_the_totals_and_the_chart(client, data):
    response = coordinator_client(client).get(f"{PAGE}?programme=multiply&{PERIOD}")

    assert response.status_code == 200
    page = parse_strict(response.content)
    assert len(page.findall(".//h1")) == 1
    for field in page.findall(".//form[@method='get']//select") + page.findall(
        ".//form[@method='get']//input"
    ):
        if field.get("type") != "hidden":
            assert page.find(f".//label[@for='{field.get('id')}']") is not None, field.get("name")
    tables = page.findall(".//table")
    assert len(tables) == 4  # totals, countries, cities, meetings
    totals = {row.find("th").text: row.find("td").text for row in tables[0].findall(".//tbody/tr")}
    assert totals["Distinct staff trained"] == "3"
    assert totals["Attended"] == "4"
    text = response.text
    assert "Warszawa" in text and "Malmö" in text and "Energy planning" in text
    assert "Cancelled exchange" not in text and "New year exchange" not in text
    assert "1 confirmed place has not been marked" in text

    chart = page.find(f".//{SVG}svg")
    assert chart.get("role") == "img"
    assert chart.find(f"{SVG}title").text == "Attendance per country"
    bars = chart.findall(f"{SVG}rect")
    assert [bar.get("width") for bar in bars] == ["400", "133"]  # Poland 3, Sweden 1
    labels = [label.text for label in chart.findall(f"{SVG}text")]
    assert labels == ["Poland", "3", "Sweden", "1"]

    assert f"/reports/attendance.csv?programme=multiply&amp;{PERIOD.replace('&', '&amp;')}" in (
        text
    )
    assert "/reports/attendance.pdf?programme=multiply" in text


def test_the_bare_page_covers_the_last_twelve_months(client, data):
    response = coordinator_client(client).get(PAGE)

    assert response.status_code == 200
    today = timezone.localdate()
    page = parse_strict(response.content)
    assert page.find(".//input[@name='date_to']").get("value") == today.isoformat()
    start = dt.date.fromisoformat(page.find(".//input[@name='date_from']").get("value"))
    assert 365 <= (today - start).days + 1 <= 366
    assert "choose a programme above to download it" in response.text
    assert "/reports/attendance.pdf" not in response.text


def test_only_to_given_reports_the_twelve_months_before_it(client, data):
    response = coordinator_client(client).get(f"{PAGE}?programme=multiply&date_to=2021-12-31")
    page = parse_strict(response.content)
    assert page.find(".//input[@name='date_from']").get("value") == "2021-01-01"
    assert "Energy planning" in response.text


def test_a_page_with_no_attendance_says_so(client):
    response = coordinator_client(client).get(f"{PAGE}?{PERIOD}")
    assert response.status_code == 200
    assert "No meetings in this period." in response.text
    assert "<svg" not in response.text
    parse_strict(response.content)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("date_from=2021-13-45", "Enter a valid date."),
        ("date_from=yesterday&date_to=2021-01-01", "Enter a valid date."),
        ("date_from=2021-12-31&date_to=2021-01-01", "The period cannot end before it starts"),
        ("date_from=0001-01-01", "Choose a date between 1990-01-01 and 2100-12-31."),
        ("date_to=9999-12-31", "Choose a date between 1990-01-01 and 2100-12-31."),
        ("programme=nonesuch", "Select a valid choice."),
    ],
)
@pytest.mark.parametrize("url", [PAGE, CSV, PDF])
def test_bad_input_gets_a_message_not_an_error(client, url, query, message):
    factories.ProgrammeFactory(slug="multiply")
    response = coordinator_client(client).get(f"{url}?{query}")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert message in response.text
    page = parse_strict(response.content)
    assert len(page.findall(".//h1")) == 1
    assert page.find(".//table") is None


# -- the CSV --------------------------------------------------------------------------------


def test_the_csv_holds_every_table_in_utf8_with_a_bom(client, data):
    response = coordinator_client(client).get(f"{CSV}?programme=multiply&{PERIOD}")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        'filename="attendance-multiply-20210101-20211231.csv"' in (response["Content-Disposition"])
    )
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1] == ["Programme", "MULTIPLY"]
    assert ["Distinct staff trained", "3"] in rows
    meetings = rows.index(["Attendance per meeting"])
    assert rows[meetings + 2] == [
        "Energy planning",
        "2021-03-10",
        "Warszawa",
        "Poland",
        "2",
        "1",
        "1",
        "4",
    ]
    cities = rows.index(["Attendance per city"])
    assert rows[cities + 1] == ["City", "Country", "Attended", "Distinct people"]
    assert rows[cities + 2 : cities + 4] == [
        ["Warszawa", "Poland", "3", "2"],
        ["Malmö", "Sweden", "1", "1"],
    ]
    countries = rows.index(["Attendance per country"])
    assert rows[countries + 2 :] == [["Poland", "1", "3", "2"], ["Sweden", "1", "1", "1"]]


def test_the_csv_defuses_spreadsheet_formulas_and_keeps_polish_letters(client, data):
    network = data.networks.get(country__code="PL")
    lodz = factories.CityFactory._meta.model.objects.get(name="Łódź")
    meeting(network, at(2021, 11, 2), title='=HYPERLINK("http://x")', host_city=lodz)
    response = coordinator_client(client).get(f"{CSV}?programme=multiply&{PERIOD}")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ['\'=HYPERLINK("http://x")', "2021-11-02", "Łódź", "Poland", "0", "0", "0", "0"] in rows


# -- the PDF --------------------------------------------------------------------------------


def pdf_text(document: Document) -> tuple[str, int]:
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    return text, len(reader.pages)


def test_the_pdf_holds_the_figures_a_funder_reads(data, media):
    requested = document_request(
        kind=Document.Kind.FUNDER_REPORT,
        programme=data,
        period_start=START,
        period_end=END,
        language="en",
    )
    document = document_render(document_id=requested.pk)

    assert document.status == "ready", document.error
    assert document.file.name.endswith("multiply-attendance-20210101-20211231-en.pdf")
    text, pages = pdf_text(document)
    assert "Attendance report" in text and "MULTIPLY" in text
    assert "From 1 January 2021 to 31 December 2021" in text
    assert "Distinct staff trained 3" in text
    for expected in ("Energy planning", "Citizen engagement", "Warszawa", "Malmö"):
        assert expected in text, expected
    assert "Cancelled exchange" not in text and "New year exchange" not in text
    # The chart's labels are text in the PDF too: each country once there, once in its table.
    assert text.count("Poland") == 4  # the chart, the countries, the cities, a meeting
    assert text.count("Sweden") == 4
    assert 1 <= pages <= 3


def test_the_pdf_download_goes_through_the_document_pipeline(client, data, media, monkeypatch):
    coordinator_client(client)
    url = f"{PDF}?programme=multiply&{PERIOD}&lang=en"

    first = client.get(url)
    assert first.status_code == 202 and "being prepared" in first.text
    assert client.get(url).status_code == 202
    queued = Document.objects.get(kind="funder_report")  # one render for two clicks
    assert (queued.period_start, queued.period_end, queued.programme) == (START, END, data)
    document_render(document_id=queued.pk)

    def no_rendering(*args, **kwargs):
        raise AssertionError("WeasyPrint was called on the request path")

    monkeypatch.setattr("weasyprint.HTML", no_rendering)
    served = client.get(url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content).startswith(b"%PDF")
    assert served["Content-Type"] == "application/pdf"
    assert "private" in served["Cache-Control"]


def test_a_change_in_attendance_queues_one_new_render_and_keeps_the_old_file(client, data, media):
    coordinator_client(client)
    url = f"{PDF}?programme=multiply&{PERIOD}"
    client.get(url)
    document_render(document_id=Document.objects.get(kind="funder_report").pk)
    assert client.get(url).status_code == 200
    assert Document.objects.filter(kind="funder_report").count() == 1  # nothing changed

    sven = Registration.objects.get(contact__first_name="Sven", meeting__title="Energy planning")
    sven.status = RegistrationStatus.ATTENDED
    sven.save()
    for _ in range(2):
        assert client.get(url).status_code == 200  # the old file, meanwhile
    assert Document.objects.filter(kind="funder_report", status="queued").count() == 1


def test_the_pdf_needs_a_programme_and_the_page_says_so(client, data):
    response = coordinator_client(client).get(f"{PDF}?{PERIOD}")
    assert response.status_code == 400
    assert "The PDF report is made per programme: choose a programme first." in response.text
    assert not Document.objects.exists()
    parse_strict(response.content)
