"""The calendar a partner's website embeds (issue 16, item 4): upcoming meetings of a programme,
a network or a theme, in the language asked for, with no script and no cookie; it alone may be
framed by another site."""

import datetime as dt
import re

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone

from exchanges.models import MeetingFormat, MeetingStatus

from . import factories

pytestmark = pytest.mark.django_db

EMBED = "/embed/calendar/"


def policy(response) -> dict[str, list[str]]:
    parts = (part.split() for part in response["Content-Security-Policy"].split(";"))
    return {name: sources for name, *sources in parts if name}


def titles(response) -> list[str]:
    return re.findall(r'target="_blank" rel="noopener">([^<]+)</a></h2>', response.text)


@pytest.fixture
def programme():
    """MULTIPLY with networks in Poland and Sweden: two upcoming Polish exchanges (one on a
    theme), a past one, an upcoming Swedish one; and another programme's meeting."""
    programme = factories.ProgrammeFactory(slug="multiply", name="MULTIPLY")
    poland = factories.NetworkFactory(programme=programme, country__code="PL")
    sweden = factories.NetworkFactory(programme=programme, country__code="SE")
    energy = factories.ThemeFactory(programme=programme, name="Energy")
    soon = timezone.now() + dt.timedelta(days=7)
    factories.MeetingFactory(
        network=poland,
        title_en="Exchange in Toruń",
        title_pl="Spotkanie w Toruniu",
        start=soon,
        host_city=factories.CityFactory(name="Toruń", country=poland.country),
    )
    factories.MeetingFactory(network=poland, title="Exchange on energy", theme=energy)
    factories.MeetingFactory(
        network=poland, title="Exchange in Gdynia", start=timezone.now() - dt.timedelta(days=90)
    )
    factories.MeetingFactory(network=sweden, title="Exchange in Växjö")
    factories.MeetingFactory(title="Another programme's exchange")
    return programme


def test_it_lists_the_programmes_upcoming_meetings_soonest_first(client, programme):
    response = client.get(EMBED, {"programme": "multiply"})

    assert response.status_code == 200
    assert titles(response) == ["Exchange in Toruń", "Exchange on energy", "Exchange in Växjö"]
    torun = programme.meetings.get(title_en="Exchange in Toruń")
    assert f'<a href="/meetings/{torun.pk}/" target="_blank" rel="noopener">' in response.text
    assert "Toruń, City hall · In person" in response.text


def test_it_shows_one_network_or_one_theme(client, programme):
    energy = programme.themes.get()

    swedish = client.get(EMBED, {"programme": "multiply", "network": "SE"})
    polish = client.get(EMBED, {"programme": "multiply", "network": "pl"})
    on_energy = client.get(EMBED, {"programme": "multiply", "theme": energy.pk})

    assert titles(swedish) == ["Exchange in Växjö"]
    assert titles(polish) == ["Exchange in Toruń", "Exchange on energy"]
    assert titles(on_energy) == ["Exchange on energy"]


def test_it_speaks_the_language_asked_for_with_english_where_untranslated(client, programme):
    response = client.get(EMBED, {"programme": "multiply", "lang": "pl"})

    assert '<html lang="pl">' in response.text
    assert "Nadchodzące spotkania" in response.text  # "Upcoming meetings"
    assert titles(response)[:2] == ["Spotkanie w Toruniu", "Exchange on energy"]
    assert response["Content-Language"] == "pl"


def test_without_lang_the_visitors_browser_decides(client, programme):
    response = client.get(EMBED, {"programme": "multiply"}, HTTP_ACCEPT_LANGUAGE="pl")
    assert '<html lang="pl">' in response.text


def test_an_online_meeting_says_online_and_never_shows_its_link(client):
    network = factories.NetworkFactory(programme__slug="multiply")
    factories.MeetingFactory(
        network=network,
        title="Webinar",
        format=MeetingFormat.ONLINE,
        online_url="https://meet.example/secret-room",
    )
    factories.MeetingFactory(
        network=network,
        title="Moved",
        status=MeetingStatus.MOVED_ONLINE,
        online_url="https://meet.example/other-room",
    )
    response = client.get(EMBED, {"programme": "multiply"})

    assert "meet.example" not in response.text
    assert response.text.count("Online") == 2
    assert "Moved online" in response.text


