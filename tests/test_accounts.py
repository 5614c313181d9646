"""Accounts: sign up by e-mail, verification links the contact, profile, admin login."""

import re

import pytest
from django.core import mail

from accounts.models import User

from . import factories
from .conftest import CommittingClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client, django_capture_on_commit_callbacks):
    """Account e-mail goes through the outbox, handed to Celery when the request commits."""
    return CommittingClient(client, django_capture_on_commit_callbacks)


PASSWORD = "a sturdy passphrase 2026"


def sign_up(client, email):
    return client.post(
        "/accounts/signup/",
        {"email": email, "password1": PASSWORD, "password2": PASSWORD, "privacy_consent": "on"},
    )


def confirm_from_mail(client):
    body = mail.outbox[-1].body
    url = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", body).group(1)
    client.get(url)
    return client.post(url, follow=True)


def test_signing_up_with_a_contacts_email_links_the_account_once_verified(client):
    contact = factories.ContactFactory(email="anna.kowalska@bydgoszcz.example", first_name="Anna")

    sign_up(client, "Anna.Kowalska@bydgoszcz.example")
    contact.refresh_from_db()
    assert contact.user is None  # not before the address is verified
    assert client.get("/me/meetings/").status_code == 302  # no session before verification

    confirm_from_mail(client)

    contact.refresh_from_db()
    assert contact.user is not None
    assert contact.user.first_name == "Anna"
    assert client.get("/me/meetings/").status_code == 200


def test_an_unknown_email_gets_an_account_with_no_city(client):
    sign_up(client, "someone@elsewhere.example")
    confirm_from_mail(client)
    user = User.objects.get(email="someone@elsewhere.example")
    assert not hasattr(user, "contact") or user.contact is None
    assert "not linked to a city yet" in client.get("/me/").text


def test_sign_in_is_by_email_and_logout_needs_a_post(client):
    user = factories.UserFactory(email="staff@kerava.example")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    response = client.post(
        "/accounts/login/", {"login": "staff@kerava.example", "password": "correct horse battery"}
    )
    assert response.status_code == 302
    assert client.get("/accounts/logout/").status_code == 200  # a confirmation page, still in
    assert client.get("/me/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/me/").status_code == 302


def test_the_profile_changes_name_position_language_and_target_groups(client):
    group = factories.TargetGroupFactory(name="Decision makers")
    user = factories.UserFactory()
    contact = factories.ContactFactory(user=user, email=user.email, language="en")
    client.force_login(user)

    response = client.post(
        "/me/",
        {
            "name-first_name": "Eliza",
            "name-last_name": "Bujalska",
            "contact-position": "Deputy Mayor",
            "contact-language": "pl",
            "contact-target_groups": [group.pk],
        },
        follow=True,
    )

    assert "Your profile has been saved." in response.text or "zapisany" in response.text
    contact.refresh_from_db()
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Eliza", "Bujalska")
    assert contact.position == "Deputy Mayor" and contact.language == "pl"
    assert list(contact.target_groups.all()) == [group]
    assert contact.city_id is not None  # the city is not the person's to change


def test_a_bad_profile_value_is_refused_and_changes_nothing(client):
    user = factories.UserFactory()
    contact = factories.ContactFactory(user=user, email=user.email, language="en")
    client.force_login(user)
    response = client.post(
        "/me/",
        {"name-first_name": "X", "name-last_name": "Y", "contact-language": "klingon"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    contact.refresh_from_db()
    user.refresh_from_db()
    assert contact.language == "en" and user.first_name != "X"


def test_the_admin_login_goes_through_allauth(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def signed_in(client, user) -> str:
    """Sign in through allauth's page, as a person does; return where it sends them."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    response = client.post(
        "/accounts/login/", {"login": user.email, "password": "correct horse battery"}
    )
    assert response.status_code == 302, response.content
    return response["Location"]


def test_a_coordinator_lands_in_the_admin(client):
    coordinator = factories.CoordinatorFactory()
    assert signed_in(client, coordinator) == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_city_staff_land_in_their_meetings(client):
    user = factories.UserFactory(email="staff@kerava.example")
    factories.ContactFactory(email=user.email, user=user)
    assert signed_in(client, user) == "/me/meetings/"


def test_a_partner_lands_on_the_programmes(client):
    partner = factories.UserFactory(email="someone@partner.example")
    factories.RoleFactory(user=partner, kind="consortium_partner")
    assert signed_in(client, partner) == "/"


def test_a_person_with_no_city_and_no_role_lands_where_they_name_their_city(client):
    person = factories.UserFactory(email="someone@city.example")
    assert signed_in(client, person) == "/me/#link"


def test_next_still_wins_over_the_landing_page(client):
    from allauth.account.models import EmailAddress

    coordinator = factories.CoordinatorFactory()
    EmailAddress.objects.create(
        user=coordinator, email=coordinator.email, verified=True, primary=True
    )
    response = client.post(
        "/accounts/login/?next=/meetings/",
        {"login": coordinator.email, "password": "correct horse battery"},
    )
    assert response["Location"] == "/meetings/"
