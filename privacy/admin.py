"""The privacy notices in the admin (issue 15, item 1): a programme's coordinators write its
notice in every language (one tab each) as a draft, publish it, and start a new version from
any; a published version is read-only for everyone, since consents name it. The portal's own
notice (no programme) is the superuser's; national coordinators read their programme's.

What was removed (RemovalRecord) is a record: read by the superuser, written by the services
only."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db.models import OuterRef, Subquery
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from access import rules
from access.admin import ScopedMixin

from .models import PrivacyNotice, RemovalRecord
from .notices import NoticeRefused, notice_draft_create, notice_draft_insert, notice_publish


def _newest_published(**owner) -> Subquery:
    published = PrivacyNotice.objects.filter(published_at__isnull=False, **owner)
    return Subquery(published.order_by("-version").values("version")[:1])


@admin.register(PrivacyNotice)
class PrivacyNoticeAdmin(ScopedMixin, TabbedTranslationAdmin):
    change_form_template = "admin/privacy/privacynotice/change_form.html"
    list_display = ["owner", "version", "title", "state", "current"]
    list_display_links = ["owner", "version", "title"]
    list_filter = ["programme"]
    actions = ["publish", "new_version"]
    autocomplete_fields = ["programme"]
    # What a notice is for and its number are fixed once it exists: a new version is a new row.
    fields = ["programme", "title", "body"]
    FIXED = ["owner", "version", "state", "created_by", "created_at"]

    def get_fields(self, request, obj=None):
        return self.fields if obj is None else [*self.FIXED, "title", "body"]

    def get_readonly_fields(self, request, obj=None):
        return self.FIXED if obj is not None else []

    def get_queryset(self, request):
        # Whether each row is its owner's current notice, for the list, in the same query.
        return (
            super()
            .get_queryset(request)
            .select_related("programme", "created_by")
            .annotate(
                newest_own=_newest_published(programme=OuterRef("programme")),
                newest_portal=_newest_published(programme__isnull=True),
            )
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "programme":
            # Written by those who run the programme; the portal's own (empty) by superusers.
            kwargs["queryset"] = rules.programmes_run(request.user).order_by("name")
            kwargs["required"] = not rules.scope(request.user).everything
            kwargs["empty_label"] = _("— the portal's own notice —")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # --- Published is read-only ----------------------------------------------------------------

    def _writes(self, request, obj) -> bool:
        """Whether the person writes this notice's programme (the rules, whatever its state)."""
        return rules.may(request.user, "change", PrivacyNotice, obj)

    def has_change_permission(self, request, obj=None):
        published = obj is not None and obj.is_published
        return not published and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        published = obj is not None and obj.is_published
        return not published and super().has_delete_permission(request, obj)

    def get_actions(self, request):
        # Deleting a selection would not ask about each row: a published version stays.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            notice_draft_insert(draft=obj, by=request.user)

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_published else None

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        context = {
            "may_publish": self.has_change_permission(request, obj),
            "may_start_version": self.has_add_permission(request) and self._writes(request, obj),
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, context)

    # --- The list ----------------------------------------------------------------------------

    @admin.display(description=_("programme"), ordering="programme__name")
    def owner(self, obj):
        return obj.programme or _("Portal (sign-up and accounts)")

    @admin.display(description=_("state"), ordering="published_at")
    def state(self, obj):
        if obj.is_published:
            day = timezone.localtime(obj.published_at).date()
            return _("published %(date)s") % {"date": formats.date_format(day, "SHORT_DATE_FORMAT")}
        return _("draft")

    @admin.display(description=_("current"), boolean=True)
    def current(self, obj):
        newest = obj.newest_own if obj.programme_id else obj.newest_portal
        return obj.is_published and obj.version == newest

    # --- Publish, and start a new version ----------------------------------------------------

    @admin.action(description=_("Publish (as saved)"), permissions=["change"])
    def publish(self, request, queryset):
        for notice in queryset.order_by("pk"):
            if not self._writes(request, notice):
                message = _("%(notice)s is not yours to publish.") % {"notice": notice}
                self.message_user(request, message, messages.ERROR)
                continue
            try:
                notice_publish(notice=notice, by=request.user)
            except NoticeRefused as refusal:
                self.message_user(request, refusal.message, messages.ERROR)
                continue
            message = _("%(notice)s is published: every consent from now on records it.")
            self.message_user(request, message % {"notice": notice}, messages.SUCCESS)

    @admin.action(description=_("Start a new version (a draft copy)"), permissions=["add"])
    def new_version(self, request, queryset):
        chosen = list(queryset[:2])
        if len(chosen) != 1 or not self._writes(request, chosen[0]):
            message = _("Choose one notice of a programme you run to start a new version from.")
            self.message_user(request, message, messages.ERROR)
            return None
        source = chosen[0]
        draft = notice_draft_create(programme=source.programme, by=request.user, source=source)
        message = _("%(notice)s is a draft copied from version %(version)s: edit it, then publish.")
        self.message_user(
            request, message % {"notice": draft, "version": source.version}, messages.SUCCESS
        )
        return redirect(reverse("admin:privacy_privacynotice_change", args=[draft.pk]))


@admin.register(RemovalRecord)
class RemovalRecordAdmin(ScopedMixin, admin.ModelAdmin):
    """The record of what was erased, when, why and by whom, with counts only. Without an access
    rule it is the superuser's; nobody adds, changes or deletes it by hand."""

    list_display = ["reason", "at", "by", "removed"]
    list_filter = ["reason"]
    list_select_related = ["by"]
    date_hierarchy = "at"
    readonly_fields = ["reason", "at", "by", "removed"]
    fields = readonly_fields

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
