"""Pages of the public calendar, in its order: upcoming meetings soonest first, then past ones
latest first, served by index range scans however many meetings there are.

One CASE sort over every meeting, counted and sliced with OFFSET, cost 114 ms a page at 10,000
meetings (issue 18). Here the calendar is two index-ordered queries, each stopping after a page:

- upcoming: `end >= now`, ordered by start. A meeting lasts at most LONGEST_MEETING (a database
  constraint), so every upcoming meeting starts after `now - LONGEST_MEETING`: the scan of the
  start index begins there instead of at the first meeting ever held;
- past: `end < now`, ordered by start descending; it also starts before now, so the scan
  begins at now.

A page is addressed by the meeting it follows (`?after=`) or precedes (`?before=`), not by a
number: keyset pagination, so page 5,000 costs what page 1 does. The heading's count stops at
COUNT_LIMIT ("more than 1,000 meetings") for the same reason. The public API, whose pages have
numbers, pages the same two sections by number (CalendarPaginator).
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import cached_property

from .models import LONGEST_MEETING, ExchangeMeeting

COUNT_LIMIT = 1000
UPCOMING, PAST = "u", "p"
# The query parameters that address a page; "page" is what older links carry (the first page).
PAGE_PARAMETERS = ("after", "before", "page")


@dataclass(frozen=True)
class Cursor:
    """A meeting's place in the calendar's order: its section, its start and its id."""

    section: str
    start: dt.datetime
    pk: int

    @classmethod
    def of(cls, start: dt.datetime, end: dt.datetime, pk: int, now: dt.datetime) -> "Cursor":
        return cls(PAST if end < now else UPCOMING, start, pk)

    def encode(self) -> str:
        micros = round(self.start.timestamp() * 1_000_000)
        return f"{self.section}{micros}.{self.pk}"

    @classmethod
    def decode(cls, value: str | None) -> "Cursor | None":
        """None for anything that is not a cursor this module wrote: the first page is shown."""
        if not value or value[0] not in (UPCOMING, PAST):
            return None
        micros, _, pk = value[1:].partition(".")
        if not (micros.lstrip("-").isdigit() and pk.isdigit()) or len(value) > 40:
            return None
        try:
            start = dt.datetime.fromtimestamp(int(micros) / 1_000_000, tz=dt.UTC)
        except (OverflowError, OSError, ValueError):
            return None
        return cls(value[0], start, int(pk))


@dataclass
class CalendarPage:
    object_list: list[ExchangeMeeting]
    count: int  # at most COUNT_LIMIT + 1: see is_count_capped
    next_cursor: str | None
    previous_cursor: str | None

    count_limit = COUNT_LIMIT

    @property
    def is_count_capped(self) -> bool:
        return self.count > COUNT_LIMIT

    @property
    def has_other_pages(self) -> bool:
        return bool(self.next_cursor or self.previous_cursor)


def upcoming(queryset: QuerySet, now: dt.datetime) -> QuerySet:
    return queryset.filter(end__gte=now, start__gte=now - LONGEST_MEETING)


def past(queryset: QuerySet, now: dt.datetime) -> QuerySet:
    return queryset.filter(end__lt=now, start__lt=now)


def _later(cursor: Cursor) -> Q:
    # The redundant start__gte lets the database scan the start index from the cursor on.
    return Q(start__gte=cursor.start) & (Q(start__gt=cursor.start) | Q(pk__gt=cursor.pk))


def _earlier(cursor: Cursor) -> Q:
    return Q(start__lte=cursor.start) & (Q(start__lt=cursor.start) | Q(pk__lt=cursor.pk))


def _forward(queryset, now, cursor: Cursor | None, size: int) -> list[tuple]:
    """Up to size + 1 meetings after the cursor (from the first one without), in order."""
    if cursor is not None and cursor.section == PAST:
        older = past(queryset, now).filter(_earlier(cursor))
        return list(older.order_by("-start", "-pk")[: size + 1])
    soon = upcoming(queryset, now)
    if cursor is not None:
        soon = soon.filter(_later(cursor))
    rows = list(soon.order_by("start", "pk")[: size + 1])
    if len(rows) <= size:
        rows += past(queryset, now).order_by("-start", "-pk")[: size + 1 - len(rows)]
    return rows


def _backward(queryset, now, cursor: Cursor, size: int) -> list[tuple]:
    """Up to size + 1 meetings before the cursor, nearest first (the calendar's order reversed)."""
    if cursor.section == UPCOMING:
        sooner = upcoming(queryset, now).filter(_earlier(cursor))
        return list(sooner.order_by("-start", "-pk")[: size + 1])
    rows = list(past(queryset, now).filter(_later(cursor)).order_by("start", "pk")[: size + 1])
    if len(rows) <= size:
        rows += upcoming(queryset, now).order_by("-start", "-pk")[: size + 1 - len(rows)]
    return rows


def calendar_count(queryset: QuerySet, now: dt.datetime) -> int:
    """How many meetings, counted up to COUNT_LIMIT + 1 (two bounded index scans)."""
    queryset = queryset.order_by()
    count = upcoming(queryset, now)[: COUNT_LIMIT + 1].count()
    if count <= COUNT_LIMIT:
        count += past(queryset, now)[: COUNT_LIMIT + 1 - count].count()
    return count


def calendar_page(
    queryset: QuerySet,
    *,
    fetch: Callable[[list[int]], Iterable[ExchangeMeeting]],
    after: str | None = None,
    before: str | None = None,
    size: int,
    now: dt.datetime | None = None,
) -> CalendarPage:
    """The page after `after`, or before `before`, or else the first, of the meetings in
    `queryset` (filtered, not joined). The keyset queries read ids and dates alone; `fetch`
    then reads the page's rows by id, with what they show: joining that to the filters' own
    joins cost several times as much. Six queries at most, whatever the page."""
    now = now or timezone.now()
    before_cursor = Cursor.decode(before)
    after_cursor = None if before_cursor else Cursor.decode(after)
    keys = queryset.select_related(None).prefetch_related(None).values_list("start", "end", "pk")
    rows, has_next, has_previous = [], False, False
    if before_cursor is not None:
        rows = _backward(keys, now, before_cursor, size)
        has_previous, has_next = len(rows) > size, True
        rows = rows[:size][::-1]
    if not has_previous:
        # No page before this one: it is the first page, filled from the start.
        rows = _forward(keys, now, after_cursor, size)
        has_next, has_previous = len(rows) > size, after_cursor is not None
        rows = rows[:size]
    if not rows and (after_cursor or before_cursor):
        # A cursor past the end (its meeting moved or went): the first page, not "no meetings".
        return calendar_page(queryset, fetch=fetch, size=size, now=now)
    by_id = {meeting.pk: meeting for meeting in fetch([pk for _start, _end, pk in rows])}
    return CalendarPage(
        # A meeting deleted between the two queries is left out, not an error.
        object_list=[by_id[pk] for _start, _end, pk in rows if pk in by_id],
        count=calendar_count(keys, now),
        next_cursor=Cursor.of(*rows[-1], now).encode() if has_next and rows else None,
        previous_cursor=Cursor.of(*rows[0], now).encode() if has_previous and rows else None,
    )


class CalendarPaginator(Paginator):
    """Numbered pages in the calendar's order, for the public API, whose clients address pages
    by number and read the count: the two sections counted, and each page's ids sliced from
    the one it falls in (or the end of upcoming and the start of past), each an index range.
    The page's rows are then read by id from `object_list`, with its joins and prefetches.

    One CASE sort over every meeting, counted and sliced with OFFSET, had cost 280 ms a page at
    100,000 meetings (issue 18). A deep page still skips the rows before it within its section,
    which keyset pages (calendar_page) do not."""

    def __init__(self, object_list: QuerySet, per_page: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.now = timezone.now()
        self.keys = object_list.order_by().prefetch_related(None).values_list("pk", flat=True)

    @cached_property
    def upcoming_count(self) -> int:
        return upcoming(self.keys, self.now).count()

    @cached_property
    def count(self) -> int:
        return self.upcoming_count + past(self.keys, self.now).count()

    def page(self, number) -> Page:
        number = self.validate_number(number)
        offset, size = (number - 1) * self.per_page, self.per_page
        ids = []
        if offset < self.upcoming_count:
            soon = upcoming(self.keys, self.now).order_by("start", "pk")
            ids = list(soon[offset : offset + size])
        if len(ids) < size:
            older = past(self.keys, self.now).order_by("-start", "-pk")
            start = max(offset - self.upcoming_count, 0)
            ids += older[start : start + size - len(ids)]
        by_id = {row.pk: row for row in self.object_list.filter(pk__in=ids).order_by()}
        # A meeting deleted between the two queries is left out, not an error.
        return self._get_page([by_id[pk] for pk in ids if pk in by_id], number, self)
