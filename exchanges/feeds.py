"""Feeds a programme publishes for others to follow (issue 16, item 3): an iCalendar feed of its
meetings that calendar programs subscribe to, and Atom feeds of its new meetings and open calls.

Public data only, as the public pages show it: meetings and calls of published programmes, and
never a meeting's online link (the events come from exchanges.calendars, with no link, so a
meeting keeps its UID and SEQUENCE in every calendar that holds it). A subscriber cannot send
headers, so the language may be asked for with `?lang=`; parameters the feed does not know are
refused with a 400 that says why, like every bad parameter.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from calls.models import Call
from calls.selectors import public_calls

from . import selectors
from .calendars import calendar_bytes
from .models import ExchangeMeeting, MeetingFormat, MeetingStatus, NationalNetwork, Programme

# Calendar programs poll every few hours whatever we say; readers of a partner's site should see
# a change within minutes.
FEED_CACHE_CONTROL = "public, max-age=600"
ATOM_ENTRIES = 30


class BadParameter(ValueError):
    """A query parameter a feed or the embed cannot use; its message is the 400's reason."""


def read_query(request, allowed: set[str]) -> dict[str, str]:
    """The query's parameters, each given once. An unknown one is refused rather than ignored,
    so a typo (`netwrok=PL`) is not silently a feed of everything."""
    unknown = sorted(set(request.GET) - allowed)
    if unknown:
        raise BadParameter(
            _("Unknown parameter: %(names)s. This address takes: %(allowed)s.")
            % {"names": ", ".join(unknown), "allowed": ", ".join(sorted(allowed))}
        )
    for name, values in request.GET.lists():
        if len(values) > 1:
            raise BadParameter(_("Give %(name)s only once.") % {"name": name})
    return request.GET.dict()


def requested_language(value: str | None, programme: Programme | None = None) -> str:
    """`lang`, one of the portal's languages (of the programme's, for a programme's feed);
    without it, the request's own (LocaleMiddleware), or the programme's first if it does not
    speak that."""
    codes = programme.language_codes if programme else [code for code, _ in settings.LANGUAGES]
    if value is None:
        current = translation.get_language() or settings.LANGUAGE_CODE
        return current if current in codes else codes[0]
    if value not in codes:
        raise BadParameter(
            _("Unknown language “%(value)s”: use one of %(languages)s.")
            % {"value": value, "languages": ", ".join(codes)}
        )
    return value


def programme_network(*, programme: Programme, code: str | None) -> NationalNetwork | None:
    """The programme's network in the country `code` (PL, pl): a programme has one per country,
    and the public calendar names networks by their country too."""
    if not code:
        return None
    network = (
        NationalNetwork.objects.filter(programme=programme, country__code=code.upper())
        .select_related("country")
        .first()
    )
    if network is None:
        raise BadParameter(
            _("The programme has no national network “%(value)s”: give its country code, e.g. PL.")
            % {"value": code}
        )
    return network


def refused(refusal: BadParameter) -> HttpResponse:
    return HttpResponseBadRequest(str(refusal), content_type="text/plain; charset=utf-8")


def site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


# --- iCalendar ---------------------------------------------------------------------------------


def programme_meetings(
    *, programme: Programme, network: NationalNetwork | None
) -> QuerySet[ExchangeMeeting]:
    """Every meeting of the programme, past ones too: a subscriber's calendar keeps its history,
    and a cancelled meeting stays in it marked cancelled."""
    meetings = ExchangeMeeting.objects.filter(programme=programme).select_related("host_city")
    if network is not None:
        meetings = meetings.filter(network=network)
    return meetings.order_by("start", "pk")


def calendar_name(*, programme: Programme, network: NationalNetwork | None) -> str:
    if network is None:
        return programme.name
    return f"{programme.name} – {network.country.name}"


