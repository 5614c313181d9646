"""Deleting one's account, and a coordinator erasing a contact on request (issue 15, item 3)."""

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from access import rules
from cities.models import Contact

from ..erasure import ErasureRefused, erasure_refusal, person_erase
from ..models import RemovalRecord
from ..selectors import person_of


class DeleteAccountForm(forms.Form):
    """Asks for the password: a session left open on a shared computer must not be enough."""

    password = forms.CharField(
        label=gettext_lazy("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."))
        return password


class EraseContactForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "The person asked for their data to be erased, and I understand it cannot be undone."
        ),
        error_messages={"required": gettext_lazy("Tick the box to confirm the request.")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def me_delete(request):
    person = person_of(user=request.user)
    form = DeleteAccountForm(request.POST or None, user=request.user)
    refusal = erasure_refusal(person)
    if request.method == "POST" and refusal is None and form.is_valid():
        person_erase(person=person, reason=RemovalRecord.Reason.SELF)
        logout(request)
        messages.success(request, _("Your account has been deleted and your data erased."))
        return redirect("/")
    context = {"form": form, "refusal": refusal, "person": person}
    status = 400 if request.method == "POST" else 200
    return render(request, "privacy/delete_account.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def contact_erase(request, pk):
    """A coordinator who may change the contact erases it; any other contact is not there."""
    contact = get_object_or_404(rules.visible(request.user, Contact.objects.all()), pk=pk)
    if not rules.may(request.user, "change", Contact, contact) or contact.erased_at:
        raise Http404
    person = person_of(contact=contact)
    form = EraseContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person_erase(person=person, reason=RemovalRecord.Reason.REQUEST, by=request.user)
        except ErasureRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("The contact's data has been erased."))
            return redirect("admin:cities_contact_changelist")
    context = {
        "form": form,
        "contact": contact,
        "person": person,
        "refusal": erasure_refusal(person),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "privacy/erase_contact.html", context, status=status)
