from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Message
from .tasks import send_message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = [
        "subject",
        "recipient_email",
        "kind",
        "language",
        "status",
        "attempts",
        "created_at",
        "sent_at",
    ]
    list_filter = ["status", "kind", "language"]
    search_fields = ["recipient_email", "recipient_name", "subject", "key"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in Message._meta.fields]
    actions = ["resend"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send again (failed or queued messages)"))
    def resend(self, request, queryset):
        pending = list(queryset.exclude(status=Message.Status.SENT).values_list("pk", flat=True))
        queryset.filter(pk__in=pending).update(status=Message.Status.QUEUED)
        for pk in pending:
            send_message.delay(message_id=pk)
        self.message_user(
            request,
            ngettext("%d message queued again.", "%d messages queued again.", len(pending))
            % len(pending),
            messages.SUCCESS,
        )
