"""The coordinator API with personal tokens (issue 16, item 2): a token made on the profile,
shown once and stored as a hash; with it, the registrations and answers of one's meetings, and
meetings made and changed with the admin's own form and rules, recorded in the audit trail as
the API's doing; revoked, expired, unknown or missing tokens are a 401, anything beyond the
owner's scope a 404."""

import datetime as dt
import hashlib
import json

import pytest
from auditlog.models import LogEntry
from django.contrib import admin
from django.urls import include, path, reverse
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.openapi import AutoSchema
from rest_framework.settings import api_settings

from access.models import RoleKind
from api.coordinator.meetings import ANNOUNCE, MEETING_FIELDS
from api.coordinator.tokens import TokenRefused, token_create
from api.models import ApiToken
from exchanges import registrations
from exchanges.models import ExchangeMeeting, MeetingKind, Role
from notifications.models import Message

from . import factories

pytestmark = pytest.mark.django_db

MEETINGS = reverse("api:coordinator:meetings")
TOKENS = reverse("api_tokens:index")


def meeting_url(meeting) -> str:
    return reverse("api:coordinator:meeting", args=[meeting.pk])


def registrations_url(meeting) -> str:
    return reverse("api:coordinator:registrations", args=[meeting.pk])


def coordinator_of(network, **user):
    person = factories.UserFactory(**user)
    factories.RoleFactory(
        user=person,
        kind=RoleKind.NATIONAL_COORDINATOR,
        programme=network.programme,
        network=network,
    )
    return person


@pytest.fixture
def world(db):
    """A programme with a Polish and a Swedish network, a meeting in each, the Polish
    network's national coordinator and one of its cities' staff."""
    programme = factories.ProgrammeFactory()
    poland = factories.NetworkFactory(programme=programme, country__code="PL")
    sweden = factories.NetworkFactory(programme=programme, country__code="SE")
    host = factories.MembershipFactory(network=poland, role=Role.ENGAGED).city
    staff = factories.UserFactory(email="staff@plock.example")
    factories.ContactFactory(city=host, user=staff, email=staff.email)
    return {
        "programme": programme,
        "PL": poland,
        "SE": sweden,
        "host": host,
        "PL meeting": factories.MeetingFactory(network=poland, number=1, title="Płock exchange"),
        "SE meeting": factories.MeetingFactory(network=sweden, number=1, title="Malmö exchange"),
        "national PL": coordinator_of(poland, email="nc@pl.example"),
        "city staff": staff,
    }


def secret_of(user) -> str:
    return token_create(user=user, name="Website")[1]


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


class Api:
    """The test client speaking JSON with a token, as a coordinator's program would."""

    def __init__(self, client, secret):
        self.client, self.headers = client, bearer(secret)

    def get(self, url, **query):
        return self.client.get(url, query, headers=self.headers)

    def send(self, method, url, body):
        send = getattr(self.client, method)
        return send(url, json.dumps(body), content_type="application/json", headers=self.headers)


@pytest.fixture
def api(client, world):
    return Api(client, secret_of(world["national PL"]))


def new_meeting(in_network, **fields) -> dict:
    return {
        "programme": in_network.programme_id,
        "network": in_network.pk,
        "kind": MeetingKind.NATIONAL_EXCHANGE,
        "number": 2,
        "title_en": "Second national exchange",
        "title_pl": "Druga wymiana krajowa",
        "timezone": "Europe/Warsaw",
        "start": "2030-05-10T10:00:00",
        "end": "2030-05-10T16:00:00",
        "venue": "City hall",
        **fields,
    }


def register(meeting, *, answers=None):
    membership = factories.MembershipFactory(network=meeting.network, role=Role.ENGAGED)
    contact = factories.ContactFactory(city=membership.city)
    registration = registrations.registration_create(
        meeting_id=meeting.pk, contact=contact, privacy_consent=True, answers=answers
    )
    Message.objects.all().delete()  # the confirmation is not what these tests are about
    return registration


# --- The token, on the profile --------------------------------------------------------------


