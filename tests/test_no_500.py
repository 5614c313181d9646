"""No input gives a 500 (issue 15, item 7): a NUL byte or a lone surrogate anywhere in a request
is a 400 (multiply/hardening.py); with the cache's Redis down the calendar is served uncached and
sign-in works, its rate limits skipped (multiply/cache.py); and arbitrary text, NUL, surrogates
and overlong values included, sent to every path parameter and every form field a person can
reach, never gives a 500 (the property-based tests at the end)."""

import datetime as dt
import html.parser
import logging
import re
import shutil
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.converters import IntConverter, SlugConverter
from django.urls.exceptions import Resolver404
from django.utils import timezone
from hypothesis import HealthCheck, example, given, note
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from access.models import RoleKind
from calls.models import QuestionKind
from multiply import cache as degrading_cache
from multiply.hardening import unreadable_part
from reports.funder import funder_report_publish
from visits.assignment import Participant, assignment_propose
from visits.models import InterviewerSeat

from . import factories
from .factories_calls import ApplicationFactory, CallFactory, MentorshipFactory
from .factories_calls import QuestionFactory as CallQuestionFactory
from .factories_visits import RoundFactory, VisitFactory
from .files import pdf_bytes

pytestmark = pytest.mark.django_db

CLOSED_PORT = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def redis_cache(location):
    return {
        "default": {
            "BACKEND": "multiply.cache.DegradingRedisCache",
            "LOCATION": location,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


@pytest.fixture
def client(client):
    # A 500 shows as the response a person would get, not as the view's exception.
    client.raise_request_exception = False
    return client


# --- NUL bytes and surrogates: 400 before any view -------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/invitations/%00/",
        "/calendar/%00.ics",
        "/certificates/abc%00def/",
        "/check-in-codes/%00.png",
        "/meetings/?q=%00",
        "/meetings/?%00=x",
        "/static/%00.css",
        "/admin/%00/",
    ],
)
def test_a_nul_byte_in_the_path_or_the_query_is_a_bad_request(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "Bad request" in response.text


def test_a_nul_byte_in_a_form_field_is_a_bad_request_and_nothing_happens(client):
    user = factories.UserFactory(verified=True)
    response = client.post("/accounts/login/", {"login": user.email, "password": "correct\x00"})
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_a_nul_byte_in_a_cookie_is_a_bad_request(client):
    client.cookies["sessionid"] = "abcdefgh\x00"
    assert client.get("/").status_code == 400


def test_a_lone_surrogate_anywhere_is_unreadable():
    request = RequestFactory().get("/meetings/")
    assert unreadable_part(request) is None
    request.path = "/meetings/\ud800/"
    assert unreadable_part(request) == "path"


def test_ordinary_text_in_every_language_passes(client):
    response = client.get("/meetings/", {"q": "Mińsk Mazowiecki Åbo Äänekoski 😀"})
    assert response.status_code == 200


# --- the cache's Redis down ------------------------------------------------------------------


@pytest.fixture
def redis_down(settings):
    settings.CACHES = redis_cache(CLOSED_PORT)


def test_with_redis_down_the_calendar_is_served_uncached(client, redis_down, caplog):
    meeting = factories.MeetingFactory(title="Energy exchange in Płock")
    with caplog.at_level(logging.WARNING, logger="multiply.cache"):
        first = client.get("/meetings/")
    assert first.status_code == 200
    assert "Energy exchange in Płock" in first.text
    assert "Redis unreachable" in caplog.text

    meeting.title = "Energy exchange in Radom"
    meeting.save()  # the calendar's change signal meets the outage too
    assert "Energy exchange in Radom" in client.get("/meetings/").text


def test_with_redis_down_a_person_signs_in_and_a_wrong_password_is_refused(client, redis_down):
    user = factories.UserFactory(verified=True)

    wrong = client.post("/accounts/login/", {"login": user.email, "password": "wrong"})
    assert wrong.status_code == 200
    assert "not correct" in wrong.text

    right = client.post(
        "/accounts/login/", {"login": user.email, "password": "correct horse battery"}
    )
    assert right.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_with_redis_down_a_person_signs_up_and_asks_for_a_new_password(client, redis_down):
    signup = client.post(
        "/accounts/signup/",
        {
            "email": "aino@kerava.example",
            "password1": "a long passphrase",
            "password2": "a long passphrase",
            "privacy_consent": "on",
        },
    )
    assert signup.status_code == 302

    user = factories.UserFactory(verified=True)
    reset = client.post("/accounts/password/reset/", {"email": user.email})
    assert reset.status_code == 302


def test_with_redis_down_rate_limits_are_skipped(client, redis_down, settings):
    # Two failed attempts would lock the address out, if they were counted.
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "2/5m/key"}
    user = factories.UserFactory(verified=True)
    for _ in range(3):
        client.post("/accounts/login/", {"login": user.email, "password": "wrong"})
    response = client.post(
        "/accounts/login/", {"login": user.email, "password": "correct horse battery"}
    )
    assert response.status_code == 302


