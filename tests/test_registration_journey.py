"""Issue 13's whole journey in a real browser: a person answers the meeting's questions and waits
for approval; a coordinator approves in the admin; the person's e-mail and My meetings carry the
QR code; at the door a coordinator's phone films it and checks them in; the person downloads a
certificate whose public verification page confirms it."""

import datetime as dt
import io
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader

from access.models import Role, RoleKind
from exchanges.models import Registration, RegistrationStatus
from exchanges.models import Role as CityRole
from notifications.models import Message

from . import factories
from .test_checkin_browser import CHROMIUM, PASSWORD, PHONE, sign_in, write_y4m

SHOTS = Path("/tmp/shots-journey")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        CHROMIUM is None, reason="needs Debian's chromium (apt-get install chromium)"
    ),
]


def person_with_password(email: str, **fields):
    user = factories.UserFactory(email=email, **fields)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def scene():
    """A moderated meeting that began ten minutes ago (registration open until an hour before
    its end), asking two required questions; a city's staff member and its coordinator."""
    now = timezone.now().replace(microsecond=0)
    meeting = factories.MeetingFactory(
        title="National exchange in Płock",
        start=now - dt.timedelta(minutes=10),
        end=now + dt.timedelta(hours=5),
        registration_deadline=now + dt.timedelta(hours=4),
        requires_approval=True,
        capacity=10,
        city_quota=2,
    )
    programme = meeting.programme
    programme.funding_statement = (
        "This project has received funding from the European Union's Horizon 2020 research "
        "and innovation programme under grant agreement No 785088"
    )
    programme.signatory_name, programme.signatory_title = "Anna Lindqvist", "Programme director"
    programme.save()
    factories.PartnerFactory(
        programme=programme, name="Energy Agency of Płock", is_coordinator=True
    )
    diet = factories.QuestionFactory(
        meeting=meeting, kind="single", label="Dietary needs", required=True
    )
    factories.QuestionChoiceFactory(question=diet, label="Vegetarian")
    factories.QuestionChoiceFactory(question=diet, label="None")
    factories.QuestionFactory(
        meeting=meeting, kind="yes_no", label="Do you need a hotel?", required=True
    )
    city = factories.MembershipFactory(network=meeting.network, role=CityRole.ENGAGED).city
    staff = person_with_password("maria.nowak@plock.example")
    factories.ContactFactory(
        city=city, user=staff, email=staff.email, first_name="Maria", last_name="Nowak"
    )
    coordinator = person_with_password("coordinator@network.example")
    Role.objects.create(
        user=coordinator,
        kind=RoleKind.NATIONAL_COORDINATOR,
        programme=programme,
        network=meeting.network,
    )
    return meeting, staff, coordinator


def browser(playwright, *args):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=[*ARGS, *args])


def test_answer_wait_be_approved_check_in_by_qr_and_verify_the_certificate(
    live_server, scene, settings, tmp_path
):
    settings.SITE_URL = live_server.url
    settings.MEDIA_ROOT = tmp_path
    meeting, staff, coordinator = scene
    sync_api = pytest.importorskip("playwright.sync_api")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    SHOTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        desktop = browser(playwright)
        person = desktop.new_page()
        person.set_default_timeout(15_000)

        # 1. Maria answers the questions; one left out is named, then she asks to register.
        sign_in(person, live_server, staff.email)
        person.goto(f"{live_server.url}{meeting.get_absolute_url()}")
        person.get_by_label("Vegetarian").check()
        person.get_by_label(re.compile("I have read the privacy notice")).check()
        person.get_by_role("button", name="Ask to register").click()
        person.get_by_text("This field is required.").wait_for()
        assert not Registration.objects.exists()
        person.get_by_label("Vegetarian").check()
        person.get_by_label("Yes").check()
        person.get_by_label(re.compile("I have read the privacy notice")).check()
        person.get_by_role("button", name="Ask to register").click()
        person.get_by_text("waits for the organisers’ approval").first.wait_for()
        person.screenshot(path=SHOTS / "1-pending.png", full_page=True)
        registration = Registration.objects.get()
        assert registration.status == RegistrationStatus.PENDING
        assert [a.display() for a in registration.answers.all()] == ["Vegetarian", "yes"]

        # 2. The coordinator approves it in the admin, where the answers are shown.
        office = desktop.new_page()
        office.set_default_timeout(15_000)
        sign_in(office, live_server, coordinator.email)
        office.goto(f"{live_server.url}/admin/exchanges/registration/?status__exact=pending")
        office.get_by_role("checkbox", name=re.compile("Select this object")).first.check()
        office.get_by_role("combobox", name="Action").select_option("approve")
        office.get_by_role("button", name="Go").click()
        office.get_by_text("Maria Nowak is approved: confirmed.").wait_for()
        registration.refresh_from_db()
        assert registration.status == RegistrationStatus.CONFIRMED

        # 3. The approval e-mail carries the QR code and its code; so does My meetings.
        mail = Message.objects.get(kind="registration_approved")
        assert registration.code in mail.body_text
        assert f"/check-in-codes/{registration.code}.png" in mail.body_html
        person.goto(f"{live_server.url}/me/meetings/")
        person.get_by_role("img", name="QR code to check in").wait_for()
        desktop.close()

        # 4. At the door, the coordinator's phone films Maria's code.
        video = tmp_path / "maria.y4m"
        write_y4m(video, registration.code)
        door = browser(
            playwright,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        )
        phone = door.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True).new_page()
        phone.set_default_timeout(15_000)
        sign_in(phone, live_server, coordinator.email)
        phone.goto(f"{live_server.url}/manage/meetings/{meeting.pk}/check-in/")
        phone.get_by_role("button", name="Start camera").click()
        phone.locator("#scan-result").get_by_text("Maria Nowak").wait_for()
        phone.screenshot(path=SHOTS / "2-checked-in-on-a-phone.png")
        door.close()
        registration.refresh_from_db()
        assert registration.status == RegistrationStatus.ATTENDED

        # 5. Maria downloads her certificate (rendered by the worker, then served)...
        laptop = browser(playwright)
        person = laptop.new_page()
        person.set_default_timeout(15_000)
        sign_in(person, live_server, staff.email)
        person.goto(f"{live_server.url}/me/meetings/")
        address = person.get_by_role("link", name="Certificate (PDF)").get_attribute("href")
        first = person.request.get(f"{live_server.url}{address}")
        assert first.status == 202  # being prepared: the page refreshes itself
        pdf = person.request.get(f"{live_server.url}{address}")
        assert pdf.headers["content-type"] == "application/pdf"
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.body())).pages)
        registration.refresh_from_db()
        code = registration.certificate_code
        assert code and code in text
        assert "785088" in text and "Anna Lindqvist" in text

        # 6. ... and anyone checking it (signed out) finds it genuine, by its code.
        checker = laptop.new_page()
        checker.goto(f"{live_server.url}/certificates/")
        checker.get_by_role("textbox").first.fill(code.lower().replace("-", " "))
        checker.get_by_role("button").last.click()
        checker.get_by_text("Maria Nowak").first.wait_for()
        page_text = checker.locator("main").inner_text()
        assert "National exchange in Płock" in page_text
        assert staff.email not in checker.content()
        checker.screenshot(path=SHOTS / "3-verified.png", full_page=True)
        forged = checker.goto(f"{live_server.url}/certificates/ABCD-EFGH-JKLM/")
        assert forged.status == 404
        laptop.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
