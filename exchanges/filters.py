import datetime as dt

import django_filters
from django import forms
from django.db.models import Q
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from cities.models import Country, TargetGroup

from .models import (
    LONGEST_MEETING,
    ExchangeMeeting,
    MeetingFormat,
    MeetingKind,
    MeetingStatus,
    Programme,
    Theme,
)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class DateInput(forms.DateInput):
    input_type = "date"


class PlainSelect(forms.Select):
    """A <select> whose options are written in Python. Django renders a template per option;
    for the calendar's filters (every programme, country, theme and target group) that was
    most of a page's time once its queries were indexed (issue 18)."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs) | {"name": name}
        chosen = {str(item) for item in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option, " selected" if str(option) in chosen else "", label)
                for option, label in self.choices
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(attrs), options)


class ListedChoiceIterator(django_filters.fields.ModelChoiceIterator):
    """Reads its few choices with one plain query: Django's iterator streams them through a
    server-side cursor, three round trips each on PostgreSQL."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for instance in self.queryset:
            yield self.choice(instance)


class ListedModelChoiceField(django_filters.fields.ModelChoiceField):
    iterator = ListedChoiceIterator


class ListedModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = ListedModelChoiceField


class MeetingFilter(django_filters.FilterSet):
    """The public meeting calendar's filters; every field works as a plain GET form. The
    choices read the columns an option shows alone: their long texts in every language were
    most of the time the choices took."""

    WHEN_CHOICES = [("upcoming", _("Upcoming")), ("past", _("Past"))]

    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    programme = ListedModelChoiceFilter(
        label=_("Programme"),
        queryset=Programme.objects.filter(is_published=True).only("slug", "name"),
        to_field_name="slug",
        empty_label=_("All programmes"),
        widget=PlainSelect,
    )
    country = ListedModelChoiceFilter(
        label=_("Country"),
        field_name="network__country",
        queryset=Country.objects.filter(networks__isnull=False).distinct().only("code", "name"),
        to_field_name="code",
        empty_label=_("All countries"),
        widget=PlainSelect,
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=MeetingKind.choices, empty_label=_("All kinds"), widget=PlainSelect
    )
    theme = ListedModelChoiceFilter(
        label=_("Theme"),
        queryset=Theme.objects.filter(programme__is_published=True).only("name"),
        empty_label=_("All themes"),
        widget=PlainSelect,
    )
    target_group = ListedModelChoiceFilter(
        label=_("Target group"),
        field_name="theme__target_groups",
        queryset=TargetGroup.objects.only("slug", "name"),
        to_field_name="slug",
        empty_label=_("All target groups"),
        widget=PlainSelect,
    )
    format = django_filters.ChoiceFilter(
        label=_("Format"),
        choices=MeetingFormat.choices,
        empty_label=_("All formats"),
        widget=PlainSelect,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=MeetingStatus.choices,
        empty_label=_("All statuses"),
        widget=PlainSelect,
    )
    date_from = django_filters.DateFilter(label=_("From"), method="filter_from", widget=DateInput)
    date_to = django_filters.DateFilter(label=_("To"), method="filter_to", widget=DateInput)
    when = django_filters.ChoiceFilter(
        label=_("When"),
        choices=WHEN_CHOICES,
        method="filter_when",
        empty_label=_("Any time"),
        widget=PlainSelect,
    )

    class Meta:
        model = ExchangeMeeting
        fields = []

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            # The current language's column, and English for content not yet translated.
            Q(title__icontains=value)
            | Q(title_en__icontains=value)
            | Q(description__icontains=value)
            | Q(description_en__icontains=value)
            | Q(venue__icontains=value)
            | Q(host_city__name__icontains=value)
            | Q(theme__name__icontains=value)
        )

    # Dates as ranges of the start, which its index serves; `end__date__gte` was a function of
    # every row. A day is the portal's (the current time zone's), as it was.
    def filter_from(self, queryset, name, value):
        """Meetings still running on or after the day: ending after it began, so starting no
        earlier than the longest meeting before it."""
        if value <= dt.date.min + LONGEST_MEETING:  # year 1: no meeting ended before it
            return queryset
        moment = _day_start(value)
        return queryset.filter(end__gte=moment, start__gte=moment - LONGEST_MEETING)

    def filter_to(self, queryset, name, value):
        """Meetings starting on or before the day."""
        if value >= dt.date.max - dt.timedelta(days=1):  # year 9999: every meeting
            return queryset
        return queryset.filter(start__lt=_day_start(value + dt.timedelta(days=1)))

    def filter_when(self, queryset, name, value):
        now = timezone.now()
        if value == "upcoming":
            return queryset.filter(end__gte=now)
        if value == "past":
            return queryset.filter(end__lt=now)
        return queryset
