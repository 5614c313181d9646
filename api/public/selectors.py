"""Reads of the public API: the public pages' rows (exchanges, calls and reports selectors),
with what each list shows fetched in a constant number of queries."""

from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from calls.models import Call
from calls.models import Question as CallQuestion
from calls.selectors import public_calls
from cities.models import TargetGroup
from exchanges.models import (
    SEAT_HOLDING,
    ExchangeMeeting,
    Membership,
    NationalNetwork,
    Programme,
    Registration,
    Theme,
    Topic,
)
from exchanges.selectors import meeting_calendar, programme_list
from reports.plan import plan_condition


def programmes() -> QuerySet[Programme]:
    """The published programmes, each knowing whether it has a plan: one query."""
    return programme_list().annotate(
        has_plan=ExpressionWrapper(plan_condition(), output_field=BooleanField())
    )


def networks() -> QuerySet[NationalNetwork]:
    memberships = Membership.objects.select_related("city")
    return (
        NationalNetwork.objects.filter(programme__is_published=True)
        .select_related("programme", "country")
        .prefetch_related(Prefetch("memberships", queryset=memberships))
        .order_by("-programme__start_date", "programme__name", "country__name", "pk")
    )


def themes() -> QuerySet[Theme]:
    return (
        Theme.objects.filter(programme__is_published=True)
        .select_related("programme")
        .prefetch_related(
            Prefetch("topics", queryset=Topic.objects.order_by("order", "name")),
            Prefetch("target_groups", queryset=TargetGroup.objects.order_by("order", "name")),
        )
        .order_by("-programme__start_date", "programme__name", "order", "name", "pk")
    )


def target_groups() -> QuerySet[TargetGroup]:
    return TargetGroup.objects.order_by("order", "name", "pk")


def meetings() -> QuerySet[ExchangeMeeting]:
    """The calendar's meetings with the seats they have taken: a subquery, read for a page's
    rows alone (its order and pages are api.pagination.CalendarPagination's)."""
    taken = (
        Registration.objects.filter(meeting=OuterRef("pk"), status__in=SEAT_HOLDING)
        .values("meeting")
        .annotate(count=Count("pk"))
        .values("count")
    )
    target_groups = TargetGroup.objects.order_by("order", "name")
    return (
        meeting_calendar()
        .annotate(seats_taken=Coalesce(Subquery(taken, output_field=IntegerField()), 0))
        .prefetch_related(
            Prefetch("topics", queryset=Topic.objects.order_by("order", "name")),
            Prefetch("theme__target_groups", queryset=target_groups),
        )
    )


def _in_page_order(queryset: QuerySet[Call]) -> QuerySet[Call]:
    """As the call list page: open calls closing soonest first, then the upcoming ones, then
    the closed ones, latest first (calls.selectors.call_list)."""
    now = timezone.now()
    return queryset.annotate(
        state=Case(
            When(opens_at__gt=now, then=Value(1)),
            When(closes_at__lt=now, then=Value(2)),
            default=Value(0),
            output_field=IntegerField(),
        ),
        open_closes=Case(When(closes_at__gte=now, then="closes_at")),
        past_closes=Case(When(closes_at__lt=now, then="closes_at")),
    ).order_by("state", "open_closes", "-past_closes", "pk")


def calls() -> QuerySet[Call]:
    questions = CallQuestion.objects.order_by("order", "pk")
    return _in_page_order(
        public_calls().prefetch_related(Prefetch("questions", queryset=questions))
    )
