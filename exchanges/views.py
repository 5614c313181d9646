from urllib.parse import urlencode

from allauth.account.adapter import get_adapter as get_account_adapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, OperationalError
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from access import rules
from accounts.models import User
from cities.selectors import contact_for_user
from multiply.refusals import refusal_or_success
from notifications.limits import MailLimitReached

from . import agenda, caching, calendar_pages, feedback, invitations, qr, registrations, selectors
from .calendars import calendar_bytes
from .filters import MeetingFilter
from .forms import MeetingFeedbackForm, RegistrationForm
from .languages import programme_speak
from .models import (
    ExchangeMeeting,
    Invitation,
    MeetingFeedback,
    MeetingKind,
    QuestionPurpose,
    Registration,
    RegistrationStatus,
    Topic,
)
from .questions import answers_initial, feedback_questions, meeting_questions


@require_GET
def home(request):
    programmes = selectors.programme_list().annotate(
        network_count=Count("networks", distinct=True),
        meeting_count=Count("meetings", distinct=True),
    )
    return render(request, "exchanges/home.html", {"programmes": programmes})


@require_GET
def programme_detail(request, slug):
    programme = get_object_or_404(selectors.programme_list(), slug=slug)
    programme_speak(request, programme)
    themes = programme.themes.prefetch_related(
        Prefetch("topics", queryset=Topic.objects.order_by("order", "name")), "target_groups"
    ).order_by("order", "name")
    upcoming = calendar_pages.upcoming(
        selectors.meeting_calendar().filter(programme=programme), timezone.now()
    ).order_by("start", "pk")[:5]
    context = {
        "programme": programme,
        "networks": selectors.programme_networks(programme=programme),
        "themes": themes,
        "conference": selectors.programme_conference(programme=programme),
        "upcoming": upcoming,
        "meeting_count": programme.meetings.count(),
    }
    return render(request, "exchanges/programme_detail.html", context)


@require_GET
def meeting_list(request):
    """The public calendar. Its results are cached (see exchanges.caching); the page around them,
    which knows who is signed in, is not."""
    key = caching.calendar_key(dict(request.GET.lists()))
    results = cache.get(key)
    if results is None:
        results = render_to_string(
            "exchanges/_calendar_results.html", _calendar_context(request), request=request
        )
        cache.set(key, results, caching.LIFETIME)
    # Our own rendered HTML, from our own cache.
    return render(request, "exchanges/meeting_list.html", {"results": mark_safe(results)})


def _calendar_context(request) -> dict:
    meeting_filter = MeetingFilter(request.GET, queryset=selectors.public_meetings())
    meetings = meeting_filter.qs if meeting_filter.is_valid() else ExchangeMeeting.objects.none()
    page = calendar_pages.calendar_page(
        meetings,
        fetch=selectors.calendar_rows,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        size=settings.PAGINATE_BY,
    )
    query = request.GET.copy()
    for name in calendar_pages.PAGE_PARAMETERS:
        query.pop(name, None)
    return {
        "filter": meeting_filter,
        "page": page,
        "query": query.urlencode(),
        "is_filtered": any(
            value for key, value in request.GET.items() if key not in calendar_pages.PAGE_PARAMETERS
        ),
    }


def _render_meeting(request, meeting, form=None, status=200):
    programme_speak(request, meeting.programme)
    contact = contact_for_user(request.user)
    registration = meeting.registrations.filter(contact=contact).first() if contact else None
    confirmed = registration is not None and registration.holds_seat
    is_coordinator = rules.coordinates(request.user, meeting)
    context = {
        "meeting": meeting,
        "target_groups": meeting.theme.target_groups.all() if meeting.theme else [],
        "is_conference": meeting.kind == MeetingKind.INTERNATIONAL_CONFERENCE,
        "contact": contact,
        "registration": registration,
        "waiting_position": registration
        and registrations.waiting_position(registration=registration),
        "refusal": registrations.registration_refusal(meeting=meeting, contact=contact)
        if request.user.is_authenticated
        else registrations.registration_closed_reason(meeting=meeting),
        "form": form or _registration_form(meeting),
        "show_online_link": bool(meeting.online_url) and (confirmed or is_coordinator),
        "participants": selectors.meeting_participants(meeting=meeting)
        if confirmed or is_coordinator
        else None,
        "seats_left": selectors.meeting_seats_left(meeting=meeting),
        "is_coordinator": is_coordinator,
        "agenda": agenda.meeting_agenda_days(meeting=meeting),
    }
    return render(request, "exchanges/meeting_detail.html", context, status=status)


