import uuid

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib import admin
from django.contrib.sites.shortcuts import get_current_site
from django.urls import reverse
from django.utils import translation

from cities.models import Contact
from cities.selectors import contact_for_user
from notifications.kinds import message_render
from notifications.services import message_store

from .messages import account_kind, account_values
from .services import contact_link_account


def _contact_for_address(email: str) -> Contact | None:
    """The contact this address belongs to: the contact's own address, or an address of the
    account a contact is linked to."""
    contact = Contact.objects.filter(email__iexact=email).first()
    if contact is None:
        contact = Contact.objects.filter(user__emailaddress__email__iexact=email).first()
    return contact


def _language_for(contact: Contact | None) -> str:
    """A contact's chosen language, else the language the person is using the portal in.

    Accounts have no language of their own: the contact row holds it (docs/DESIGN.md, cities).
    """
    language = contact.language if contact else translation.get_language()
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        """Where a person lands after signing in (when no `next` says otherwise): coordinators
        in the admin, city staff in their meetings, partners on the programmes, and an account
        linked to nothing on its profile, to name its municipality.

        Whether someone may use the admin is the admin's own question, asked as it asks it.
        """
        if admin.site.has_permission(request):
            return reverse("admin:index")
        if contact_for_user(request.user) is not None:
            return reverse("exchanges:my_meetings")
        if not request.user.roles.exists():
            # Someone who speaks for no city yet, and holds no role: told what happens next,
            # and asked for their municipality (issue 15, item 5).
            return reverse("accounts:profile") + "#link"
        return reverse("exchanges:home")

    def confirm_email(self, request, email_address):
        """A verified e-mail that belongs to a contact links the account to that contact."""
        confirmed = super().confirm_email(request, email_address)
        if confirmed:
            contact_link_account(user=email_address.user, email=email_address.email)
        return confirmed

    def send_mail(self, template_prefix, email, context):
        """allauth's e-mails in the recipient's language, through the outbox: the request
        writes a row and never waits for, or fails with, the SMTP server (issue 14). The five
        allauth sends are message kinds a coordinator may rewrite (accounts.messages); any
        other keeps allauth's templates, greeted and signed by templates/account/email/base_*."""
        contact = _contact_for_address(email)
        language = _language_for(contact)
        user = context.get("user")
        name = contact.full_name if contact else user.get_full_name() if user else ""
        request = allauth_context.request
        context = {
            # What allauth's own send_mail gives its templates.
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **context,
            "site_url": settings.SITE_URL,
            "recipient_name": name,
            "LANGUAGE_CODE": language,
        }
        # Ours are kinds with flat placeholders a coordinator may rewrite (accounts.messages);
        # any other e-mail allauth sends keeps its own templates.
        kind = account_kind(template_prefix)
        if kind is not None:
            with translation.override(language):
                values = account_values(email=email, name=name, context=context)
            subject, body_text, html = message_render(kind=kind, language=language, values=values)
            subject = self.format_email_subject(subject)
        else:
            subject, body_text, html = self._rendered_by_allauth(
                template_prefix, email, context, language
            )
        message_store(
            # Every sending is its own event: a second reset link is a second message.
            key=f"account:{template_prefix.rsplit('/', 1)[-1]}:{uuid.uuid4()}",
            kind=kind or f"account_{template_prefix.rsplit('/', 1)[-1]}",
            email=email,
            name=name,
            language=language,
            subject=subject,
            body_text=body_text,
            body_html=html,
            requested_by=user if getattr(user, "pk", None) else None,
        )

    def _rendered_by_allauth(self, template_prefix, email, context, language):
        with translation.override(language):
            rendered = self.render_mail(template_prefix, email, context)
        html = next(
            (
                body
                for body, mimetype in getattr(rendered, "alternatives", [])
                if mimetype == "text/html"
            ),
            "",
        )
        return rendered.subject, rendered.body, html

    def render_mail(self, template_prefix, email, context, headers=None):
        headers = {"Content-Language": translation.get_language(), **(headers or {})}
        return super().render_mail(template_prefix, email, context, headers=headers)


def link_contact_on_signup(sender, request, user, **kwargs):
    """A sign-up whose address is already verified (it came through an invitation link) links
    the contact at once; other sign-ups link when their address is confirmed."""
    for address in EmailAddress.objects.filter(user=user, verified=True):
        contact_link_account(user=user, email=address.email)
