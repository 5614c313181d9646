from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from access.admin import ScopedMixin

from .models import Message
from .outbox import messages_resend


@admin.register(Message)
class MessageAdmin(ScopedMixin, admin.ModelAdmin):
    list_display = [
        "subject",
        "recipient_email",
        "meeting",
        "kind",
        "language",
        "status",
        "attempts",
        "created_at",
        "sent_at",
    ]
    list_filter = ["status", "kind", "language", ("meeting", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["meeting"]
    search_fields = ["recipient_email", "recipient_name", "subject", "key"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in Message._meta.fields]
    actions = ["resend"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send again (failed or queued messages)"))
    def resend(self, request, queryset):
        count = messages_resend(message_ids=queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext("%d message queued again.", "%d messages queued again.", count) % count,
            messages.SUCCESS,
        )