def test_other_cache_errors_still_raise(redis_down):
    from django.core.cache import cache

    with pytest.raises(Exception, match="pickle"):
        cache.set("key", lambda: None)  # a value no cache can keep: a bug, not an outage


@pytest.fixture
def redis_server(tmp_path):
    if shutil.which("redis-server") is None:
        pytest.skip("needs redis-server on PATH (apt-get install redis-server)")
    from .integration.infra import RedisServer

    server = RedisServer(directory=tmp_path).start()
    yield server
    server.stop()


def test_the_calendar_uses_redis_loses_it_and_uses_it_again(
    client, redis_server, monkeypatch, settings
):
    monkeypatch.setattr(degrading_cache, "RETRY_AFTER", 0)
    settings.CACHES = redis_cache(redis_server.url)
    factories.MeetingFactory(title="Energy exchange in Płock")
    user = factories.UserFactory(verified=True)
    password = {"login": user.email, "password": "correct horse battery"}

    assert client.get("/meetings/").status_code == 200
    assert any(key.startswith(b":1:calendar:") for key in redis_server.client().scan_iter())

    redis_server.stop()
    assert client.get("/meetings/").status_code == 200
    assert client.post("/accounts/login/", password).status_code == 302
    assert client.get("/healthz").json()["cache"] == "error"

    redis_server.start()
    client.logout()
    assert client.get("/meetings/").status_code == 200
    assert any(key.startswith(b":1:calendar:") for key in redis_server.client().scan_iter())
    assert client.post("/accounts/login/", password).status_code == 302
    assert any(b"allauth" in key for key in redis_server.client().scan_iter())
    assert client.get("/healthz").json()["cache"] == "ok"


# --- arbitrary text everywhere a person can reach (hypothesis) -------------------------------
#
# A small world with one of everything, four people (nobody signed in, city staff, an account
# that speaks for no city yet, a programme coordinator), and a crawl of what each of them can
# reach by following links from the portal's entry pages. Then, for every URL pattern outside
# the admin, arbitrary path parameters and query strings; and for every form the crawl found,
# arbitrary values in its fields, each field either what the page filled in or arbitrary text.
# Every example runs in a transaction rolled back afterwards, so one example's sign-out or
# deletion is not the next one's world.

