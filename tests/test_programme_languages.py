"""Each programme chooses its languages from the portal's: its pages, documents and e-mails
speak only those, and its coordinators see which of its texts are still missing in them."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from exchanges import registrations
from exchanges.models import Programme, Role
from notifications.models import Message
from reports.models import Document

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    """A Swedish-English programme, with a plan to download (a network with a member)."""
    programme = factories.ProgrammeFactory(name="Energy Öresund", languages=["sv", "en"])
    network = factories.NetworkFactory(programme=programme)
    factories.MembershipFactory(network=network, role=Role.ENGAGED)
    return programme


def switcher_languages(html: str) -> list[str]:
    select = re.search(r'<select id="language-select".*?</select>', html, flags=re.S).group(0)
    return re.findall(r'<option value="(\w+)"', select)


def test_its_page_is_served_in_its_language_and_offers_only_its_languages(client, programme):
    client.cookies["django_language"] = "pl"  # the visitor reads the portal in Polish

    page = client.get(programme.get_absolute_url())

    assert '<html lang="sv">' in page.text  # the programme's main language
    assert page["Content-Language"] == "sv"
    assert switcher_languages(page.text) == ["sv", "en"]
    # Elsewhere the visitor keeps Polish and every language of the portal.
    home = client.get("/")
    assert '<html lang="pl">' in home.text
    assert switcher_languages(home.text) == ["en", "pl", "sv", "fi", "de", "hu", "it"]


def test_a_language_it_speaks_is_kept(client, programme):
    client.cookies["django_language"] = "en"
    page = client.get(programme.get_absolute_url())
    assert '<html lang="en">' in page.text


def test_its_plan_is_offered_and_rendered_only_in_its_languages(client, programme):
    page = client.get(programme.get_absolute_url())
    url = reverse("reports:plan", args=[programme.slug])
    assert re.findall(rf'href="{re.escape(url)}\?lang=(\w+)"', page.text) == ["sv", "en"]

    assert client.get(url, {"lang": "pl"}).status_code == 404
    assert client.get(url).status_code == 202  # its main language, being prepared
    assert list(Document.objects.values_list("language", flat=True)) == ["sv"]


def test_an_email_falls_back_to_its_main_language(programme, django_capture_on_commit_callbacks):
    meeting = factories.MeetingFactory(network=programme.networks.get(), capacity=10)
    contact = factories.ContactFactory(
        city=programme.networks.get().memberships.get().city, language="pl"
    )
    with django_capture_on_commit_callbacks(execute=True):
        registrations.registration_create(
            meeting_id=meeting.pk, contact=contact, privacy_consent=True
        )

    message = Message.objects.get()
    assert message.language == "sv"
    assert mail.outbox[0].extra_headers["Content-Language"] == "sv"


def test_a_person_whose_language_it_speaks_gets_their_own(
    programme, django_capture_on_commit_callbacks
):
    meeting = factories.MeetingFactory(network=programme.networks.get(), capacity=10)
    contact = factories.ContactFactory(
        city=programme.networks.get().memberships.get().city, language="en"
    )
    with django_capture_on_commit_callbacks(execute=True):
        registrations.registration_create(
            meeting_id=meeting.pk, contact=contact, privacy_consent=True
        )
    assert Message.objects.get().language == "en"


def _form_data(programme: Programme, **changes) -> dict:
    data = {
        "name_en": programme.name,
        "slug": programme.slug,
        "start_date": "2019-01-01",
        "end_date": "2022-06-30",
        "is_published": "on",
        "main_language": "sv",
        "languages": ["sv", "en"],
        # The inlines' management forms: no networks or themes changed.
        "networks-TOTAL_FORMS": "0",
        "networks-INITIAL_FORMS": "0",
        "themes-TOTAL_FORMS": "0",
        "themes-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_the_admin_sets_the_languages_with_the_main_one_first(admin_client, programme):
    url = reverse("admin:exchanges_programme_change", args=[programme.pk])
    form = admin_client.get(url)
    assert 'name="languages"' in form.text and 'type="checkbox"' in form.text

    response = admin_client.post(
        url, _form_data(programme, main_language="fi", languages=["en", "fi", "sv"])
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    programme.refresh_from_db()
    assert programme.languages == ["fi", "en", "sv"]


def test_a_main_language_not_ticked_is_refused_and_changes_nothing(admin_client, programme):
    url = reverse("admin:exchanges_programme_change", args=[programme.pk])

    response = admin_client.post(url, _form_data(programme, main_language="pl"))

    assert response.status_code == 200
    assert "The main language must be one of the languages ticked." in response.text
    programme.refresh_from_db()
    assert programme.languages == ["sv", "en"]


def test_no_language_at_all_is_refused(admin_client, programme):
    url = reverse("admin:exchanges_programme_change", args=[programme.pk])
    response = admin_client.post(url, _form_data(programme, languages=[]))
    assert response.status_code == 200
    programme.refresh_from_db()
    assert programme.languages == ["sv", "en"]


# --- What is still missing --------------------------------------------------------------------


def test_the_cockpit_lists_the_texts_missing_in_its_languages(admin_client, programme):
    factories.ThemeFactory(
        programme=programme, name_en="Energy audits", name_sv="Energikartläggning"
    )
    factories.ThemeFactory(programme=programme, name_en="Procurement")  # no Swedish name
    factories.ThemeFactory(programme=programme, name_en="Financing", name_pl="Finansowanie")

    page = admin_client.get(reverse("cockpit:translations", args=[programme.slug]))

    assert page.status_code == 200
    swedish = page.text.split('id="gaps-sv"')[1].split("</section>")[0]
    assert "Procurement" in swedish and "Financing" in swedish
    assert "Energy audits" not in swedish
    # Polish is not one of its languages: a missing Polish text is not missing.
    assert 'id="gaps-pl"' not in page.text


@pytest.mark.parametrize("count", [1, 3])
def test_the_missing_translations_page_runs_a_constant_number_of_queries(
    admin_client, programme, django_assert_max_num_queries, count
):
    for n in range(count):
        theme = factories.ThemeFactory(programme=programme, name_en=f"Theme {n}")
        factories.TopicFactory(theme=theme, name_en=f"Topic {n}")
    url = reverse("cockpit:translations", args=[programme.slug])
    admin_client.get(url)  # the session and the user, read once

    with django_assert_max_num_queries(20):
        page = admin_client.get(url)
    assert page.text.count("Topic ") >= count


def test_the_admin_page_of_an_object_says_what_is_missing(admin_client, programme):
    theme = factories.ThemeFactory(programme=programme, name_en="Procurement")

    page = admin_client.get(reverse("admin:exchanges_theme_change", args=[theme.pk]))

    assert "Missing translations" in page.text
    assert re.search(r"Swedish: name", page.text)
