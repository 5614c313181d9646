"""The public pages that check a certificate's code (issue 13, item 7).

Public by design: whoever holds a certificate (an employer, a funder's auditor) checks it without
an account. The page shows only what the certificate prints, never an e-mail address, and asks
search engines not to index it.
"""

from django import forms
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from .certificates import certificate_code_normalise, certificate_verify


class CertificateLookupForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Certificate code"),
        max_length=40,
        help_text=gettext_lazy(
            "The twelve letters and digits printed on the certificate, e.g. ABCD-EFGH-JKLM."
        ),
    )

    def clean_code(self) -> str:
        code = certificate_code_normalise(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                gettext_lazy(
                    "A certificate code has twelve letters and digits, e.g. ABCD-EFGH-JKLM. "
                    "Check what you typed against the certificate."
                ),
                code="code_shape",
            )
        return code


def _page(request, context: dict, *, status: int):
    response = render(request, "reports/certificate_verify.html", context, status=status)
    # The base template has no block in <head> for a robots meta tag: the header says the same.
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-cache"  # a withdrawal shows at once
    return response


@require_GET
def certificate_lookup(request):
    """A form to type a code; a well-formed one goes to its page, a malformed one is explained."""
    form = CertificateLookupForm(request.GET if "code" in request.GET else None)
    if form.is_valid():
        return redirect("reports:certificate_verify", code=form.cleaned_data["code"])
    return _page(request, {"form": form}, status=400 if form.is_bound else 200)


@require_GET
def certificate_page(request, code):
    """Genuine, withdrawn (410) or unknown (404), whatever the case and spacing of the code."""
    verification = certificate_verify(code=code)
    status = 404 if verification is None else 200 if verification.stands else 410
    form = CertificateLookupForm()
    return _page(request, {"verification": verification, "code": code, "form": form}, status=status)
