"""Registering someone on their behalf: a coordinator takes a phone call or an e-mail and
registers the contact, through the same service, rules and messages as the person would
(exchanges.registrations.registration_create with `by`)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import OperationalError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from access import rules
from cities.models import Contact
from exchanges.checkin import walk_in_candidates
from exchanges.forms import QuestionsMixin
from exchanges.models import ExchangeMeeting, QuestionPurpose, Registration
from exchanges.questions import meeting_questions
from exchanges.registrations import RegistrationRefused, registration_create
from privacy.notices import notice_current

from .views import meeting_to_work_on

SEARCH_LIMIT = 20


class OnBehalfForm(QuestionsMixin, forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note for the organisers"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # The notice that applies is linked beside the box; the registration records its version.
    privacy_consent = forms.BooleanField(
        label=gettext_lazy(
            "The person has been told of the privacy notice and agrees that their registration "
            "is stored."
        ),
        error_messages={"required": gettext_lazy("The person’s agreement is needed to register.")},
        widget=forms.CheckboxInput(attrs={"aria-describedby": "privacy-notice-link"}),
    )
    listed = forms.BooleanField(
        label=gettext_lazy("They agree that other participants may see their name and city."),
        required=False,
    )

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.add_questions(questions)


def meeting_contacts(*, user, meeting: ExchangeMeeting, query: str):
    """Contacts of the cities taking part in the meeting (docs/DESIGN.md rule 2) that the
    coordinator may see, matching the search, not registered yet (a cancelled registration
    may be made again)."""
    contacts = rules.visible(user, Contact.objects.filter(is_active=True))
    registered = Registration.objects.filter(meeting=meeting).exclude(status="cancelled")
    return walk_in_candidates(meeting=meeting, contacts=contacts, query=query).exclude(
        pk__in=registered.values("contact_id")
    )


@login_required
@require_http_methods(["GET", "POST"])
def register_contact(request, pk):
    meeting = meeting_to_work_on(request, pk)
    query = request.GET.get("q", "").strip()[:100]
    contacts = meeting_contacts(user=request.user, meeting=meeting, query=query)
    contact = None
    if request.GET.get("contact", "").isdigit():
        contact = contacts.filter(pk=request.GET["contact"]).first()
    context = {"meeting": meeting, "query": query, "contact": contact}
    if contact is None:
        found = list(contacts[: SEARCH_LIMIT + 1]) if query else []
        context |= {"found": found[:SEARCH_LIMIT], "more": len(found) > SEARCH_LIMIT}
        return render(request, "cockpit/register_contact.html", context)
    questions = meeting_questions(meeting=meeting, purpose=QuestionPurpose.REGISTRATION)
    form = OnBehalfForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        done = _register(request, meeting, contact, form)
        if done:
            return redirect("cockpit:register_contact", pk=meeting.pk)
    notice = notice_current(programme=meeting.programme)
    return render(
        request, "cockpit/register_contact.html", {**context, "form": form, "notice": notice}
    )


def _register(request, meeting, contact, form) -> bool:
    try:
        registration = registration_create(
            meeting_id=meeting.pk,
            contact=contact,
            privacy_consent=form.cleaned_data["privacy_consent"],
            listed=form.cleaned_data["listed"],
            note=form.cleaned_data["note"],
            answers=form.answers(),
            by=request.user,
        )
    except RegistrationRefused as refusal:
        messages.error(request, refusal.message)
        return False
    except OperationalError:  # the meeting's lock was not free within the lock timeout
        messages.error(request, _("Many people are registering right now. Please try again."))
        return False
    messages.success(
        request,
        _("%(name)s is registered (%(status)s) and is being told by e-mail.")
        % {"name": contact.full_name, "status": registration.get_status_display()},
    )
    return True
