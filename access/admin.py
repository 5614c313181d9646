"""The admin, scoped by access.rules: every list, form, action, dropdown and autocomplete shows
only what the person coordinates, and anything else is a 404 (Django's admin answers a row its
queryset does not hold as not found)."""

from django.contrib import admin
from django.http import Http404

from . import rules
from .models import Role


def site_permission(request) -> bool:
    """Who may enter the admin at all: coordinators (by role) and superusers; `is_staff` alone
    opens nothing (fail closed)."""
    return request.user.is_active and rules.is_coordinator(request.user)


class ScopedMixin:
    """For a ModelAdmin or an inline: rows, permissions and pickers by the access rules."""

    def get_queryset(self, request):
        return rules.visible(request.user, super().get_queryset(request))

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django sends a missing object's change, delete and history pages to the index with a
        # message; out of scope is missing, and a 404 tells nothing about who else is there.
        raise Http404

    def has_module_permission(self, request):
        return rules.may(request.user, "view", self.model)

    def has_view_permission(self, request, obj=None):
        return rules.may(request.user, "view", self.model, obj)

    def has_add_permission(self, request, *args):
        return rules.may(request.user, "add", self.model)

    def has_change_permission(self, request, obj=None):
        return rules.may(request.user, "change", self.model, obj)

    def has_delete_permission(self, request, obj=None):
        return rules.may(request.user, "delete", self.model, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("queryset", self._choices(db_field, request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("queryset", self._choices(db_field, request))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _choices(self, db_field, request):
        related = db_field.remote_field.model
        queryset = related._default_manager.all()
        return rules.visible(request.user, queryset) if related in rules.RULES else queryset


class ScopedAdmin(ScopedMixin, admin.ModelAdmin):
    pass


@admin.register(Role)
class RoleAdmin(ScopedAdmin):
    list_display = ["user", "kind", "programme", "network", "created_at"]
    list_filter = ["kind", "programme"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    autocomplete_fields = ["programme", "network"]
