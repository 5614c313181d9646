"""Privacy notices (issue 15, item 1): a page per programme and the portal's own, versioned and
translated; coordinators write drafts and publish them in the admin, a published version never
changes; every consent (registering, on someone's behalf, at the door, signing up) records the
version that applied, and every consent box links to it."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from access.models import RoleKind
from accounts.models import User
from exchanges.models import Registration
from exchanges.models import Role as CityRole
from privacy.models import PrivacyNotice, RemovalRecord
from privacy.notices import NoticeRefused, notice_current, notice_draft_create, notice_publish

from . import factories

pytestmark = pytest.mark.django_db

PASSWORD = "a sturdy passphrase 2026"


def published(programme=None, *, title="", body="", **texts):
    """A new version of the programme's notice (the portal's for None), published."""
    draft = notice_draft_create(programme=programme, by=None)
    draft.title_en = title or f"Notice {draft.version}"
    draft.body_en = body or f"What we do with your data, version {draft.version}."
    for name, value in texts.items():
        setattr(draft, name, value)
    draft.save()
    return notice_publish(notice=draft, by=None)


@pytest.fixture
def portal():
    """The portal's own notice, version 1, as migration privacy 0002 publishes it."""
    return PrivacyNotice.objects.get(programme__isnull=True, version=1)


@pytest.fixture
def programme():
    return factories.ProgrammeFactory(slug="multiply", name="MULTIPLY")


def coordinator(programme, kind=RoleKind.PROGRAMME_COORDINATOR, network=None):
    return factories.RoleFactory(programme=programme, kind=kind, network=network).user


def change_url(notice) -> str:
    return reverse("admin:privacy_privacynotice_change", args=[notice.pk])


# --- The pages ---------------------------------------------------------------------------------


def test_the_portal_page_shows_the_current_version_in_the_readers_language(client, portal):
    published(title_pl="Twoje dane", body_pl="Co robimy z twoimi danymi.", title="Your data")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pl"

    page = client.get("/privacy/").text

    assert "Twoje dane" in page and "Co robimy z twoimi danymi." in page
    assert "Your data" not in page
    assert 'href="/privacy/v1/"' in page  # the earlier version, linked


def test_a_missing_translation_falls_back_to_english_and_says_so(client, portal):
    published(title="Your data", body="What we keep.", title_sv="", body_sv="")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"

    page = client.get("/privacy/").text

    assert "What we keep." in page
    assert 'lang="en"' in page


def test_an_earlier_version_is_shown_by_its_number_and_says_it_is_not_current(client, portal):
    published(title="Second thoughts")

    page = client.get("/privacy/v1/").text

    assert portal.title_en in page
    assert "Second thoughts" not in page
    assert "This is an earlier version." in page


def test_a_draft_or_an_unknown_version_is_not_there(client, portal, programme):
    draft = notice_draft_create(programme=None, by=None)
    notice_draft_create(programme=programme, by=None)

    assert client.get("/privacy/v1/").status_code == 200
    assert client.get(f"/privacy/v{draft.version}/").status_code == 404
    assert client.get("/privacy/v99/").status_code == 404
    assert client.get("/privacy/multiply/v1/").status_code == 404  # its draft only
    assert client.get("/privacy/no-such-programme/").status_code == 404


def test_the_body_is_plain_text_escaped_in_paragraphs(client, portal):
    published(body="First paragraph.\n\n<script>alert(1)</script>")

    page = client.get("/privacy/").text

    assert "<p>First paragraph.</p>" in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_a_programme_without_a_notice_of_its_own_shows_the_portals_saying_so(
    client, portal, programme
):
    page = client.get("/privacy/multiply/").text

    assert portal.title_en in page
    assert "MULTIPLY has no privacy notice of its own" in page


def test_a_programmes_own_notice_is_its_page_and_the_portal_page_links_to_it(
    client, portal, programme
):
    published(programme, title="MULTIPLY and your data")
    published(programme, title="MULTIPLY and your data, revised")

    page = client.get("/privacy/multiply/").text
    portal_page = client.get("/privacy/").text

    assert "MULTIPLY and your data, revised" in page
    assert "has no privacy notice of its own" not in page
    assert 'href="/privacy/multiply/v1/"' in page
    assert 'href="/privacy/multiply/"' in portal_page
    assert "MULTIPLY and your data" in client.get("/privacy/multiply/v1/").text


# --- Versions ----------------------------------------------------------------------------------


