import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cities.models import Country, TargetGroup

from .models import ExchangeMeeting, MeetingFormat, MeetingKind, MeetingStatus, Programme, Theme


class DateInput(forms.DateInput):
    input_type = "date"


class MeetingFilter(django_filters.FilterSet):
    """The public meeting calendar's filters; every field works as a plain GET form."""

    WHEN_CHOICES = [("upcoming", _("Upcoming")), ("past", _("Past"))]

    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme"),
        queryset=Programme.objects.filter(is_published=True),
        to_field_name="slug",
        empty_label=_("All programmes"),
    )
    country = django_filters.ModelChoiceFilter(
        label=_("Country"),
        field_name="network__country",
        queryset=Country.objects.filter(networks__isnull=False).distinct(),
        to_field_name="code",
        empty_label=_("All countries"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=MeetingKind.choices, empty_label=_("All kinds")
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"),
        queryset=Theme.objects.filter(programme__is_published=True).select_related("programme"),
        empty_label=_("All themes"),
    )
    target_group = django_filters.ModelChoiceFilter(
        label=_("Target group"),
        field_name="theme__target_groups",
        queryset=TargetGroup.objects.all(),
        to_field_name="slug",
        empty_label=_("All target groups"),
    )
    format = django_filters.ChoiceFilter(
        label=_("Format"), choices=MeetingFormat.choices, empty_label=_("All formats")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=MeetingStatus.choices, empty_label=_("All statuses")
    )
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="end", lookup_expr="date__gte", widget=DateInput
    )
    date_to = django_filters.DateFilter(
        label=_("To"), field_name="start", lookup_expr="date__lte", widget=DateInput
    )
    when = django_filters.ChoiceFilter(
        label=_("When"), choices=WHEN_CHOICES, method="filter_when", empty_label=_("Any time")
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

    def filter_when(self, queryset, name, value):
        now = timezone.now()
        if value == "upcoming":
            return queryset.filter(end__gte=now)
        if value == "past":
            return queryset.filter(end__lt=now)
        return queryset

    def filter_queryset(self, queryset):
        # A target group joins through a many-to-many: one meeting must still appear once.
        queryset = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("target_group"):
            queryset = queryset.distinct()
        return queryset
