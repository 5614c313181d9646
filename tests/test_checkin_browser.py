"""Check-in at the door on a phone, in a real browser whose camera films a participant's QR code.

Chromium's fake camera plays a Y4M file; we write it from segno's matrix of the registration's
code, so the page's scanner (static/js/check-in.js with the vendored jsQR) reads a real QR code.
"""

import datetime as dt
import os
import re
import shutil
from pathlib import Path

import pytest
import segno
from allauth.account.models import EmailAddress
from django.utils import timezone

from access.models import Role, RoleKind
from accounts.models import User
from exchanges.models import Registration, RegistrationStatus
from exchanges.models import Role as CityRole

from . import factories

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SHOTS = Path("/tmp/shots-checkin")
PHONE = {"width": 390, "height": 844}
PASSWORD = "a sturdy passphrase 2026"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        CHROMIUM is None, reason="needs Debian's chromium (apt-get install chromium)"
    ),
]


def write_y4m(path: Path, text: str, *, width=640, height=480, frames=5) -> None:
    """A few identical frames of the QR code of `text`, black on white, centred, with a white
    quiet zone around it (segno's border), as 4:2:0 YUV: luma from the matrix, grey chroma."""
    matrix = [list(row) for row in segno.make(text, error="m", micro=False).matrix_iter(border=4)]
    module = min(width, height) * 3 // 4 // len(matrix)
    size = module * len(matrix)
    left, top = (width - size) // 2, (height - size) // 2
    luma = bytearray(b"\xff" * (width * height))
    for y, row in enumerate(matrix):
        line = b"".join(b"\x00" * module if dark else b"\xff" * module for dark in row)
        for dy in range(module):
            start = (top + y * module + dy) * width + left
            luma[start : start + size] = line
    chroma = b"\x80" * ((width // 2) * (height // 2))
    header = f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode()
    with path.open("wb") as out:
        out.write(header)
        for _ in range(frames):
            out.write(b"FRAME\n" + bytes(luma) + chroma + chroma)


@pytest.fixture
def scene(tmp_path):
    """A meeting starting in half an hour, a person with a seat, their coordinator."""
    now = timezone.now().replace(microsecond=0)
    meeting = factories.MeetingFactory(
        title="National exchange in Toruń",
        start=now + dt.timedelta(minutes=30),
        end=now + dt.timedelta(hours=6),
        venue="Dwór Artusa",
    )
    membership = factories.MembershipFactory(network=meeting.network, role=CityRole.ENGAGED)
    contact = factories.ContactFactory(
        city=membership.city, first_name="Barbara", last_name="Wójcik"
    )
    registration = Registration.objects.create(
        meeting=meeting, contact=contact, status="confirmed", privacy_consent_at=now
    )
    for number in range(3):
        Registration.objects.create(
            meeting=meeting,
            contact=factories.ContactFactory(city=membership.city, first_name=f"Guest{number}"),
            status="confirmed",
            privacy_consent_at=now,
        )
    user = factories.UserFactory(email="door@network.example")
    user.set_password(PASSWORD)
    user.save()
    Role.objects.create(
        user=user,
        kind=RoleKind.NATIONAL_COORDINATOR,
        programme=meeting.programme,
        network=meeting.network,
    )
    video = tmp_path / "qr.y4m"
    write_y4m(video, registration.code)
    return meeting, registration, user, video


@pytest.fixture
def phone(scene):
    sync_api = pytest.importorskip("playwright.sync_api")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    video = scene[3]
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-video-capture={video}",
            ],
        )
        context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def sign_in(page, live_server, email):
    """Through the real sign-in page, with the address verified as allauth requires."""
    EmailAddress.objects.get_or_create(
        email=email, defaults={"user": User.objects.get(email=email), "verified": True}
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()


def test_a_coordinator_checks_a_person_in_from_their_qr_code_on_a_phone(
    phone, live_server, scene, settings
):
    settings.SITE_URL = live_server.url
    meeting, registration, user, _video = scene
    SHOTS.mkdir(exist_ok=True)
    sign_in(phone, live_server, user.email)

    phone.goto(f"{live_server.url}/manage/meetings/{meeting.pk}/check-in/")
    phone.get_by_role("heading", name=re.compile("Check-in: National exchange in Toruń")).wait_for()
    assert phone.get_by_text("0 of 4 checked in").is_visible()
    phone.screenshot(path=SHOTS / "1-check-in-page.png", full_page=True)

    phone.get_by_role("button", name="Start camera").click()
    result = phone.locator("#scan-result")
    result.get_by_text("Barbara Wójcik").wait_for()
    phone.screenshot(path=SHOTS / "2-scanned.png")

    assert "is checked in" in result.inner_text()
    assert phone.get_by_text("1 of 4 checked in").is_visible()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.ATTENDED
    assert registration.checked_in_by == user
    first = registration.checked_in_at

    # The QR stays in front of the camera: it is posted once, not once a frame.
    phone.wait_for_timeout(1500)
    registration.refresh_from_db()
    assert registration.checked_in_at == first

    # The same code typed again, once the camera is off: the page says when.
    phone.get_by_role("button", name="Stop camera").click()
    phone.get_by_label("Or type the code").fill(registration.code)
    phone.get_by_role("button", name="Check in", exact=True).first.click()
    result.get_by_text("was already checked in at").wait_for()
    assert "message-warning" in result.get_attribute("class")
    phone.screenshot(path=SHOTS / "3-already.png")

    phone.reload()
    phone.get_by_role("heading", name="Latest check-ins").scroll_into_view_if_needed()
    phone.screenshot(path=SHOTS / "4-latest.png", full_page=True)
    latest = phone.locator("section", has=phone.get_by_role("heading", name="Latest check-ins"))
    assert "Barbara Wójcik" in latest.inner_text()

    walk_in = phone.get_by_role("link", name="Add a walk-in").get_attribute("href")
    phone.goto(f"{live_server.url}{walk_in}")
    phone.get_by_role("heading", name="A new person").wait_for()
    phone.screenshot(path=SHOTS / "6-walk-in.png", full_page=True)


def test_a_participant_sees_their_qr_code_in_my_meetings_on_a_phone(phone, live_server, scene):
    meeting, registration, _user, _video = scene
    contact = registration.contact
    person = factories.UserFactory(email=contact.email)
    person.set_password(PASSWORD)
    person.save()
    contact.user = person
    contact.save()
    SHOTS.mkdir(exist_ok=True)
    sign_in(phone, live_server, person.email)

    phone.goto(f"{live_server.url}/me/meetings/")
    image = phone.get_by_role("img", name="QR code to check in")
    image.wait_for()
    assert phone.evaluate("(img) => img.naturalWidth > 0", image.element_handle())
    assert registration.code in phone.locator("main").inner_text()
    image.scroll_into_view_if_needed()
    phone.screenshot(path=SHOTS / "5-my-meetings.png", full_page=True)
