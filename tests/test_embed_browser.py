"""The embeddable calendar inside a partner's page of another origin, in a real browser (issue 16,
item 4): the embed shows, a normal portal page in the same partner page is refused.

The partner's page is served by a tiny http.server on 127.0.0.1, the portal by the live server on
localhost: another port and another host, so another origin.
"""

import http.server
import threading
from pathlib import Path

import pytest

from . import factories
from .conftest import CHROMIUM

SHOTS = Path("/tmp/shots-embed")

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        CHROMIUM is None, reason="needs Debian's chromium (apt-get install chromium)"
    ),
]


def partner_page(portal: str) -> bytes:
    return f"""<!DOCTYPE html>
<html lang="pl"><head><meta charset="utf-8"><title>Sieć MULTIPLY w Polsce</title></head>
<body>
  <h1>Nasze spotkania</h1>
  <iframe id="embed" title="Kalendarz" width="600" height="420"
          src="{portal}/embed/calendar/?programme=multiply&amp;network=PL&amp;lang=pl"></iframe>
  <iframe id="portal" title="Portal" width="600" height="200"
          src="{portal}/programmes/multiply/"></iframe>
</body></html>""".encode()


@pytest.fixture
def partner_site(live_server):
    """A partner's website at http://127.0.0.1:<port>/ whose page frames the portal."""
    body = partner_page(live_server.url)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the name http.server calls
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):  # keep the test's output quiet
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def meeting():
    network = factories.NetworkFactory(
        programme__slug="multiply", programme__name="MULTIPLY", country__code="PL"
    )
    return factories.MeetingFactory(
        network=network, title_en="Exchange in Toruń", title_pl="Spotkanie w Toruniu"
    )


def test_a_partners_page_shows_the_embed_and_not_the_portals_other_pages(
    page, live_server, partner_site, meeting
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert not partner_site.startswith(live_server.url)  # another origin

    page.goto(partner_site, wait_until="load")

    embed = page.frame_locator("#embed")
    link = embed.get_by_role("link", name="Spotkanie w Toruniu")
    link.wait_for(state="visible")
    assert link.get_attribute("target") == "_blank"
    assert embed.get_by_role("heading", name="Nadchodzące spotkania").is_visible()
    page.screenshot(path=SHOTS / "1-partner-page.png", full_page=True)

    # Its own stylesheet applies inside the frame (static/css/embed.css: h1 at 1.15rem).
    assert embed.locator("h1").evaluate("h1 => getComputedStyle(h1).fontSize") == "18.4px"

    # The portal's own page was refused by the browser: its frame shows an error, not the page.
    portal = page.locator("#portal").element_handle().content_frame()
    assert not portal.url.startswith(live_server.url)
    assert portal.get_by_text("MULTIPLY").count() == 0
    page.locator("#portal").screenshot(path=SHOTS / "2-portal-page-refused.png")


@pytest.mark.parametrize("language", ["en", "pl", "sv", "fi"])
def test_the_embed_snippet_on_the_programme_page_fits_a_phone(page, live_server, meeting, language):
    """The snippet is one long line of HTML: on a phone it wraps instead of widening the page."""
    factories.ThemeFactory(programme=meeting.programme)
    page.set_viewport_size({"width": 360, "height": 780})

    page.goto(f"{live_server.url}/programmes/multiply/?lang={language}")
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/programmes/multiply/")

    assert page.locator("pre.snippet").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=SHOTS / f"programme-{language}-phone.png", full_page=True)
