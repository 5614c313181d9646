"""API tokens in the admin: the superuser's, to read (never a secret: the portal has none to
show) and to revoke, say when a laptop is lost and its owner cannot sign in."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from access.admin import ScopedAdmin

from .coordinator.tokens import token_revoke
from .models import ApiToken

SHOWN = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at", "expires_at"]


@admin.register(ApiToken)
class ApiTokenAdmin(ScopedAdmin):
    """The model has no access rule, so the access module gives it to superusers alone
    (docs/DESIGN.md, "Access"); and nobody adds or edits a token here."""

    list_display = SHOWN
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["user"]
    search_fields = ["user__email", "name", "prefix"]
    fields = SHOWN
    readonly_fields = SHOWN
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # a token is made by its owner, who alone ever sees its secret

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, not deleted: the audit trail names tokens by their prefix

    @admin.action(description=_("Revoke the chosen tokens"))
    def revoke(self, request, queryset):
        tokens = list(queryset.filter(revoked_at__isnull=True))
        for token in tokens:
            token_revoke(token=token, by=request.user)
        self.message_user(
            request,
            ngettext("%d token revoked.", "%d tokens revoked.", len(tokens)) % len(tokens),
            messages.SUCCESS,
        )
