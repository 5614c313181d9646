
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import CharField, Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Concat, Lower
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline
from modeltranslation.utils import get_translation_fields

from access import rules
from access.admin import ScopedMixin
from cities.admin import ContactAdmin as CityContactAdmin
from cities.models import Contact
from multiply.admin_zones import OwnTimeZoneAdminMixin
from multiply.exports import csv_response
from notifications.models import Message

from .invitations import (
    InvitationRefused,
    invitation_draft,
    invitation_recipients,
    invitations_refusal,
    invitations_seats_warning,
    invitations_send,
)
from .meetings import meeting_update
from .models import (
    ExchangeMeeting,
    Invitation,
    MeetingKind,
    MeetingMaterial,
    MeetingStatus,
    MeetingWording,
    Membership,
    NationalNetwork,
    Programme,
    Registration,
    RegistrationStatus,
    Role,
    Theme,
    Topic,
)
from .registrations import (
    Marked,
    RegistrationRefused,
    meeting_fill_free_seats,
    registration_delete,
    registration_promote,
    registrations_mark,
)
from .rotation_admin import RotationAdminMixin
from .selectors import participants_for_export
from .services import membership_country_warning, network_plan_check

# Django 6 assumes https for a typed address without a scheme; the admin does so already.
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


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


@admin.register(Programme)
class ProgrammeAdmin(ScopedMixin, TabbedTranslationAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = [
        "name",
        "start_date",
        "end_date",
        "network_count",
        "meeting_count",
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
        (
            _("The programme's words for the roles"),
            {
                "fields": ["pioneer_label", "engaged_label", "special_award_label", "mentor_label"],
                "description": _("Leave empty to use the portal's words (pioneer city, ...)."),
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
class NationalNetworkAdmin(RotationAdminMixin, ScopedMixin, TabbedTranslationAdmin):
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
class ThemeAdmin(ScopedMixin, TabbedTranslationAdmin):
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
class TopicAdmin(ScopedMixin, TabbedTranslationAdmin):
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


def _contact_label(contact: Contact) -> str:
    return f"{contact.full_name} – {contact.city} ({contact.email})"


class InviteForm(forms.Form):
    """The recipients rules 2 and 3 propose, each one removable, and any contact added by hand."""

    contacts = forms.ModelMultipleChoiceField(
        queryset=Contact.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Recipients"),
    )
    extra_emails = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        label=_("Add contacts by e-mail"),
        help_text=_("One address per line: contacts outside the proposed list."),
    )

    def __init__(self, *args, proposed, addable, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contacts"].queryset = proposed
        self.fields["contacts"].label_from_instance = _contact_label
        self.addable = addable  # the contacts the coordinator may invite (access.rules)

    def clean_extra_emails(self):
        lines = self.cleaned_data["extra_emails"].splitlines()
        emails = {line.strip().lower() for line in lines if line.strip()}
        found = {
            contact.email_lower: contact
            for contact in self.addable.annotate(email_lower=Lower("email")).filter(
                is_active=True, email_lower__in=emails
            )
        }
        unknown = sorted(emails - set(found))
        if unknown:
            raise ValidationError(
                _("No active contact has these addresses: %(emails)s")
                % {"emails": ", ".join(unknown)}
            )
        return list(found.values())

    def recipients(self) -> list[int]:
        chosen = {contact.pk for contact in self.cleaned_data["contacts"]}
        chosen.update(contact.pk for contact in self.cleaned_data["extra_emails"])
        return sorted(chosen)


class WordingInline(ScopedMixin, admin.StackedInline):
    model = MeetingWording
    fields = ["kind", "language", "subject", "introduction"]
    extra = 0
    verbose_name_plural = _("Own wording of the invitation and reminder (per language)")


class RegistrationInline(ScopedMixin, admin.TabularInline):
    """Who registered, read-only: seats change only through the actions, under the lock."""

    model = Registration
    fields = ["contact", "status", "waiting_number", "offer_expires_at", "note", "created_at"]
    readonly_fields = fields
    ordering = ["status", "waiting_number", "created_at"]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("contact__city")


def participants_csv(meetings) -> HttpResponse:
    """The participants of the chosen meetings: name, city, country, target groups, status."""
    header = [_("meeting"), _("name"), _("city"), _("country"), _("target groups"), _("status")]
    rows = (
        [
            registration.meeting.title,
            registration.contact.full_name,
            registration.contact.city.name,
            registration.contact.city.country.name,
            ", ".join(group.name for group in registration.contact.target_groups.all()),
            registration.get_status_display(),
        ]
        for registration in participants_for_export(meetings=meetings)
    )
    return csv_response("participants.csv", [header, *rows])


class MaterialInline(ScopedMixin, TranslationTabularInline):
    formfield_overrides = HTTPS_URLS
    model = MeetingMaterial
    fields = ["title", "file", "url", "order"]
    extra = 0


class MeetingForm(forms.ModelForm):
    """ExchangeMeeting.clean checks the network, theme and host against the programme; the
    topics, which the model cannot see before they are saved, are checked here, and so is the
    coordinator's scope: a meeting without a network is the whole programme's."""

    user = None  # the person filling it in, set by ExchangeMeetingAdmin.get_form

    def clean(self):
        data = super().clean()
        programme, topics = data.get("programme"), data.get("topics")
        if programme and not data.get("network") and not self._runs(programme):
            self.add_error(
                "network",
                _(
                    "Choose your national network: a meeting of the whole programme is for "
                    "the programme's coordinators to plan."
                ),
            )
        if programme and topics:
            foreign = topics.exclude(theme__programme=programme)
            if foreign:
                self.add_error(
                    "topics",
                    _("These topics belong to another programme's themes: %(topics)s.")
                    % {"topics": ", ".join(str(topic) for topic in foreign)},
                )
        return data

    def _runs(self, programme) -> bool:
        return rules.programmes_run(self.user).filter(pk=programme.pk).exists()


@admin.register(ExchangeMeeting)
class ExchangeMeetingAdmin(ScopedMixin, OwnTimeZoneAdminMixin, TabbedTranslationAdmin):
    form = MeetingForm
    formfield_overrides = HTTPS_URLS
    list_display = [
        "title",
        "kind",
        "network",
        "number",
        "local_time",
        "host_city",
        "format",
        "status",
    ]
    list_filter = [
        "programme",
        ("network__country", admin.RelatedOnlyFieldListFilter),
        "kind",
        "format",
        "status",
        "theme",
    ]
    list_select_related = ["programme", "network__programme", "network__country", "host_city"]
    search_fields = [*get_translation_fields("title"), "host_city__name"]
    date_hierarchy = "start"
    ordering = ["-start"]
    autocomplete_fields = ["programme", "network", "theme", "topics", "host_city"]
    dependent_pickers = {
        "network": {"programme": "programme"},
        "theme": {"programme": "programme"},
        "topics": {"programme": "theme__programme"},
        # A network's meeting is hosted by one of its cities; the programme's conference by a
        # city of any of its networks (ExchangeMeeting.clean).
        "host_city": {
            "network": "memberships__network",
            "programme": "memberships__network__programme",
        },
    }
    readonly_fields = ["created_at", "updated_at"]
    inlines = [MaterialInline, WordingInline, RegistrationInline]
    actions = ["invite", "export_participants", "fill_free_seats"]
    fieldsets = [
        (None, {"fields": ["programme", "network", "kind", "number", "title", "theme", "topics"]}),
        (
            _("When"),
            {
                "fields": [
                    "timezone",
                    "start",
                    "end",
                    "registration_opens",
                    "registration_deadline",
                ],
                "description": _("Times are the meeting's local times, in its time zone."),
            },
        ),
        (_("Where"), {"fields": ["format", "host_city", "venue", "address", "online_url"]}),
        (
            _("Who"),
            {"fields": ["capacity", "waiting_list_enabled", "offer_hours", "engaged_only"]},
        ),
        (_("Status"), {"fields": ["status", "status_note"]}),
        (_("Description"), {"fields": ["description"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # A subclass per request: the admin shares its form class between requests.
        return type(form.__name__, (form,), {"user": request.user})

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        told = meeting_update(meeting=obj, changed_fields=form.changed_data).told
        if told:
            message = ngettext(
                "%d registered person is being told of the change.",
                "%d registered people are being told of the change.",
                told,
            )
            self.message_user(request, message % told, messages.INFO)

    def get_urls(self):
        urls = super().get_urls()
        invite = path(
            "<path:object_id>/invite/",
            self.admin_site.admin_view(self.invite_view),
            name="exchanges_exchangemeeting_invite",
        )
        return [invite, *urls]

    @admin.action(description=_("Invite contacts…"), permissions=["change"])
    def invite(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choose one meeting to invite to."), messages.WARNING)
            return None
        return redirect("admin:exchanges_exchangemeeting_invite", queryset.get().pk)

    def invite_view(self, request, object_id):
        """Preview the recipients and the wording, adjust, then send (DESIGN.md rules 2, 3)."""
        meeting = self.get_object(request, unquote(object_id))
        if meeting is None:
            raise Http404
        if not self.has_change_permission(request, meeting):
            raise PermissionDenied
        invited = meeting.invitations.values("contact_id")
        proposed = invitation_recipients(meeting=meeting).exclude(pk__in=invited)
        form = InviteForm(
            request.POST or None,
            proposed=proposed,
            addable=rules.visible(request.user, Contact.objects.all()),
            initial={"contacts": list(proposed.values_list("pk", flat=True))},
        )
        refusal = invitations_refusal(meeting=meeting)
        if request.method == "POST" and form.is_valid() and "send" in request.POST:
            try:
                count = invitations_send(meeting_id=meeting.pk, contact_ids=form.recipients())
            except InvitationRefused as refused:
                refusal = refused.message
            else:
                self._message_sent(request, count)
                return redirect("admin:exchanges_exchangemeeting_change", meeting.pk)
        chosen = form.recipients() if form.is_bound and form.is_valid() else None
        chosen_count = len(chosen) if chosen is not None else proposed.count()
        return TemplateResponse(
            request,
            "admin/exchanges/exchangemeeting/invite.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Invite contacts"),
                "opts": self.opts,
                "original": meeting,
                "form": form,
                "refusal": refusal,
                "seats_warning": invitations_seats_warning(meeting=meeting, count=chosen_count),
                "proposed_count": proposed.count(),
                "chosen_count": chosen_count,
                "invited_count": meeting.invitations.count(),
                "drafts": self._drafts(meeting, chosen, proposed),
            },
        )

    def _message_sent(self, request, count: int) -> None:
        message = ngettext(
            "%d invitation is on its way.", "%d invitations are on their way.", count
        )
        self.message_user(request, message % count, messages.SUCCESS)

    def _drafts(self, meeting, chosen, proposed) -> list[dict]:
        """The invitation as each language's recipients will read it."""
        contacts = Contact.objects.filter(pk__in=chosen) if chosen is not None else proposed
        languages = sorted(set(contacts.values_list("language", flat=True))) or ["en"]
        drafts = []
        for language in languages:
            subject, text, _html = invitation_draft(meeting=meeting, language=language)
            drafts.append({"language": language, "subject": subject, "text": text})
        return drafts

    @admin.action(description=_("Export participants (CSV)"))
    def export_participants(self, request, queryset):
        return participants_csv(queryset)

    @admin.action(description=_("Give free seats to the people waiting"), permissions=["change"])
    def fill_free_seats(self, request, queryset):
        promoted = sum(
            len(meeting_fill_free_seats(meeting_id=pk))
            for pk in queryset.values_list("pk", flat=True)
        )
        self.message_user(
            request,
            ngettext(
                "%d person moved up from the waiting list.",
                "%d people moved up from the waiting list.",
                promoted,
            )
            % promoted,
            messages.SUCCESS,
        )

    @admin.display(description=_("local time"), ordering="start")
    def local_time(self, obj):
        start, end = obj.local_start, obj.local_end
        until = f"{end:%H:%M}" if start.date() == end.date() else f"{end:%Y-%m-%d %H:%M}"
        return f"{start:%Y-%m-%d %H:%M}–{until} ({obj.timezone})"


@admin.register(MeetingMaterial)
class MeetingMaterialAdmin(ScopedMixin, TabbedTranslationAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["title", "meeting", "is_file", "order"]
    list_filter = ["meeting__programme"]
    list_select_related = ["meeting"]
    search_fields = get_translation_fields("title")
    autocomplete_fields = ["meeting"]

    @admin.display(description=_("uploaded file"), boolean=True)
    def is_file(self, obj):
        return bool(obj.file)


def _refused_message(marked: Marked) -> str:
    message = ngettext(
        "Not marked: %(count)s registration of a meeting that has not started yet, or was "
        "cancelled or postponed (%(meetings)s). Attendance is recorded from the start of the "
        "meeting.",
        "Not marked: %(count)s registrations of meetings that have not started yet, or were "
        "cancelled or postponed (%(meetings)s). Attendance is recorded from the start of the "
        "meeting.",
        marked.refused,
    )
    return message % {"count": marked.refused, "meetings": "; ".join(marked.refused_meetings)}


@admin.register(Registration)
class RegistrationAdmin(ScopedMixin, admin.ModelAdmin):
    """Registrations as the coordinator sees them.

    Seats are decided only in exchanges.registrations, under the meeting's lock, so nothing is
    edited here by hand: the actions call those functions.
    """

    list_display = [
        "contact_name",
        "contact_email",
        "city",
        "meeting",
        "status",
        "waiting_number",
        "created_at",
    ]
    list_filter = [
        "status",
        "meeting__programme",
        "meeting__kind",
        ("meeting__network__country", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["contact__city", "meeting"]
    search_fields = [
        "contact__first_name",
        "contact__last_name",
        "contact__email",
        "contact__city__name",
        *[f"meeting__{field}" for field in get_translation_fields("title")],
    ]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    readonly_fields = [field.name for field in Registration._meta.fields]
    actions = ["mark_attended", "mark_no_show", "promote", "export"]

    def has_add_permission(self, request):
        return False

    # Deleting, here or with "delete selected", passes the seat on (exchanges.registrations).
    def delete_model(self, request, obj):
        registration_delete(registration_id=obj.pk)

    def delete_queryset(self, request, queryset):
        for pk in queryset.values_list("pk", flat=True):
            registration_delete(registration_id=pk)

    @admin.display(description=_("name"), ordering="contact__last_name")
    def contact_name(self, obj):
        return obj.contact.full_name

    @admin.display(description=_("e-mail address"), ordering="contact__email")
    def contact_email(self, obj):
        return obj.contact.email

    @admin.display(description=_("city"), ordering="contact__city__name")
    def city(self, obj):
        return obj.contact.city

    @admin.action(description=_("Mark as attended"), permissions=["change"])
    def mark_attended(self, request, queryset):
        self._mark(request, queryset, RegistrationStatus.ATTENDED)

    @admin.action(description=_("Mark as no-show"), permissions=["change"])
    def mark_no_show(self, request, queryset):
        self._mark(request, queryset, RegistrationStatus.NO_SHOW)

    def _mark(self, request, queryset, status):
        marked = registrations_mark(
            registration_ids=list(queryset.values_list("pk", flat=True)), status=status
        )
        message = ngettext(
            "%(count)s registration marked as “%(status)s”; only confirmed ones are marked.",
            "%(count)s registrations marked as “%(status)s”; only confirmed ones are marked.",
            marked.count,
        )
        self.message_user(
            request, message % {"count": marked.count, "status": status.label}, messages.SUCCESS
        )
        if marked.refused:
            self.message_user(request, _refused_message(marked), messages.WARNING)

    @admin.action(description=_("Export the meetings' participants (CSV)"))
    def export(self, request, queryset):
        meetings = ExchangeMeeting.objects.filter(
            pk__in=queryset.values_list("meeting_id", flat=True)
        )
        return participants_csv(meetings)

    @admin.action(description=_("Give a seat out of turn (waiting list)"), permissions=["change"])
    def promote(self, request, queryset):
        for registration in queryset.select_related("contact"):
            try:
                registration_promote(registration_id=registration.pk)
            except RegistrationRefused as refusal:
                self.message_user(
                    request, f"{registration.contact.full_name}: {refusal.message}", messages.ERROR
                )
            else:
                self.message_user(
                    request,
                    _("%(name)s has a seat.") % {"name": registration.contact.full_name},
                    messages.SUCCESS,
                )


@admin.register(Invitation)
class InvitationAdmin(ScopedMixin, admin.ModelAdmin):
    """Who was invited, and what became of it: sent, opened, registered, declined."""

    list_display = [
        "contact",
        "meeting",
        "delivery",
        "created_at",
        "opened_at",
        "registered_at",
        "declined_at",
    ]
    list_filter = [
        "meeting__programme",
        ("meeting", admin.RelatedOnlyFieldListFilter),
        ("opened_at", admin.EmptyFieldListFilter),
        ("registered_at", admin.EmptyFieldListFilter),
        ("declined_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["contact__first_name", "contact__last_name", "contact__email"]
    list_select_related = ["contact__city", "meeting"]
    readonly_fields = [field.name for field in Invitation._meta.fields]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        key = Concat(Value("invitation:"), Cast(OuterRef("pk"), CharField()))
        status = Message.objects.filter(key=key).values("status")[:1]
        return super().get_queryset(request).annotate(delivery_status=Subquery(status))

    @admin.display(description=_("e-mail"), ordering="delivery_status")
    def delivery(self, obj):
        return Message.Status(obj.delivery_status).label if obj.delivery_status else "–"


admin.site.unregister(Contact)


@admin.register(Contact)
class ContactAdmin(CityContactAdmin):
    """The cities' contact admin, where deleting a contact, on its page or with "delete
    selected", deletes its registrations first through exchanges.registrations: each seat it
    held passes to the first person waiting, as in RegistrationAdmin."""

    def delete_model(self, request, obj):
        with transaction.atomic():
            _registrations_delete(Registration.objects.filter(contact=obj))
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            _registrations_delete(Registration.objects.filter(contact__in=queryset))
            super().delete_queryset(request, queryset)


def _registrations_delete(registrations) -> None:
    # One meeting after another, in one order: two deletions never wait for each other's locks.
    for pk in registrations.order_by("meeting_id", "pk").values_list("pk", flat=True):
        registration_delete(registration_id=pk)
