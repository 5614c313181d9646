"""Certificates of attendance that anyone can verify (issue 13, item 7).

A certificate names its issuer (the programme and its coordinating partner), carries the
programme's logo, funding statement and signatory, and prints a short code. The code's public
page (/certificates/<code>/) confirms who attended what and when, says so when the attendance no
longer stands, and says that no certificate has a forged or unknown code. The page shows only
what the certificate itself prints: never an e-mail address.
"""

import base64
import datetime as dt
import logging
import mimetypes
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from exchanges.models import Registration, RegistrationStatus, new_certificate_code
from exchanges.selectors import taken_place
from meetings.models import Partner
from multiply.refusals import Refused

from .models import Document

logger = logging.getLogger(__name__)

# A fresh code is one of 32^12: a collision is rare, several in a row mean something else broke.
ATTEMPTS = 5
CODE_LENGTH = 12


class CertificateRefused(Refused):
    """No certificate without attendance of a meeting that has taken place."""


def certificate_issue(*, registration: Registration) -> str:
    """The registration's certificate code, given once and kept for good.

    One conditional UPDATE (where there is no code yet, for attendance of a meeting that has
    taken place) decides, so two downloads at once cannot give two codes; a code that another
    certificate already has is drawn again. Refused (CertificateRefused) unless the person
    attended a meeting that has taken place: a certificate says no more than happened.
    """
    attended = Registration.objects.filter(
        taken_place(prefix="meeting__"), pk=registration.pk, status=RegistrationStatus.ATTENDED
    )
    for _attempt in range(ATTEMPTS):
        try:
            with transaction.atomic():  # a savepoint: a collision leaves the caller's work intact
                issued = attended.filter(certificate_code__isnull=True).update(
                    certificate_code=new_certificate_code()
                )
        except IntegrityError:
            continue  # the code is another certificate's: draw again
        code = attended.values_list("certificate_code", flat=True).first()
        if code is None:
            raise CertificateRefused(
                _("A certificate is only for attendance of a meeting that has taken place."),
                "not_attended",
            )
        registration.certificate_code = code
        if issued:
            _withdraw_uncoded(registration)
        return code
    raise RuntimeError(f"registration {registration.pk}: no free certificate code")


def _withdraw_uncoded(registration: Registration) -> None:
    """Certificates rendered before the registration had its code do not print it: drop them,
    so that the next download renders one that does instead of serving the old file."""
    Document.objects.filter(
        kind=Document.Kind.CERTIFICATE,
        registration_id=registration.pk,
        status=Document.Status.READY,
    ).delete()


def certificate_url(*, code: str) -> str:
    """The full address of the code's public page, printed on the certificate."""
    path = reverse("reports:certificate_verify", kwargs={"code": code})
    return settings.SITE_URL.rstrip("/") + path


def certificate_code_normalise(raw: str) -> str | None:
    """A code as typed (any case, spaces, dashes or none) in its printed form ABCD-EFGH-JKLM;
    None when it cannot be one."""
    characters = re.sub(r"[^0-9A-Za-z]", "", raw or "").upper()
    if len(characters) != CODE_LENGTH:
        return None
    return "-".join(characters[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def certificate_issuer(*, programme) -> Partner | None:
    """The programme's coordinating partner, which issues its certificates with it."""
    return Partner.objects.filter(programme=programme, is_coordinator=True).first()


def certificate_logo(*, programme) -> str:
    """The programme's logo as a data URI for WeasyPrint, read through the storage API (the
    worker may not share a disk with the web). A missing or unreadable file leaves the
    certificate without a logo rather than without a certificate."""
    if not programme.logo:
        return ""
    try:
        with programme.logo.open("rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        logger.warning("programme %s: logo %s cannot be read", programme.pk, programme.logo.name)
        return ""
    mime = mimetypes.guess_type(programme.logo.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def certificate_context(*, registration: Registration) -> dict:
    """What a certificate prints beyond the attendance itself: issuer, logo, code and address.
    The code is issued here too, so a certificate rendered by any path carries it."""
    programme = registration.meeting.programme
    code = certificate_issue(registration=registration)
    return {
        "programme": programme,
        "issuer": certificate_issuer(programme=programme),
        "logo": certificate_logo(programme=programme),
        "code": code,
        "verify_url": certificate_url(code=code),
    }


@dataclass(frozen=True)
class Verification:
    """What a certificate's public page confirms, in the reader's language."""

    code: str
    name: str
    city: str
    country: str
    meeting: str
    kind: str
    programme: str
    issuer: str
    start: dt.date
    end: dt.date
    # False once the registration is no longer "attended" or the meeting no longer took place
    # (cancelled or postponed afterwards): the certificate is withdrawn.
    stands: bool


def certificate_verify(*, code: str) -> Verification | None:
    """The certificate with this code, or None: a forged or unknown code names nobody."""
    normalised = certificate_code_normalise(code)
    if normalised is None:
        return None
    registration = (
        Registration.objects.select_related("contact__city__country", "meeting__programme")
        .filter(certificate_code=normalised)
        .first()
    )
    if registration is None:
        return None
    meeting, contact = registration.meeting, registration.contact
    issuer = certificate_issuer(programme=meeting.programme)
    return Verification(
        code=normalised,
        name=contact.full_name,
        city=contact.city.name,
        country=contact.city.country.name,
        meeting=meeting.title,
        kind=meeting.get_kind_display(),
        programme=meeting.programme.name,
        issuer=issuer.name if issuer else "",
        start=meeting.local_start.date(),
        end=meeting.local_end.date(),
        stands=registration.status == RegistrationStatus.ATTENDED and meeting.has_taken_place,
    )