def test_a_coordinator_makes_a_token_on_their_profile_and_sees_its_secret_once(client, world):
    coordinator = world["national PL"]
    client.force_login(coordinator)
    assert "API tokens" in client.get(reverse("accounts:profile")).text

    response = client.post(TOKENS, {"name": "Our network's website"})

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=coordinator)
    secret = response.context["secret"]
    assert secret in response.text and "shown only this once" in response.text
    assert token.prefix == secret[:8]
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert not any(secret in str(value) for value in stored.values())
    profile = client.get(reverse("accounts:profile")).text
    assert "Our network&#x27;s website" in profile and token.prefix in profile
    assert secret not in profile
    assert not any(secret in str(entry.changes) for entry in LogEntry.objects.all())
    assert Api(client, secret).get(MEETINGS).status_code == 200


def test_a_token_needs_a_name(client, world):
    client.force_login(world["national PL"])

    response = client.post(TOKENS, {"name": ""})

    assert response.status_code == 400
    assert "This field is required." in response.text
    assert not ApiToken.objects.exists()


def test_city_staff_have_no_tokens_and_their_pages_are_not_there(client, world):
    staff = world["city staff"]
    client.force_login(staff)

    assert "API tokens" not in client.get(reverse("accounts:profile")).text
    assert client.get(TOKENS).status_code == 404
    assert client.post(TOKENS, {"name": "Mine"}).status_code == 404
    assert not ApiToken.objects.exists()
    with pytest.raises(TokenRefused):
        token_create(user=staff, name="Mine")


def test_a_token_revoked_on_the_profile_opens_nothing(client, world):
    coordinator = world["national PL"]
    secret = secret_of(coordinator)
    token = ApiToken.objects.get(user=coordinator)
    client.force_login(coordinator)

    response = client.post(reverse("api_tokens:revoke", args=[token.pk]), follow=True)

    assert "is revoked" in response.text
    client.logout()
    response = Api(client, secret).get(MEETINGS)
    assert response.status_code == 401
    assert response.json() == {"detail": "This token has been revoked."}
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_another_persons_token_is_not_there_to_revoke(client, world):
    secret_of(world["national PL"])
    token = ApiToken.objects.get()
    client.force_login(coordinator_of(world["SE"]))

    assert client.post(reverse("api_tokens:revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_superuser_revokes_tokens_in_the_admin(client, world):
    secret = secret_of(world["national PL"])
    token = ApiToken.objects.get()
    client.force_login(factories.CoordinatorFactory())
    listing = client.get(reverse("admin:api_apitoken_changelist")).text
    assert token.prefix in listing and token.key_hash not in listing

    client.post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [ApiToken.objects.get().pk]},
    )

    assert Api(client, secret).get(MEETINGS).status_code == 401


def test_a_coordinator_does_not_read_the_tokens_in_the_admin(client, world):
    client.force_login(world["national PL"])

    assert client.get(reverse("admin:api_apitoken_changelist")).status_code == 403


# --- Who is asking: the token, and nothing else -------------------------------------------------


ENDPOINTS = [
    ("get", lambda w: MEETINGS),
    ("post", lambda w: MEETINGS),
    ("get", lambda w: meeting_url(w["PL meeting"])),
    ("put", lambda w: meeting_url(w["PL meeting"])),
    ("patch", lambda w: meeting_url(w["PL meeting"])),
    ("get", lambda w: registrations_url(w["PL meeting"])),
]


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_without_a_token_every_endpoint_is_401_even_signed_in(client, world, method, url):
    client.force_login(world["national PL"])  # a session is not a token

    response = client.generic(method.upper(), url(world), "{}", content_type="application/json")

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "detail" in response.json()


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("Bearer not-a-token", "Invalid token."),
        ("Bearer", "Invalid Authorization header: give the token after “Bearer ”."),
        ("Bearer two parts", "Invalid Authorization header: give the token after “Bearer ”."),
        ("Bearer " + "x" * 500, "Invalid token."),
    ],
)
def test_a_token_that_opens_nothing_is_401_with_the_reason(client, world, header, reason):
    response = client.get(MEETINGS, headers={"Authorization": header})

    assert response.status_code == 401
    assert response.json() == {"detail": reason}


