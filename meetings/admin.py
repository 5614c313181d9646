from django.contrib import admin
from django.db import models
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin
from modeltranslation.utils import get_translation_fields

from access.admin import ScopedMixin
from multiply.admin_translations import TranslationGapsMixin

from .models import ActionItem, Attendance, ConsortiumMeeting, Partner
from .selectors import action_items_for_meeting

# Django 6 assumes https for a typed address without a scheme; the admin does so already.
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Partner)
class PartnerAdmin(ScopedMixin, admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["name", "short_name", "programme", "country", "is_coordinator", "order"]
    list_filter = ["programme", "country", "is_coordinator"]
    list_select_related = ["programme", "country"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["programme", "country"]


class AttendanceInline(ScopedMixin, admin.TabularInline):
    model = Attendance
    fields = ["partner", "status", "representatives"]
    autocomplete_fields = ["partner"]
    # The partners of the programme chosen in the meeting's form (Attendance.clean).
    dependent_pickers = {"partner": {"programme": "programme"}}
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("partner")


class ActionItemInline(ScopedMixin, admin.TabularInline):
    model = ActionItem
    fields = ["title", "owner", "due_date", "status", "closed_on"]
    autocomplete_fields = ["owner"]
    dependent_pickers = {"owner": {"programme": "programme"}}
    extra = 0
    show_change_link = True
    verbose_name_plural = _("action items agreed at this meeting")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("owner")


def _is_overdue(item: ActionItem) -> bool:
    return (
        item.status == ActionItem.Status.OPEN
        and item.due_date is not None
        and item.due_date < timezone.localdate()
    )


def _due_html(item: ActionItem):
    """The due date, in the admin's error colour with a word when an open item is late."""
    if item.due_date is None:
        return "—"
    if _is_overdue(item):
        return format_html('<strong class="overdue">{} ({})</strong>', item.due_date, _("overdue"))
    return str(item.due_date)


@admin.register(ConsortiumMeeting)
class ConsortiumMeetingAdmin(TranslationGapsMixin, ScopedMixin, TabbedTranslationAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = [
        "number",
        "programme",
        "start_date",
        "end_date",
        "place",
        "linked_event",
        "absent_partners",
    ]
    list_display_links = ["number", "start_date"]
    list_filter = ["programme", "held_online"]
    list_select_related = ["programme"]
    search_fields = [
        "=number",
        "planned_place",
        "held_place",
        *get_translation_fields("linked_event"),
    ]
    date_hierarchy = "start_date"
    ordering = ["programme", "number"]
    autocomplete_fields = ["programme"]
    readonly_fields = ["carried_over"]
    inlines = [AttendanceInline, ActionItemInline]
    fieldsets = [
        (None, {"fields": ["programme", "number", "start_date", "end_date"]}),
        (_("Place"), {"fields": ["planned_place", "held_place", "held_online"]}),
        (_("Linked event"), {"fields": ["linked_event", "linked_event_url"]}),
        (_("Summary and minutes"), {"fields": ["summary", "minutes"]}),
        (_("Open action items from earlier meetings"), {"fields": ["carried_over"]}),
    ]

    def get_queryset(self, request):
        attendances = Attendance.objects.select_related("partner")
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("attendances", queryset=attendances))
        )

    @admin.display(description=_("place"))
    def place(self, obj):
        if not obj.is_held:
            return _("planned: %(planned)s") % {"planned": obj.planned_place}
        held = _("online") if obj.held_online else obj.held_place
        if obj.is_relocated:
            return _("%(held)s (planned: %(planned)s)") % {
                "held": held,
                "planned": obj.planned_place,
            }
        return held

    @admin.display(description=_("absent"))
    def absent_partners(self, obj):
        return ", ".join(str(a.partner) for a in obj.attendances.all() if a.is_absent) or "—"

    @admin.display(description=_("carried over"))
    def carried_over(self, obj):
        if obj is None or obj.pk is None:
            return _("Save the meeting first.")
        items = [
            item for item in action_items_for_meeting(meeting=obj) if item.meeting_id != obj.pk
        ]
        if not items:
            return _("Nothing is carried over from earlier meetings.")
        line = str(_("{title} – {owner}, agreed at meeting {number}; due {due}; {status}"))
        rows = (
            (
                format_html(
                    line,
                    title=item.title,
                    owner=item.owner,
                    number=item.meeting.number,
                    due=_due_html(item),
                    status=item.get_status_display(),
                ),
            )
            for item in items
        )
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", rows))


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("Not overdue"))]

    def queryset(self, request, queryset):
        overdue = {"status": ActionItem.Status.OPEN, "due_date__lt": timezone.localdate()}
        if self.value() == "yes":
            return queryset.filter(**overdue)
        if self.value() == "no":
            return queryset.exclude(**overdue)
        return queryset


@admin.register(ActionItem)
class ActionItemAdmin(ScopedMixin, admin.ModelAdmin):
    list_display = ["title", "owner", "agreed_at", "programme", "due", "status", "closed_on"]
    list_filter = [
        "status",
        OverdueFilter,
        ("owner", admin.RelatedOnlyFieldListFilter),
        "meeting__programme",
    ]
    list_select_related = ["owner", "meeting__programme"]
    search_fields = ["title", "description", "owner__name", "owner__short_name"]
    autocomplete_fields = ["meeting", "owner"]
    # The partners of the meeting's programme (ActionItem.clean).
    dependent_pickers = {"owner": {"meeting": "programme__consortium_meetings"}}
    ordering = ["due_date", "pk"]

    @admin.display(description=_("agreed at"), ordering="meeting__number")
    def agreed_at(self, obj):
        return _("meeting %(number)s") % {"number": obj.meeting.number}

    @admin.display(description=_("programme"), ordering="meeting__programme__name")
    def programme(self, obj):
        return obj.meeting.programme

    @admin.display(description=_("due"), ordering="due_date")
    def due(self, obj):
        return _due_html(obj)
