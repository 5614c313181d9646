"""E-mail to a group in the admin (issue 14, item 6): write the texts, see who receives what,
send now or schedule (after a page that says how many people, in which languages, when), and
follow the delivery counts."""

import datetime as dt
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from access.admin import ScopedAdmin, ScopedMixin

from .forms import CampaignForm, CampaignTextForm, CampaignTextFormSet, ScheduleForm
from .models import Campaign, CampaignStatus, CampaignText
from .selectors import campaign_preview, campaigns_with_counts
from .services import PLACEHOLDERS, CampaignRefused, campaign_cancel, campaign_send

SEGMENT_FIELDS = [
    "segment",
    "meeting",
    "registration_statuses",
    "network",
    "roles",
    "target_groups",
    "call",
    "application_states",
    "review_round",
]


class CampaignTextInline(ScopedMixin, admin.StackedInline):
    model = CampaignText
    form = CampaignTextForm
    formset = CampaignTextFormSet
    fields = ["language", "subject", "body"]
    extra = 0
    min_num = 1

    # A campaign's texts are written while it is a draft; after that they are its record.
    def has_add_permission(self, request, obj=None):
        return _draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return _draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _draft(obj) and super().has_delete_permission(request, obj)


def _draft(campaign: Campaign | None) -> bool:
    return campaign is None or campaign.is_draft


