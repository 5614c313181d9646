from collections import OrderedDict

from django.db.models import Case, IntegerField, Prefetch, QuerySet, Value, When
from django.utils import timezone

from .models import ExchangeMeeting, MeetingKind, Membership, NationalNetwork, Programme, Role

# The order in which a programme page lists a network's cities.
ROLE_ORDER = [Role.PIONEER, Role.SPECIAL_AWARD, Role.ENGAGED, Role.MENTOR]


def programme_list() -> QuerySet[Programme]:
    return Programme.objects.filter(is_published=True).order_by("-start_date", "name")


def meeting_calendar() -> QuerySet[ExchangeMeeting]:
    """Public meetings, upcoming first (soonest first), then past ones (latest first)."""
    now = timezone.now()
    return (
        ExchangeMeeting.objects.filter(programme__is_published=True)
        .select_related("programme", "network__country", "host_city__country", "theme")
        .annotate(
            is_past_sort=Case(
                When(end__lt=now, then=Value(1)), default=Value(0), output_field=IntegerField()
            ),
            upcoming_start=Case(When(end__gte=now, then="start")),
            past_start=Case(When(end__lt=now, then="start")),
        )
        .order_by("is_past_sort", "upcoming_start", "-past_start", "pk")
    )


def meeting_detail_queryset() -> QuerySet[ExchangeMeeting]:
    return (
        ExchangeMeeting.objects.filter(programme__is_published=True)
        .select_related("programme", "network__country", "host_city__country", "theme")
        .prefetch_related("topics", "theme__target_groups", "materials")
    )


def programme_networks(*, programme: Programme) -> list[dict]:
    """Each national network with its cities grouped by role, in the programme's own words."""
    networks = (
        NationalNetwork.objects.filter(programme=programme)
        .select_related("country")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("city").order_by("city__name"),
            )
        )
        .order_by("country__name")
    )
    result = []
    for network in networks:
        groups = OrderedDict((role, []) for role in ROLE_ORDER)
        for membership in network.memberships.all():
            groups[membership.role].append(membership.city)
        result.append(
            {
                "network": network,
                "groups": [
                    {"role": role, "label": programme.role_label(role), "cities": cities}
                    for role, cities in groups.items()
                    if cities
                ],
            }
        )
    return result


def programme_conference(*, programme: Programme) -> ExchangeMeeting | None:
    return (
        ExchangeMeeting.objects.filter(
            programme=programme, kind=MeetingKind.INTERNATIONAL_CONFERENCE
        )
        .select_related("host_city", "theme")
        .first()
    )