def test_the_token_keyword_works_too(client, world):
    secret = secret_of(world["national PL"])

    response = client.get(MEETINGS, headers={"Authorization": f"Token {secret}"})

    assert response.status_code == 200


def test_an_expired_token_is_401(client, world, time_machine):
    coordinator = world["national PL"]
    secret = token_create(
        user=coordinator, name="For a week", expires_at=timezone.now() + dt.timedelta(days=7)
    )[1]
    time_machine.move_to(timezone.now() + dt.timedelta(days=8))

    response = Api(client, secret).get(MEETINGS)

    assert response.status_code == 401
    assert response.json() == {"detail": "This token has expired."}


def test_a_token_whose_owner_lost_their_roles_reaches_nothing(client, world):
    coordinator = world["national PL"]
    secret = secret_of(coordinator)
    coordinator.roles.all().delete()

    assert Api(client, secret).get(MEETINGS).status_code == 404


def test_its_last_use_is_recorded_once_a_minute(client, world, time_machine):
    api = Api(client, secret_of(world["national PL"]))
    api.get(MEETINGS)
    first = ApiToken.objects.get().last_used_at

    api.get(MEETINGS)
    assert ApiToken.objects.get().last_used_at == first
    time_machine.move_to(timezone.now() + dt.timedelta(minutes=2))
    api.get(MEETINGS)
    assert ApiToken.objects.get().last_used_at > first


# --- Reading: meetings, registrations and answers ---------------------------------------------


def test_the_meetings_are_those_of_the_owners_networks(api, world):
    response = api.get(MEETINGS)

    assert response.status_code == 200
    assert [m["title_en"] for m in response.json()["results"]] == ["Płock exchange"]


def test_a_meeting_reads_with_every_field_of_the_admins_form_in_its_own_time(api, world):
    meeting = world["PL meeting"]

    data = api.get(meeting_url(meeting)).json()

    assert set(MEETING_FIELDS) <= set(data)
    assert data["network"] == world["PL"].pk
    start = dt.datetime.fromisoformat(data["start"])
    assert start == meeting.start
    assert start.utcoffset() == meeting.start.astimezone(meeting.tz).utcoffset()


def test_a_national_coordinator_reads_registrations_and_answers_of_their_meeting(api, world):
    meeting = world["PL meeting"]
    text = factories.QuestionFactory(meeting=meeting, label="Dietary needs")
    choice = factories.QuestionChoiceFactory(question__meeting=meeting, label="Energy planning")
    registration = register(meeting, answers={text.pk: "Vegetarian", choice.question_id: choice.pk})
    contact = registration.contact

    response = api.get(registrations_url(meeting))

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["name"] == contact.full_name and row["email"] == contact.email
    assert row["city"] == contact.city.name and row["status"] == "confirmed"
    assert row["privacy_consent_at"] is not None
    assert row["answers"] == [
        {"question": "Dietary needs", "answer": "Vegetarian"},
        {"question": choice.question.label, "answer": "Energy planning"},
    ]


@pytest.mark.parametrize("url", [meeting_url, registrations_url])
def test_another_networks_meeting_is_not_there(api, world, url):
    response = api.get(url(world["SE meeting"]))

    assert response.status_code == 404


# --- Writing: the admin's form, rules and services ----------------------------------------------


def test_a_national_coordinator_makes_a_meeting_in_their_network(api, world):
    response = api.send("post", MEETINGS, new_meeting(world["PL"]))

    assert response.status_code == 201, response.json()
    meeting = ExchangeMeeting.objects.get(pk=response.json()["id"])
    assert meeting.network == world["PL"] and meeting.title == "Second national exchange"
    assert meeting.title_pl == "Druga wymiana krajowa"
    # A time without an offset is the meeting's local time, as in the admin.
    assert meeting.local_start == dt.datetime(2030, 5, 10, 10, 0)
    assert response.json()["start"] == "2030-05-10T10:00:00+02:00"
    assert meeting.waiting_list_enabled  # the model's default, as the admin's form shows it