def test_it_says_so_when_nothing_is_coming_up(client):
    factories.ProgrammeFactory(slug="quiet")
    response = client.get(EMBED, {"programme": "quiet"})
    assert "No upcoming meetings have been announced yet." in response.text


def test_it_sets_no_cookie_for_visitors_signed_in_or_not(client, programme):
    assert "csrftoken" in client.get("/programmes/multiply/").cookies  # a page with forms does
    client.cookies.clear()
    assert not client.get(EMBED, {"programme": "multiply", "lang": "sv"}).cookies

    client.force_login(factories.UserFactory())
    assert not client.get(EMBED, {"programme": "multiply", "lang": "sv"}).cookies
    assert not client.get(EMBED, {"programme": "nowhere"}).cookies


def test_it_holds_no_script_and_only_its_own_stylesheet(client, programme):
    html = client.get(EMBED, {"programme": "multiply"}).text.lower()

    assert "<script" not in html
    assert " style=" not in html and "<style" not in html
    assert re.findall(r'<link rel="stylesheet" href="([^"]+)"', html) == ["/static/css/embed.css"]
    assert finders.find("css/embed.css")


def test_any_site_may_frame_the_embed(client, programme):
    for response in (
        client.get(EMBED, {"programme": "multiply"}),
        client.get(EMBED, {"programme": "nowhere"}),  # the refusal shows in the frame too
    ):
        assert "X-Frame-Options" not in response
        directives = policy(response)
        assert directives["frame-ancestors"] == ["*"]
        assert directives["script-src"] == ["'self'"]
        assert directives["default-src"] == ["'self'"]


@pytest.mark.parametrize(
    "url", ["/", "/programmes/multiply/", "/meetings/", "/programmes/multiply/calendar.ics"]
)
def test_every_other_page_still_refuses_to_be_framed(client, programme, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert policy(response)["frame-ancestors"] == ["'none'"]


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ({}, "Say which programme to show"),
        ({"programme": "nowhere"}, "There is no published programme “nowhere”"),
        ({"programme": "multiply", "network": "DE"}, "no national network “DE”"),
        ({"programme": "multiply", "theme": "energy"}, "no theme “energy”"),
        ({"programme": "multiply", "theme": "9" * 40}, "no theme"),
        ({"programme": "multiply", "lang": "xx"}, "Unknown language “xx”"),
        ({"programme": "multiply", "colour": "red"}, "Unknown parameter: colour"),
        ({"programme": ["multiply", "other"]}, "Give programme only once"),
    ],
)
def test_a_bad_parameter_is_a_400_page_that_says_why(client, programme, query, reason):
    response = client.get(EMBED, query)

    assert response.status_code == 400
    assert reason in response.text
    assert "<script" not in response.text


def test_another_programmes_theme_is_not_this_programmes(client, programme):
    elsewhere = factories.ThemeFactory(name="Mobility")
    response = client.get(EMBED, {"programme": "multiply", "theme": elsewhere.pk})
    assert response.status_code == 400


def test_an_unpublished_programme_cannot_be_embedded(client):
    factories.MeetingFactory(
        network__programme__slug="draft", network__programme__is_published=False
    )
    assert client.get(EMBED, {"programme": "draft"}).status_code == 400


@pytest.mark.parametrize("count", [1, 3])
def test_it_takes_the_same_queries_however_many_meetings(client, django_assert_num_queries, count):
    network = factories.NetworkFactory(programme__slug="multiply")
    theme = factories.ThemeFactory(programme=network.programme)
    factories.MeetingFactory.create_batch(count, network=network, theme=theme)

    with django_assert_num_queries(2):  # the programme, its meetings with their host cities
        plain = client.get(EMBED, {"programme": "multiply"})
    with django_assert_num_queries(4):  # and the network, and the theme
        narrowed = client.get(EMBED, {"programme": "multiply", "network": "PL", "theme": theme.pk})

    assert len(titles(plain)) == len(titles(narrowed)) == count


def test_the_programme_page_offers_the_snippet_in_the_readers_language(client, programme):
    page = client.get("/programmes/multiply/", HTTP_ACCEPT_LANGUAGE="pl").text

    snippet = re.search(r"<pre class=\"snippet\"><code>(.*?)</code></pre>", page, re.S).group(1)
    assert snippet.startswith('&lt;iframe src="http://testserver/embed/calendar/')
    assert "?programme=multiply&amp;amp;lang=pl" in snippet
    assert "<" not in snippet  # shown to copy, not rendered
