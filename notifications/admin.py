from urllib.parse import urlencode

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from access import rules
from access.admin import ScopedMixin
from exchanges.models import Programme

from .editor import Preview, template_preview, templates_overview
from .forms import MessageTemplateForm
from .kinds import KINDS, default_source
from .models import Message, MessageTemplate
from .outbox import messages_resend


@admin.register(Message)
class MessageAdmin(ScopedMixin, admin.ModelAdmin):
    list_display = [
        "subject",
        "recipient_email",
        "meeting",
        "campaign",
        "kind",
        "language",
        "status",
        "attempts",
        "created_at",
        "sent_at",
    ]
    list_filter = [
        "status",
        "kind",
        "language",
        ("programme", admin.RelatedOnlyFieldListFilter),
        ("meeting", admin.RelatedOnlyFieldListFilter),
        ("campaign", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["meeting", "campaign"]
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


@admin.register(MessageTemplate)
class MessageTemplateAdmin(ScopedMixin, admin.ModelAdmin):
    """A programme's own texts of its messages (issue 14, item 5): the list is an overview of
    every kind and language, each cell the default or the programme's own text; a text that
    would not render is refused on save; Preview renders it for a real recipient unsaved; the
    reset to the default deletes the programme's own text."""

    form = MessageTemplateForm
    change_list_template = "admin/notifications/messagetemplate/overview.html"
    change_form_template = "admin/notifications/messagetemplate/change_form.html"
    delete_confirmation_template = "admin/notifications/messagetemplate/delete_confirmation.html"
    actions = None
    autocomplete_fields = ["programme"]
    # What a template is for is fixed once it exists: another kind or language is another row.
    FIXED = ["programme_or_portal", "kind_label", "language"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["programme", "kind", "language", "subject", "body"]
        return [*self.FIXED, "subject", "body"]

    def get_readonly_fields(self, request, obj=None):
        return self.FIXED if obj is not None else []

    @admin.display(description=_("programme"))
    def programme_or_portal(self, obj):
        return obj.programme or _("portal-wide (account messages)")

    @admin.display(description=_("message"))
    def kind_label(self, obj):
        kind = KINDS.get(obj.kind)
        return kind.label if kind is not None else obj.kind

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "programme":
            # Written by those who run the programme; its national coordinators only read.
            kwargs["queryset"] = rules.programmes_run(request.user).order_by("name")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # A subclass per request: the admin shares its form class between requests.
        return type(form.__name__, (form,), {"user": request.user})

    def get_changeform_initial_data(self, request):
        """Opened from a cell of the overview: the default text to start from."""
        initial = super().get_changeform_initial_data(request)
        kind = KINDS.get(initial.get("kind", ""))
        language = initial.get("language", "")
        if kind is not None and language in dict(settings.LANGUAGES):
            initial["subject"], initial["body"] = default_source(kind, language)
        return initial

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    # --- The overview ------------------------------------------------------------------------

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        programmes = list(rules.visible(request.user, Programme.objects.order_by("name")))
        portal_wide = rules.scope(request.user).everything  # portal-wide texts: unscoped only
        programme = _chosen_programme(request.GET.get("programme", ""), programmes, portal_wide)
        names = dict(settings.LANGUAGES)
        languages = (
            [(code, names[code]) for code in programme.language_codes]
            if programme
            else settings.LANGUAGES
        )
        overrides = self.get_queryset(request).filter(
            **({"programme": programme} if programme else {"programme__isnull": True})
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Message templates"),
            "opts": self.opts,
            "programmes": programmes,
            "programme": programme,
            "offers_portal_wide": portal_wide,
            "groups": templates_overview(
                overrides=overrides, portal_wide=programme is None, languages=languages
            )
            if programme or portal_wide
            else [],
            "languages": languages,
            "may_add": self.has_add_permission(request),
            "filter_value": programme.pk if programme else PORTAL_WIDE,
            **(extra_context or {}),
        }
        return TemplateResponse(request, self.change_list_template, context)

    # --- The form, its placeholders and its preview ------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and "_preview" in request.POST:
            return self.preview_view(request, object_id, form_url, extra_context)
        return super().changeform_view(request, object_id, form_url, extra_context)

    # The preview's iframe (srcdoc) takes this page's Content-Security-Policy, and an e-mail's
    # HTML is styled by style attributes, since mail programs drop stylesheets: this page alone
    # allows them, or the preview would show the e-mail unstyled. Scripts stay refused, and the
    # iframe's sandbox runs none either.
    @method_decorator(csp_update({"style-src-attr": [UNSAFE_INLINE]}))
    def preview_view(self, request, object_id, form_url, extra_context):
        """The form checked as Save would check it and, if the text renders, shown for a real
        recipient below it; nothing is saved."""
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        if not (
            self.has_change_permission(request, obj) if obj else self.has_add_permission(request)
        ):
            raise PermissionDenied
        fieldsets = self.get_fieldsets(request, obj)
        form_class = self.get_form(
            request, obj, change=obj is not None, fields=flatten_fieldsets(fieldsets)
        )
        form = form_class(request.POST, instance=obj)
        preview = self._preview(form.instance) if form.is_valid() else None
        if preview is not None:
            self.message_user(request, _("This is a preview: nothing is saved yet."), messages.INFO)
        admin_form = helpers.AdminForm(
            form, list(fieldsets), {}, self.get_readonly_fields(request, obj), model_admin=self
        )
        context = {
            **self.admin_site.each_context(request),
            "title": (_("Change %s") if obj else _("Add %s")) % self.opts.verbose_name,
            "subtitle": _described(obj) if obj else None,
            "adminform": admin_form,
            "object_id": object_id,
            "original": obj,
            "is_popup": False,
            "to_field": None,
            "media": self.media + admin_form.media,
            "inline_admin_formsets": [],
            "errors": helpers.AdminErrorList(form, []),
            "preserved_filters": self.get_preserved_filters(request),
            "preview": preview,
            **(extra_context or {}),
        }
        return self.render_change_form(
            request, context, add=obj is None, change=obj is not None, obj=obj, form_url=form_url
        )

    def _preview(self, template: MessageTemplate) -> Preview | None:
        kind = KINDS.get(template.kind)
        if kind is None:
            return None  # no longer sent: nobody to show it for
        return template_preview(
            kind=kind,
            programme=template.programme,
            language=template.language,
            subject=template.subject,
            body=template.body,
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        code = obj.kind if obj is not None else form["kind"].value()
        kind = KINDS.get(code or "")
        context["kind"] = kind
        context["placeholders"] = list(kind.placeholders.items()) if kind else []
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- Back to the overview, and the reset to the default ----------------------------------

    def response_add(self, request, obj, post_url_continue=None):
        return self._saved(request, obj)

    def response_change(self, request, obj):
        return self._saved(request, obj)

    def _saved(self, request, obj):
        message = _("%(template)s is saved: the messages sent from now on use this text.")
        self.message_user(request, message % {"template": _described(obj)}, messages.SUCCESS)
        return redirect(_overview_url(obj.programme_id))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return super().change_view(
            request, object_id, form_url, self._named(request, object_id, extra_context)
        )

    def delete_view(self, request, object_id, extra_context=None):
        context = {"title": _("Reset to the default"), **(extra_context or {})}
        return super().delete_view(request, object_id, self._named(request, object_id, context))

    def _named(self, request, object_id, extra_context) -> dict:
        """The page names the template by its message, language and programme, not its code."""
        obj = self.get_object(request, unquote(object_id))
        return {"subtitle": _described(obj), **(extra_context or {})}

    def response_delete(self, request, obj_display, obj_id):
        self.message_user(request, _("The default text is used again."), messages.SUCCESS)
        return redirect(_overview_url(request.POST.get("programme", "")))


PORTAL_WIDE = "portal"


def _chosen_programme(value: str, programmes: list, portal_wide: bool):
    """The programme the overview shows (None: the portal-wide account messages); the first
    one when none is asked for; one out of the person's scope is not there (404)."""
    if value == PORTAL_WIDE and portal_wide:
        return None
    if not value:
        return programmes[0] if programmes else None
    for programme in programmes:
        if str(programme.pk) == value:
            return programme
    raise Http404


def _described(template: MessageTemplate) -> str:
    kind = KINDS.get(template.kind)
    label = kind.label if kind is not None else template.kind
    programme = template.programme or _("portal-wide")
    return f"{label}, {template.get_language_display()}, {programme}"


def _overview_url(programme_id) -> str:
    address = reverse("admin:notifications_messagetemplate_changelist")
    return f"{address}?{urlencode({'programme': programme_id or PORTAL_WIDE})}"
