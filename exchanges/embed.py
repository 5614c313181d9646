"""The calendar a partner's website embeds (issue 16, item 4), with one snippet:

    <iframe src="https://<portal>/embed/calendar/?programme=multiply&amp;network=PL&amp;lang=pl"
            title="Upcoming meetings" width="100%" height="480" loading="lazy"></iframe>

`programme` (its slug) is required; `network` (the country code of one of its national
networks), `theme` (the number of one of its themes) and `lang` (en, pl, sv, fi; without it the
visitor's browser decides) narrow it. Anything else, or a value the programme does not have, is
a 400 page that says why.

The page shows the upcoming meetings (date, title linking to the meeting's public page, place,
format) with its own small stylesheet (static/css/embed.css) and no script. It sets no cookie:
it is rendered without the request, so no session, CSRF token or message is touched, and a
partner's visitors are not tracked by the portal. It alone may be framed by any site: X-Frame-
Options is lifted and `frame-ancestors *` replaces the portal's `'none'` for this view only.
"""

import re

from csp.decorators import csp_replace
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from . import selectors
from .feeds import BadParameter, programme_network, read_query, requested_language
from .models import ExchangeMeeting, Programme, Theme

PARAMETERS = {"programme", "network", "theme", "lang"}
UPCOMING = 20  # a partner's page is a window onto the calendar, not the calendar
CACHE_CONTROL = "public, max-age=300"


def _programme(slug: str | None) -> Programme:
    if not slug:
        raise BadParameter(_("Say which programme to show, for example programme=multiply."))
    programme = selectors.programme_list().filter(slug=slug).first()
    if programme is None:
        raise BadParameter(_("There is no published programme “%(value)s”.") % {"value": slug})
    return programme


def _theme(*, programme: Programme, value: str | None) -> Theme | None:
    if not value:
        return None
    # Digits only and short: a longer number would overflow the database's integer.
    theme = None
    if re.fullmatch(r"[0-9]{1,18}", value):
        theme = Theme.objects.filter(programme=programme, pk=int(value)).first()
    if theme is None:
        raise BadParameter(
            _("The programme has no theme “%(value)s”: give the theme's number.") % {"value": value}
        )
    return theme


def embed_selection(query: dict[str, str]) -> dict:
    """The programme and, if asked for, its network and theme, with their upcoming meetings."""
    programme = _programme(query.get("programme"))
    network = programme_network(programme=programme, code=query.get("network"))
    theme = _theme(programme=programme, value=query.get("theme"))
    meetings = ExchangeMeeting.objects.filter(programme=programme, end__gte=timezone.now())
    if network is not None:
        meetings = meetings.filter(network=network)
    if theme is not None:
        meetings = meetings.filter(theme=theme)
    meetings = meetings.select_related("host_city").order_by("start", "pk")[:UPCOMING]
    return {"programme": programme, "network": network, "theme": theme, "meetings": meetings}


def _page(template: str, context: dict, *, language: str, status: int = 200) -> HttpResponse:
    # Without the request: no context processor runs, so nothing reads the session or asks
    # for a CSRF token, and no middleware has a cookie to set.
    response = HttpResponse(render_to_string(template, context), status=status)
    response["Content-Language"] = language
    response["Cache-Control"] = CACHE_CONTROL
    return response


@csp_replace({"frame-ancestors": ["*"]})
@xframe_options_exempt
@require_safe
def embed_calendar(request):
    try:
        query = read_query(request, PARAMETERS)
        language = requested_language(query.get("lang"))
    except BadParameter as refusal:
        language = translation.get_language()
        return _page("embed/refused.html", {"reason": refusal}, language=language, status=400)
    with translation.override(language):
        try:
            context = embed_selection(query)
        except BadParameter as refusal:
            return _page("embed/refused.html", {"reason": refusal}, language=language, status=400)
        return _page("embed/calendar.html", context, language=language)
