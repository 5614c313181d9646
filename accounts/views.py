from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cities.selectors import contact_for_user

from .forms import ContactProfileForm, LinkRequestForm, NameForm
from .models import LinkRequest
from .services import LinkRefused, calendar_token_reset, link_request_create


@login_required
def profile(request):
    contact = contact_for_user(request.user)
    name_form = NameForm(request.POST or None, instance=request.user, prefix="name")
    contact_form = (
        ContactProfileForm(request.POST or None, instance=contact, prefix="contact")
        if contact
        else None
    )
    forms_valid = name_form.is_valid() and (contact_form is None or contact_form.is_valid())
    if request.method == "POST" and forms_valid:
        with transaction.atomic():
            name_form.save()
            if contact_form:
                contact_form.save()
        messages.success(request, _("Your profile has been saved."))
        response = redirect("accounts:profile")
        if contact:
            # The portal follows the language the person chose for their e-mails.
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, contact.language)
        return response
    feed_url = request.build_absolute_uri(f"/calendar/{request.user.calendar_token}.ics")
    return render(
        request,
        "accounts/profile.html",
        {
            "contact": contact,
            "name_form": name_form,
            "contact_form": contact_form,
            "feed_url": feed_url,
            **_link_context(request.user, contact),
        },
    )


def _link_context(user, contact, form=None) -> dict:
    """For an account that speaks for no city: its latest request, or the form to ask."""
    if contact is not None:
        return {}
    latest = LinkRequest.objects.filter(user=user).select_related("city").first()
    waiting = latest if latest and latest.status == LinkRequest.Status.OPEN else None
    return {
        "link_request": latest,
        "link_form": None if waiting else form or LinkRequestForm(prefix="link"),
    }


@login_required
@require_POST
def link_request(request):
    """The person names their municipality; its coordinators are told (issue 15, item 5)."""
    form = LinkRequestForm(request.POST, prefix="link")
    if form.is_valid():
        try:
            link_request_create(user=request.user, **form.cleaned_data)
        except LinkRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(
                request,
                _(
                    "Thank you. The coordinators have been told; you will get an e-mail "
                    "once your account is linked to your city."
                ),
            )
        return redirect("accounts:profile")
    contact = contact_for_user(request.user)
    feed_url = request.build_absolute_uri(f"/calendar/{request.user.calendar_token}.ics")
    context = {
        "contact": contact,
        "name_form": NameForm(instance=request.user, prefix="name"),
        "contact_form": None,
        "feed_url": feed_url,
        **_link_context(request.user, contact, form),
    }
    return render(request, "accounts/profile.html", context, status=400)


@login_required
@require_POST
def reset_calendar_token(request):
    calendar_token_reset(user=request.user)
    messages.success(
        request, _("Your calendar address has been changed; the old one no longer works.")
    )
    return redirect("accounts:profile")
