"""Issue 15's journey in a real browser (Playwright, Debian's Chromium): a person of a city signs
in through the real page, downloads their data from their profile, deletes their account; then
their programme's coordinator signs in and the funder's report still counts the meeting they
attended, anonymously. Screenshots at desktop and phone width go to /tmp/shots-privacy."""

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.utils import timezone

from access.models import Role, RoleKind
from accounts.models import User
from cities.models import Contact
from exchanges.models import RegistrationStatus

from . import factories
from .test_checkin_browser import CHROMIUM, PASSWORD, sign_in

SHOTS = Path("/tmp/shots-privacy")
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        CHROMIUM is None, reason="needs Debian's chromium (apt-get install chromium)"
    ),
]


def shoot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=SHOTS / f"{name}-desktop.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=SHOTS / f"{name}-phone.png", full_page=True)
    page.set_viewport_size(DESKTOP)


@pytest.fixture
def scene(settings, tmp_path):
    """Marta of Sztum attended a meeting of the Polish network a week ago; Olga coordinates."""
    settings.MEDIA_ROOT = tmp_path
    programme = factories.ProgrammeFactory(name="City Energy Exchange")
    network = factories.NetworkFactory(programme=programme, country__code="PL", name="Polska")
    week_ago = timezone.now() - dt.timedelta(days=7)
    meeting = factories.MeetingFactory(
        network=network, title="Wymiana w Sztumie", start=week_ago, end=week_ago
    )
    marta = factories.UserFactory(
        email="marta@sztum.example", first_name="Marta", last_name="Zielińska"
    )
    contact = factories.ContactFactory(
        city__name="Sztum",
        city__country=network.country,
        first_name="Marta",
        last_name="Zielińska",
        email=marta.email,
        phone="+48 55 277 11 11",
        user=marta,
    )
    factories.RegistrationFactory(
        meeting=meeting, contact=contact, status=RegistrationStatus.ATTENDED
    )
    olga = factories.UserFactory(email="olga@programme.example")
    for person in (marta, olga):
        person.set_password(PASSWORD)
        person.save()
    Role.objects.create(user=olga, kind=RoleKind.PROGRAMME_COORDINATOR, programme=programme)
    return {"marta": marta, "contact": contact, "meeting": meeting, "olga": olga}


def funder_totals(page) -> dict[str, str]:
    rows = page.locator("table[aria-labelledby=totals-heading] tr")
    return {
        row.locator("th").inner_text().strip(): row.locator("td").first.inner_text().strip()
        for row in rows.all()
    }


def test_a_person_takes_their_data_deletes_their_account_and_is_still_counted(
    page, live_server, scene
):
    start = scene["meeting"].start.date()
    report = (
        f"{live_server.url}/reports/attendance/?date_from={start - dt.timedelta(days=1)}"
        f"&date_to={start + dt.timedelta(days=1)}"
    )
    # The coordinator's report before: one attendance, one person trained.
    sign_in(page, live_server, scene["olga"].email)
    page.goto(report)
    before = funder_totals(page)
    assert before["Attended"] == "1" and before["Distinct staff trained"] == "1"
    page.context.clear_cookies()

    # 1. Marta downloads her data from her profile.
    sign_in(page, live_server, scene["marta"].email)
    page.goto(f"{live_server.url}/me/")
    shoot(page, "1-profile")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download your data").first.click()
    archive = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))
    data = json.loads(archive.read("data.json"))
    assert "marta@sztum.example" in json.dumps(data)
    assert "Wymiana w Sztumie" in json.dumps(data, ensure_ascii=False)

    # 2. She deletes her account: the password is asked for, a wrong one changes nothing.
    page.get_by_role("link", name="Delete your account").click()
    shoot(page, "2-delete")
    page.get_by_label("Your password").fill("not my password")
    page.get_by_role("button", name="Delete my account").click()
    assert page.get_by_text("This is not your password.").is_visible()
    assert User.objects.filter(email="marta@sztum.example").exists()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    page.wait_for_load_state()
    assert page.get_by_text("Your account has been deleted").is_visible()
    shoot(page, "3-deleted")
    assert not User.objects.filter(email="marta@sztum.example").exists()
    assert Contact.objects.get(pk=scene["contact"].pk).first_name == ""

    # She is signed out: her profile asks for a sign-in, and her password no longer works.
    page.goto(f"{live_server.url}/me/")
    assert "/accounts/login/" in page.url
    page.get_by_label("Email").fill("marta@sztum.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()
    assert "/accounts/login/" in page.url

    # 3. The coordinator's report still counts her attendance, with no name anywhere.
    page.context.clear_cookies()
    sign_in(page, live_server, scene["olga"].email)
    page.goto(report)
    assert funder_totals(page) == before
    assert "Zielińska" not in page.content()
    shoot(page, "4-funder-report")
