"""The public read API (issue 16, item 1): what the public pages show, as JSON, and nothing else;
filters and order as the pages; the language asked for; 400s that say why; pages capped; a
constant number of queries per list; the OpenAPI schema and its documentation page."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone
from drf_spectacular.validation import validate_schema

from exchanges.models import ExchangeMeeting, MeetingKind, Role

from . import factories, factories_calls
from .conftest import CHROMIUM

pytestmark = pytest.mark.django_db


def get(client, path, **params):
    response = client.get(path, params)
    assert response["Content-Type"] == "application/json", response.content[:300]
    return response


def results(client, path, **params) -> list[dict]:
    response = get(client, path, **params)
    assert response.status_code == 200, response.json()
    return response.json()["results"]


def _in_days(days: int) -> dt.datetime:
    return timezone.now().replace(microsecond=0) + dt.timedelta(days=days)


# --- Only what the public pages show ---------------------------------------------------------


def test_it_lists_only_published_programmes_and_hides_a_draft_even_by_its_slug(client):
    factories.ProgrammeFactory(slug="multiply", name="MULTIPLY")
    factories.ProgrammeFactory(slug="draft", name="Hidden draft", is_published=False)

    listed = results(client, "/api/programmes/")
    draft = get(client, "/api/programmes/draft/")

    assert [row["slug"] for row in listed] == ["multiply"]
    assert listed[0]["url"] == "http://testserver/programmes/multiply/"
    assert draft.status_code == 404


def test_a_signed_in_coordinator_reads_the_same_as_anyone(client, coordinator):
    """No session is read: a superuser's cookie shows no draft and sets nothing."""
    factories.ProgrammeFactory(slug="draft", is_published=False)
    client.force_login(coordinator)

    response = get(client, "/api/programmes/")

    assert response.json()["results"] == []
    assert not response.cookies
    assert response["Access-Control-Allow-Origin"] == "*"  # a partner's script may read it


def test_a_meeting_never_shows_its_online_link_or_its_participants(client):
    meeting = factories.MeetingFactory(online_url="https://meet.example/secret-room", capacity=10)
    registration = factories.RegistrationFactory(
        meeting=meeting,
        contact__first_name="Barbara",
        contact__last_name="Wójcik",
        listed_consent_at=timezone.now(),
    )
    hidden = factories.MeetingFactory(network__programme__is_published=False, title="Hidden")

    listed = get(client, "/api/meetings/")
    detail = get(client, f"/api/meetings/{meeting.pk}/")

    for response in (listed, detail):
        text = response.content.decode()
        assert "secret-room" not in text
        assert "Wójcik" not in text and registration.contact.email not in text
        assert "Hidden" not in text
    assert detail.json()["seats_left"] == 9
    assert get(client, f"/api/meetings/{hidden.pk}/").status_code == 404


def test_networks_list_their_cities_by_role_in_the_programmes_words(client):
    programme = factories.ProgrammeFactory(slug="multiply", pioneer_label="forerunner city")
    network = factories.NetworkFactory(programme=programme)
    factories.MembershipFactory(network=network, city__name="Ostrołęka", role=Role.ENGAGED)
    factories.MembershipFactory(network=network, city__name="Bydgoszcz", role=Role.PIONEER)
    factories.NetworkFactory(programme__is_published=False)

    [row] = results(client, "/api/networks/")

    assert row["programme"] == "multiply" and row["country"]["code"] == "PL"
    assert row["cities"] == [
        {"name": "Bydgoszcz", "role": "pioneer", "role_label": "forerunner city"},
        {"name": "Ostrołęka", "role": "engaged", "role_label": "engaged city"},
    ]
    assert row["url"] == f"http://testserver/programmes/multiply/#network-{network.pk}"


def test_themes_come_with_their_topics_and_target_groups(client):
    theme = factories.ThemeFactory(programme__slug="multiply", name="Political leadership")
    factories.TopicFactory(theme=theme, name="finding funding")
    theme.target_groups.add(factories.TargetGroupFactory(slug="deciders", name="decision makers"))

    [row] = results(client, "/api/themes/", programme="multiply")

    assert row["name"] == "Political leadership"
    assert [topic["name"] for topic in row["topics"]] == ["finding funding"]
    assert row["target_groups"] == [{"slug": "deciders", "name": "decision makers"}]
    assert results(client, "/api/themes/", programme="another") == []
    assert results(client, "/api/target-groups/") == [
        {"slug": "deciders", "name": "decision makers"}
    ]


