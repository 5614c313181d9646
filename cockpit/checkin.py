"""The coordinator's check-in page for a meeting, made for a phone at the door (issue 13, item 6).

The camera scanner (static/js/check-in.js) posts a code and reads the answer as JSON; without
JavaScript the same form takes a typed code, and the search lists the people to check in by
hand. The rules are exchanges.checkin's; these views authorize, call it and say what happened.
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from access import rules
from cities.models import City, Contact
from exchanges import checkin
from exchanges.models import ExchangeMeeting
from privacy.notices import notice_current

from .views import meeting_to_work_on

PER_PAGE = 20


# The forms of these pages only: exchanges.forms holds the participants' forms.
class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Code"), max_length=100)


class SearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Search by name, city or e-mail"), max_length=100, required=False
    )


class WalkInForm(forms.Form):
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=100)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=100)
    email = forms.EmailField(label=gettext_lazy("E-mail address"))
    city = forms.ModelChoiceField(label=gettext_lazy("City"), queryset=City.objects.none())
    # The notice that applies is linked on the page; the registration records its version.
    consent = forms.BooleanField(
        label=gettext_lazy("The person has read the privacy notice and accepts it."),
        widget=forms.CheckboxInput(attrs={"aria-describedby": "privacy-notice-link"}),
    )

    def __init__(self, *args, cities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = cities


def _query(request) -> str:
    form = SearchForm(request.GET)
    return form.cleaned_data["q"] if form.is_valid() else ""


@login_required
@require_GET
def check_in_page(request, pk):
    meeting = meeting_to_work_on(request, pk)
    query = _query(request)
    rows = checkin.check_in_search(meeting=meeting, query=query)
    context = {
        "meeting": meeting,
        "counts": checkin.check_in_counts(meeting=meeting),
        "closed": checkin.check_in_refusal(meeting=meeting),
        "code_form": CodeForm(),
        "search_form": SearchForm(initial={"q": query}),
        "query": query,
        "page": Paginator(rows, PER_PAGE).get_page(request.GET.get("page")),
        "latest": checkin.check_ins_latest(meeting=meeting),
    }
    return render(request, "cockpit/check_in.html", context)


@login_required
@require_POST
def check_in_scan(request, pk):
    """A code read by the camera or typed in."""
    meeting = meeting_to_work_on(request, pk)
    form = CodeForm(request.POST)
    if not form.is_valid():
        refusal = checkin.CheckInRefused(_("Scan or type a code."), "empty")
        return _answer(request, meeting, refusal)
    return _check_in(request, meeting, code=form.cleaned_data["code"])


@login_required
@require_POST
def check_in_registration(request, pk, registration_id):
    """The "Check in" button of a person found by the search."""
    meeting = meeting_to_work_on(request, pk)
    return _check_in(request, meeting, registration_id=registration_id)


def _check_in(request, meeting: ExchangeMeeting, **found):
    try:
        result = checkin.registration_check_in(meeting_id=meeting.pk, by=request.user, **found)
    except checkin.CheckInRefused as refusal:
        return _answer(request, meeting, refusal)
    return _answer(request, meeting, result)


def _answer(request, meeting: ExchangeMeeting, result):
    """JSON for the scanner's fetch (it asks for it), else a message and back to the page."""
    state, text = _said(meeting, result)
    if "application/json" in request.headers.get("Accept", ""):
        counts = checkin.check_in_counts(meeting=meeting)
        count = _("%(checked)s of %(expected)s checked in") % {
            "checked": counts["checked_in"],
            "expected": counts["expected"],
        }
        status = 400 if state == "refused" else 200
        return JsonResponse({"state": state, "message": text, "count": count}, status=status)
    level = {"checked_in": messages.SUCCESS, "already": messages.WARNING}.get(state, messages.ERROR)
    messages.add_message(request, level, text)
    return _back(meeting, request.POST.get("q", ""))


def _said(meeting: ExchangeMeeting, result) -> tuple[str, str]:
    if isinstance(result, checkin.CheckInRefused):
        return "refused", result.message
    contact = result.registration.contact
    person = {"name": contact.full_name, "city": contact.city.name}
    if result.already:
        return "already", _("%(name)s (%(city)s) was already checked in at %(time)s.") % {
            **person,
            "time": _when(meeting, result.checked_in_at),
        }
    return "checked_in", _("%(name)s (%(city)s) is checked in.") % person


def _when(meeting: ExchangeMeeting, moment) -> str:
    """The time alone on the day of the check-in, in the meeting's zone; the date otherwise."""
    local = moment.astimezone(meeting.tz)
    today = timezone.now().astimezone(meeting.tz).date()
    if local.date() == today:
        return formats.time_format(local, "TIME_FORMAT")
    return formats.date_format(local, "MONTH_DAY_TIME_FORMAT")


def _back(meeting: ExchangeMeeting, query: str) -> HttpResponseRedirect:
    url = reverse("cockpit:check_in", kwargs={"pk": meeting.pk})
    query = query.strip()[:100]
    return HttpResponseRedirect(f"{url}?{urlencode({'q': query})}" if query else url)


# --- Walk-ins ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def walk_in(request, pk):
    """Someone who came without registering: find their contact, or add them, and check in."""
    meeting = meeting_to_work_on(request, pk)
    cities = rules.visible(request.user, checkin.walk_in_cities(meeting=meeting))
    form = WalkInForm(cities=cities)
    if request.method == "POST":
        if "contact" in request.POST:
            return _walk_in_existing(request, meeting)
        form = WalkInForm(request.POST, cities=cities)
        if form.is_valid():
            done = _walk_in_register(request, meeting, **form.cleaned_data)
            if done:
                return done
    query = _query(request)
    contacts = rules.visible(request.user, Contact.objects.all())
    candidates = checkin.walk_in_candidates(meeting=meeting, contacts=contacts, query=query)
    context = {
        "meeting": meeting,
        "form": form,
        "search_form": SearchForm(initial={"q": query}),
        "query": query,
        "page": Paginator(candidates, PER_PAGE).get_page(request.GET.get("page"))
        if query
        else None,
        "closed": checkin.check_in_refusal(meeting=meeting),
        "notice": notice_current(programme=meeting.programme),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "cockpit/walk_in.html", context, status=status)


def _walk_in_existing(request, meeting: ExchangeMeeting):
    contact_id = request.POST.get("contact", "")
    contacts = rules.visible(request.user, Contact.objects.select_related("city"))
    contact = contacts.filter(pk=int(contact_id)).first() if contact_id.isdigit() else None
    if contact is None:
        messages.error(request, _("This person is not among your contacts."))
        return redirect("cockpit:walk_in", pk=meeting.pk)
    consent = request.POST.get("consent") == "on"
    done = _walk_in_register(request, meeting, contact=contact, consent=consent)
    return done or redirect("cockpit:walk_in", pk=meeting.pk)


def _walk_in_register(request, meeting: ExchangeMeeting, **person):
    """Register and check in; back to the check-in page, or None (the message says why)."""
    try:
        registration = checkin.walk_in_register(meeting_id=meeting.pk, by=request.user, **person)
    except checkin.CheckInRefused as refusal:
        messages.error(request, refusal.message)
        return None
    contact = registration.contact
    messages.success(
        request,
        _("%(name)s (%(city)s) is registered and checked in.")
        % {"name": contact.full_name, "city": contact.city.name},
    )
    return redirect("cockpit:check_in", pk=meeting.pk)
