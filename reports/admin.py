from django.contrib import admin, messages
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from access.admin import ScopedMixin
from exchanges.models import Programme

from .models import Document, FunderReport
from .plan import programmes_with_plan
from .services import document_fields, document_request


@admin.register(Document)
class DocumentAdmin(ScopedMixin, admin.ModelAdmin):
    list_display = ["kind", "programme", "language", "status", "size", "rendered_at", "created_at"]
    list_filter = ["kind", "status", "language", "programme"]
    list_select_related = ["programme"]
    readonly_fields = [field.name for field in Document._meta.fields]
    date_hierarchy = "created_at"
    actions = ["render_again"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Render again"))
    def render_again(self, request, queryset):
        """Once per subject; never the plan of a programme left with nothing to show."""
        seen = set()
        with_plan = set(
            programmes_with_plan(Programme.objects.all())
            .filter(documents__in=queryset.filter(kind=Document.Kind.PLAN))
            .values_list("pk", flat=True)
        )
        for document in queryset.select_related("programme"):
            if document.kind == Document.Kind.PLAN and document.programme_id not in with_plan:
                continue
            subject = (
                document.kind,
                document.programme_id,
                document.consortium_meeting_id,
                document.meeting_id,
                document.registration_id,
                document.language,
            )
            if subject in seen:
                continue
            seen.add(subject)
            document_request(**document_fields(document))
        self.message_user(
            request,
            ngettext("%d document queued.", "%d documents queued.", len(seen)) % len(seen),
            messages.SUCCESS,
        )


@admin.register(FunderReport)
class FunderReportAdmin(ScopedMixin, admin.ModelAdmin):
    """Published versions of the funder's report, read-only: a version is published from the
    attendance report's page (reports.funder) and never changed afterwards."""

    list_display = ["programme", "period_start", "period_end", "version", "published_at"]
    list_filter = ["programme"]
    list_select_related = ["programme"]
    ordering = ["programme", "-period_end", "-period_start", "-version"]
    date_hierarchy = "published_at"
    # The frozen figures are read on the version's page ("view on site"), not as raw JSON.
    fields = readonly_fields = [
        "programme",
        "period_start",
        "period_end",
        "version",
        "published_at",
        "published_by",
        "note",
    ]

    def view_on_site(self, obj):
        return reverse("reports:funder_report", args=[obj.pk])

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    # A published version is what the funder was given: it stays, like the audit log. (A
    # programme with published versions is therefore not deleted from the admin either.)
    def has_delete_permission(self, request, obj=None):
        return False
