"""The public API's filters (django-filter), by the names the calendar page's form uses.

Unlike the page's dropdowns, a programme, country, theme or target group the portal does not
know is an empty list, not an error: the schema can promise a slug's shape, not which slugs
exist, so a well-formed value is answered 200. A value of the wrong shape (a kind that is not
one, a date that is not a date) is a 400 with django-filter's reason.
"""

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api.pagination import LARGEST
from calls.models import Call
from exchanges import filters as calendar
from exchanges.models import NationalNetwork, Theme


class IdFilter(django_filters.Filter):
    """A row's id: a whole number from 1 that fits the database's 64-bit ids."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=LARGEST, **kwargs)


def _slug_filter(label: str, field_name: str) -> django_filters.CharFilter:
    return django_filters.CharFilter(label=label, field_name=field_name, lookup_expr="iexact")


class MeetingFilter(calendar.MeetingFilter):
    """The calendar page's filters, plus `network`; `when` orders as the page does."""

    programme = _slug_filter(_("Programme (its slug)"), "programme__slug")
    network = IdFilter(label=_("National network (its id)"), field_name="network")
    country = _slug_filter(
        _("Country of the network (ISO code, e.g. PL)"), "network__country__code"
    )
    theme = IdFilter(label=_("Theme (its id)"), field_name="theme")
    target_group = _slug_filter(_("Target group (its slug)"), "theme__target_groups__slug")


class NetworkFilter(django_filters.FilterSet):
    programme = _slug_filter(_("Programme (its slug)"), "programme__slug")
    country = _slug_filter(_("Country (ISO code, e.g. PL)"), "country__code")

    class Meta:
        model = NationalNetwork
        fields = []


class ThemeFilter(django_filters.FilterSet):
    programme = _slug_filter(_("Programme (its slug)"), "programme__slug")

    class Meta:
        model = Theme
        fields = []


class CallFilter(django_filters.FilterSet):
    """The call list page's three groups: open now, opening later, closed."""

    WHEN_CHOICES = [("open", _("Open")), ("upcoming", _("Upcoming")), ("past", _("Past"))]

    programme = _slug_filter(_("Programme (its slug)"), "programme__slug")
    when = django_filters.ChoiceFilter(
        label=_("When"), choices=WHEN_CHOICES, method="filter_when", empty_label=None
    )

    class Meta:
        model = Call
        fields = []

    def filter_when(self, queryset, name, value):
        now = timezone.now()
        if value == "open":
            return queryset.filter(opens_at__lte=now, closes_at__gte=now)
        if value == "upcoming":
            return queryset.filter(opens_at__gt=now)
        return queryset.filter(closes_at__lt=now)


class DocumentFilter(forms.Form):
    """The documents list gathers four kinds of rows, so it is filtered by hand, not by a
    FilterSet; the same rule holds: an unknown programme or meeting is an empty list."""

    KINDS = [
        ("peer_learning_plan", _("A programme's peer-learning plan (PDF)")),
        ("meeting_programme", _("A meeting's printable programme (PDF)")),
        ("material", _("A meeting's material: slides, a report, a recording")),
        ("call_slides", _("The slides of a call's info webinar")),
    ]

    programme = forms.CharField(label=_("Programme (its slug)"), required=False)
    meeting = forms.IntegerField(
        label=_("Meeting (its id)"), required=False, min_value=1, max_value=LARGEST
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=KINDS, required=False)