def test_a_time_with_an_offset_is_that_instant(api, world):
    body = new_meeting(world["PL"], start="2030-05-10T08:00:00Z", end="2030-05-10T14:00:00Z")

    meeting = ExchangeMeeting.objects.get(pk=api.send("post", MEETINGS, body).json()["id"])

    assert meeting.local_start == dt.datetime(2030, 5, 10, 10, 0)


def test_a_meeting_that_ends_before_it_starts_is_refused_as_in_the_admin(api, world):
    body = new_meeting(world["PL"], end="2030-05-10T09:00:00")

    response = api.send("post", MEETINGS, body)

    assert response.status_code == 400
    assert response.json() == {"end": ["A meeting cannot end before it starts."]}
    assert ExchangeMeeting.objects.count() == 2


def test_a_meeting_in_another_network_is_refused_on_the_network(api, world):
    response = api.send("post", MEETINGS, new_meeting(world["SE"]))

    assert response.status_code == 400
    assert "network" in response.json()
    assert ExchangeMeeting.objects.count() == 2


def test_a_national_coordinator_does_not_plan_the_whole_programmes_meetings(api, world):
    body = new_meeting(world["PL"], network=None, kind=MeetingKind.WORKSHOP)

    response = api.send("post", MEETINGS, body)

    assert response.status_code == 400
    assert response.json()["network"] == [
        "Choose your national network: a meeting of the whole programme is for the "
        "programme's coordinators to plan."
    ]


def test_a_number_already_taken_in_the_network_is_refused(api, world):
    response = api.send("post", MEETINGS, new_meeting(world["PL"], number=1))

    assert response.status_code == 400
    assert "The network already has a meeting with this number." in str(response.json())


def test_a_moved_meeting_tells_the_registered_and_the_audit_trail_names_the_api(api, world):
    meeting = world["PL meeting"]
    register(meeting)
    later = meeting.start + dt.timedelta(days=1)

    response = api.send(
        "patch", meeting_url(meeting), {"start": later.isoformat(), "end": meeting.end.isoformat()}
    )

    assert response.status_code == 400  # it would end before it starts
    response = api.send(
        "patch",
        meeting_url(meeting),
        {"start": later.isoformat(), "end": (meeting.end + dt.timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 200, response.json()
    meeting.refresh_from_db()
    assert meeting.start == later
    assert Message.objects.filter(kind="meeting_changed").count() == 1
    entry = LogEntry.objects.get_for_object(meeting).latest("timestamp")
    assert entry.actor == world["national PL"]
    assert entry.additional_data["source"] == "api"
    assert entry.additional_data["token"] == ApiToken.objects.get().prefix
    assert entry.additional_data["network"] == world["PL"].pk  # access/audit.py's, kept


def test_a_corrected_description_tells_nobody_unless_announced(api, world):
    meeting = world["PL meeting"]
    register(meeting)

    response = api.send("patch", meeting_url(meeting), {"description_en": "Bring your plan."})

    assert response.status_code == 200
    assert response.json()["description_en"] == "Bring your plan."
    assert not Message.objects.exists()
    api.send("patch", meeting_url(meeting), {"description_en": "Bring it.", ANNOUNCE: True})
    assert Message.objects.filter(kind="meeting_updated").count() == 1


def test_a_whole_meeting_is_put_back_as_read(api, world):
    meeting = world["PL meeting"]
    data = api.get(meeting_url(meeting)).json()

    response = api.send("put", meeting_url(meeting), {**data, "venue": "Library"})

    assert response.status_code == 200, response.json()
    meeting.refresh_from_db()
    assert meeting.venue == "Library" and meeting.title == "Płock exchange"


def test_another_networks_meeting_cannot_be_changed(api, world):
    meeting = world["SE meeting"]

    response = api.send("patch", meeting_url(meeting), {"venue": "Library"})

    assert response.status_code == 404
    meeting.refresh_from_db()
    assert meeting.venue == "City hall"


def test_the_api_writes_the_fields_of_the_admins_form(rf, world):
    request = rf.get("/")
    request.user = world["national PL"]
    form = admin.site._registry[ExchangeMeeting].get_form(request, world["PL meeting"])

    assert set(form.base_fields) == {*MEETING_FIELDS, ANNOUNCE}


# --- Bad input: a 400 with the reason ------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"colour": "red"}, "colour"),
        ({"start": "tomorrow"}, "start"),
        ({"timezone": "Europe"}, "timezone"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"programme": "one"}, "programme"),
        ({"network": 10**30}, "network"),
        ({"topics": [10**30]}, "topics"),
        ({"kind": "party"}, "kind"),
        ({"capacity": -1}, "capacity"),
    ],
)
def test_bad_fields_are_400_by_field(api, world, body, field):
    response = api.send("patch", meeting_url(world["PL meeting"]), body)

    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    "raw",
    ["{", "[1, 2]", '"text"', '{"venue": "a\\u0000b"}', '{"venue": "\\ud800"}', "[" * 5000],
)
def test_a_body_that_is_no_meeting_is_400(client, world, raw):
    secret = secret_of(world["national PL"])

    response = client.post(MEETINGS, raw, content_type="application/json", headers=bearer(secret))

    assert response.status_code == 400


