"""The admin, scoped by access.rules: every list, form, action, dropdown and autocomplete shows
only what the person coordinates, and anything else is a 404 (Django's admin answers a row its
queryset does not hold as not found)."""

from auditlog.admin import LogEntryAdmin as AuditlogEntryAdmin
from auditlog.filters import ResourceTypeFilter
from auditlog.mixins import AuditlogHistoryAdminMixin
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from exchanges.models import NationalNetwork

from . import rules
from .models import Role


def site_permission(request) -> bool:
    """Who may enter the admin at all: coordinators (by role) and superusers; `is_staff` alone
    opens nothing (fail closed)."""
    return request.user.is_active and rules.is_coordinator(request.user)


class ScopedMixin(AuditlogHistoryAdminMixin):
    """For a ModelAdmin or an inline: rows, permissions and pickers by the access rules; an
    object's history page is its audit log (access/audit.py)."""

    def get_queryset(self, request):
        return rules.visible(request.user, super().get_queryset(request))

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django sends a missing object's change, delete and history pages to the index with a
        # message; out of scope is missing, and a 404 tells nothing about who else is there.
        raise Http404

    def history_view(self, request, object_id, extra_context=None):
        return self.auditlog_history_view(request, object_id, extra_context)

    def auditlog_history_view(self, request, object_id, extra_context=None):
        # auditlog's view asks for the model's view permission when the object is not there;
        # out of scope is not there.
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404
        return super().auditlog_history_view(request, object_id, extra_context)

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


class NetworkFilter(admin.SimpleListFilter):
    """Log entries by the national network of their object (kept in the entry when written)."""

    title = _("national network")
    parameter_name = "network"

    def lookups(self, request, model_admin):
        networks = NationalNetwork.objects.select_related("programme", "country")
        return [(network.pk, str(network)) for network in rules.visible(request.user, networks)]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(additional_data__network=int(value))
        return queryset


admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class LogEntryAdmin(ScopedMixin, AuditlogEntryAdmin):
    """Who changed what and when: the entries of the objects in the person's scope."""

    list_filter = [NetworkFilter, "action", ResourceTypeFilter]

    # The log is a record: nobody adds, changes or deletes entries by hand.
    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