def test_versions_are_numbered_per_programme_and_for_the_portal(portal, programme):
    other = factories.ProgrammeFactory()

    first = notice_draft_create(programme=programme, by=None)
    second = notice_draft_create(programme=programme, by=None)
    elsewhere = notice_draft_create(programme=other, by=None)
    portal_next = notice_draft_create(programme=None, by=None)

    assert (first.version, second.version, elsewhere.version) == (1, 2, 1)
    assert portal_next.version == 2
    assert not second.is_published


def test_a_new_draft_starts_from_the_text_that_applies_or_from_the_one_chosen(portal, programme):
    own = published(programme, title="Ours", title_fi="Meidän")

    copied = notice_draft_create(programme=programme, by=None)
    from_portal = notice_draft_create(programme=factories.ProgrammeFactory(), by=None)
    from_source = notice_draft_create(programme=programme, by=None, source=own)

    assert (copied.title_en, copied.title_fi) == ("Ours", "Meidän")
    assert from_portal.body_pl == portal.body_pl
    assert from_source.title_fi == "Meidän"


def test_the_current_notice_is_the_newest_published_one(portal, programme):
    own = published(programme)
    notice_draft_create(programme=programme, by=None)  # a newer draft changes nothing

    assert notice_current(programme=programme) == own
    assert notice_current(programme=factories.ProgrammeFactory()) == portal
    assert notice_current() == portal


def test_publishing_a_published_version_again_is_refused_and_changes_nothing(portal):
    before = portal.published_at

    with pytest.raises(NoticeRefused, match="already published"):
        notice_publish(notice=portal, by=None)

    portal.refresh_from_db()
    assert portal.published_at == before


# --- The admin ---------------------------------------------------------------------------------


def test_a_coordinator_adds_a_draft_numbered_after_the_last_version(client, programme):
    person = coordinator(programme)
    published(programme)
    client.force_login(person)

    response = client.post(
        reverse("admin:privacy_privacynotice_add"),
        {"programme": programme.pk, "title_en": "Draft", "body_en": "Text."},
    )

    assert response.status_code == 302
    draft = PrivacyNotice.objects.get(programme=programme, title_en="Draft")
    assert (draft.version, draft.is_published, draft.created_by) == (2, False, person)