@pytest.mark.parametrize(
    "query", [{"colour": "red"}, {"page_size": "abc"}, {"page_size": "0"}, {"page": "-1"}]
)
def test_unknown_or_junk_parameters_are_400(api, world, query):
    response = api.get(MEETINGS, **query)

    assert response.status_code == 400
    assert set(query) <= set(response.json())


def test_a_page_size_beyond_the_cap_is_capped_and_a_page_beyond_the_end_is_404(api, world):
    assert api.get(MEETINGS, page_size="1000").status_code == 200
    assert api.get(MEETINGS, page="2").status_code == 404


# --- Constant queries ----------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 3])
def test_the_meetings_list_takes_the_same_queries_for_1_and_3(
    api, world, count, django_assert_num_queries
):
    network = world["PL"]
    ExchangeMeeting.objects.filter(network=network).delete()
    topic = factories.TopicFactory(theme__programme=network.programme)
    for _ in range(count):
        factories.MeetingFactory(network=network, kind=MeetingKind.WORKSHOP).topics.add(topic)

    # the token and its use, the roles, the count, the page, the topics
    with django_assert_num_queries(6):
        response = api.get(MEETINGS)

    assert len(response.json()["results"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_the_registrations_take_the_same_queries_for_1_and_3(
    api, world, count, django_assert_num_queries
):
    meeting = world["PL meeting"]
    question = factories.QuestionChoiceFactory(question__meeting=meeting).question
    for _ in range(count):
        register(meeting, answers={question.pk: question.choices.get().pk})

    # the token and its use, the roles, the meeting, the count, the page, answers, choices
    with django_assert_num_queries(8):
        response = api.get(registrations_url(meeting))

    assert len(response.json()["results"]) == count


# --- The schema ----------------------------------------------------------------------------------


@pytest.mark.skipif(
    not issubclass(api_settings.DEFAULT_SCHEMA_CLASS, AutoSchema),
    reason="REST_FRAMEWORK's DEFAULT_SCHEMA_CLASS is not drf-spectacular's AutoSchema",
)
def test_the_schema_documents_the_bearer_token_and_every_answer():
    patterns = [path("api/coordinator/", include("api.coordinator.urls"))]

    schema = SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)

    schemes = schema["components"]["securitySchemes"]
    assert schemes["coordinatorToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schemes["coordinatorToken"]["description"],
    }
    for route, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation["security"] == [{"coordinatorToken": []}], (route, method)
            assert {"400", "401", "404"} <= set(operation["responses"]), (route, method)
            assert {"application/json", "text/html"} == set(
                operation["responses"]["400"]["content"]
            ), (route, method)
    listing = schema["paths"]["/api/coordinator/meetings/"]["get"]["responses"]["200"]
    assert "Paginated" in listing["content"]["application/json"]["schema"]["$ref"]


def test_a_token_expiring_before_it_is_made_is_refused(world):
    with pytest.raises(TokenRefused):
        token_create(
            user=world["national PL"], name="Old", expires_at=timezone.now() - dt.timedelta(days=1)
        )