def test_calls_are_listed_as_the_call_page_groups_them_with_slides_through_the_portal(client):
    programme = factories.ProgrammeFactory(slug="motiva")
    closed = factories_calls.CallFactory(
        programme=programme,
        slug="closed",
        opens_at=_in_days(-60),
        closes_at=_in_days(-30),
        slides_url="https://files.example/slides.pdf",
    )
    factories_calls.CallFactory(programme=programme, slug="soon", opens_at=_in_days(5))
    factories_calls.CallFactory(programme=programme, slug="open")
    factories_calls.CallFactory(programme=programme, slug="draft", is_published=False)

    rows = results(client, "/api/calls/")
    [past] = results(client, "/api/calls/", when="past")

    assert [(row["slug"], row["when"]) for row in rows] == [
        ("open", "open"),
        ("soon", "upcoming"),
        ("closed", "past"),
    ]
    assert past["slides_url"] == f"http://testserver/calls/{closed.slug}/slides/"
    assert get(client, "/api/calls/draft/").status_code == 404


def test_documents_link_the_pages_that_serve_them_never_the_storage(client):
    meeting = factories.MeetingFactory(network__programme__slug="multiply")
    factories.MembershipFactory(network=meeting.network)  # cities in a network: a plan
    material = factories.MaterialFactory(
        meeting=meeting, url="", file=factories.factory.django.FileField(filename="slides.pdf")
    )
    factories.SessionFactory(meeting=meeting)

    rows = results(client, "/api/documents/", lang="pl")
    only_material = results(client, "/api/documents/", kind="material")

    assert [(row["kind"], row["url"]) for row in rows] == [
        (
            "peer_learning_plan",
            "http://testserver/programmes/multiply/peer-learning-plan.pdf?lang=pl",
        ),
        ("meeting_programme", f"http://testserver/meetings/{meeting.pk}/programme.pdf?lang=pl"),
        ("material", f"http://testserver/meetings/{meeting.pk}/materials/{material.pk}/"),
    ]
    assert "/media/" not in str(rows) and "materials/meeting-" not in str(rows)
    assert [row["title"] for row in only_material] == [material.title]
    assert results(client, "/api/documents/", meeting=meeting.pk + 1) == []


# --- Filters and order, as the calendar page -------------------------------------------------


def test_meetings_come_upcoming_first_soonest_first_then_past_latest_first(client):
    network = factories.NetworkFactory()
    for title, days in [("later", 20), ("long ago", -60), ("soon", 2), ("recently", -3)]:
        factories.MeetingFactory(network=network, title=title, start=_in_days(days))

    def titles(**params):
        return [row["title"] for row in results(client, "/api/meetings/", **params)]

    assert titles() == ["soon", "later", "recently", "long ago"]
    assert titles(when="upcoming") == ["soon", "later"]
    assert titles(when="past") == ["recently", "long ago"]


def test_numbered_pages_walk_the_calendar_order_once_across_upcoming_and_past(client):
    # The pages are sliced from the upcoming and the past meetings apart (issue 18): page 2
    # here ends the upcoming ones and starts the past ones, and meetings that start together
    # keep one order, so that walking the pages gives every meeting exactly once.
    network = factories.NetworkFactory()
    same_day = _in_days(10)
    days = [4, 10, 10, 30, 60, -2, -40, -40, -90]
    made = [
        factories.MeetingFactory(network=network, start=same_day if d == 10 else _in_days(d))
        for d in days
    ]
    upcoming = sorted((m for m in made if m.start > timezone.now()), key=lambda m: (m.start, m.pk))
    past = sorted((m for m in made if m.start < timezone.now()), key=lambda m: (m.start, m.pk))
    expected = [m.pk for m in upcoming] + [m.pk for m in reversed(past)]

    walked, pages = [], []
    for number in range(1, 4):
        body = get(client, "/api/meetings/", page=number, page_size=4).json()
        pages.append(len(body["results"]))
        walked += [row["id"] for row in body["results"]]
        assert body["count"] == 9
    assert pages == [4, 4, 1] and walked == expected
    assert get(client, "/api/meetings/", page=4, page_size=4).status_code == 404
    assert [row["id"] for row in results(client, "/api/meetings/", when="past", page_size=2)] == [
        m.pk for m in reversed(past)
    ][:2]


def test_a_meeting_that_has_ended_since_moves_to_the_past_ones(client):
    """The order is decided at each request, not when the server started."""
    network = factories.NetworkFactory()
    factories.MeetingFactory(network=network, title="soon", start=_in_days(2))
    factories.MeetingFactory(network=network, title="later", start=_in_days(20))
    results(client, "/api/meetings/")

    with time_machine.travel(_in_days(5)):
        # The cached page's minute is long over; Redis, unlike the local cache, does not
        # travel with the clock, so it is told.
        cache.clear()
        rows = results(client, "/api/meetings/")

    assert [row["title"] for row in rows] == ["later", "soon"]