FUZZ = hypothesis_settings(
    max_examples=25,  # per form, and per URL that takes text
    deadline=None,
    database=None,  # no examples kept between runs: each run draws its own
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
# A URL whose parameters are numbers and slugs only has little to vary but its query string.
FEW = hypothesis_settings(FUZZ, max_examples=5)
# Every character, NUL and lone surrogates included.
ANY_CHARACTER = st.characters(codec=None, exclude_categories=())
LONG_NAME = "Ä" * 250 + ".pdf"  # 254 characters, 504 bytes: more than a disk keeps in a name
NASTY = [
    LONG_NAME,
    "\x00",
    "a\x00b",
    "\ud800",
    "\udfff x",
    "%00",
    "../../etc/passwd",
    "' OR 1=1 --",
    "€" * 300,
]
TEXT = st.one_of(
    st.sampled_from(NASTY),
    st.text(ANY_CHARACTER, max_size=40),
    st.text(ANY_CHARACTER, min_size=1, max_size=5).map(lambda text: text * 1000),  # overlong
)
SKIPPED = ("/admin/", "/static/", "/accounts/logout/", "/i18n/")
DOWNLOADS = re.compile(r"\.(pdf|ics|csv|xlsx|png|svg)$")
PDF = pdf_bytes()


def _utf8(text: str) -> bytes:
    # What a client that does not care sends: lone surrogates as the bytes they would be.
    return text.encode("utf-8", "surrogatepass")


def _round_with(city, *, phase, programme):
    """A round of three in `phase`: `city` hosts a visit and sits on the other two's groups."""
    themes = [factories.ThemeFactory(programme=programme) for _ in range(2)]
    review_round = RoundFactory(phase=phase, programme=programme, themes=themes)
    others = [factories.CityFactory(country=city.country) for _ in range(2)]
    visits = [VisitFactory(round=review_round, host=host) for host in [city, *others]]
    groups = assignment_propose(participants=[Participant(v.pk, v.host.name) for v in visits])
    InterviewerSeat.objects.bulk_create(
        InterviewerSeat(visit_id=visit_id, reviewer_id=member)
        for visit_id, members in groups.items()
        for member in members
    )
    return visits[0]


def build_world() -> dict:
    programme = factories.ProgrammeFactory(slug="multiply")
    network = factories.NetworkFactory(programme=programme)
    city = factories.MembershipFactory(network=network).city
    staff = factories.UserFactory(verified=True)
    contact = factories.ContactFactory(city=city, user=staff, email=staff.email)
    coordinator = factories.UserFactory(verified=True)
    factories.RoleFactory(
        user=coordinator, programme=programme, kind=RoleKind.PROGRAMME_COORDINATOR
    )

    upcoming = factories.MeetingFactory(
        network=network, programme=programme, host_city=city, start=timezone.now()
    )
    factories.QuestionFactory(meeting=upcoming, required=True)
    factories.QuestionChoiceFactory(question__meeting=upcoming)
    factories.SessionFactory(meeting=upcoming)
    factories.MaterialFactory(meeting=upcoming)
    factories.InvitationFactory(meeting=upcoming, contact=contact)
    factories.RegistrationFactory(meeting=upcoming, contact=contact)
    open_to_register = factories.MeetingFactory(network=network, programme=programme)
    factories.QuestionFactory(meeting=open_to_register, required=True)
    offered = factories.MeetingFactory(network=network, programme=programme)
    factories.RegistrationFactory(
        meeting=offered,
        contact=contact,
        status="offered",
        offer_expires_at=timezone.now() + dt.timedelta(hours=24),
    )
    held = factories.MeetingFactory(
        network=network,
        programme=programme,
        status="held",
        start=timezone.now() - dt.timedelta(days=2),
        end=timezone.now() - dt.timedelta(days=2) + dt.timedelta(hours=6),
    )
    factories.RegistrationFactory(
        meeting=held, contact=contact, status="attended", certificate_code="ABCD2345"
    )
    factories.ConsortiumMeetingFactory(programme=programme, minutes="Partners met.")

    call = CallFactory(programme=programme, slug="pilot-2")
    for kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT, QuestionKind.YES_NO):
        CallQuestionFactory(call=call, kind=kind)
    CallQuestionFactory(call=call, kind=QuestionKind.CHOICE, choices="small\nlarge")
    CallQuestionFactory(call=call, kind=QuestionKind.FILE, allowed_extensions="pdf")
    ApplicationFactory(call=CallFactory(programme=programme), applicant=staff, city=city)
    MentorshipFactory(programme=programme, mentee=city)

    hosting = _round_with(city, phase="preparing", programme=programme)
    factories.BackgroundMaterialFactory(visit=hosting)
    _round_with(city, phase="report", programme=programme)
    _round_with(city, phase="comments", programme=programme)
    today = timezone.localdate()
    funder_report_publish(
        programme=programme, start=today - dt.timedelta(days=365), end=today, by=coordinator
    )
    newcomer = factories.UserFactory(verified=True)
    return {
        "people": {
            "anonymous": None,
            "staff": staff,
            "newcomer": newcomer,
            "coordinator": coordinator,
        },
        "seeds": [
            "/",
            "/meetings/",
            "/calls/",
            "/certificates/",
            "/me/",
            "/me/meetings/",
            "/me/applications/",
            "/me/mentorship/",
            "/visits/",
            "/manage/",
            "/reports/attendance/",
            "/accounts/login/",
            "/accounts/signup/",
            "/accounts/password/reset/",
            "/accounts/email/",
            "/accounts/password/change/",
            f"/invitations/{upcoming.invitations.get().token}/",
            f"/meetings/{open_to_register.pk}/",
            f"/manage/{programme.slug}/",
            f"/manage/meetings/{upcoming.pk}/check-in/",
        ],
    }


