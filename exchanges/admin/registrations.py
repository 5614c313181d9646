"""The admin of registrations and invitations; deleting one (or a contact) goes through the
registration service, so that each freed seat passes to the next person waiting."""

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.utils import get_translation_fields

from access.admin import ScopedMixin
from cities.admin import ContactAdmin as CityContactAdmin
from cities.models import Contact
from notifications.models import Message

from ..models import (
    ExchangeMeeting,
    Invitation,
    Registration,
    RegistrationStatus,
)
from ..registrations import (
    Marked,
    RegistrationRefused,
    registration_approve,
    registration_delete,
    registration_promote,
    registration_reject,
    registrations_mark,
)
from .meetings import participants_csv, participants_xlsx


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
    readonly_fields = [*(field.name for field in Registration._meta.fields), "answers_given"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "meeting",
                    "contact",
                    "status",
                    "waiting_number",
                    "offer_expires_at",
                    "answers_given",
                    "note",
                ]
            },
        ),
        (_("Consent"), {"fields": ["privacy_consent_at", "listed_consent_at"]}),
        (_("Approval"), {"fields": ["registered_by", "decided_at", "decided_by"]}),
        (
            _("Check-in and certificate"),
            {"fields": ["code", "checked_in_at", "checked_in_by", "certificate_code"]},
        ),
        (_("Record"), {"fields": ["created_at", "updated_at", "cancelled_at"]}),
    ]
    actions = [
        "approve",
        "reject",
        "mark_attended",
        "mark_no_show",
        "promote",
        "export",
        "export_xlsx",
    ]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).prefetch_related("answers__question", "answers__choices")
        )

    @admin.display(description=_("answers to the meeting's questions"))
    def answers_given(self, obj):
        answers = [(answer.question.label, answer.display()) for answer in obj.answers.all()]
        if not answers:
            return "–"
        return format_html_join("", "<p><strong>{}</strong><br>{}</p>", answers)

    @admin.action(description=_("Approve (a seat, or the waiting list)"), permissions=["change"])
    def approve(self, request, queryset):
        self._decide(
            request, queryset, registration_approve, _("%(name)s is approved: %(status)s.")
        )

    @admin.action(description=_("Reject"), permissions=["change"])
    def reject(self, request, queryset):
        self._decide(request, queryset, registration_reject, _("%(name)s is rejected."))

    def _decide(self, request, queryset, decide, success) -> None:
        """Each registration decided under its meeting's lock and told by e-mail; one refused
        (not awaiting approval, the meeting full) is named and left as it was."""
        for pk, name in queryset.values_list("pk", "contact__last_name"):
            try:
                registration = decide(registration_id=pk, by=request.user)
            except RegistrationRefused as refusal:
                self.message_user(request, f"{name}: {refusal.message}", messages.ERROR)
                continue
            values = {
                "name": registration.contact.full_name,
                "status": registration.get_status_display(),
            }
            self.message_user(request, success % values, messages.SUCCESS)

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

    @admin.action(description=_("Export the meetings' participants (XLSX)"))
    def export_xlsx(self, request, queryset):
        meetings = ExchangeMeeting.objects.filter(
            pk__in=queryset.values_list("meeting_id", flat=True)
        )
        return participants_xlsx(meetings)

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
