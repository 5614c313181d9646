"""The admin page that proposes a network's host rotation (docs/DESIGN.md rule 1), lets the
coordinator change each meeting's day and host, names every deviation from the rule, and creates
the meetings once accepted. The rules themselves live in exchanges.services."""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from access import rules
from cities.models import City

from ..models import ExchangeMeeting, Membership
from ..services import (
    MEETINGS_PER_NETWORK,
    SATURDAY,
    RotationRow,
    network_rotation_accept,
    network_rotation_propose,
    network_rotation_revise,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RotationForm(forms.Form):
    """The period of a proposed rotation."""

    first_date = forms.DateField(label=_("first meeting on"), widget=DATE_INPUT)
    last_date = forms.DateField(label=_("last meeting on"), widget=DATE_INPUT)


class HostChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, role_of, **kwargs):
        super().__init__(*args, **kwargs)
        self.role_of = role_of

    def label_from_instance(self, city):
        return f"{city.name} ({self.role_of[city.pk]})"


class RotationRowForm(forms.Form):
    """One proposed meeting: the day and the host are the coordinator's to change."""

    def __init__(self, *args, number, network, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        label = network.programme.role_label
        self.fields["day"] = forms.DateField(
            label=_("date"),
            widget=forms.DateInput(
                attrs={"type": "date", "aria-label": _("Date of meeting %s") % number},
                format="%Y-%m-%d",
            ),
        )
        self.fields["host_city"] = HostChoiceField(
            queryset=City.objects.filter(memberships__network=network).order_by("name"),
            role_of={m.city_id: label(m.role) for m in memberships},
            required=False,
            empty_label=_("online, no host"),
            label=_("host"),
            widget=forms.Select(attrs={"aria-label": _("Host of meeting %s") % number}),
        )


class BaseRotationFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "number": index + 1}


RotationFormSet = forms.formset_factory(
    RotationRowForm,
    formset=BaseRotationFormSet,
    extra=0,
    min_num=MEETINGS_PER_NETWORK,
    max_num=MEETINGS_PER_NETWORK,
    validate_min=True,
    validate_max=True,
)


class RotationAdminMixin:
    """For NationalNetworkAdmin: the rotation page at <network>/rotation/."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        rotation = path(
            "<path:object_id>/rotation/",
            self.admin_site.admin_view(self.rotation_view),
            name="{}_{}_rotation".format(*info),
        )
        # Before the default URLs: their catch-all "<path:object_id>/" would swallow it.
        return [rotation, *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "can_plan_rotation": self._may_plan(request)}
        return super().change_view(request, object_id, form_url, extra_context)

    def _may_plan(self, request, network=None) -> bool:
        """Planning edits the network's series and creates meetings: both permissions."""
        may_add = rules.may(request.user, "add", ExchangeMeeting)
        return may_add and self.has_change_permission(request, network)

    def rotation_view(self, request, object_id):
        network = self.get_object(request, unquote(object_id))
        if network is None:
            raise Http404
        if not self._may_plan(request, network):
            raise PermissionDenied
        period = RotationForm(request.POST or None)
        memberships = list(Membership.objects.filter(network=network).select_related("city"))
        row_kwargs = {"network": network, "memberships": memberships}
        rows, rotation = None, None
        if period.is_valid():
            try:
                if "propose" in request.POST:
                    rotation = network_rotation_propose(network=network, **period.cleaned_data)
                else:
                    rows = RotationFormSet(request.POST, form_kwargs=row_kwargs)
                    if rows.is_valid():
                        edited = [RotationRow(**form.cleaned_data) for form in rows]
                        if "accept" in request.POST:
                            meetings = network_rotation_accept(network=network, rows=edited)
                            self._message_accepted(request, network, meetings)
                            return redirect(
                                reverse("admin:exchanges_nationalnetwork_change", args=[network.pk])
                            )
                        rotation = network_rotation_revise(network=network, rows=edited)
            except ValidationError as error:
                period.add_error(None, error)
        if rotation is not None:
            # A fresh formset: the revision numbers the meetings by day, and the rows follow.
            initial = [{"day": row.day, "host_city": row.host_city} for row in rotation.rows]
            rows = RotationFormSet(initial=initial, form_kwargs=row_kwargs)
        return TemplateResponse(
            request,
            "admin/exchanges/nationalnetwork/rotation.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Propose host rotation"),
                "opts": self.opts,
                "original": network,
                "form": period,
                "rows": rows,
                "table": self._table(network, rows, rotation),
                "deviations": rotation.deviations if rotation else [],
            },
        )

    def _table(self, network, rows, rotation) -> list[dict]:
        """The proposal's rows, each with its form and what follows from it."""
        if rows is None:
            return []
        if rotation is None:  # rows with errors: the forms alone, to correct
            return [{"number": i, "form": form} for i, form in enumerate(rows, start=1)]
        return [
            {
                "number": meeting.number,
                "form": form,
                "weekday": formats.date_format(meeting.start.date(), "l"),
                "weekend": meeting.start.weekday() >= SATURDAY,
                "time": (
                    f"{formats.time_format(meeting.start, 'TIME_FORMAT')}–"
                    f"{formats.time_format(meeting.end, 'TIME_FORMAT')} {meeting.start.tzinfo}"
                ),
                "title": meeting.title,
            }
            for form, meeting in zip(rows, rotation.meetings, strict=True)
        ]

    def _message_accepted(self, request, network, meetings):
        message = ngettext(
            "%(count)s national exchange was planned for %(network)s.",
            "%(count)s national exchanges were planned for %(network)s.",
            len(meetings),
        )
        self.message_user(
            request, message % {"count": len(meetings), "network": network}, messages.SUCCESS
        )
