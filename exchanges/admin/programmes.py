"""The admin of a programme's set-up: programmes, national networks and their members (with
the rule-1 check and the host rotation), themes and topics."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline
from modeltranslation.utils import get_translation_fields

from access.admin import ScopedMixin
from multiply.admin_translations import TranslationGapsMixin

from ..models import (
    MeetingKind,
    MeetingStatus,
    Membership,
    NationalNetwork,
    Programme,
    Role,
    Theme,
    Topic,
    portal_languages,
)
from ..services import membership_country_warning, network_plan_check
from .common import HTTPS_URLS
from .rotation import RotationAdminMixin


class NetworkInline(ScopedMixin, TranslationTabularInline):
    model = NationalNetwork
    fields = ["country", "name"]
    autocomplete_fields = ["country"]
    extra = 0
    show_change_link = True


class ThemeInline(ScopedMixin, TranslationTabularInline):
    model = Theme
    fields = ["name", "order", "open_to_all"]
    extra = 0
    show_change_link = True


class ProgrammeForm(forms.ModelForm):
    """The programme's languages as boxes to tick, and which of them comes first: the one its
    e-mails and pages use for a person whose own language the programme does not speak."""

    main_language = forms.ChoiceField(
        label=_("main language"),
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
        help_text=_("Used for a person whose own language the programme does not speak."),
    )
    languages = forms.MultipleChoiceField(
        label=_("languages"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        initial=portal_languages,
        help_text=_(
            "The languages of the programme's pages, e-mails and documents; its language "
            "switcher offers only these."
        ),
    )

    class Meta:
        model = Programme
        fields = ["languages"]  # the admin adds the others from its fieldsets

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.languages:
            self.initial["main_language"] = self.instance.languages[0]

    def clean(self):
        cleaned = super().clean()
        main, chosen = cleaned.get("main_language"), cleaned.get("languages")
        if main and chosen is not None:
            if main not in chosen:
                self.add_error(
                    "main_language", _("The main language must be one of the languages ticked.")
                )
            else:
                order = [code for code, _name in settings.LANGUAGES]
                cleaned["languages"] = [main, *(c for c in order if c in chosen and c != main)]
        return cleaned


@admin.register(Programme)
class ProgrammeAdmin(TranslationGapsMixin, ScopedMixin, TabbedTranslationAdmin):
    form = ProgrammeForm
    formfield_overrides = HTTPS_URLS
    list_display = [
        "name",
        "start_date",
        "end_date",
        "network_count",
        "meeting_count",
        "language_list",
        "is_published",
    ]
    list_filter = ["is_published"]
    search_fields = ["slug", *get_translation_fields("name")]
    prepopulated_fields = {"slug": ["name"]}
    date_hierarchy = "start_date"
    inlines = [NetworkInline, ThemeInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "tagline", "start_date", "end_date", "is_published"]}),
        (_("About"), {"fields": ["description", "peer_learning", "funding", "website"]}),
        (_("Languages"), {"fields": ["main_language", "languages"]}),
        (
            _("The programme's words for the roles"),
            {
                "fields": ["pioneer_label", "engaged_label", "special_award_label", "mentor_label"],
                "description": _("Leave empty to use the portal's words (pioneer city, ...)."),
            },
        ),
        (
            _("Certificates of attendance"),
            {
                "fields": ["logo", "funding_statement", "signatory_name", "signatory_title"],
                "description": _(
                    "Printed on every certificate, with the coordinating partner as issuer."
                ),
            },
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                network_count=Count("networks", distinct=True),
                meeting_count=Count("meetings", distinct=True),
            )
        )

    @admin.display(description=_("networks"), ordering="network_count")
    def network_count(self, obj):
        return obj.network_count

    @admin.display(description=_("meetings"), ordering="meeting_count")
    def meeting_count(self, obj):
        return obj.meeting_count

    @admin.display(description=_("languages"))
    def language_list(self, obj):
        return ", ".join(code.upper() for code in obj.language_codes)


class MembershipInline(ScopedMixin, admin.TabularInline):
    model = Membership
    fields = ["city", "role", "joined_on", "note"]
    autocomplete_fields = ["city"]
    # The cities of the network's country (a neighbouring city is only warned about, below).
    dependent_pickers = {"city": {"country": "country"}}
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("city")


def _saved_memberships(formset) -> list[Membership]:
    """The memberships a save added or moved to another city (not every row of the network)."""
    if formset.model is not Membership:
        return []
    changed = [obj for obj, fields in formset.changed_objects if "city" in fields]
    return [*formset.new_objects, *changed]


def _warn_country(model_admin, request, memberships) -> None:
    for membership in memberships:
        warning = membership_country_warning(membership=membership)
        if warning:
            model_admin.message_user(request, warning, messages.WARNING)


def _role_count(role: str):
    return Count("memberships", filter=Q(memberships__role=role), distinct=True)


@admin.register(NationalNetwork)
class NationalNetworkAdmin(
    TranslationGapsMixin, RotationAdminMixin, ScopedMixin, TabbedTranslationAdmin
):
    list_display = [
        "__str__",
        "programme",
        "country",
        "pioneer_count",
        "engaged_count",
        "special_award_count",
        "exchange_count",
    ]
    list_filter = ["programme", "country"]
    list_select_related = ["programme", "country"]
    search_fields = [
        *get_translation_fields("name"),
        *[f"country__{field}" for field in get_translation_fields("name")],
        *[f"programme__{field}" for field in get_translation_fields("name")],
    ]
    autocomplete_fields = ["programme", "country"]
    readonly_fields = ["plan_check"]
    inlines = [MembershipInline]
    actions = ["check_plans"]
    fieldsets = [
        (None, {"fields": ["programme", "country", "name", "description"]}),
        (
            _("National exchanges (DESIGN.md rule 1)"),
            {
                "fields": ["plan_check"],
                "description": _(
                    "Six national exchanges: each pioneer city hosts two, one engaged city "
                    "hosts one, and the special-award city, where there is one, hosts one."
                ),
            },
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                pioneer_total=_role_count(Role.PIONEER),
                engaged_total=_role_count(Role.ENGAGED),
                special_award_total=_role_count(Role.SPECIAL_AWARD),
                exchange_total=Count(
                    "meetings",
                    filter=Q(meetings__kind=MeetingKind.NATIONAL_EXCHANGE)
                    & ~Q(meetings__status=MeetingStatus.CANCELLED),
                    distinct=True,
                ),
            )
        )

    @admin.display(description=_("pioneer cities"), ordering="pioneer_total")
    def pioneer_count(self, obj):
        return obj.pioneer_total

    @admin.display(description=_("engaged cities"), ordering="engaged_total")
    def engaged_count(self, obj):
        return obj.engaged_total

    @admin.display(description=_("special-award city"), ordering="special_award_total")
    def special_award_count(self, obj):
        return obj.special_award_total

    @admin.display(description=_("national exchanges"), ordering="exchange_total")
    def exchange_count(self, obj):
        return obj.exchange_total

    @admin.display(description=_("check against the rule"))
    def plan_check(self, obj):
        if obj is None or obj.pk is None:
            return _("Save the network and its cities first.")
        deviations = network_plan_check(network=obj)
        if not deviations:
            return _("The plan follows the rule.")
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((d,) for d in deviations))
        )

    @admin.action(description=_("Check plans against rule 1"))
    def check_plans(self, request, queryset):
        for network in queryset.select_related("programme", "country"):
            deviations = network_plan_check(network=network)
            if deviations:
                self.message_user(request, f"{network}: {' '.join(deviations)}", messages.WARNING)
            else:
                self.message_user(
                    request,
                    _("%(network)s: the plan follows the rule.") % {"network": network},
                    messages.SUCCESS,
                )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        network = form.instance
        if "country" in form.changed_data:
            memberships = list(network.memberships.select_related("city__country"))
        else:
            memberships = [m for formset in formsets for m in _saved_memberships(formset)]
        _warn_country(self, request, memberships)


@admin.register(Membership)
class MembershipAdmin(ScopedMixin, admin.ModelAdmin):
    list_display = ["city", "role_word", "network", "country", "programme", "joined_on"]
    list_filter = ["network__programme", "network__country", "role"]
    list_select_related = ["city", "network__programme", "network__country"]
    search_fields = ["city__name", "note"]
    autocomplete_fields = ["network", "city"]
    dependent_pickers = {"city": {"network": "country__networks"}}
    ordering = ["network__programme", "network__country__name", "role", "city__name"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _warn_country(self, request, [obj])

    @admin.display(description=_("role"), ordering="role")
    def role_word(self, obj):
        return obj.network.programme.role_label(obj.role)

    @admin.display(description=_("country"), ordering="network__country__name")
    def country(self, obj):
        return obj.network.country

    @admin.display(description=_("programme"), ordering="network__programme__name")
    def programme(self, obj):
        return obj.network.programme


class TopicInline(ScopedMixin, TranslationTabularInline):
    model = Topic
    fields = ["name", "order"]
    extra = 0


@admin.register(Theme)
class ThemeAdmin(TranslationGapsMixin, ScopedMixin, TabbedTranslationAdmin):
    list_display = ["name", "programme", "target_group_list", "open_to_all", "order"]
    list_filter = ["programme", "open_to_all", "target_groups"]
    list_select_related = ["programme"]
    search_fields = get_translation_fields("name")
    autocomplete_fields = ["programme"]
    filter_horizontal = ["target_groups"]
    inlines = [TopicInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("target_groups")

    @admin.display(description=_("target groups"))
    def target_group_list(self, obj):
        return ", ".join(group.name for group in obj.target_groups.all())


@admin.register(Topic)
class TopicAdmin(TranslationGapsMixin, ScopedMixin, TabbedTranslationAdmin):
    list_display = ["name", "theme", "programme", "order"]
    list_filter = ["theme__programme", "theme"]
    list_select_related = ["theme__programme"]
    search_fields = [
        *get_translation_fields("name"),
        *[f"theme__{field}" for field in get_translation_fields("name")],
    ]
    autocomplete_fields = ["theme"]

    @admin.display(description=_("programme"), ordering="theme__programme__name")
    def programme(self, obj):
        return obj.theme.programme
