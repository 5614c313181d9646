"""Calls and applications on the public site. Views authorize, fetch, call one
service and respond; someone else's application is simply not there (404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import OperationalError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cities.models import Contact
from cities.selectors import contact_for_user
from exchanges.languages import programme_speak
from notifications.limits import MailLimitReached

from . import selectors, services
from .forms import ApplicationForm
from .models import Application


def _own_application(user, call) -> Application | None:
    if not user.is_authenticated:
        return None
    return Application.objects.filter(call=call, applicant=user).select_related("city").first()


def _initial_for(contact: Contact | None) -> dict:
    """A signed-in city contact starts from what the portal knows about them."""
    if contact is None:
        return {}
    return {
        "city": contact.city_id,
        "country": contact.city.country_id,
        "contact_name": contact.full_name,
        "contact_email": contact.email,
        "contact_phone": contact.phone,
        "contact_position": contact.position,
        "language": contact.language,
    }


@require_GET
def call_list(request):
    return render(request, "calls/call_list.html", selectors.call_list())


def _render_call(request, call, form=None, status=200):
    programme_speak(request, call.programme)
    application = _own_application(request.user, call)
    closed = services.call_closed_reason(call=call)
    if form is None and request.user.is_authenticated and not closed:
        if application is not None and application.is_decided:
            form = None
        else:
            initial = None if application else _initial_for(contact_for_user(request.user))
            form = ApplicationForm(
                call=call, user=request.user, application=application, initial=initial
            )
    context = {
        "call": call,
        "questions": call.questions.all(),
        "closed_reason": closed,
        "is_open": closed is None,
        "not_yet_open": closed is not None and not call.has_closed(),
        "application": application,
        "form": form,
    }
    return render(request, "calls/call_detail.html", context, status=status)


@require_GET
def call_detail(request, slug):
    call = get_object_or_404(selectors.call_detail_queryset(), slug=slug)
    return _render_call(request, call)


@login_required
@require_POST
def call_apply(request, slug):
    """Send or change an application. After the deadline nothing is read or written."""
    call = get_object_or_404(selectors.call_detail_queryset(), slug=slug)
    closed = services.call_closed_reason(call=call)
    if closed:
        messages.error(request, closed)
        return redirect(call)
    application = _own_application(request.user, call)
    form = ApplicationForm(
        request.POST, request.FILES, call=call, user=request.user, application=application
    )
    if not form.is_valid():
        return _render_call(request, call, form=form, status=400)
    try:
        saved = services.application_submit(
            call_id=call.pk,
            user=request.user,
            data=form.applicant_data(),
            answers=form.answers(),
        )
    except (services.ApplicationRefused, MailLimitReached) as refusal:
        messages.error(request, refusal.message)
        return redirect(call)
    except OperationalError:  # the call's lock was not free in time
        messages.error(request, _("Many applications are arriving right now. Please try again."))
        return redirect(call)
    if application is None:
        messages.success(
            request, _("Thank you: your application has been received. A copy is on its way.")
        )
    else:
        messages.success(request, _("Your application has been updated. A copy is on its way."))
    return redirect(saved)


@require_GET
def call_slides(request, slug):
    """The webinar slides are public, but served through the app: no storage URL is exposed."""
    call = get_object_or_404(selectors.public_calls(), slug=slug)
    if call.slides_url:
        return redirect(call.slides_url)
    if not call.slides_file:
        raise Http404
    try:
        handle = call.slides_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, filename=call.slides_file.name.rsplit("/", 1)[-1])


@login_required
@require_GET
def my_applications(request):
    rows = list(selectors.user_applications(user=request.user))
    return render(request, "calls/my_applications.html", {"applications": rows})


@login_required
@require_GET
def application_detail(request, pk):
    application = selectors.application_for(user=request.user, pk=pk)
    if application is None:
        raise Http404
    context = {
        "application": application,
        "call": application.call,
        "answers": services.answers_for(application),
        "is_open": application.call.is_open(timezone.now()),
        "is_own": application.applicant_id == request.user.pk,
    }
    return render(request, "calls/application_detail.html", context)


@login_required
@require_GET
def answer_file(request, pk, answer_pk):
    """An applicant's file: only the applicant and coordinators ever get it."""
    answer = selectors.answer_for(user=request.user, application_pk=pk, answer_pk=answer_pk)
    if answer is None:
        raise Http404
    try:
        handle = answer.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=answer.filename)
    response["Cache-Control"] = "private, no-store"
    return response
