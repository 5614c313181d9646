from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from access import rules
from access.admin import ScopedMixin
from exchanges.models import Membership, Programme

from .models import Mentorship, MentorshipContact, MentorshipKind
from .services import mentorships_accept, mentorships_propose


class MentorshipContactInline(ScopedMixin, admin.TabularInline):
    model = MentorshipContact
    extra = 1
    fields = ["date", "form", "note"]


class ProposeForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=_("New cohort (programme)"), queryset=Programme.objects.order_by("-start_date")
    )
    previous = forms.ModelChoiceField(
        label=_("Previous cohort: its cities mentor"),
        queryset=Programme.objects.order_by("-start_date"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=MentorshipKind.choices, initial=MentorshipKind.MENTORING
    )
    start_date = forms.DateField(label=_("Start"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(
        label=_("End"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = rules.programmes_run(user).order_by("-start_date")
        self.fields["previous"].queryset = rules.visible(
            user, Programme.objects.order_by("-start_date")
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("A mentorship cannot end before it starts."))
        return data


class MentorshipForm(forms.ModelForm):
    """Mentorship.clean checks the mentor's side; the mentee is one of the programme's cities,
    as the proposer pairs them (mentorships.services.cohort_mentees)."""

    def clean(self):
        data = super().clean()
        programme, mentee = data.get("programme"), data.get("mentee")
        if programme and mentee:
            members = Membership.objects.filter(network__programme=programme, city=mentee)
            if not members.exists():
                self.add_error(
                    "mentee",
                    _("%(city)s takes part in no network of %(programme)s.")
                    % {"city": mentee, "programme": programme},
                )
        return data


@admin.register(Mentorship)
class MentorshipAdmin(ScopedMixin, admin.ModelAdmin):
    form = MentorshipForm
    list_display = ["mentee", "mentor", "programme", "kind", "start_date", "end_date"]
    list_filter = ["programme", "kind"]
    search_fields = ["mentee__name", "mentor_city__name", "mentor_partner__name"]
    autocomplete_fields = ["programme", "mentee", "mentor_city", "mentor_partner", "mentor_contact"]
    # The mentor city comes from an earlier cohort, so it is not narrowed by the programme.
    dependent_pickers = {
        "mentee": {"programme": "memberships__network__programme"},
        "mentor_partner": {"programme": "programme"},
        "mentor_contact": {"mentor_city": "city"},
    }
    list_select_related = ["mentee", "mentor_city", "mentor_partner", "programme"]
    inlines = [MentorshipContactInline]
    change_list_template = "mentorships/admin/mentorship_change_list.html"
    fieldsets = [
        (None, {"fields": ["programme", "kind", "mentee", "start_date", "end_date"]}),
        (
            _("Mentor: a city or a partner organisation"),
            {"fields": ["mentor_city", "mentor_partner"]},
        ),
        (
            _("Mentor's contact person"),
            {"fields": ["mentor_contact", "contact_name", "contact_email", "contact_phone"]},
        ),
        (None, {"fields": ["note"]}),
    ]

    @admin.display(description=_("mentor"))
    def mentor(self, obj):
        return obj.mentor

    def get_urls(self):
        propose = path(
            "propose/",
            self.admin_site.admin_view(self.propose_view),
            name="mentorships_mentorship_propose",
        )
        return [propose, *super().get_urls()]

    def propose_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ProposeForm(request.POST or None, user=request.user)
        proposal = []
        if form.is_valid():
            data = form.cleaned_data
            try:
                proposal = mentorships_propose(
                    programme=data["programme"], previous=data["previous"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            if "accept" in request.POST and proposal:
                posted = set(request.POST.getlist("pair"))
                shown = {f"{pair.mentor.pk}:{pair.mentee.pk}" for pair in proposal}
                if posted == shown:
                    return self._accept(request, data, proposal)
                self.message_user(
                    request,
                    _("The cohorts changed since the proposal was made: here is a new one."),
                    messages.WARNING,
                )
            elif not proposal and not form.errors:
                self.message_user(
                    request, _("Every city of the new cohort already has a mentor."), messages.INFO
                )
        return TemplateResponse(
            request,
            "mentorships/admin/propose.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Propose mentorship pairs"),
                "opts": self.model._meta,
                "form": form,
                "proposal": proposal,
                "loads": _loads(proposal),
            },
        )

    def _accept(self, request, data, proposal):
        created = mentorships_accept(
            programme=data["programme"],
            pairs=[(pair.mentor.pk, pair.mentee.pk) for pair in proposal],
            kind=data["kind"],
            start_date=data["start_date"],
            end_date=data["end_date"],
        )
        self.message_user(
            request,
            ngettext("%d mentorship was created.", "%d mentorships were created.", len(created))
            % len(created),
            messages.SUCCESS,
        )
        return redirect(
            reverse("admin:mentorships_mentorship_changelist")
            + f"?programme__id__exact={data['programme'].pk}"
        )


def _loads(proposal) -> list[tuple[str, int]]:
    loads: dict[str, int] = {}
    for pair in proposal:
        loads[pair.mentor.name] = loads.get(pair.mentor.name, 0) + 1
    return sorted(loads.items())


@admin.register(MentorshipContact)
class MentorshipContactAdmin(ScopedMixin, admin.ModelAdmin):
    list_display = ["mentorship", "date", "form"]
    list_filter = ["form", "mentorship__programme"]
    autocomplete_fields = ["mentorship"]
    list_select_related = [
        "mentorship__mentee",
        "mentorship__mentor_city",
        "mentorship__mentor_partner",
    ]