def _registration_form(meeting, data=None) -> RegistrationForm:
    return RegistrationForm(
        data,
        questions=meeting_questions(meeting=meeting, purpose=QuestionPurpose.REGISTRATION),
    )


@require_GET
def meeting_detail(request, pk):
    meeting = get_object_or_404(selectors.meeting_detail_queryset(), pk=pk)
    return _render_meeting(request, meeting)


@login_required
@require_POST
def meeting_register(request, pk):
    # Here only whether the meeting is public: registration_create reads what it decides by,
    # and the page with its topics, groups and materials is read only if it is shown again (a
    # form error).
    meeting = get_object_or_404(selectors.public_meetings().only("pk"), pk=pk)
    form = _registration_form(meeting, request.POST)
    if not form.is_valid():
        meeting = selectors.meeting_detail_queryset().get(pk=meeting.pk)
        return _render_meeting(request, meeting, form=form, status=400)
    try:
        registration = registrations.registration_create(
            meeting_id=meeting.pk,
            contact=contact_for_user(request.user),
            privacy_consent=form.cleaned_data["privacy_consent"],
            listed=form.cleaned_data["listed"],
            note=form.cleaned_data["note"],
            answers=form.answers(),
            questions=form.questions,
            requested_by=request.user,
        )
    except (registrations.RegistrationRefused, MailLimitReached) as refusal:
        messages.error(request, refusal.message)
        return redirect(meeting)
    except OperationalError:  # the meeting's lock was not free within the lock timeout
        messages.error(request, _("Many people are registering right now. Please try again."))
        return redirect(meeting)
    if registration.status == RegistrationStatus.PENDING:
        messages.info(
            request,
            _("Thank you: your registration waits for the organisers’ approval. We will write."),
        )
    elif registration.status == RegistrationStatus.WAITING:
        messages.warning(
            request,
            _("The meeting is full: you are number %(position)s on the waiting list.")
            % {"position": registrations.waiting_position(registration=registration)},
        )
    else:
        messages.success(request, _("You are registered. A confirmation is on its way."))
    return redirect(meeting)


def _own_registration(request, pk) -> Registration:
    """Someone else's registration is simply not there (404): nothing leaks."""
    contact = contact_for_user(request.user)
    if contact is None:
        raise Http404
    return get_object_or_404(Registration.objects.select_related("meeting"), pk=pk, contact=contact)


@login_required
@require_http_methods(["GET", "POST"])
def registration_cancel(request, pk):
    registration = _own_registration(request, pk)
    if request.method == "GET":
        return render(request, "exchanges/registration_cancel.html", {"registration": registration})
    return refusal_or_success(
        request,
        lambda: registrations.registration_cancel(
            registration_id=registration.pk, requested_by=request.user
        ),
        success=_("Your registration has been cancelled."),
        then="exchanges:my_meetings",
    )


@login_required
@require_POST
def offer_accept(request, pk):
    registration = _own_registration(request, pk)
    return refusal_or_success(
        request,
        lambda: registrations.registration_accept_offer(
            registration_id=registration.pk, requested_by=request.user
        ),
        success=_("The seat is yours: your registration is confirmed."),
        then="exchanges:my_meetings",
    )


@login_required
@require_GET
def my_meetings(request):
    contact = contact_for_user(request.user)
    rows = selectors.contact_registrations(contact=contact) if contact else []
    now = timezone.now()
    context = {
        "contact": contact,
        "upcoming": [r for r in rows if r.meeting.end >= now],
        "past": [r for r in rows if r.meeting.end < now][::-1],
    }
    return render(request, "exchanges/my_meetings.html", context)


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def meeting_ics(request, pk):
    meeting = get_object_or_404(selectors.meeting_detail_queryset(), pk=pk)
    return _ics_response(
        calendar_bytes([meeting], name=meeting.title), f"multiply-meeting-{meeting.pk}.ics"
    )


@require_GET
def personal_feed(request, token):
    """The meetings a person is confirmed for, at a secret address calendar programs poll."""
    user = get_object_or_404(User, calendar_token=token, is_active=True)
    meetings = selectors.confirmed_meetings(user=user)
    content = calendar_bytes(meetings, name=_("My Multiply meetings"), with_link=True)
    response = _ics_response(content, "multiply.ics")
    response["Cache-Control"] = "private, max-age=900"
    return response


