"""The admin of exchange meetings: the meeting form, its materials, wordings and registrations,
the invitation page, the participant export, and the meetings' feedback."""

from collections import defaultdict

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.functions import Lower
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import formats
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline
from modeltranslation.utils import get_translation_fields

from access import rules
from access.admin import ScopedMixin
from cities.models import Contact
from multiply.admin_translations import TranslationGapsMixin
from multiply.admin_zones import OwnTimeZoneAdminMixin
from multiply.exports import csv_response, xlsx_response

from ..invitations import (
    InvitationRefused,
    invitation_draft,
    invitation_recipients,
    invitations_refusal,
    invitations_seats_warning,
    invitations_send,
)
from ..meetings import meeting_update
from ..models import (
    ExchangeMeeting,
    MeetingFeedback,
    MeetingMaterial,
    MeetingWording,
    Registration,
)
from ..notices import meeting_notice_recipients
from ..registrations import (
    meeting_fill_free_seats,
)
from ..selectors import meetings_for_export, participants_for_export
from .agenda import SessionInline
from .common import HTTPS_URLS
from .questions import QuestionActionsMixin, QuestionInline


def _who_is_told(meeting) -> str:
    count = meeting_notice_recipients(meeting=meeting).count()
    if not count:
        return _("Nobody is registered for this meeting: a change tells nobody.")
    return ngettext(
        "%(count)d registered person will be told of a change of time, place, format or status.",
        "%(count)d registered people will be told of a change of time, place, format or status.",
        count,
    ) % {"count": count}


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


PARTICIPANT_HEADER = [_("name"), _("city"), _("country"), _("target groups"), _("status")]


def _participant(registration, questions) -> list:
    """A participant's cells, then their answer to each of these questions ("" to another
    meeting's)."""
    contact = registration.contact
    answers = {answer.question_id: answer.display() for answer in registration.answers.all()}
    return [
        contact.full_name,
        contact.city.name,
        contact.city.country.name,
        ", ".join(group.name for group in contact.target_groups.all()),
        registration.get_status_display(),
        *(answers.get(question.pk, "") for question in questions),
    ]


def participants_csv(meetings) -> HttpResponse:
    """The participants of the chosen meetings: name, city, country, target groups, status, and
    a column per registration question of each meeting, the meetings' columns side by side
    (each named after its meeting when several meetings ask questions)."""
    chosen = meetings_for_export(meetings=meetings)
    asking = [meeting for meeting in chosen if meeting.registration_questions]
    questions = [question for meeting in asking for question in meeting.registration_questions]
    titles = {meeting.pk: meeting.title for meeting in asking}
    labels = [
        f"{titles[question.meeting_id]}: {question.label}" if len(asking) > 1 else question.label
        for question in questions
    ]
    header = [_("meeting"), *PARTICIPANT_HEADER, *labels]
    rows = (
        [registration.meeting.title, *_participant(registration, questions)]
        for registration in participants_for_export(meetings=meetings)
    )
    return csv_response("participants.csv", [header, *rows])


def participants_xlsx(meetings) -> HttpResponse:
    """The same as a workbook, a sheet per meeting (named by its date and title) with a column
    per question it asks."""
    by_meeting = defaultdict(list)
    for registration in participants_for_export(meetings=meetings):
        by_meeting[registration.meeting_id].append(registration)
    sheets = {}
    for meeting in meetings_for_export(meetings=meetings):
        questions = meeting.registration_questions
        header = [*PARTICIPANT_HEADER, *(question.label for question in questions)]
        rows = [_participant(r, questions) for r in by_meeting[meeting.pk]]
        title = f"{meeting.local_start:%Y-%m-%d} {meeting.title}"
        sheets[title if title not in sheets else f"{title} #{meeting.pk}"] = [header, *rows]
    return xlsx_response("participants.xlsx", sheets)


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

    # Not a field of the meeting: whether this save tells the registered people (issue 14,
    # item 7). Shown on the change form only, where its fieldset says who they are.
    announce_change = forms.BooleanField(
        required=False,
        label=_("Tell the registered people about this change"),
        help_text=_(
            "A change of the time, place, format or status is always told. Any other change "
            "(the title, the description…) is saved without a notice unless this is ticked."
        ),
    )

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
class ExchangeMeetingAdmin(
    TranslationGapsMixin,
    QuestionActionsMixin,
    ScopedMixin,
    OwnTimeZoneAdminMixin,
    TabbedTranslationAdmin,
):
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
    inlines = [
        MaterialInline,
        SessionInline,
        QuestionInline,
        WordingInline,
        RegistrationInline,
    ]
    actions = [
        "invite",
        "export_participants",
        "export_participants_xlsx",
        "fill_free_seats",
        "add_registration_questions",
        "add_feedback_questions",
    ]
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
            {
                "fields": [
                    "capacity",
                    "waiting_list_enabled",
                    "offer_hours",
                    "engaged_only",
                    "requires_approval",
                    "city_quota",
                ]
            },
        ),
        (_("Status"), {"fields": ["status", "status_note"]}),
        (_("Description"), {"fields": ["description"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # A subclass per request: the admin shares its form class between requests.
        return type(form.__name__, (form,), {"user": request.user})

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is None:
            return fieldsets  # nobody is registered for a meeting not yet saved
        notice = (
            _("Telling the registered people"),
            {
                "fields": ["announce_change"],
                "description": _who_is_told(obj),
            },
        )
        return [*fieldsets[:-1], notice, fieldsets[-1]]  # before the record, kept last

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        announce = form.cleaned_data.get("announce_change", False)
        changed = [name for name in form.changed_data if name != "announce_change"]
        told = meeting_update(meeting=obj, changed_fields=changed, announce=announce).told
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
        """Preview the recipients and the wording, adjust, then send (docs/DESIGN.md rules 2, 3)."""
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

    @admin.action(description=_("Export participants (XLSX)"))
    def export_participants_xlsx(self, request, queryset):
        return participants_xlsx(queryset)

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
        same_day = start.date() == end.date()
        until = formats.date_format(end, "TIME_FORMAT" if same_day else "DATETIME_FORMAT")
        return f"{formats.date_format(start, 'DATETIME_FORMAT')}–{until} ({obj.timezone})"


@admin.register(MeetingMaterial)
class MeetingMaterialAdmin(TranslationGapsMixin, ScopedMixin, TabbedTranslationAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["title", "meeting", "is_file", "order"]
    list_filter = ["meeting__programme"]
    list_select_related = ["meeting"]
    search_fields = get_translation_fields("title")
    autocomplete_fields = ["meeting"]

    @admin.display(description=_("uploaded file"), boolean=True)
    def is_file(self, obj):
        return bool(obj.file)


@admin.register(MeetingFeedback)
class MeetingFeedbackAdmin(ScopedMixin, admin.ModelAdmin):
    """Answers without their authors: coordinators read feedback anonymously."""

    list_display = ["meeting", "created_at"]
    list_filter = [("meeting__programme", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["meeting"]
    search_fields = ["meeting__title"]
    fields = ["meeting", "answers_given", "created_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super().get_queryset(request).prefetch_related("answers__question", "answers__choices")
        )

    @admin.display(description=_("answers"))
    def answers_given(self, obj):
        return format_html_join(
            "",
            "<p><strong>{}</strong><br>{}</p>",
            ((answer.question.label, answer.display()) for answer in obj.answers.all()),
        )

    def has_add_permission(self, request):
        return False
