from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Count, Prefetch
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin
from modeltranslation.utils import get_translation_fields

from access import rules
from access.admin import ScopedMixin
from multiply.admin_translations import TranslationGapsMixin

from .models import City, Contact, Country, TargetGroup

# Django 6 assumes https for a typed address without a scheme; the admin does so already.
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Country)
class CountryAdmin(TranslationGapsMixin, ScopedMixin, TabbedTranslationAdmin):
    list_display = ["name", "code", "timezone", "city_count"]
    search_fields = ["code", *get_translation_fields("name")]
    ordering = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(city_count=Count("cities"))

    @admin.display(description=_("cities"), ordering="city_count")
    def city_count(self, obj):
        return obj.city_count


@admin.register(TargetGroup)
class TargetGroupAdmin(TranslationGapsMixin, ScopedMixin, TabbedTranslationAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["slug", *get_translation_fields("name")]
    prepopulated_fields = {"slug": ["name"]}


class ContactInline(ScopedMixin, admin.TabularInline):
    model = Contact
    fields = ["first_name", "last_name", "email", "position", "language", "is_active"]
    extra = 0
    show_change_link = True


@admin.register(City)
class CityAdmin(ScopedMixin, admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["name", "country", "region", "population", "network_list"]
    list_filter = ["country"]
    list_select_related = ["country"]
    search_fields = ["name", "region"]
    autocomplete_fields = ["country"]
    inlines = [ContactInline]

    def get_queryset(self, request):
        # Named by relation, not imported: cities must not depend on exchanges (docs/DESIGN.md).
        # Only the memberships the person may see: a city may be in another programme's network.
        memberships = City._meta.get_field("memberships").related_model._default_manager
        visible = rules.visible(
            request.user, memberships.select_related("network__programme", "network__country")
        )
        return super().get_queryset(request).prefetch_related(Prefetch("memberships", visible))

    @admin.display(description=_("networks"))
    def network_list(self, obj):
        # Memberships are edited on their network's page; here they are only listed.
        return "; ".join(
            f"{membership.network} ({membership.network.programme.role_label(membership.role)})"
            for membership in obj.memberships.all()
        )


class HasAccountFilter(admin.SimpleListFilter):
    title = _("has an account")
    parameter_name = "has_account"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(user__isnull=False)
        if self.value() == "no":
            return queryset.filter(user__isnull=True)
        return queryset


@admin.register(Contact)
class ContactAdmin(ScopedMixin, admin.ModelAdmin):
    """City staff. Deleting one cancels their registrations first, so that each seat passes to
    the next person waiting: exchanges/admin/registrations.py registers that subclass of this
    admin in its place, since cities cannot know of registrations (docs/DESIGN.md, domain)."""

    list_display = [
        "full_name",
        "email",
        "city",
        "country",
        "position",
        "language",
        "has_account",
        "is_active",
    ]
    list_display_links = ["full_name", "email"]
    # Links to download a person's data and to erase it on request (privacy.views).
    change_form_template = "admin/cities/contact/change_form.html"
    list_filter = [
        ("city__country", admin.RelatedOnlyFieldListFilter),
        ("city", admin.RelatedOnlyFieldListFilter),
        "target_groups",
        "language",
        HasAccountFilter,
        "is_active",
    ]
    list_select_related = ["city__country"]
    search_fields = ["first_name", "last_name", "email", "city__name"]
    autocomplete_fields = ["city", "user"]
    filter_horizontal = ["target_groups"]
    ordering = ["last_name", "first_name"]
    fieldsets = [
        (None, {"fields": ["first_name", "last_name", "email", "phone", "language"]}),
        (_("Work"), {"fields": ["city", "position", "organisation", "target_groups"]}),
        (_("Account"), {"fields": ["user", "is_active"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # A contact's account is linked when the person signs up with the contact's address
        # (accounts.adapter); picking among every account is for those who may see the accounts.
        readonly = list(super().get_readonly_fields(request, obj))
        if rules.may(request.user, "view", get_user_model()):
            return readonly
        return [*readonly, "user"]

    @admin.display(description=_("name"), ordering="last_name")
    def full_name(self, obj):
        return obj.full_name

    @admin.display(description=_("country"), ordering="city__country__name")
    def country(self, obj):
        return obj.city.country

    @admin.display(description=_("account"), boolean=True, ordering="user")
    def has_account(self, obj):
        return obj.user_id is not None