def test_a_coordinator_cannot_add_the_portals_notice(client, programme):
    client.force_login(coordinator(programme))
    before = PrivacyNotice.objects.count()

    response = client.post(
        reverse("admin:privacy_privacynotice_add"), {"title_en": "Ours now", "body_en": "x"}
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["programme"]
    assert PrivacyNotice.objects.count() == before


def test_a_published_version_is_read_only_in_the_admin(client, programme):
    notice = published(programme, title="As accepted")
    client.force_login(coordinator(programme))

    page = client.get(change_url(notice))
    response = client.post(change_url(notice), {"title_en": "Rewritten", "body_en": "New."})

    assert page.status_code == 200
    assert 'name="title_en"' not in page.text  # shown, not editable
    assert 'value="new_version"' in page.text and 'value="publish"' not in page.text
    assert response.status_code == 403
    notice.refresh_from_db()
    assert notice.title_en == "As accepted"


def test_a_draft_is_edited_then_published_from_its_page(client, programme):
    draft = notice_draft_create(programme=programme, by=None)
    client.force_login(coordinator(programme))

    saved = client.post(change_url(draft), {"title_en": "Edited", "body_en": "Edited text."})
    page = client.get(change_url(draft)).text
    changelist = reverse("admin:privacy_privacynotice_changelist")
    action = {"action": "publish", "_selected_action": [draft.pk], "index": 0}
    client.post(changelist, action)
    again = client.post(changelist, action, follow=True)

    assert saved.status_code == 302
    assert 'value="publish"' in page
    draft.refresh_from_db()
    assert (draft.title_en, draft.is_published) == ("Edited", True)
    assert "already published" in again.text


def test_start_a_new_version_copies_the_notice_and_opens_the_draft(client, programme):
    notice = published(programme, title="Version one", title_sv="Version ett")
    client.force_login(coordinator(programme))

    response = client.post(
        reverse("admin:privacy_privacynotice_changelist"),
        {"action": "new_version", "_selected_action": [notice.pk], "index": 0},
    )

    draft = PrivacyNotice.objects.get(programme=programme, version=2)
    assert response.status_code == 302 and response["Location"] == change_url(draft)
    assert (draft.title_en, draft.title_sv, draft.is_published) == (
        "Version one",
        "Version ett",
        False,
    )


def test_a_coordinator_of_another_programme_finds_no_notice_of_ours(client, programme):
    notice = published(programme)
    client.force_login(coordinator(factories.ProgrammeFactory()))

    assert client.get(change_url(notice)).status_code == 404
    listed = client.get(reverse("admin:privacy_privacynotice_changelist"))
    assert notice.title_en not in listed.text


def test_a_national_coordinator_reads_their_programmes_notice_but_does_not_write(client, programme):
    network = factories.NetworkFactory(programme=programme)
    draft = notice_draft_create(programme=programme, by=None)
    client.force_login(coordinator(programme, RoleKind.NATIONAL_COORDINATOR, network))

    assert client.get(change_url(draft)).status_code == 200
    assert client.post(change_url(draft), {"title_en": "Ours", "body_en": "x"}).status_code == 403
    assert client.get(reverse("admin:privacy_privacynotice_add")).status_code == 403


def test_the_record_of_removals_is_read_only_and_the_superusers(client, admin_client, programme):
    record = RemovalRecord.objects.create(reason="request", removed={"contacts": 1})

    assert admin_client.get(reverse("admin:privacy_removalrecord_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:privacy_removalrecord_add")).status_code == 403
    change = reverse("admin:privacy_removalrecord_change", args=[record.pk])
    assert admin_client.post(change, {"reason": "self"}).status_code == 403
    client.force_login(coordinator(programme))
    assert client.get(change).status_code == 404  # not theirs: not there


# --- Every consent records the version, and its box links to the notice ---------------------------


def _member(network, **contact):
    city = factories.MembershipFactory(network=network, role=CityRole.ENGAGED).city
    return factories.ContactFactory(city=city, **contact)


def test_registering_oneself_records_the_programmes_notice(client, programme):
    notice = published(programme)
    meeting = factories.MeetingFactory(network__programme=programme)
    user = factories.UserFactory()
    _member(meeting.network, user=user, email=user.email)
    client.force_login(user)

    page = client.get(f"/meetings/{meeting.pk}/").text
    client.post(f"/meetings/{meeting.pk}/register/", {"privacy_consent": "on"})

    assert 'href="/privacy/multiply/"' in page
    assert Registration.objects.get(meeting=meeting).privacy_notice == notice


def test_registering_someone_on_their_behalf_records_the_notice_that_applies(
    client, portal, programme
):
    meeting = factories.MeetingFactory(network__programme=programme)
    contact = _member(meeting.network)
    client.force_login(coordinator(programme))
    address = reverse("cockpit:register_contact", args=[meeting.pk])

    page = client.get(address, {"contact": contact.pk}).text
    client.post(f"{address}?contact={contact.pk}", {"privacy_consent": "on"})

    assert 'href="/privacy/v1/"' in page  # no notice of its own: the portal's covers it
    assert Registration.objects.get(contact=contact).privacy_notice == portal


def test_a_walk_in_records_the_programmes_notice(client, programme):
    notice = published(programme)
    start = timezone.now() + dt.timedelta(minutes=30)
    meeting = factories.MeetingFactory(
        network__programme=programme, start=start, end=start + dt.timedelta(hours=4)
    )
    contact = _member(meeting.network)
    client.force_login(coordinator(programme))
    address = reverse("cockpit:walk_in", args=[meeting.pk])

    page = client.get(address).text
    client.post(address, {"contact": contact.pk, "consent": "on"})

    assert f'href="/privacy/multiply/v{notice.version}/"' in page
    assert Registration.objects.get(contact=contact).privacy_notice == notice


def sign_up(client, **extra):
    data = {"email": "aino@kerava.example", "password1": PASSWORD, "password2": PASSWORD}
    return client.post("/accounts/signup/", data | extra)


def test_signing_up_records_the_portals_current_notice(client, portal):
    current = published()

    page = client.get("/accounts/signup/").text
    response = sign_up(client, privacy_consent="on")

    assert 'href="/privacy/"' in page and 'name="privacy_consent"' in page
    assert response.status_code == 302
    user = User.objects.get(email="aino@kerava.example")
    assert user.privacy_notice == current
    assert user.privacy_accepted_at is not None


def test_signing_up_without_accepting_the_notice_says_so_and_creates_nobody(client, portal):
    response = sign_up(client)

    assert response.status_code == 200
    assert "Please accept the privacy notice to sign up." in response.text
    assert not User.objects.filter(email="aino@kerava.example").exists()


def test_signing_up_works_while_no_notice_is_published(client):
    PrivacyNotice.objects.all().delete()

    sign_up(client, privacy_consent="on")

    user = User.objects.get(email="aino@kerava.example")
    assert user.privacy_notice is None  # nothing to name
    assert user.privacy_accepted_at is not None  # but the box was ticked, and when


def test_every_page_links_to_the_privacy_notice_in_its_footer(client, portal):
    page = client.get("/").text

    footer = page[page.index('<footer class="site-footer">') :]
    assert 'href="/privacy/"' in footer
