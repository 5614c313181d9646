"""Reads the reports share between a page, a CSV and a PDF.

Every figure is aggregated in the database, so a report costs the same few queries whether a
period holds one meeting or a thousand.
"""

import datetime as dt
import zoneinfo

from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from exchanges.models import (
    ExchangeMeeting,
    Programme,
    Registration,
    RegistrationStatus,
)
from exchanges.selectors import taken_place

ATTENDED = Q(status=RegistrationStatus.ATTENDED)
# Coordinators mark attendance after a meeting; until then a confirmed place is "not marked".
REGISTERED = [
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.ATTENDED,
    RegistrationStatus.NO_SHOW,
]


def _period_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """From the first moment of `start` to (excluding) the first moment after `end`, in the
    portal's time zone: a range on the indexed `start` column rather than a date cast."""
    tz = timezone.get_default_timezone()
    first = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return first, after


def _meeting_scope(prefix: str, *, programme: Programme | None, start: dt.date, end: dt.date) -> Q:
    """The meetings a report counts: those starting in the period that have taken place (not
    yet started, cancelled and postponed ones left out: the funder is told what happened)."""
    first, after = _period_bounds(start, end)
    scope = Q(**{f"{prefix}start__gte": first, f"{prefix}start__lt": after}) & taken_place(
        prefix=prefix
    )
    if programme is not None:
        scope &= Q(**{f"{prefix}programme": programme})
    return scope


def _local_date(start: dt.datetime, tz_name: str) -> dt.date:
    try:
        return start.astimezone(zoneinfo.ZoneInfo(tz_name)).date()
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # "Europe" is a folder
        return start.date()


def _registrations(*statuses) -> Count:
    return Count("registrations", filter=Q(registrations__status__in=statuses))


def _meeting_rows(scope: Q) -> list[dict]:
    rows = (
        ExchangeMeeting.objects.filter(scope)
        .values("pk", "title", "start", "timezone", "host_city__name")
        # An online conference has no host city: its network's country, if any, stands in.
        .annotate(
            country=Coalesce("host_city__country__name", "network__country__name"),
            attended=_registrations(RegistrationStatus.ATTENDED),
            no_shows=_registrations(RegistrationStatus.NO_SHOW),
            not_marked=_registrations(RegistrationStatus.CONFIRMED),
            registered=_registrations(*REGISTERED),
        )
        .order_by("start", "pk")
    )
    return [
        {
            "pk": row["pk"],
            "title": row["title"],
            "date": _local_date(row["start"], row["timezone"]),
            "host": row["host_city__name"] or "",
            "country": row["country"] or "",
            "attended": row["attended"],
            "no_shows": row["no_shows"],
            "not_marked": row["not_marked"],
            "registered": row["registered"],
        }
        for row in rows
    ]


def _attended(scope: Q) -> QuerySet[Registration]:
    return Registration.objects.filter(scope, ATTENDED)


def _city_rows(scope: Q) -> list[dict]:
    rows = (
        _attended(scope)
        .values("contact__city_id", "contact__city__name", "contact__city__country__name")
        .annotate(participations=Count("pk"), people=Count("contact", distinct=True))
        # Alphabetical, never by attendance: cities are not ranked against each other.
        .order_by("contact__city__country__name", "contact__city__name")
    )
    return [
        {
            "city": row["contact__city__name"],
            "country": row["contact__city__country__name"],
            "participations": row["participations"],
            "people": row["people"],
        }
        for row in rows
    ]


def _country_rows(scope: Q) -> list[dict]:
    rows = (
        _attended(scope)
        .values("contact__city__country_id", "contact__city__country__name")
        .annotate(
            cities=Count("contact__city", distinct=True),
            participations=Count("pk"),
            people=Count("contact", distinct=True),
        )
        .order_by("contact__city__country__name")
    )
    return [
        {
            "country": row["contact__city__country__name"],
            "cities": row["cities"],
            "participations": row["participations"],
            "people": row["people"],
        }
        for row in rows
    ]


def _totals(scope: Q, meetings: list[dict]) -> dict:
    figures = Registration.objects.filter(scope).aggregate(
        registered=Count("pk", filter=Q(status__in=REGISTERED)),
        attended=Count("pk", filter=ATTENDED),
        no_shows=Count("pk", filter=Q(status=RegistrationStatus.NO_SHOW)),
        not_marked=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
        # The funder's "staff trained": each person once, however many meetings they attended.
        staff_trained=Count("contact", distinct=True, filter=ATTENDED),
        cities=Count("contact__city", distinct=True, filter=ATTENDED),
        countries=Count("contact__city__country", distinct=True, filter=ATTENDED),
    )
    return {"meetings": len(meetings), **figures}


def attendance_report(*, programme: Programme | None = None, start: dt.date, end: dt.date) -> dict:
    """Attendance over a period, for the funder: per meeting, per participant's city and
    country, and totals with the number of distinct staff trained (issue 5, "Reporting for
    the funder"). A meeting counts when it starts in the period (both days included, in the
    portal's time zone) and has taken place (started, not cancelled or postponed). "Attended"
    is what coordinators marked after the meeting; "registered" is attended, no-shows and
    places not yet marked. Four queries."""
    scope = {"programme": programme, "start": start, "end": end}
    meetings = _meeting_rows(_meeting_scope("", **scope))
    through_meeting = _meeting_scope("meeting__", **scope)
    return {
        "programme": programme,
        "start": start,
        "end": end,
        "meetings": meetings,
        "cities": _city_rows(through_meeting),
        "countries": _country_rows(through_meeting),
        "totals": _totals(through_meeting, meetings),
    }


def attendance_changed_at(
    *, programme: Programme | None = None, start: dt.date, end: dt.date
) -> dt.datetime | None:
    """When a meeting of the period or one of its registrations last changed: a published
    report older than this is out of date. One query."""
    changed = ExchangeMeeting.objects.filter(
        _meeting_scope("", programme=programme, start=start, end=end)
    ).aggregate(meeting=Max("updated_at"), registration=Max("registrations__updated_at"))
    moments = [moment for moment in changed.values() if moment is not None]
    return max(moments, default=None)


# The chart's geometry, in SVG user units; the page and the PDF draw the same picture.
CHART_WIDTH = 640
CHART_LABEL_WIDTH = 170
CHART_BAR_SPACE = 400
CHART_ROW = 30
CHART_BAR = 20


def attendance_chart(countries: list[dict]) -> dict:
    """Bars of attended participations per country, scaled to the largest."""
    largest = max((row["participations"] for row in countries), default=0)
    bars = []
    for index, row in enumerate(countries):
        length = round(CHART_BAR_SPACE * row["participations"] / largest) if largest else 0
        top = index * CHART_ROW + (CHART_ROW - CHART_BAR) // 2
        bars.append(
            {
                "label": row["country"],
                "value": row["participations"],
                "x": CHART_LABEL_WIDTH,
                "y": top,
                "width": max(length, 1),
                "height": CHART_BAR,
                "text_y": top + CHART_BAR * 3 // 4,
                "label_x": CHART_LABEL_WIDTH - 8,
                "value_x": CHART_LABEL_WIDTH + max(length, 1) + 6,
            }
        )
    return {"width": CHART_WIDTH, "height": max(len(bars), 1) * CHART_ROW, "bars": bars}