@admin.register(Campaign)
class CampaignAdmin(ScopedAdmin):
    form = CampaignForm
    inlines = [CampaignTextInline]
    change_form_template = "admin/campaigns/campaign/change_form.html"
    list_display = [
        "title",
        "segment_column",
        "status",
        "scheduled_at",
        "sent_at",
        "queued_column",
        "sent_column",
        "failed_column",
    ]
    list_filter = ["status", "segment", "programme"]
    list_select_related = [
        "programme",
        "meeting",
        "network__programme",
        "network__country",
        "call",
        "review_round",
    ]
    search_fields = ["title"]
    autocomplete_fields = ["programme", "meeting", "network", "call", "review_round"]
    dependent_pickers = {
        "meeting": {"programme": "programme"},
        "network": {"programme": "programme"},
        "call": {"programme": "programme"},
        "review_round": {"programme": "programme"},
    }
    fieldsets = [
        (None, {"fields": ["title", "programme"]}),
        (
            _("Who receives it"),
            {
                "fields": SEGMENT_FIELDS,
                "description": _(
                    "Fill in the fields of the group you chose; the others are left aside. "
                    "Only active contacts are written to, each address once, and only the "
                    "people you coordinate."
                ),
            },
        ),
        (_("When"), {"fields": ["scheduled_at"]}),
    ]

    def get_queryset(self, request):
        return campaigns_with_counts(super().get_queryset(request))

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # A subclass per request: the admin shares its form class between requests.
        return type(form.__name__, (form,), {"user": request.user})

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "target_groups":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            return ["title", "programme", "segment_column", "status", "scheduled_at", "sent_at"]
        return []

    def get_fieldsets(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            return [
                (None, {"fields": ["title", "programme", "segment_column"]}),
                (_("Status"), {"fields": ["status", "scheduled_at", "sent_at"]}),
            ]
        return super().get_fieldsets(request, obj)

    def has_delete_permission(self, request, obj=None):
        # A scheduled campaign is cancelled first; a sent one is the record of what went out.
        if obj is not None and obj.status in (CampaignStatus.SCHEDULED, CampaignStatus.SENT):
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("sent to"))
    def segment_column(self, obj):
        return obj.segment_label()

    @admin.display(description=_("queued"), ordering="queued_count")
    def queued_column(self, obj):
        return obj.queued_count

    @admin.display(description=_("sent"), ordering="sent_count")
    def sent_column(self, obj):
        return obj.sent_count

    @admin.display(description=_("failed"), ordering="failed_count")
    def failed_column(self, obj):
        return obj.failed_count

    # --- The change page: who receives what, or how it went -----------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        campaign = self.get_object(request, unquote(object_id))
        context = {"placeholders": PLACEHOLDERS, **(extra_context or {})}
        if campaign.status in (CampaignStatus.DRAFT, CampaignStatus.SCHEDULED):
            context["preview"] = campaign_preview(campaign=campaign, user=request.user)
        context["may_send"] = campaign.is_draft and self.has_change_permission(request, campaign)
        context["may_cancel"] = campaign.status == CampaignStatus.SCHEDULED and (
            self.has_change_permission(request, campaign)
        )
        context["messages_url"] = _messages_url(campaign)
        return super().change_view(request, object_id, form_url, context)

    def add_view(self, request, form_url="", extra_context=None):
        context = {"placeholders": PLACEHOLDERS, **(extra_context or {})}
        return super().add_view(request, form_url, context)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        own = [
            path(
                "<path:object_id>/send/",
                self.admin_site.admin_view(self.send_view),
                name="{}_{}_send".format(*info),
            ),
            path(
                "<path:object_id>/cancel/",
                self.admin_site.admin_view(self.cancel_view),
                name="{}_{}_cancel".format(*info),
            ),
        ]
        return [*own, *super().get_urls()]

    def _campaign_to_change(self, request, object_id) -> Campaign:
        campaign = self.get_object(request, unquote(object_id))
        if not self.has_change_permission(request, campaign):
            raise PermissionDenied
        return campaign

    def send_view(self, request, object_id):
        """Send now (?when=now) or schedule (?when=later), after saying to how many people, in
        which languages and when."""
        campaign = self._campaign_to_change(request, object_id)
        later = request.GET.get("when") == "later"
        if not campaign.is_draft:
            self.message_user(request, _("This campaign is not a draft any more."), messages.INFO)
            return redirect("admin:campaigns_campaign_change", campaign.pk)
        schedule = ScheduleForm(
            request.POST or None,
            initial={"at": campaign.scheduled_at or timezone.now() + dt.timedelta(hours=1)},
        )
        refusal = None
        if request.method == "POST" and (not later or schedule.is_valid()):
            at = schedule.cleaned_data["at"] if later else None
            try:
                campaign_send(campaign=campaign, by=request.user, at=at)
            except CampaignRefused as refused:
                refusal = refused.message
            else:
                self._message_sent(request, campaign, later)
                return redirect("admin:campaigns_campaign_change", campaign.pk)
        return TemplateResponse(
            request,
            "admin/campaigns/campaign/send.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Schedule the campaign") if later else _("Send the campaign now"),
                "opts": self.opts,
                "original": campaign,
                "later": later,
                "schedule": schedule,
                "refusal": refusal,
                "preview": campaign_preview(campaign=campaign, user=request.user),
                "media": self.media + schedule.media,
            },
        )

    def _message_sent(self, request, campaign, later: bool) -> None:
        campaign = Campaign.objects.get(pk=campaign.pk)
        if later:
            message = _("The campaign is scheduled.")
        else:
            count = campaign.messages.count()
            message = (
                ngettext("%d message is on its way.", "%d messages are on their way.", count)
                % count
            )
        self.message_user(request, message, messages.SUCCESS)

    def cancel_view(self, request, object_id):
        """Cancel a scheduled campaign (asked first)."""
        campaign = self._campaign_to_change(request, object_id)
        if request.method == "POST":
            if campaign_cancel(campaign=campaign):
                self.message_user(request, _("The campaign is cancelled."), messages.SUCCESS)
            else:
                self.message_user(request, _("The campaign was not scheduled."), messages.INFO)
            return redirect("admin:campaigns_campaign_change", campaign.pk)
        return TemplateResponse(
            request,
            "admin/campaigns/campaign/cancel.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Cancel the campaign"),
                "opts": self.opts,
                "original": campaign,
            },
        )


def _messages_url(campaign: Campaign) -> str:
    address = reverse("admin:notifications_message_changelist")
    return f"{address}?{urlencode({'campaign__id__exact': campaign.pk})}"
