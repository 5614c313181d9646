from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from access.admin import ScopedMixin
from exchanges.models import Programme

from .models import Document
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
