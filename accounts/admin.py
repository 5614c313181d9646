from allauth.account.admin import EmailAddressAdmin as BaseEmailAddressAdmin
from allauth.account.models import EmailAddress
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from access.admin import ScopedMixin

from .models import User


@admin.register(User)
class UserAdmin(ScopedMixin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "last_login"]
    search_fields = ["email", "first_name", "last_name"]
    list_filter = ["is_staff", "is_superuser", "is_active"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name"]}),
        (
            _("Permissions"),
            # Who may do what is a role (access.Role), not Django's groups and permissions.
            {"fields": ["is_active", "is_staff", "is_superuser"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]


admin.site.unregister(EmailAddress)
# Roles are rows (access.Role); Django's groups would be a second, unused way to grant access.
admin.site.unregister(Group)


@admin.register(EmailAddress)
class EmailAddressAdmin(ScopedMixin, BaseEmailAddressAdmin):
    """allauth's, with the person picked by name or address rather than by id; a person's
    addresses are their account's, so only superusers see them (no access rule)."""

    raw_id_fields = ()
    autocomplete_fields = ["user"]