@require_safe
def programme_calendar(request, slug):
    """/programmes/<slug>/calendar.ics[?network=PL][&lang=pl]: the programme's meetings."""
    programme = get_object_or_404(selectors.programme_list(), slug=slug)
    try:
        query = read_query(request, {"network", "lang"})
        language = requested_language(query.get("lang"), programme)
        with translation.override(language):
            network = programme_network(programme=programme, code=query.get("network"))
            meetings = programme_meetings(programme=programme, network=network)
            content = calendar_bytes(
                meetings, name=calendar_name(programme=programme, network=network)
            )
    except BadParameter as refusal:
        return refused(refusal)
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{programme.slug}.ics"'
    response["Content-Language"] = language
    response["Cache-Control"] = FEED_CACHE_CONTROL
    return response


# --- Atom ------------------------------------------------------------------------------------


class ProgrammeFeed(Feed):
    """An Atom feed of one published programme, in the language asked for."""

    feed_type = Atom1Feed
    name = ""  # the feed's last path segment: "meetings.atom"

    def __call__(self, request, *args, **kwargs):
        # Read once here, for the language, and handed to get_object: two queries in all.
        programme = selectors.programme_list().filter(slug=kwargs.get("slug")).first()
        if programme is None:
            raise Http404
        request.feed_programme = programme
        try:
            language = requested_language(read_query(request, {"lang"}).get("lang"), programme)
        except BadParameter as refusal:
            return refused(refusal)
        with translation.override(language):
            response = super().__call__(request, *args, **kwargs)
        response["Content-Language"] = language
        response["Cache-Control"] = FEED_CACHE_CONTROL
        return response

    def get_object(self, request, slug):
        return request.feed_programme

    def link(self, programme):
        return programme.get_absolute_url()

    def feed_guid(self, programme):
        # Both feeds of a programme link to its page; their ids must still differ.
        return site_url(reverse(f"exchanges:programme_{self.name}_feed", args=[programme.slug]))

    def item_link(self, item):
        return item.get_absolute_url()


class ProgrammeMeetingsFeed(ProgrammeFeed):
    """The programme's meetings as they are announced, the newest first."""

    name = "meetings"

    def title(self, programme):
        return _("%(programme)s: new meetings") % {"programme": programme.name}

    def items(self, programme):
        return (
            ExchangeMeeting.objects.filter(programme=programme)
            .select_related("host_city", "network__country")
            .order_by("-created_at", "-pk")[:ATOM_ENTRIES]
        )

    def item_title(self, meeting):
        return meeting.title

    def item_description(self, meeting):
        return " · ".join(part for part in meeting_facts(meeting) if part)

    def item_pubdate(self, meeting):
        return meeting.created_at

    def item_updateddate(self, meeting):
        return meeting.updated_at


def meeting_facts(meeting: ExchangeMeeting) -> list[str]:
    """When, where and how, as the calendar's rows say it (templates/exchanges/_meeting_row)."""
    online = meeting.format == MeetingFormat.ONLINE or meeting.status == MeetingStatus.MOVED_ONLINE
    return [
        date_format(meeting.local_start, "DATE_FORMAT"),
        meeting.network.country.name if meeting.network else "",
        "" if online or not meeting.host_city else meeting.host_city.name,
        _("online") if online else meeting.get_format_display(),
        meeting.get_status_display() if meeting.status != MeetingStatus.PLANNED else "",
    ]


class ProgrammeCallsFeed(ProgrammeFeed):
    """The programme's calls open for applications now, the most recently opened first."""

    name = "calls"

    def title(self, programme):
        return _("%(programme)s: open calls") % {"programme": programme.name}

    def items(self, programme):
        now = timezone.now()
        return (
            public_calls()
            .filter(programme=programme, opens_at__lte=now, closes_at__gte=now)
            .order_by("-opens_at", "-pk")[:ATOM_ENTRIES]
        )

    def item_title(self, call: Call):
        return call.title

    def item_description(self, call: Call):
        closes = date_format(call.local_closes_at, "DATETIME_FORMAT")
        return _("Applications until %(date)s (%(timezone)s).") % {
            "date": closes,
            "timezone": call.timezone,
        }

    def item_pubdate(self, call: Call):
        return call.opens_at

    def item_updateddate(self, call: Call):
        return call.updated_at
