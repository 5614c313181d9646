"""allauth's e-mails: Multiply's wording and signature, in the language of the person they go to."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import translation

from notifications.kinds import KINDS
from notifications.models import Message, MessageTemplate

from . import factories
from .conftest import CommittingClient

pytestmark = pytest.mark.django_db

PASSWORD = "a sturdy passphrase 2026"
SIGNATURE = "Multiply – peer learning between cities"
ACCOUNT_KINDS = [
    "account_signup_confirmation",
    "account_email_confirmation",
    "account_password_reset",
    "account_already_exists",
    "account_unknown_account",
]


@pytest.fixture
def client(client, django_capture_on_commit_callbacks):
    """Account e-mail goes through the outbox, handed to Celery when the request commits."""
    return CommittingClient(client, django_capture_on_commit_callbacks)


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://portal.example.org"


def sign_up(client, email, **headers):
    data = {"email": email, "password1": PASSWORD, "password2": PASSWORD, "privacy_consent": "on"}
    return client.post("/accounts/signup/", data, headers=headers)


def html_of(message):
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def signature_in(language):
    with translation.override(language):
        return translation.gettext(SIGNATURE)


def test_signing_up_sends_a_verification_mail_in_multiplys_words(client):
    sign_up(client, "someone@elsewhere.example")

    [message] = mail.outbox
    html = html_of(message)
    assert message.subject == "[Multiply] Welcome to Multiply: please confirm your e-mail address"
    for body in (message.body, html):
        assert "Hello from" not in body and "Thank you for using" not in body
        assert SIGNATURE in body
        assert "https://portal.example.org" in body
        assert "/accounts/confirm-email/" in body
    assert message.body.startswith("Hello,")
    assert '<html lang="en">' in html
    assert message.extra_headers["Content-Language"] == "en"


def test_a_contact_gets_the_mail_in_the_contacts_language_and_by_name(client):
    factories.ContactFactory(
        email="anna.kowalska@bydgoszcz.example",
        first_name="Anna",
        last_name="Kowalska",
        language="pl",
    )
    assert signature_in("pl") != SIGNATURE  # the Polish catalogue has it

    sign_up(client, "anna.kowalska@bydgoszcz.example")  # the page itself is in English

    [message] = mail.outbox
    assert message.extra_headers["Content-Language"] == "pl"
    assert '<html lang="pl">' in html_of(message)
    assert signature_in("pl") in message.body
    assert "Anna Kowalska" in message.body


def test_without_a_contact_the_mail_speaks_the_language_of_the_page(client):
    sign_up(client, "someone@elsewhere.example", accept_language="sv")

    [message] = mail.outbox
    assert message.extra_headers["Content-Language"] == "sv"
    assert '<html lang="sv">' in html_of(message)
    assert signature_in("sv") in message.body


def test_a_password_reset_mail_is_branded_and_follows_the_linked_contact(client):
    user = factories.UserFactory(email="staff@kerava.example")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    factories.ContactFactory(user=user, email="office@kerava.example", language="fi")

    client.post("/accounts/password/reset/", {"email": "staff@kerava.example"})

    [message] = mail.outbox
    with translation.override("fi"):
        assert message.subject == "[Multiply] " + translation.gettext("Choose a new password")
    assert message.subject != "[Multiply] Choose a new password"  # Finnish, not English
    assert "/accounts/password/reset/key/" in message.body
    assert "https://portal.example.org" in message.body
    assert message.extra_headers["Content-Language"] == "fi"
    assert signature_in("fi") in message.body


@pytest.mark.parametrize(
    ("action", "subject"),
    [
        ("sign up again", "[Multiply] You already have a Multiply account"),
        ("reset an unknown address", "[Multiply] No Multiply account with this address"),
    ],
)
def test_the_mails_that_keep_accounts_private_are_branded_too(client, action, subject):
    """allauth never says on the page whether an address has an account; it e-mails the address."""
    user = factories.UserFactory(email="known@elsewhere.example")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    if action == "sign up again":
        sign_up(client, "known@elsewhere.example")
        address = "known@elsewhere.example"
    else:
        client.post("/accounts/password/reset/", {"email": "unknown@elsewhere.example"})
        address = "unknown@elsewhere.example"

    [message] = mail.outbox
    assert message.subject == subject
    for body in (message.body, html_of(message)):
        assert "Hello from" not in body
        assert address in body and SIGNATURE in body


def test_a_portal_wide_text_of_the_password_reset_is_what_is_sent(client):
    user = factories.UserFactory(email="staff@kerava.example")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    MessageTemplate.objects.create(
        programme=None,
        kind="account_password_reset",
        language="en",
        subject="New password for {{ email }}",
        body="{{ greeting }}\n\nFollow {{ password_reset_url }} to choose one.\n",
    )

    client.post("/accounts/password/reset/", {"email": "staff@kerava.example"})

    [message] = mail.outbox
    assert message.subject == "[Multiply] New password for staff@kerava.example"
    assert "/accounts/password/reset/key/" in message.body
    assert "/accounts/password/reset/key/" in html_of(message)
    assert Message.objects.get().kind == "account_password_reset"


def test_the_account_kinds_belong_to_no_programme_and_preview_a_real_address(db):
    user = factories.UserFactory(email="known@elsewhere.example", first_name="", last_name="")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    for code in ACCOUNT_KINDS:
        kind = KINDS[code]
        assert not kind.per_programme
        values = kind.sample(None)
        assert set(kind.placeholders) <= set(values)
        assert values["email"] == "known@elsewhere.example" and values["greeting"] == "Hello,"
