from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access import rules
from api.coordinator.token_views import tokens_section
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
    return _render_profile(request, contact, name_form, contact_form)


def _render_profile(request, contact, name_form, contact_form, link_form=None, status=200):
    """The profile page; for an account that speaks for no city also its latest request to be
    linked, or the form to ask (`link_form` when it comes back with errors). A coordinator
    works for a partner, not a city: they are not asked."""
    coordinates = rules.is_coordinator(request.user)
    context = {
        "coordinates": coordinates,
        "contact": contact,
        "name_form": name_form,
        "contact_form": contact_form,
        "feed_url": request.build_absolute_uri(f"/calendar/{request.user.calendar_token}.ics"),
        "privacy_url": reverse("privacy:portal"),
    }
    if contact is None and not coordinates:
        latest = LinkRequest.objects.filter(user=request.user).select_related("city").first()
        waiting = latest is not None and latest.status == LinkRequest.Status.OPEN
        context["link_request"] = latest
        context["link_form"] = None if waiting else link_form or LinkRequestForm(prefix="link")
    context.update(tokens_section(request))  # a coordinator's API tokens (issue 16)
    return render(request, "accounts/profile.html", context, status=status)


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
    name_form = NameForm(instance=request.user, prefix="name")
    return _render_profile(
        request, contact_for_user(request.user), name_form, None, link_form=form, status=400
    )


@login_required
@require_POST
def reset_calendar_token(request):
    calendar_token_reset(user=request.user)
    messages.success(
        request, _("Your calendar address has been changed; the old one no longer works.")
    )
    return redirect("accounts:profile")
