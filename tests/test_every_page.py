"""Every page of the portal, as its people meet it: on a 360 px phone, in every language, with
markup that the Nu HTML Checker passes.

One crawl in Chromium over the demo that `make run` loads: each persona signs in through the real
sign-in page and follows the links it is offered, from the home page, the calendar, the calls,
its own pages and the cockpit; each kind of page (one URL name) is visited once signed in and once
signed out. Every page found is then loaded in each language of the portal at 360 px, and

- the page must be no wider than the viewport (nothing scrolls sideways);
- its HTML must parse under html5lib's strict parser and pass the Nu HTML Checker (vnu.jar,
  installed from the npm registry by `.ci/run`; set VNU_JAR to its path) with no error.

The Django admin is left out: its pages and their phone layout are Django's own.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import html5lib
import pytest
from django.conf import settings
from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError

from .test_browser import demo_logins, sign_in  # noqa: F401 (demo_logins is a fixture)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PHONE = {"width": 360, "height": 780}
SHOTS = Path("/tmp/shots-every-page")

VNU_JAR = os.environ.get("VNU_JAR") or next(
    (
        str(path)
        for path in (
            Path(settings.BASE_DIR) / ".vnu/node_modules/vnu-jar/build/dist/vnu.jar",
            Path("/tmp/vnu/node_modules/vnu-jar/build/dist/vnu.jar"),
        )
        if path.exists()
    ),
    None,
)
VNU_REQUIRED = os.environ.get("VNU_REQUIRED") == "1"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        CHROMIUM is None, reason="needs Debian's chromium (apt-get install chromium)"
    ),
]

# Where the crawl starts for everyone, and for a signed-in person.
SEEDS = ["/", "/meetings/", "/calls/", "/privacy/", "/api/docs/", "/accounts/login/"]
SIGNED_IN_SEEDS = [
    "/me/meetings/",
    "/visits/",
    "/me/applications/",
    "/me/",
    "/me/api-tokens/",
    "/manage/",
    "/accounts/logout/",
]
# Not pages of the portal's own templates, or not pages at all.
SKIPPED_PREFIXES = ("/admin/", "/static/", "/i18n/", "/media/", "/api/schema/")
SKIPPED_SUFFIXES = (".pdf", ".ics", ".atom", ".xlsx", ".csv", ".zip", ".json", ".png", ".svg")
# The order matters: a kind of page is visited by the first persona that reaches it.
PERSONAS = [
    "katarzyna.wisniewska@minsk-mazowiecki.example",  # city staff, registrations, a call
    "magdalena.kaminska@ostroleka.example",  # city staff with a peer visit and a certificate
    "poland@pnec.example",  # national coordinator: the cockpit, check-in, reports
    "admin@multiply.example",  # programme coordinator
    "partner@pnec.example",  # consortium partner: plans and minutes
    None,  # signed out
]
MAX_PAGES = 150


def _kind(path: str) -> str | None:
    """The URL name of a path, or None when it is not a page to check."""
    if path.startswith(SKIPPED_PREFIXES) or path.endswith(SKIPPED_SUFFIXES):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def _links(page, origin: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    paths = []
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != origin:
            continue
        paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths


def _crawl(page, origin: str, seeds: list[str], seen: set, signed_in: bool) -> list[str]:
    """The paths of every kind of page this persona sees that no one before has, reached from
    the seeds. The persona walks its own pages whether or not others have seen their kind (each
    kind read at most twice for its links), so that it finds what lies behind them."""
    queue, visited, found = list(seeds), set(), []
    walked: dict[str, int] = {}
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        kind = _kind(path.split("?")[0])
        if kind is None or path in visited or walked.get(kind, 0) >= 2:
            continue
        visited.add(path)
        try:
            response = _goto(page, origin + path)
        except PlaywrightError:  # a download (the archive of one's data), not a page
            continue
        if response is None or response.status != 200:
            continue  # a page this persona may not see, or a form's refusal
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        if urlsplit(page.url).path.startswith("/accounts/login") and kind != "account_login":
            continue  # signed out, sent to sign in
        walked[kind] = walked.get(kind, 0) + 1
        if (kind, signed_in) not in seen:
            seen.add((kind, signed_in))
            found.append(path)
        queue.extend(_links(page, origin))
    return found


def _pages_reached_only_by_address() -> list[str]:
    """Pages a person reaches from an e-mail, a printed code or a link the demo's pages do not
    offer today (a past meeting's feedback, the funder's report, a visit's report)."""
    from calls.models import Application
    from exchanges.models import ExchangeMeeting, Invitation, Registration
    from reports.models import FunderReport
    from visits.models import ReviewRound, Visit

    paths = ["/certificates/", "/embed/calendar/?programme=exchange-2027"]
    paths += [i.get_absolute_url() for i in Invitation.objects.order_by("pk")[:1]]
    paths += [a.get_absolute_url() for a in Application.objects.order_by("pk")[:3]]
    past = ExchangeMeeting.objects.filter(registrations__status="attended").order_by("-end")[:1]
    for meeting in past:
        paths += [f"/meetings/{meeting.pk}/feedback/", f"/meetings/{meeting.pk}/feedback/summary/"]
    certified = Registration.objects.exclude(certificate_code="").order_by("pk")[:1]
    paths += [f"/certificates/{r.certificate_code}/" for r in certified]
    paths += [f"/reports/funder/{r.pk}/" for r in FunderReport.objects.order_by("pk")[:1]]
    for review_round in ReviewRound.objects.order_by("pk")[:1]:
        paths.append(f"/visits/rounds/{review_round.pk}/assignment/")
    for visit in Visit.objects.order_by("pk")[:1]:
        paths += [f"/visits/{visit.pk}/report/", f"/visits/{visit.pk}/invite/"]
    return paths


def _goto(page, url: str):
    """page.goto, again if an earlier navigation (a download it started) got in the way."""
    for _attempt in range(3):
        try:
            return page.goto(url)
        except PlaywrightError as error:
            if "interrupted by another navigation" not in str(error):
                raise
            page.wait_for_timeout(300)
    return page.goto(url)


def _width(page) -> int:
    return page.evaluate(
        "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
    )


def test_every_page_fits_a_phone_and_passes_the_nu_checker_in_every_language(
    page,
    live_server,
    demo_logins,  # noqa: F811 (the fixture, imported)
    tmp_path,
):
    if VNU_JAR is None and VNU_REQUIRED:
        pytest.fail("VNU_REQUIRED is set but vnu.jar was not found (set VNU_JAR)")
    password, _emails = demo_logins
    origin = live_server.url
    page.set_viewport_size(PHONE)
    languages = [code for code, _name in settings.LANGUAGES]
    seen: set = set()
    too_wide, unparsable, documents = [], [], {}
    pages_checked = 0

    reached_only_by_address = _pages_reached_only_by_address()
    for persona in PERSONAS:
        page.context.clear_cookies()
        if persona:
            sign_in(page, live_server, persona, password)
        seeds = SEEDS + reached_only_by_address + (SIGNED_IN_SEEDS if persona else [])
        paths = _crawl(page, origin, seeds, seen, signed_in=persona is not None)
        for language in languages:
            page.context.add_cookies(
                [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": origin}]
            )
            for path in paths:
                response = _goto(page, origin + path)
                pages_checked += 1
                html = response.body()
                width = _width(page)
                if width > PHONE["width"]:
                    too_wide.append(f"{language} {path} ({persona or 'signed out'}): {width} px")
                    SHOTS.mkdir(exist_ok=True)
                    name = f"{language}{path}".replace("/", "_").replace("?", "_")[:120]
                    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
                try:
                    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(html)
                except html5lib.html5parser.ParseError as error:
                    unparsable.append(f"{language} {path}: {error}")
                name = f"{len(documents):04d}.html"
                (tmp_path / name).write_bytes(html)
                documents[name] = f"{language} {path} ({persona or 'signed out'})"

    kinds = {kind for kind, _signed_in in seen}
    SHOTS.mkdir(exist_ok=True)
    (SHOTS / "crawl.txt").write_text(
        f"{len(kinds)} kinds of page, {len(seen)} with the signed-in/out split, "
        f"{pages_checked} page loads in {len(languages)} languages\n"
        + "\n".join(sorted(documents.values()))
    )
    assert len(kinds) > 40, f"the crawl found only {sorted(kinds)}"
    assert pages_checked == len(documents)
    assert not too_wide, "pages wider than a 360 px phone:\n" + "\n".join(too_wide)
    assert not unparsable, "pages html5lib cannot parse strictly:\n" + "\n".join(unparsable)

    if VNU_JAR is None:
        pytest.skip("vnu.jar not found: install it with `npm install --prefix .vnu vnu-jar`")
    result = subprocess.run(
        ["java", "-jar", VNU_JAR, "--errors-only", "--format", "json", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = [
        f"{documents.get(Path(m.get('url', '')).name, m.get('url'))} "
        f"line {m.get('lastLine')}: {m.get('message')}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert not errors, f"{len(errors)} Nu HTML Checker errors:\n" + "\n".join(errors[:200])
