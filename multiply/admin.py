"""The project's admin site: the index grouped by task, and pickers that depend on another field
of the same form (issue 11, section 6, "Admin that saves clicks")."""

from allauth.account.decorators import secure_admin_login
from django import forms
from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _

# The index's headings, each with its models in the order a coordinator works through them.
# A model that is in none of them is listed under "Other" (tests/test_admin_clicks.py keeps the
# project's own models out of it).
TASKS = [
    (
        "programme-setup",
        _("Programme set-up"),
        [
            "exchanges.programme",
            "exchanges.theme",
            "exchanges.topic",
            "privacy.privacynotice",
            "exchanges.nationalnetwork",
            "exchanges.membership",
            "cities.country",
            "cities.city",
            "cities.contact",
            "cities.targetgroup",
        ],
    ),
    (
        "meetings",
        _("Meetings"),
        [
            "exchanges.exchangemeeting",
            "exchanges.invitation",
            "exchanges.registration",
            "exchanges.meetingmaterial",
            "exchanges.question",
            "exchanges.meetingfeedback",
        ],
    ),
    (
        "communications",
        _("Communications"),
        ["notifications.messagetemplate", "campaigns.campaign", "notifications.message"],
    ),
    (
        "calls-and-visits",
        _("Calls and visits"),
        [
            "calls.call",
            "calls.application",
            "mentorships.mentorship",
            "mentorships.mentorshipcontact",
            "visits.reviewround",
            "visits.visit",
            "visits.backgroundmaterial",
            "visits.feedbackreport",
        ],
    ),
    (
        "consortium",
        _("Consortium"),
        [
            "meetings.partner",
            "meetings.consortiummeeting",
            "meetings.actionitem",
            "reports.document",
            "reports.funderreport",
        ],
    ),
    (
        "people-and-access",
        _("People and access"),
        [
            "accounts.user",
            "accounts.linkrequest",
            "access.role",
            "api.apitoken",
            "account.emailaddress",
            "socialaccount.socialaccount",
            "socialaccount.socialapp",
            "socialaccount.socialtoken",
            "auth.group",
            "sites.site",
            "auditlog.logentry",
            "privacy.removalrecord",
        ],
    ),
]

FORWARD_PREFIX = "forward_"


class MultiplyAdminSite(admin.AdminSite):
    site_header = _("Multiply")
    site_title = _("Multiply")
    index_title = _("Programme administration")

    def has_permission(self, request):
        # Who enters the admin is a question for the access rules (roles), not the is_staff
        # flag. Imported here: access.admin registers its admins on this site.
        from access.admin import site_permission

        return site_permission(request)

    def login(self, request, extra_context=None):
        # The admin's own login has no rate limit: send it through allauth's (docs/DESIGN.md,
        # "Pitfalls").
        return secure_admin_login(super().login)(request, extra_context)

    def get_app_list(self, request, app_label=None):
        # An app's own page (/admin/exchanges/) lists that app, as Django's does; the index and
        # the sidebar list the tasks.
        if app_label:
            return super().get_app_list(request, app_label)
        # Django's own list, models and permissions as it decides them, then regrouped.
        return task_groups(self._build_app_dict(request))

    def autocomplete_view(self, request):
        return ForwardedAutocompleteJsonView.as_view(admin_site=self)(request)

    def get_urls(self):
        # Django's "view on site" (/admin/r/<content type>/<id>/) redirects to any object's
        # page, an invitation's personal link among them: ask the object's admin first.
        return [
            path(
                "r/<int:content_type_id>/<path:object_id>/",
                self.admin_view(self.view_on_site),
                name="view_on_site",
            )
            if getattr(pattern, "name", None) == "view_on_site"
            else pattern
            for pattern in super().get_urls()
        ]

    def view_on_site(self, request, content_type_id, object_id):
        content_type = get_object_or_404(ContentType, pk=content_type_id)
        model_admin = self._registry.get(content_type.model_class())
        # The scoped admins answer 404 themselves for a row out of scope; the rest say None.
        if model_admin is None or model_admin.get_object(request, object_id) is None:
            raise Http404
        return contenttype_views.shortcut(request, content_type_id, object_id)


