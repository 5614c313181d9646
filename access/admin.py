"""The admin, scoped by access.rules: every list, form, action, dropdown and autocomplete shows
only what the person coordinates, and anything else is a 404 (Django's admin answers a row its
queryset does not hold as not found)."""

from auditlog.admin import LogEntryAdmin as AuditlogEntryAdmin
from auditlog.filters import ResourceTypeFilter
from auditlog.mixins import AuditlogHistoryAdminMixin
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path, get_model_from_relation, unquote
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from exchanges.models import NationalNetwork
from multiply.admin import DependentPickersMixin

from . import rules
from .models import Role


def site_permission(request) -> bool:
    """Who may enter the admin at all: coordinators (by role) and superusers; `is_staff` alone
    opens nothing (fail closed)."""
    return request.user.is_active and rules.is_coordinator(request.user)


def choosable(user, model):
    """The rows of `model` a person may pick or filter by: those in their scope, or all of a
    model the rules do not govern (such as content types)."""
    queryset = model._default_manager.all()
    return rules.visible(user, queryset) if model in rules.RULES else queryset


class ScopedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """A list filter on a related field that offers only the rows the person may see."""

    def field_choices(self, field, request, model_admin):
        return field.get_choices(
            include_blank=False,
            limit_choices_to=self.choices_limit(field, request, model_admin),
            ordering=self.field_admin_ordering(field, request, model_admin),
        )

    def choices_limit(self, field, request, model_admin) -> Q:
        visible = choosable(request.user, get_model_from_relation(field))
        return Q(pk__in=visible.values("pk"))


class ScopedRelatedOnlyFieldListFilter(ScopedRelatedFieldListFilter):
    """Of those, only the ones the listed rows point to (Django's RelatedOnlyFieldListFilter)."""

    def choices_limit(self, field, request, model_admin) -> Q:
        used = model_admin.get_queryset(request).values(f"{self.field_path}__pk")
        return super().choices_limit(field, request, model_admin) & Q(pk__in=used)


SCOPED_FILTERS = {
    admin.RelatedFieldListFilter: ScopedRelatedFieldListFilter,
    admin.RelatedOnlyFieldListFilter: ScopedRelatedOnlyFieldListFilter,
}


def scoped_list_filter(model, item):
    """A list_filter entry with its related-field filter swapped for the scoped one, so that
    every admin keeps writing plain field names."""
    if isinstance(item, str):
        field = get_fields_from_path(model, item)[-1]
        return (item, ScopedRelatedFieldListFilter) if field.is_relation else item
    if isinstance(item, tuple) and item[1] in SCOPED_FILTERS:
        return (item[0], SCOPED_FILTERS[item[1]])
    return item


class ScopedMixin(DependentPickersMixin, AuditlogHistoryAdminMixin):
    """For a ModelAdmin or an inline: rows, permissions, pickers and list filters by the access
    rules; an object's history page is its audit log (access/audit.py)."""

    def get_queryset(self, request):
        return rules.visible(request.user, super().get_queryset(request))

    def get_object(self, request, object_id, from_field=None):
        # Out of scope is not there: a 404, which tells nothing about who else is there. Django
        # would ask for the permission first (a 403 for a model the person reads but does not
        # write) and then send a missing object to the index with a message.
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def history_view(self, request, object_id, extra_context=None):
        return self.auditlog_history_view(request, object_id, extra_context)

    def auditlog_history_view(self, request, object_id, extra_context=None):
        # auditlog's view asks for the model's view permission when the object is not there;
        # out of scope is not there (get_object answers 404).
        self.get_object(request, unquote(object_id))
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
        return choosable(request.user, db_field.remote_field.model)

    def get_list_filter(self, request):
        return [scoped_list_filter(self.model, item) for item in super().get_list_filter(request)]


class ScopedAdmin(ScopedMixin, admin.ModelAdmin):
    pass


@admin.register(Role)
class RoleAdmin(ScopedAdmin):
    list_display = ["user", "kind", "programme", "network", "created_at"]
    list_filter = ["kind", "programme"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user", "programme", "network"]
    dependent_pickers = {"network": {"programme": "programme"}}

    def get_autocomplete_fields(self, request):
        # The person is searched in the users' admin, which the rules give to superusers only;
        # a programme coordinator giving a role keeps the plain list of people.
        fields = super().get_autocomplete_fields(request)
        if rules.may(request.user, "view", get_user_model()):
            return fields
        return [name for name in fields if name != "user"]


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
