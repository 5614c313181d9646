"""No export hands a coordinator's spreadsheet a formula (issue 15, item 6): whatever a city or a
person typed into a name, a city or an answer, every CSV cell that a spreadsheet would run as a
formula carries the leading apostrophe, and every XLSX cell holding it is text."""

import csv
import datetime as dt
import io
import zoneinfo

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.utils import timezone
from openpyxl import load_workbook

from access.models import Role, RoleKind
from exchanges.models import Registration, RegistrationAnswer
from reports.models import FunderReport

from . import factories
from .factories_calls import AnswerFactory, ApplicationFactory, CallFactory, QuestionFactory

pytestmark = pytest.mark.django_db

# The payloads of the abuse campaign (issue 15), and a line feed before a formula (OWASP lists
# it with tab and carriage return: a cell may start on its second line).
PAYLOADS = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example","x")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\n=1+1",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
PERIOD = {"programme": "multiply", "date_from": "2021-01-01", "date_to": "2021-12-31"}
CSV, XLSX = "csv", "xlsx"


@pytest.fixture
def world(settings, tmp_path):
    """MULTIPLY's exchange in Poland in March 2021, and its call for applications: per payload a
    city named so, a participant of that city named so who answered so, and an application of
    that city whose contact person is named so and who answered so."""
    settings.MEDIA_ROOT = tmp_path
    poland = factories.CountryFactory(code="PL", name="Poland")
    multiply = factories.ProgrammeFactory(slug="multiply", name="MULTIPLY")
    network = factories.NetworkFactory(programme=multiply, country=poland)
    start = dt.datetime(2021, 3, 10, 10, tzinfo=BRUSSELS)
    meeting = factories.MeetingFactory(
        network=network, title="Energy planning", start=start, end=start + dt.timedelta(hours=6)
    )
    asked = factories.QuestionFactory(meeting=meeting, label="Dietary needs")
    call = CallFactory(programme=multiply)
    question = QuestionFactory(call=call, text="Why apply?")
    applications = []
    for payload in PAYLOADS:
        city = factories.CityFactory(name=payload, country=poland)
        contact = factories.ContactFactory(city=city, first_name=payload, last_name="")
        registration = Registration.objects.create(
            meeting=meeting, contact=contact, status="attended", privacy_consent_at=timezone.now()
        )
        RegistrationAnswer.objects.create(registration=registration, question=asked, text=payload)
        application = ApplicationFactory(call=call, city=city, contact_name=payload)
        AnswerFactory(application=application, question=question, value=payload)
        applications.append(application)
    coordinator = factories.UserFactory()
    Role.objects.create(user=coordinator, kind=RoleKind.PROGRAMME_COORDINATOR, programme=multiply)
    return {"meeting": meeting, "applications": applications, "coordinator": coordinator}


def admin_action(url, action, objects):
    def download(client, world):
        chosen = world[objects] if objects == "applications" else [world["meeting"]]
        if objects == "registrations":
            chosen = world["meeting"].registrations.all()
        return client.post(url, {"action": action, ACTION_CHECKBOX_NAME: [o.pk for o in chosen]})

    return download


def report(kind):
    def download(client, world):
        return client.get(f"/reports/attendance.{kind}", PERIOD)

    return download


def published(kind):
    def download(client, world):
        assert client.post("/reports/funder/publish/", PERIOD).status_code == 302
        return client.get(f"/reports/funder/{FunderReport.objects.get().pk}.{kind}")

    return download


MEETINGS, REGISTRATIONS = "/admin/exchanges/exchangemeeting/", "/admin/exchanges/registration/"
EXPORTS = {
    "applications": (CSV, admin_action("/admin/calls/application/", "export_csv", "applications")),
    "meetings' participants CSV": (CSV, admin_action(MEETINGS, "export_participants", "meeting")),
    "meetings' participants XLSX": (
        XLSX,
        admin_action(MEETINGS, "export_participants_xlsx", "meeting"),
    ),
    "registrations' participants CSV": (
        CSV,
        admin_action(REGISTRATIONS, "export", "registrations"),
    ),
    "registrations' participants XLSX": (
        XLSX,
        admin_action(REGISTRATIONS, "export_xlsx", "registrations"),
    ),
    "attendance report CSV": (CSV, report(CSV)),
    "attendance report XLSX": (XLSX, report(XLSX)),
    "published funder report CSV": (CSV, published(CSV)),
    "published funder report XLSX": (XLSX, published(XLSX)),
}


def csv_cells(response) -> list[str]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline=""))
    return [cell for row in rows for cell in row]


def xlsx_cells(response) -> list:
    assert response["Content-Type"].endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(response.content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


@pytest.mark.parametrize("name", EXPORTS)
def test_no_exported_cell_runs_as_a_formula(client, world, name):
    kind, download = EXPORTS[name]
    client.force_login(world["coordinator"])

    response = download(client, world)

    assert response.status_code == 200
    if kind == CSV:
        cells = csv_cells(response)
        assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
        # Each payload is there, as typed once the spreadsheet hides the apostrophe.
        assert [p for p in PAYLOADS if not any(c.startswith("'" + p) for c in cells)] == []
    else:
        cells = xlsx_cells(response)
        assert not [cell.value for cell in cells if cell.data_type == "f"]
        texts = [cell.value for cell in cells if cell.data_type == "s"]
        assert [p for p in PAYLOADS if not any(t.startswith(p) for t in texts)] == []