def task_groups(app_dict: dict) -> list[dict]:
    """The models of Django's app list, regrouped under the headings of TASKS."""
    entries = {
        entry["model"]._meta.label_lower: entry
        for app in app_dict.values()
        for entry in app["models"]
    }
    groups = []
    for slug, name, labels in TASKS:
        models = [entries.pop(label) for label in labels if label in entries]
        if models:
            groups.append(_group(slug, name, models))
    if entries:
        rest = sorted(entries.values(), key=lambda entry: entry["name"])
        groups.append(_group("other", _("Other"), rest))
    return groups


def _group(slug: str, name, models: list[dict]) -> dict:
    # No app_url: a heading is not an app and has no page of its own (admin/app_list.html).
    return {
        "name": name,
        "app_label": slug,
        "app_url": None,
        "has_module_perms": True,
        "models": models,
    }


# --- Pickers that depend on another field of the form --------------------------------------------


class DependentPickersMixin:
    """For a ModelAdmin or an inline: autocompletes narrowed by another field of the same form.

    `dependent_pickers` maps an autocomplete field to the form fields that narrow it, each with
    the lookup from the picked model to that field's value; a meeting's theme, narrowed by the
    meeting's programme, is {"theme": {"programme": "programme"}}. The widget sends those fields'
    current values with each search (static/js/admin-forward.js) and the autocomplete narrows
    its answer by them (ForwardedAutocompleteJsonView). A field of the same inline row is
    looked up first, then the main form's. Saving checks the rule behind each narrowing again
    (in the model's clean or the admin's form; a membership's city of another country is only
    warned about), so without the script the choices are merely not narrowed.
    """

    dependent_pickers: dict[str, dict[str, str]] = {}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        self._forwarding_widget(db_field, request, kwargs, ForwardingSelect)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        self._forwarding_widget(db_field, request, kwargs, ForwardingSelectMultiple)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _forwarding_widget(self, db_field, request, kwargs, widget) -> None:
        sources = self.dependent_pickers.get(db_field.name)
        if not sources or "widget" in kwargs:
            return
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = widget(
                db_field, self.admin_site, sources=sources, using=kwargs.get("using")
            )


class ForwardingMixin:
    """An autocomplete that names, in `data-forward`, the fields whose values it sends."""

    def __init__(self, field, admin_site, *, sources, **kwargs):
        super().__init__(field, admin_site, attrs={"data-forward": " ".join(sources)}, **kwargs)

    @property
    def media(self):
        # Named together, so that the media merge keeps the script after Django's, which
        # defines what it wraps.
        return super().media + forms.Media(js=["admin/js/autocomplete.js", "js/admin-forward.js"])


class ForwardingSelect(ForwardingMixin, AutocompleteSelect):
    pass


class ForwardingSelectMultiple(ForwardingMixin, AutocompleteSelectMultiple):
    pass


class ForwardedAutocompleteJsonView(AutocompleteJsonView):
    """Django's autocomplete (the picked model's admin decides what the person may see and
    search), narrowed by the values the form forwarded for the field it answers for."""

    def get_queryset(self):
        queryset = super().get_queryset()
        field = self.source_field
        for source, lookup in dependent_lookups(self.admin_site, field.model, field.name).items():
            value = self.request.GET.get(FORWARD_PREFIX + source, "")
            if not value:
                continue  # not chosen yet: nothing to narrow by
            if not value.isdecimal():
                return queryset.none()
            matching = queryset.model._default_manager.filter(**{lookup: value})
            queryset = queryset.filter(pk__in=matching.values("pk"))
        return queryset


def dependent_lookups(site, model, field_name: str) -> dict[str, str]:
    """How `model.field_name` is narrowed, as the admins and inlines that show it declare."""
    lookups = {}
    for model_admin in site._registry.values():
        for declarer in (model_admin, *model_admin.inlines):
            if declarer.model is model:
                lookups.update(getattr(declarer, "dependent_pickers", {}).get(field_name, {}))
    return lookups
