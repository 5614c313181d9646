from allauth.account.admin import EmailAddressAdmin as BaseEmailAddressAdmin
from allauth.account.models import EmailAddress
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from access.admin import ScopedMixin

from .models import LinkRequest, User
from .services import LinkRefused, link_request_decline, link_request_link


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


@admin.register(LinkRequest)
class LinkRequestAdmin(ScopedMixin, admin.ModelAdmin):
    """People who speak for no city yet (issue 15, item 5): choose the city, then "Link"."""

    list_display = ["user", "municipality", "country", "position", "status", "created_at"]
    list_filter = ["status", ("country", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["user", "city", "country"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "city_name"]
    autocomplete_fields = ["city"]
    fields = ["user", "country", "city", "city_name", "position", "note", "status", "decided_by"]
    readonly_fields = ["user", "country", "city_name", "position", "note", "status", "decided_by"]
    actions = ["link", "decline"]

    def has_add_permission(self, request):
        return False  # the person asks, from their profile

    @admin.display(description=_("municipality"), ordering="city__name")
    def municipality(self, obj):
        return obj.city.name if obj.city_id else obj.city_name

    def _decide(self, request, queryset, decide, done: str):
        count = 0
        for link_request in queryset:
            try:
                decide(request_id=link_request.pk, by=request.user)
            except LinkRefused as refusal:
                self.message_user(request, f"{link_request}: {refusal.message}", messages.ERROR)
            else:
                count += 1
        if count:
            self.message_user(request, done(count) % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Link to the chosen city"))
    def link(self, request, queryset):
        self._decide(
            request,
            queryset,
            link_request_link,
            lambda n: ngettext("%(count)d account linked.", "%(count)d accounts linked.", n),
        )

    @admin.action(description=_("Decline"))
    def decline(self, request, queryset):
        self._decide(
            request,
            queryset,
            link_request_decline,
            lambda n: ngettext("%(count)d request declined.", "%(count)d requests declined.", n),
        )
