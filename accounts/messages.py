"""allauth's e-mails as kinds of message (issue 14, items 3 and 5): the same defaults in files,
overridable portal-wide (they belong to no programme), sent through the outbox.

Registered from AccountsConfig.ready(); AccountAdapter.send_mail renders a registered one with
account_values, and leaves any other allauth e-mail to allauth's own templates.
"""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications.kinds import KINDS, Kind, kind_register

ACCOUNT_PLACEHOLDERS = {
    "recipient_name": gettext_lazy("The person's name, if the portal knows it"),
    "greeting": gettext_lazy("“Dear …,” with the person's name, or “Hello,” without one"),
    "email": gettext_lazy("The e-mail address the message goes to"),
    "site_url": gettext_lazy("The portal's address"),
}
ACTIVATE = {"activate_url": gettext_lazy("The link that confirms the address")}
RESET = {"password_reset_url": gettext_lazy("The link to choose a new password")}
SIGNUP = {"signup_url": gettext_lazy("The link to sign up")}

# allauth's template prefix (account/email/<name>) -> our kind, its label and its own links.
ACCOUNT_KINDS = {
    "email_confirmation_signup": (
        "account_signup_confirmation",
        gettext_lazy("Sign-up: confirm the e-mail address"),
        ACTIVATE,
    ),
    "email_confirmation": (
        "account_email_confirmation",
        gettext_lazy("Confirm an added e-mail address"),
        ACTIVATE,
    ),
    "password_reset_key": (
        "account_password_reset",
        gettext_lazy("Password reset"),
        RESET,
    ),
    "account_already_exists": (
        "account_already_exists",
        gettext_lazy("Sign-up with an address that has an account"),
        RESET,
    ),
    "unknown_account": (
        "account_unknown_account",
        gettext_lazy("Password reset for an address without an account"),
        SIGNUP,
    ),
}


def account_kind(template_prefix: str) -> str | None:
    """The kind of allauth's e-mail `account/email/<name>`, or None for one we leave to it."""
    entry = ACCOUNT_KINDS.get(template_prefix.rsplit("/", 1)[-1])
    return entry[0] if entry and entry[0] in KINDS else None


def account_values(*, email: str, name: str, context: dict) -> dict:
    """The placeholders of an account e-mail from allauth's context, in the active language."""
    greeting = _("Dear %(name)s,") % {"name": name} if name else _("Hello,")
    values = {"recipient_name": name, "greeting": greeting, "email": email}
    values["site_url"] = settings.SITE_URL
    for link in ("activate_url", "password_reset_url", "signup_url"):
        values[link] = str(context.get(link, ""))
    return values


def _sample(programme):
    """The latest verified address, with links of the kind it would get (not working ones)."""
    address = EmailAddress.objects.filter(verified=True).select_related("user").last()
    if address is None:
        return None
    links = {
        "activate_url": reverse("account_confirm_email", args=["example-key"]),
        "password_reset_url": reverse("account_reset_password"),
        "signup_url": reverse("account_signup"),
    }
    context = {name: f"{settings.SITE_URL}{path}" for name, path in links.items()}
    name = address.user.get_full_name()
    return account_values(email=address.email, name=name, context=context)


def register() -> None:
    group = gettext_lazy("Accounts")
    for code, label, links in ACCOUNT_KINDS.values():
        kind_register(
            Kind(
                code=code,
                label=label,
                group=group,
                placeholders={**ACCOUNT_PLACEHOLDERS, **links},
                sample=_sample,
                per_programme=False,
            )
        )


# --- Who speaks for a city (issue 15, item 5) -------------------------------------------------

LINK_REQUEST_PLACEHOLDERS = {
    "recipient_name": gettext_lazy("The coordinator's name"),
    "person_name": gettext_lazy("The name of the person asking"),
    "person_email": gettext_lazy("Their verified e-mail address"),
    "municipality": gettext_lazy("The municipality they named"),
    "country_name": gettext_lazy("Its country"),
    "position": gettext_lazy("Their position (may be empty)"),
    "note": gettext_lazy("Their note to the coordinators (may be empty)"),
    "review_url": gettext_lazy("The link to the request in the administration"),
}
LINKED_PLACEHOLDERS = {
    "recipient_name": gettext_lazy("The person's name"),
    "city_name": gettext_lazy("The city the account is now linked to"),
    "my_meetings_url": gettext_lazy("The link to the person's “My meetings” page"),
    "site_url": gettext_lazy("The portal's address"),
}


def link_request_values(request) -> dict:
    user = request.user
    return {
        "person_name": user.get_full_name() or user.email,
        "person_email": user.email,
        "municipality": request.city.name if request.city else request.city_name,
        "country_name": str(request.country.name),
        "position": request.position,
        "note": request.note,
        "review_url": settings.SITE_URL
        + reverse("admin:accounts_linkrequest_change", args=[request.pk]),
    }


def linked_values(contact) -> dict:
    return {
        "city_name": contact.city.name,
        "my_meetings_url": settings.SITE_URL + reverse("exchanges:my_meetings"),
        "site_url": settings.SITE_URL,
    }


def _link_request_sample(programme):
    from .models import LinkRequest

    request = (
        LinkRequest.objects.filter(country__networks__programme=programme)
        .select_related("user", "city", "country")
        .last()
    )
    return link_request_values(request) if request else None


def _linked_sample(programme):
    from cities.models import Contact

    contact = Contact.objects.filter(user__isnull=False).select_related("city").last()
    return linked_values(contact) if contact else None


def register_links() -> None:
    group = gettext_lazy("Accounts")
    kind_register(
        Kind(
            code="link_request",
            label=gettext_lazy("Someone asks to be linked to a city"),
            group=group,
            placeholders=LINK_REQUEST_PLACEHOLDERS,
            sample=_link_request_sample,
        )
    )
    kind_register(
        Kind(
            code="account_linked",
            label=gettext_lazy("The account is linked to a city"),
            group=group,
            placeholders=LINKED_PLACEHOLDERS,
            sample=_linked_sample,
            per_programme=False,
        )
    )
