from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TabbedTranslationAdmin, TranslationStackedInline

from access.admin import ScopedMixin
from exchanges.models import Role
from multiply.admin_translations import TranslationGapsMixin
from multiply.admin_zones import OwnTimeZoneAdminMixin
from multiply.exports import csv_response

from . import selectors
from .forms import SlidesForm
from .models import Answer, Application, Call, Question
from .services import (
    ApplicationRefused,
    application_reject,
    application_select,
    application_shortlist,
)

HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


class QuestionInline(ScopedMixin, TranslationStackedInline):
    model = Question
    extra = 0
    fields = [
        ("order", "kind", "required"),
        "text",
        "help_text",
        "choices",
        ("max_file_size_mb", "allowed_extensions"),
    ]


@admin.register(Call)
class CallAdmin(TranslationGapsMixin, ScopedMixin, OwnTimeZoneAdminMixin, TabbedTranslationAdmin):
    form = SlidesForm
    formfield_overrides = HTTPS_URLS
    list_display = ["title", "programme", "local_opens", "local_closes", "application_count"]
    list_filter = ["programme"]
    search_fields = ["title", "programme__name"]
    autocomplete_fields = ["programme"]
    prepopulated_fields = {"slug": ["title_en"]}
    inlines = [QuestionInline]
    fieldsets = [
        (None, {"fields": ["programme", "title", "slug", "text", "is_published"]}),
        (
            _("When"),
            {
                "fields": ["timezone", "opens_at", "closes_at"],
                "description": _("Times are in the call's own time zone."),
            },
        ),
        (
            _("Who and how many"),
            {"fields": ["places_min", "places_max", "eligibility", "selection_criteria"]},
        ),
        (
            _("Info webinar"),
            {
                "fields": [
                    "webinar_title",
                    "webinar_start",
                    "webinar_end",
                    "slides_file",
                    "slides_url",
                    "slides_size",
                    "recording_url",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("programme")
            .annotate(applications_total=Count("applications"))
        )

    @admin.display(description=_("opens"), ordering="opens_at")
    def local_opens(self, obj):
        return f"{formats.date_format(obj.local_opens_at, 'DATETIME_FORMAT')} ({obj.timezone})"

    @admin.display(description=_("closes"), ordering="closes_at")
    def local_closes(self, obj):
        return f"{formats.date_format(obj.local_closes_at, 'DATETIME_FORMAT')} ({obj.timezone})"

    @admin.display(description=_("applications"), ordering="applications_total")
    def application_count(self, obj):
        url = reverse("admin:calls_application_changelist") + f"?call__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, obj.applications_total)


class AnswerInline(ScopedMixin, admin.TabularInline):
    model = Answer
    extra = 0
    fields = ["question", "answer"]
    readonly_fields = ["question", "answer"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("question", "application")

    @admin.display(description=_("answer"))
    def answer(self, obj):
        if obj.file:
            url = reverse("calls:answer_file", args=[obj.application_id, obj.pk])
            return format_html('<a href="{}">{}</a>', url, obj.filename)
        return obj.display


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role in the programme's network"), choices=Role.choices, initial=Role.ENGAGED
    )


def applications_csv(queryset) -> HttpResponse:
    """Applications with their answers, one column per question, for a spreadsheet."""
    rows = list(selectors.applications_export(queryset).order_by("call_id", "submitted_at"))
    questions = list(
        Question.objects.filter(call_id__in={row.call_id for row in rows})
        .select_related("call")
        .order_by("call_id", "order", "pk")
    )
    several = len({question.call_id for question in questions}) > 1
    header = [
        _("call"), _("municipality"), _("new to the portal"), _("country"), _("contact person"),
        _("e-mail"), _("phone"), _("position"), _("language"), _("eligibility confirmed"),
        _("status"), _("role"), _("submitted"), _("updated"), _("notes on the criteria"),
    ]  # fmt: skip
    header += [f"{q.call.title}: {q.text}" if several else q.text for q in questions]
    return csv_response("applications.csv", [header, *(_row(row, questions) for row in rows)])


def _row(row, questions) -> list:
    """One application's line: its fields, then its answers in the questions' order."""
    answers = {answer.question_id: answer for answer in row.answers.all()}
    return [
        row.call.title,
        row.municipality_name,
        _("yes") if not row.city_id else "",
        row.country.name,
        row.contact_name,
        row.contact_email,
        row.contact_phone,
        row.contact_position,
        row.language,
        row.eligibility_confirmed_at.isoformat() if row.eligibility_confirmed_at else "",
        row.get_status_display(),
        row.get_role_display(),
        row.submitted_at.isoformat(),
        row.updated_at.isoformat(),
        row.criteria_notes,
        *(answers[q.pk].display if q.pk in answers else "" for q in questions),
    ]


@admin.register(Application)
class ApplicationAdmin(ScopedMixin, admin.ModelAdmin):
    list_display = [
        "municipality_name",
        "call",
        "country",
        "contact_name",
        "status",
        "role",
        "submitted_at",
    ]
    list_filter = ["call", "status", "country"]
    search_fields = ["city__name", "new_city_name", "contact_name", "contact_email"]
    list_select_related = ["call", "city", "country"]
    inlines = [AnswerInline]
    actions = ["shortlist", "select_applications", "reject", "export_csv"]
    fields = [
        "call",
        "status",
        "role",
        "city",
        "new_city_name",
        "country",
        "contact_name",
        "contact_email",
        "contact_phone",
        "contact_position",
        "language",
        "eligibility_confirmed_at",
        "submitted_at",
        "updated_at",
        "decided_at",
        "membership",
        "criteria_notes",
    ]
    # Everything but the notes is the applicant's or the result of a decision action.
    readonly_fields = [name for name in fields if name != "criteria_notes"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("municipality"), ordering="city__name")
    def municipality_name(self, obj):
        return obj.municipality_name

    @admin.action(description=_("Put on the shortlist"), permissions=["change"])
    def shortlist(self, request, queryset):
        count = sum(application_shortlist(application_id=pk) for pk in _ids(queryset))
        self.message_user(
            request,
            ngettext(
                "%d application was put on the shortlist.",
                "%d applications were put on the shortlist.",
                count,
            )
            % count,
            messages.SUCCESS,
        )

    @admin.action(description=_("Select… (choose the role)"), permissions=["change"])
    def select_applications(self, request, queryset):
        form = RoleForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return TemplateResponse(
                request,
                "calls/admin/select_role.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Select applications"),
                    "opts": self.model._meta,
                    "form": form,
                    "applications": queryset.select_related("call", "city"),
                    "action": "select_applications",
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                },
            )
        selected, refused = 0, []
        for pk in _ids(queryset):
            try:
                selected += application_select(application_id=pk, role=form.cleaned_data["role"])
            except ApplicationRefused as refusal:
                refused.append(refusal.message)
        skipped = len(_ids(queryset)) - selected - len(refused)
        self._report(request, selected, skipped, refused, _selected_message)
        return None

    @admin.action(description=_("Reject (tell the applicants)"), permissions=["change"])
    def reject(self, request, queryset):
        ids = _ids(queryset)
        rejected = sum(application_reject(application_id=pk) for pk in ids)
        self._report(request, rejected, len(ids) - rejected, [], _rejected_message)

    @admin.action(description=_("Export to CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        return applications_csv(queryset)

    def _report(self, request, done, skipped, refused, done_message):
        self.message_user(request, done_message(done), messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%d application had already been decided and was left as it was.",
                    "%d applications had already been decided and were left as they were.",
                    skipped,
                )
                % skipped,
                messages.WARNING,
            )
        for message in refused:
            self.message_user(request, message, messages.ERROR)


def _ids(queryset) -> list[int]:
    return list(queryset.order_by("pk").values_list("pk", flat=True))


def _selected_message(count: int) -> str:
    return (
        ngettext(
            "%d application was selected; its city joined the network and is being told.",
            "%d applications were selected; their cities joined the network and are being told.",
            count,
        )
        % count
    )


def _rejected_message(count: int) -> str:
    return (
        ngettext(
            "%d application was rejected; the applicant is being told.",
            "%d applications were rejected; the applicants are being told.",
            count,
        )
        % count
    )