# What a person would type, by the input's type: with these, most of a form is valid, so an
# arbitrary value in one field reaches what lies behind the form's checks.
PLAUSIBLE = {
    "email": "aino@kerava.example",
    "date": dt.date.today().isoformat(),
    "datetime-local": (dt.date.today() + dt.timedelta(days=3)).isoformat() + "T10:00",
    "time": "10:00",
    "number": "1",
    "url": "https://example.org/",
    "tel": "+358 40 123 4567",
    "password": "correct horse battery",
}


class PageParser(html.parser.HTMLParser):
    """The links of a page and its forms: method, action and, for each field, the values a
    person could send (what the page fills in, the options offered, what one would type); a file
    field's values are None."""

    def __init__(self):
        super().__init__()
        self.links, self.forms, self._form, self._select = [], [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = {
                "method": (attrs.get("method") or "get").lower(),
                "action": attrs.get("action") or "",
                "fields": {},
            }
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "option" and self._select is not None:
            self._offer(self._select, attrs.get("value") or "")
        elif attrs.get("name"):
            self._field(tag, attrs)

    def _field(self, tag, attrs):
        name, kind = attrs["name"], attrs.get("type", "text")
        if tag == "select":
            self._select = name
            self._form["fields"].setdefault(name, [])
        elif kind == "file":
            self._form["fields"][name] = None
        else:
            self._offer(name, attrs.get("value") or ("on" if kind == "checkbox" else ""))
            self._offer(name, PLAUSIBLE.get(kind, "Aino Virtanen"))

    def _offer(self, name, value):
        values = self._form["fields"].setdefault(name, [])
        if value not in values:
            values.append(value)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def signed_in(user) -> Client:
    # A 500 is asserted as the status a person gets; the view's exception is in the log.
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def crawl(world, limit=120) -> tuple[dict, dict]:
    """What each person reaches by following links: {path: persona} and the forms found,
    {(persona, method, action): fields}."""
    pages, forms = {}, {}
    for persona, client in world["clients"].items():
        queue, seen = list(world["seeds"]), set()
        while queue and len(seen) < limit:
            path = queue.pop(0)
            if path in seen or path.startswith(SKIPPED) or DOWNLOADS.search(path):
                continue
            seen.add(path)
            response = client.get(path)
            assert response.status_code < 500, (persona, path)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            pages.setdefault(path, persona)
            parser = PageParser()
            parser.feed(response.content.decode())
            for href in parser.links:
                parts = urlsplit(href)
                if not parts.netloc and parts.path.startswith("/"):
                    queue.append(parts.path)
            for form in parser.forms:
                action = urlsplit(form["action"]).path or path
                if not action.startswith(SKIPPED):
                    forms.setdefault((persona, form["method"], action), form["fields"])
    return pages, forms


def url_patterns(patterns=None, prefix=""):
    """(route, pattern) for every URL of the portal outside the admin."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if route.startswith("admin/"):
            continue
        if isinstance(entry, URLResolver):
            yield from url_patterns(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


def seen_values(pages) -> dict[str, set]:
    """The values each path parameter took in the pages the crawl reached, by name."""
    values: dict[str, set] = {}
    for path in pages:
        try:
            match = resolve(path)
        except Resolver404:
            continue
        for name, value in match.kwargs.items():
            values.setdefault(name, set()).add(str(value))
    return values


def parameter(converter, known: set) -> st.SearchStrategy:
    if isinstance(converter, IntConverter):
        extremes = st.sampled_from(["0", "9" * 30, str(2**63)])
        return st.one_of(st.sampled_from(sorted(known) or ["1"]), extremes)
    if isinstance(converter, SlugConverter):
        return st.one_of(
            st.sampled_from(sorted(known) or ["multiply"]),
            st.from_regex(r"[-a-zA-Z0-9_]{1,300}", fullmatch=True),
        )
    return TEXT


def path_for(entry: URLPattern, values: dict) -> str:
    """The path of `entry` (without its prefix) with these values for its parameters."""
    route = str(entry.pattern)
    converters = getattr(entry.pattern, "converters", {})
    if not converters:
        if "(?P<" in route:  # a regular expression (allauth's keys): fill the groups
            route = re.sub(r"\^|\$", "", route)
            route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values.get(m[1], "x"), route)
        return route
    for name in converters:
        route = re.sub(rf"<(\w+:)?{name}>", lambda _, n=name: values[n], route)
    return route


@pytest.fixture
def world(settings, tmp_path, caplog):
    settings.MEDIA_ROOT = tmp_path
    # Thousands of 403s, 404s and 400s are the point; a 500 is still logged.
    caplog.set_level(logging.ERROR, logger="django.request")
    world = build_world()
    world["clients"] = {persona: signed_in(user) for persona, user in world["people"].items()}
    world["pages"], world["forms"] = crawl(world)
    return world


def _send(world, persona, method, path, query=(), fields=None):
    """One request, undone afterwards: its rows rolled back, the client's cookies (a sign-out,
    a new session) put back."""
    client = world["clients"][persona]
    cookies = client.cookies
    client.cookies = cookies.__class__(cookies)
    url = path + ("?" + urlencode([(_utf8(k), _utf8(v)) for k, v in query]) if query else "")
    try:
        with transaction.atomic():
            if method == "get":
                response = client.get(url)
            else:
                body, content_type = _encoded(fields or {})
                response = client.generic("POST", url, body, content_type)
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies
    return response


def _encoded(fields: dict) -> tuple[bytes, str]:
    """A form's body as a browser that sends whatever it is given would: multipart when a file
    is among the fields (its name arbitrary too), urlencoded otherwise."""
    if not any(isinstance(value, tuple) for value in fields.values()):
        return urlencode([(_utf8(k), _utf8(v)) for k, v in fields.items()]).encode(), (
            "application/x-www-form-urlencoded"
        )
    parts = []
    for name, value in fields.items():
        disposition = f'form-data; name="{name}"'
        if isinstance(value, tuple):
            disposition += f'; filename="{value[0]}"'
            content = value[1]
        else:
            content = _utf8(value)
        parts.append(b"--BOUNDARY\r\nContent-Disposition: " + _utf8(disposition) + b"\r\n\r\n")
        parts.append(content + b"\r\n")
    return b"".join(parts) + b"--BOUNDARY--\r\n", "multipart/form-data; boundary=BOUNDARY"


def fuzz_path(world, route: str, entry: URLPattern, known: dict) -> None:
    """Arbitrary values for the pattern's parameters and an arbitrary query string, sent by
    anyone, as GET and as POST."""
    converters = getattr(entry.pattern, "converters", {})
    names = list(converters) or re.findall(r"\(\?P<(\w+)>", route)
    parameters = {name: parameter(converters.get(name), known.get(name, set())) for name in names}
    query_names = st.sampled_from(["q", "page", "next"]) | TEXT
    takes_text = any(strategy is TEXT for strategy in parameters.values())
    # A NUL byte in every parameter that takes text (a 500 on PostgreSQL, issue 15).
    nul = {
        name: "\x00" if strategy is TEXT else min(known.get(name) or {"1"})
        for name, strategy in parameters.items()
    }

    @(FUZZ if takes_text else FEW)
    @given(
        values=st.fixed_dictionaries(parameters),
        persona=st.sampled_from(sorted(world["people"])),
        method=st.sampled_from(["get", "post"]),
        query=st.lists(st.tuples(query_names, TEXT), max_size=3),
    )
    @example(values=nul, persona="staff", method="get", query=[("q", "\x00")])
    def check(values, persona, method, query):
        encoded = {name: quote(_utf8(value), safe="") for name, value in values.items()}
        path = "/" + _prefix(route, entry) + path_for(entry, encoded)
        note(f"{persona} {method.upper()} {path}")
        response = _send(world, persona, method, path, query=query)
        assert response.status_code < 500, (persona, method, path)

    check()


def test_no_path_parameter_or_query_string_gives_a_500(world):
    known = seen_values(world["pages"])
    patterns = list(url_patterns())
    assert len(patterns) > 60
    for route, entry in patterns:
        fuzz_path(world, route, entry, known)


def _prefix(route: str, entry: URLPattern) -> str:
    # The part of the route the including URLconfs add ("accounts/", "me/"...).
    return route[: len(route) - len(str(entry.pattern))]


def _view_name(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def test_no_form_field_gives_a_500(world):
    forms = world["forms"]
    reached = {_view_name(action) for _, _, action in forms}
    # The forms a person fills in, found by the crawl (a broken link would hide one).
    assert {
        "account_login",
        "account_signup",
        "exchanges:register",
        "exchanges:meeting_feedback",
        "calls:apply",
        "visits:materials",
        "visits:self_assessment",
        "visits:report",
        "reports:certificate_lookup",
        "exchanges:meetings",
    } <= reached, reached
    # One of each: the same form for two people, or for two calls, is fuzzed once (the one
    # with the most fields: a city's staff see more of their profile than a newcomer).
    distinct = {}
    for key in sorted(forms, key=lambda key: -len(forms[key])):
        persona, method, action = key
        distinct.setdefault((_view_name(action), method), key)
    for persona, method, action in distinct.values():
        fuzz_form(world, persona, method, action, forms[persona, method, action])


def fuzz_form(world, persona: str, method: str, action: str, fields: dict) -> None:
    """Some fields arbitrary text, the others what a person could send; a file, a real PDF
    under an arbitrary name."""
    names = sorted(fields)
    any_file_name = st.one_of(TEXT, TEXT.map(lambda name: name + ".pdf"))
    arbitrary = {
        name: st.tuples(any_file_name.map(_header_safe), st.just(PDF))
        if fields[name] is None
        else TEXT
        for name in names
    }
    plausible = {
        name: st.just(("plan.pdf", PDF))
        if fields[name] is None
        else st.sampled_from(fields[name] or [""])
        for name in names
    }

    files = {name for name in names if fields[name] is None}
    buttons_only = set(names) <= {"csrfmiddlewaretoken"}

    @(FEW if buttons_only else FUZZ)
    @given(
        chosen=st.fixed_dictionaries(plausible),
        typed=st.fixed_dictionaries(arbitrary),
        fuzzed=st.sets(st.sampled_from(names)) if names else st.just(set()),
    )
    # The file name a disk cannot keep (issue 15), beside what a person would type.
    @example(
        chosen={
            name: ("plan.pdf", PDF) if name in files else (fields[name] or [""])[-1]
            for name in names
        },
        typed={name: (LONG_NAME, PDF) if name in files else "\x00" for name in names},
        fuzzed=files or set(names),
    )
    def check(chosen, typed, fuzzed):
        data = {name: typed[name] if name in fuzzed else chosen[name] for name in names}
        note(f"{persona} {method.upper()} {action}")
        if method == "get":
            response = _send(world, persona, "get", action, query=list(data.items()))
        else:
            response = _send(world, persona, "post", action, fields=data)
        assert response.status_code < 500, (persona, method, action)

    check()


def _header_safe(name: str) -> str:
    # A file name goes in a quoted header: a quote or a line break would end it early.
    return re.sub(r'["\r\n]', "", name)


@pytest.mark.parametrize("zone", ["Europe", "Europe/", "../etc/passwd", "Nowhere/City"])
def test_a_folder_or_a_path_is_refused_as_a_time_zone_not_a_500(zone):
    from django.core.exceptions import ValidationError

    from cities.validators import validate_timezone

    with pytest.raises(ValidationError, match="is not a time zone"):
        validate_timezone(zone)