def test_meetings_filter_by_the_calendars_names_and_by_network(client):
    poland = factories.NetworkFactory(programme__slug="multiply")
    sweden = factories.NetworkFactory(programme=poland.programme, country__code="SE")
    factories.MeetingFactory(network=poland, title="Toruń", start=_in_days(10))
    factories.MeetingFactory(network=sweden, title="Umeå", start=_in_days(40))
    factories.MeetingFactory(
        network=None,
        programme=poland.programme,
        kind=MeetingKind.INTERNATIONAL_CONFERENCE,
        title="Conference",
        start=_in_days(70),
    )

    def titles(**params):
        return [row["title"] for row in results(client, "/api/meetings/", **params)]

    assert titles(network=sweden.pk) == ["Umeå"]
    assert titles(country="pl") == ["Toruń"]
    assert titles(kind="international_conference") == ["Conference"]
    assert titles(programme="multiply", date_from=_in_days(30).date()) == ["Umeå", "Conference"]
    assert titles(q="toru") == ["Toruń"]
    assert titles(programme="unknown") == []


def test_lang_gives_the_polish_title_and_english_where_there_is_no_polish(client):
    network = factories.NetworkFactory()
    factories.MeetingFactory(network=network, title_en="Exchange", title_pl="Spotkanie")
    factories.MeetingFactory(
        network=network, title_en="Untranslated", title_pl="", start=_in_days(50)
    )

    polish = get(client, "/api/meetings/", lang="pl")
    by_header = client.get("/api/meetings/", HTTP_ACCEPT_LANGUAGE="pl")

    assert [row["title"] for row in polish.json()["results"]] == ["Spotkanie", "Untranslated"]
    assert polish["Content-Language"] == "pl"
    assert by_header.json() == polish.json()
    assert get(client, "/api/meetings/").json()["results"][0]["title"] == "Exchange"


# --- Bad input and limits ---------------------------------------------------------------------


def test_an_unknown_parameter_is_a_400_that_names_it_and_what_is_read(client):
    response = get(client, "/api/programmes/", colour="blue")

    assert response.status_code == 400
    assert response.json()["unknown"] == ["colour"]
    assert response.json()["allowed"] == ["lang", "page", "page_size"]
    assert "colour" in response.json()["detail"]


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/meetings/", {"kind": "party"}, "kind"),
        ("/api/meetings/", {"date_from": "yesterday"}, "date_from"),
        ("/api/meetings/", {"theme": "abc"}, "theme"),
        ("/api/meetings/", {"network": "0"}, "network"),
        ("/api/meetings/", {"when": ""}, "when"),
        ("/api/calls/", {"when": "soon"}, "when"),
        ("/api/documents/", {"meeting": "x"}, "meeting"),
        ("/api/programmes/", {"lang": "xx"}, "lang"),
        ("/api/programmes/", {"page_size": "0"}, "page_size"),
        ("/api/programmes/", {"page": "first"}, "page"),
    ],
)
def test_a_value_that_cannot_be_read_is_a_400_with_the_reason(client, path, params, field):
    response = get(client, path, **params)

    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_a_page_past_the_last_and_an_unknown_address_are_json_404s(client):
    assert get(client, "/api/programmes/", page=2).status_code == 404
    assert get(client, "/api/meetings/abc/").status_code == 404
    assert get(client, "/api/nothing-here/").status_code == 404


def test_the_api_takes_no_writes(client):
    response = client.post("/api/programmes/", {}, content_type="application/json")

    assert response.status_code == 405
    assert "GET" in response["Allow"]


def test_the_page_size_is_25_by_default_and_never_more_than_100(client):
    from cities.models import TargetGroup

    TargetGroup.objects.bulk_create(
        TargetGroup(slug=f"group-{n:03}", name=f"Group {n:03}") for n in range(101)
    )

    default = get(client, "/api/target-groups/").json()
    capped = get(client, "/api/target-groups/", page_size=1000).json()

    assert len(default["results"]) == 25
    assert len(capped["results"]) == 100 and capped["count"] == 101
    assert capped["next"] == "http://testserver/api/target-groups/?page=2&page_size=1000"


def test_anonymous_requests_are_rate_limited(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/min"},
    }

    statuses = [client.get("/api/target-groups/").status_code for _n in range(3)]
    refused = client.get("/api/target-groups/")

    assert statuses == [200, 200, 429]
    assert refused.json()["detail"] and int(refused["Retry-After"]) > 0


