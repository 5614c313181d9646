"""A coordinator's API tokens, made and revoked on their profile page. Only coordinators have
them (api.coordinator.tokens); for anyone else these pages are not there (404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from access import rules
from api.models import ApiToken

from .forms import TokenForm
from .tokens import token_create, token_revoke


def tokens_section(request, form=None) -> dict:
    """The profile's "API tokens" section (templates/api/_tokens_section.html): nothing for a
    person who coordinates nothing."""
    if not rules.is_coordinator(request.user):
        return {}
    return {
        "api_tokens": ApiToken.objects.filter(user=request.user),
        "api_token_form": form or TokenForm(),
    }


def _coordinator(request) -> None:
    if not rules.is_coordinator(request.user):
        raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    """The tokens, and a new one: its secret is shown on this one page and never again."""
    _coordinator(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token, secret = token_create(user=request.user, name=form.cleaned_data["name"])
        response = render(request, "api/token_created.html", {"token": token, "secret": secret})
        response["Cache-Control"] = "no-store"  # the secret stays in no cache
        return response
    status = 400 if form.is_bound else 200
    return render(request, "api/tokens.html", tokens_section(request, form), status=status)


@login_required
@require_POST
def revoke(request, pk):
    _coordinator(request)
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token_revoke(token=token, by=request.user)
    messages.success(
        request,
        _("The token “%(name)s” is revoked: it opens nothing any more.") % {"name": token.name},
    )
    return redirect(reverse("accounts:profile") + "#api-tokens")
