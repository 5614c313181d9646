"""Coordinators set up rounds (windows, themes) and their participants here; interview groups are
formed on the round's assignment page, where the service checks them; reports and feedback are
read-only here (the people they belong to write them on the site)."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from access.admin import ScopedMixin
from exchanges.models import Membership

from .models import (
    BackgroundMaterial,
    FeedbackReport,
    Finding,
    Interview,
    InterviewerSeat,
    ReviewRound,
    Visit,
)


class VisitForm(forms.ModelForm):
    """What the visit's pickers narrow to, checked on saving: the host is a city of the round's
    programme, and the person responsible one of the host's own staff (visits.services)."""

    def clean(self):
        data = super().clean()
        review_round, host = data.get("round"), data.get("host")
        responsible = data.get("responsible")
        if host and responsible and responsible.city_id != host.pk:
            self.add_error(
                "responsible", _("The person responsible must be one of the host's own staff.")
            )
        if host and review_round and review_round.programme_id:
            programme = review_round.programme
            if not Membership.objects.filter(network__programme=programme, city=host).exists():
                self.add_error(
                    "host",
                    _("%(city)s takes part in no network of %(programme)s.")
                    % {"city": host, "programme": programme},
                )
        return data


class VisitInline(ScopedMixin, admin.TabularInline):
    model = Visit
    form = VisitForm
    fields = ["host", "responsible", "date", "format"]
    autocomplete_fields = ["host", "responsible"]
    # The round's programme is chosen in the round's own form, above the rows.
    dependent_pickers = {
        "host": {"programme": "memberships__network__programme"},
        "responsible": {"host": "city"},
    }
    extra = 0


class RoundForm(forms.ModelForm):
    """A round goes through themes of its own programme."""

    def clean(self):
        data = super().clean()
        programme, themes = data.get("programme"), data.get("themes")
        if programme and themes:
            foreign = themes.exclude(programme=programme)
            if foreign:
                self.add_error(
                    "themes",
                    _("These themes belong to another programme: %(themes)s.")
                    % {"themes": ", ".join(str(theme) for theme in foreign)},
                )
        return data


@admin.register(ReviewRound)
class ReviewRoundAdmin(ScopedMixin, admin.ModelAdmin):
    form = RoundForm
    list_display = ["name", "programme", "organising_start", "comments_end", "assignment_link"]
    list_filter = ["programme"]
    list_select_related = ["programme"]
    search_fields = ["name"]
    autocomplete_fields = ["programme", "themes"]
    dependent_pickers = {"themes": {"programme": "programme"}}
    inlines = [VisitInline]
    fieldsets = [
        (None, {"fields": ["programme", "name", "themes", "timezone"]}),
        (
            _("Phases"),
            {
                "fields": [
                    ("organising_start", "organising_end"),
                    ("preparing_start", "preparing_end"),
                    ("visit_start", "visit_end"),
                    ("report_start", "report_end"),
                    ("final_event_start", "final_event_end"),
                    ("comments_start", "comments_end"),
                ]
            },
        ),
    ]

    @admin.display(description=_("interview groups"))
    def assignment_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("visits:assignment", args=[obj.pk]), _("form or change")
        )


class SeatInline(ScopedMixin, admin.TabularInline):
    model = InterviewerSeat
    fk_name = "visit"
    fields = ["reviewer"]
    readonly_fields = ["reviewer"]
    extra = 0
    can_delete = False
    verbose_name_plural = _("interview group (changed on the round's assignment page)")

    def has_add_permission(self, request, obj=None):
        return False


class InterviewInline(ScopedMixin, admin.TabularInline):
    model = Interview
    extra = 0


@admin.register(Visit)
class VisitAdmin(ScopedMixin, admin.ModelAdmin):
    form = VisitForm
    list_display = ["host", "round", "date", "format", "responsible"]
    list_filter = ["round", "format"]
    list_select_related = ["host", "round", "responsible__city"]
    search_fields = ["host__name", "round__name"]
    autocomplete_fields = ["round", "host", "responsible"]
    dependent_pickers = {
        "host": {"round": "memberships__network__programme__review_rounds"},
        "responsible": {"host": "city"},
    }
    inlines = [SeatInline, InterviewInline]


@admin.register(BackgroundMaterial)
class BackgroundMaterialAdmin(ScopedMixin, admin.ModelAdmin):
    list_display = ["title", "visit", "uploaded_at"]
    list_select_related = ["visit__host", "visit__round"]
    search_fields = ["title", "visit__host__name"]
    readonly_fields = ["visit", "file", "uploaded_by", "uploaded_at"]
    fields = ["visit", "title", "file", "uploaded_by", "uploaded_at"]

    def has_add_permission(self, request):
        return False  # uploaded by the host, through the checked form


class FindingInline(ScopedMixin, admin.StackedInline):
    model = Finding
    extra = 0
    can_delete = False
    readonly_fields = ["theme", "strengths", "development_areas"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(FeedbackReport)
class FeedbackReportAdmin(ScopedMixin, admin.ModelAdmin):
    list_display = ["visit", "status", "submitted_at", "host_agrees_to_be_named"]
    list_filter = ["status", "visit__round"]
    list_select_related = ["visit__host", "visit__round"]
    search_fields = ["visit__host__name"]
    readonly_fields = [
        "visit",
        "summary",
        "status",
        "submitted_at",
        "submitted_by",
        "host_comment",
        "host_commented_at",
        "host_agrees_to_be_named",
    ]
    inlines = [FindingInline]

    def has_add_permission(self, request):
        return False  # written by the interview group on the site
