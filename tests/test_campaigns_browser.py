"""A national coordinator e-mails their network's committed cities in a real browser
(Playwright, Debian's Chromium): signs in through the real sign-in page, writes the campaign
with an English and a Polish text, sees the recipients and each language's text, sends it, and
reads its delivery counts (issue 14, item 6). Eager Celery and the test mail backend deliver at
once, so the counts say "sent"."""

import re

import pytest

from access.models import Role, RoleKind
from campaigns.models import Campaign, CampaignStatus
from exchanges.models import Role as CityRole
from notifications.models import Message

from . import factories
from .test_checkin_browser import CHROMIUM, PASSWORD, sign_in

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        CHROMIUM is None, reason="needs Debian's chromium (apt-get install chromium)"
    ),
]


@pytest.fixture
def scene():
    """The Polish network of a programme: Płock, committed, with a Polish and an English
    contact; Sztum, a forerunner, whose contact is not written to; and Poland's coordinator."""
    programme = factories.ProgrammeFactory(name="City Energy Exchange")
    network = factories.NetworkFactory(programme=programme, country__code="PL", name="Polska")
    plock = factories.MembershipFactory(network=network, city__name="Płock").city
    sztum = factories.MembershipFactory(
        network=network, city__name="Sztum", role=CityRole.PIONEER
    ).city
    factories.ContactFactory(
        city=plock, first_name="Ewa", last_name="Wiśniewska", language="pl", email="ewa@plock.pl"
    )
    factories.ContactFactory(city=plock, first_name="John", last_name="Smith", language="en")
    factories.ContactFactory(city=sztum, first_name="Anna", language="pl")
    coordinator = factories.UserFactory(email="polska@network.example")
    coordinator.set_password(PASSWORD)
    coordinator.save()
    Role.objects.create(
        user=coordinator,
        kind=RoleKind.NATIONAL_COORDINATOR,
        programme=programme,
        network=network,
    )
    return coordinator


def pick(page, field: str, text: str) -> None:
    """Choose `text` in an autocomplete (select2) picker."""
    page.locator(f"#id_{field} + .select2").click()
    page.locator(".select2-results__option", has_text=text).click()


def test_a_national_coordinator_writes_to_the_committed_cities_previews_and_sends(
    page, live_server, scene
):
    sign_in(page, live_server, scene.email)
    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("link", name="Campaigns").first.click()
    page.get_by_role("link", name=re.compile("Add campaign")).click()

    page.get_by_label("Title").fill("Autumn exchanges")
    pick(page, "programme", "City Energy Exchange")
    page.get_by_label("Send to").select_option("network")
    pick(page, "network", "Polska")
    page.get_by_label("engaged city").check()
    page.locator("#id_texts-0-language").select_option("en")
    page.locator("#id_texts-0-subject").fill("{{ programme_name }}: the autumn exchanges")
    page.locator("#id_texts-0-body").fill("Dear {{ recipient_name }},\n\nbring your plan.")
    page.locator(".add-row a").click()  # the inline's "Add another Text"
    page.locator("#id_texts-1-language").select_option("pl")
    page.locator("#id_texts-1-subject").fill("{{ programme_name }}: jesienne wymiany")
    page.locator("#id_texts-1-body").fill(
        "Szanowni Państwo, {{ recipient_name }} ({{ city_name }}),\n\nprosimy przywieźć plan."
    )
    page.get_by_role("button", name="Save and continue editing").click()

    # The preview: who receives it, how many in each language, and each language's text.
    page.get_by_role("heading", name="2 recipients").wait_for()
    assert "English: 1; Polish: 1" in page.locator(".campaign-preview").inner_text()
    recipients = page.locator("#first-recipients").inner_text()
    assert "Ewa Wiśniewska" in recipients and "John Smith" in recipients
    assert "Anna" not in recipients  # Sztum is a forerunner city
    preview = page.locator(".campaign-preview").inner_text()
    assert "Szanowni Państwo, Ewa Wiśniewska (Płock)," in preview
    assert "Dear John Smith," in preview

    page.get_by_role("link", name="Send now").click()
    assert "The campaign goes to 2 people now" in page.locator("#send-summary").inner_text()
    page.get_by_role("button", name="Send to 2 people now").click()

    page.get_by_text("2 messages are on their way.").wait_for()
    counts = page.locator("#delivery-counts").inner_text()
    assert re.search(r"queued\s+sent\s+failed\s+0\s+2\s+0", counts, re.IGNORECASE), counts
    page.get_by_role("link", name="The campaign’s messages in the outbox").click()
    page.get_by_text("ewa@plock.pl").wait_for()

    campaign = Campaign.objects.get()
    assert campaign.status == CampaignStatus.SENT
    polish = Message.objects.get(recipient_email="ewa@plock.pl")
    assert (polish.language, polish.status) == ("pl", "sent")
    assert polish.subject == "City Energy Exchange: jesienne wymiany"