# --- Constant queries ---------------------------------------------------------------------------


def _meeting(n):
    factories.MeetingFactory(
        network=factories.NetworkFactory(country__code=["PL", "SE", "FI"][n]),
        theme=factories.ThemeFactory(),
        capacity=10,
    )


def _call(n):
    factories_calls.QuestionFactory(call__slug=f"call-{n}")


def _document(n):
    """A programme with a meeting (so a plan) and the meeting's material: two documents."""
    meeting = factories.MeetingFactory(network__country__code=["PL", "SE", "FI"][n])
    factories.MaterialFactory(meeting=meeting)


def _theme(n):
    factories.TopicFactory().theme.target_groups.add(factories.TargetGroupFactory())


def _network(n):
    factories.MembershipFactory(network__country__code=["PL", "SE", "FI"][n])


# The address, what makes one item, the queries its list costs, the rows one item makes.
LISTS = [
    ("/api/programmes/", lambda n: factories.ProgrammeFactory(), 2, 1),
    ("/api/networks/", _network, 3, 1),
    ("/api/themes/", _theme, 4, 1),
    ("/api/target-groups/", lambda n: factories.TargetGroupFactory(), 2, 1),
    # The cache's data version; upcoming and past counted, then each sliced (a page that is
    # not full reads both); the rows by id, their topics and target groups.
    ("/api/meetings/", _meeting, 8, 1),
    ("/api/calls/", _call, 3, 1),
    ("/api/documents/", _document, 4, 2),
]


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.parametrize(("path", "make", "queries", "rows"), LISTS, ids=[r[0] for r in LISTS])
def test_every_list_costs_the_same_queries_for_1_and_3_items(
    client, django_assert_num_queries, count, path, make, queries, rows
):
    for n in range(count):
        make(n)

    with django_assert_num_queries(queries):
        listed = results(client, path)

    assert len(listed) == count * rows


# --- The schema and its documentation ---------------------------------------------------------


def test_the_schema_is_valid_openapi_3_with_every_public_path(client):
    response = client.get("/api/schema/", {"format": "json"})

    schema = response.json()
    validate_schema(schema)
    assert schema["openapi"].startswith("3.") and schema["info"]["title"] == "Multiply API"
    for path in [
        "/api/programmes/",
        "/api/programmes/{slug}/",
        "/api/networks/",
        "/api/themes/",
        "/api/target-groups/",
        "/api/meetings/",
        "/api/meetings/{id}/",
        "/api/calls/",
        "/api/calls/{slug}/",
        "/api/documents/",
    ]:
        responses = schema["paths"][path]["get"]["responses"]
        assert {"200", "400", "404", "429"} <= set(responses), path


def test_the_docs_page_loads_with_no_inline_script_or_style(client):
    response = client.get("/api/docs/")

    html = response.content.decode()
    assert response.status_code == 200
    bodies = re.findall(r"<script\b[^>]*>(.*?)</script>", html, flags=re.DOTALL)
    assert len(bodies) == 3 and not "".join(bodies).strip()  # every script is a file
    assert "<style" not in html and "style=" not in html
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    [script] = re.findall(r'<script src="([^"]*\?script=)"', html)
    assert client.get(script)["Content-Type"].startswith("application/javascript")
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (apt-get install chromium)")
def test_swagger_ui_shows_the_api_under_the_portals_policy(page, live_server):
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    page.goto(f"{live_server.url}/api/docs/")
    page.get_by_text("/api/meetings/", exact=True).first.wait_for()

    assert page.locator(".swagger-ui .info .title").inner_text().startswith("Multiply API")
    assert refused == []


def test_the_meetings_list_is_cached_until_a_meeting_changes(client, django_assert_num_queries):
    network = factories.NetworkFactory()
    meeting = factories.MeetingFactory(network=network, title="Before", start=_in_days(3))
    assert [row["title"] for row in results(client, "/api/meetings/")] == ["Before"]

    # A partner polling the same address: from the cache, after reading its data version.
    with django_assert_num_queries(1):
        assert [row["title"] for row in results(client, "/api/meetings/")] == ["Before"]

    meeting.title = "After"
    meeting.save()
    assert [row["title"] for row in results(client, "/api/meetings/")] == ["After"]
    # A write that sends no signal (a bulk change, another process) is seen at once too.
    ExchangeMeeting.objects.filter(pk=meeting.pk).update(title_en="Bulk")
    assert [row["title"] for row in results(client, "/api/meetings/")] == ["Bulk"]
    assert results(client, "/api/meetings/", lang="pl")[0]["title"] == "Bulk"  # own entry