@require_GET
def material_download(request, pk, material_pk):
    """Materials are public, but served through the app so no storage URL is ever exposed."""
    meeting = get_object_or_404(selectors.meeting_detail_queryset(), pk=pk)
    material = get_object_or_404(meeting.materials, pk=material_pk)
    if material.url:
        return redirect(material.url)
    try:
        handle = material.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=material.file.name.rsplit("/", 1)[-1])


@require_http_methods(["GET", "POST"])
def invitation_landing(request, token):
    """The personal link of an invitation: register, sign in or up first, or decline.

    Following the link proves the person reads that mailbox, so a sign-up with the invited
    address needs no second verification.
    """
    invitation = get_object_or_404(
        Invitation.objects.select_related("meeting", "contact__city"), token=token
    )
    if request.method == "POST":
        invitations.invitation_decline(invitation=invitation)
        messages.success(request, _("Thank you for letting us know: you declined."))
        return redirect(invitation)
    invitations.invitation_open(invitation=invitation)
    contact = contact_for_user(request.user)
    if contact is not None and contact.pk == invitation.contact_id:
        return redirect(invitation.meeting)
    if not request.user.is_authenticated and invitation.contact.user_id is None:
        get_account_adapter(request).stash_verified_email(request, invitation.contact.email)
    context = {
        "invitation": invitation,
        "meeting": invitation.meeting,
        "has_account": invitation.contact.user_id is not None,
        "signup_query": urlencode(
            {"email": invitation.contact.email, "next": invitation.meeting.get_absolute_url()}
        ),
        "login_query": urlencode({"next": invitation.meeting.get_absolute_url()}),
    }
    return render(request, "exchanges/invitation.html", context)


# --- Feedback on meetings --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def meeting_feedback(request, pk):
    """The form the day-after e-mail links to. Only attendees of a held meeting may answer."""
    meeting = get_object_or_404(ExchangeMeeting.objects.select_related("programme"), pk=pk)
    contact = contact_for_user(request.user, active_only=True)
    refusal = feedback.meeting_feedback_refusal(meeting=meeting, contact=contact)
    if refusal:
        context = {"meeting": meeting, "refusal": refusal}
        return render(request, "exchanges/meeting_feedback_closed.html", context, status=403)
    existing = MeetingFeedback.objects.filter(meeting=meeting, contact=contact).first()
    initial = answers_initial(existing) if existing else None
    # Bound even when posted empty: a form of optional questions may be sent as it is.
    form = MeetingFeedbackForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        questions=feedback_questions(meeting=meeting),
    )
    if request.method == "POST" and form.is_valid():
        try:
            feedback.meeting_feedback_save(meeting=meeting, contact=contact, answers=form.answers())
        except feedback.FeedbackRefused as refusal:
            messages.error(request, refusal.message)
        except IntegrityError:
            messages.error(request, _("Your answer could not be saved. Please try again."))
        else:
            messages.success(request, _("Thank you for your feedback."))
            return redirect(meeting)
    context = {"meeting": meeting, "form": form, "existing": existing}
    status = 400 if request.method == "POST" else 200
    return render(request, "exchanges/meeting_feedback.html", context, status=status)


@login_required
@require_GET
def meeting_feedback_summary(request, pk):
    """The answers counted, without names, for the meeting's coordinators."""
    if not rules.may(request.user, "view", MeetingFeedback):
        raise PermissionDenied
    meetings = rules.visible(request.user, ExchangeMeeting.objects.select_related("programme"))
    meeting = get_object_or_404(meetings, pk=pk)
    context = {"summary": selectors.meeting_feedback_summary(meeting=meeting), "meeting": meeting}
    return render(request, "exchanges/meeting_feedback_summary.html", context)


# --- The check-in code of a registration (exchanges/checkin.py) -------------------------------


@require_GET
def check_in_code(request, code, kind):
    """The QR image of a registration's check-in code, for My meetings (SVG) and the e-mail (PNG).

    No sign-in: the code is the secret, so whoever has the e-mail may see its image. An unknown
    code, or one of a registration that holds no seat, is not there (404).
    """
    registration = get_object_or_404(Registration.objects.only("code", "status"), code=code)
    if not registration.holds_seat:
        raise Http404
    if kind == "png":
        response = HttpResponse(qr.code_png(code=code), content_type="image/png")
    else:
        title = _("Check-in code %(code)s") % {"code": code}
        response = HttpResponse(qr.code_svg(code=code, title=title), content_type="image/svg+xml")
    # Private: the address carries the secret; an hour, since a cancellation withdraws it.
    response["Cache-Control"] = "private, max-age=3600"
    return response
