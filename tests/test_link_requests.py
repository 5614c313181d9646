"""Who speaks for a city (issue 15, item 5): an account linked to no city names its
municipality, the coordinators of that country's network are told, one of them links it (or
declines), and only then does the account speak for the city."""

from email.utils import parseaddr

import pytest
from django.core import mail

from access.models import Role, RoleKind
from accounts.models import LinkRequest
from calls.services import cities_to_apply_for
from cities.models import Contact

from . import factories
from .conftest import CommittingClient
from .factories_calls import CallFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"


@pytest.fixture
def client(client, django_capture_on_commit_callbacks):
    return CommittingClient(client, django_capture_on_commit_callbacks)


@pytest.fixture
def world():
    """Finland's network with its national coordinator (who reads Finnish), Poland's with
    none (its programme's coordinator hears instead), Hollola, and an unlinked account."""
    programme = factories.ProgrammeFactory()
    finland = factories.NetworkFactory(programme=programme, country__code="FI")
    poland = factories.NetworkFactory(programme=programme, country__code="PL")
    hollola = factories.CityFactory(name="Hollola", country=finland.country)
    national = factories.UserFactory(email="suomi@network.example", verified=True)
    Role.objects.create(
        user=national, kind=RoleKind.NATIONAL_COORDINATOR, programme=programme, network=finland
    )
    factories.ContactFactory(
        city=factories.CityFactory(country=finland.country), user=national, language="fi"
    )
    head = factories.UserFactory(email="head@programme.example", verified=True)
    Role.objects.create(user=head, kind=RoleKind.PROGRAMME_COORDINATOR, programme=programme)
    person = factories.UserFactory(
        email="aino@hollola.example", first_name="Aino", last_name="Virtanen", verified=True
    )
    return {
        "programme": programme,
        "finland": finland,
        "poland": poland,
        "hollola": hollola,
        "national": national,
        "head": head,
        "person": person,
    }


def recipients():
    return sorted(parseaddr(message.to[0])[1] for message in mail.outbox)


def ask(client, world, **fields):
    data = {
        "link-country": world["finland"].country.pk,
        "link-city": world["hollola"].pk,
        "link-position": "Energy advisor",
        **fields,
    }
    return client.post("/me/link/", data, follow=True)


def test_an_unlinked_account_lands_on_its_profile_and_is_told_what_happens_next(client, world):
    response = client.post(
        "/accounts/login/",
        {"login": world["person"].email, "password": PASSWORD},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == "/me/#link"
    assert "Which municipality do you work for?" in response.text
    assert "the coordinators of your country's network link your account" in response.text


def test_a_coordinator_is_not_asked_which_municipality_they_work_for(client, world):
    client.force_login(world["head"])  # a partner's person: no contact, no city

    page = client.get("/me/").text

    assert "Which municipality do you work for?" not in page
    assert "you coordinate, so your account is not linked to a city" in page


def test_asking_tells_the_countrys_national_coordinator_in_their_language(client, world):
    client.force_login(world["person"])

    response = ask(client, world)

    assert "The coordinators have been told" in response.text
    request = LinkRequest.objects.get()
    assert (request.city, request.status) == (world["hollola"], "open")
    assert recipients() == ["suomi@network.example"]
    [message] = mail.outbox
    assert "Aino Virtanen" in message.subject and "Hollola" in message.subject
    assert message.extra_headers["Content-Language"] == "fi"
    assert f"/admin/accounts/linkrequest/{request.pk}/change/" in message.body
    assert "You asked on" in client.get("/me/").text  # waiting, and no second form
    assert 'action="/me/link/"' not in client.get("/me/").text


def test_without_a_national_coordinator_the_programmes_coordinators_are_told(client, world):
    client.force_login(world["person"])
    sztum = factories.CityFactory(name="Sztum", country=world["poland"].country)

    ask(client, world, **{"link-country": sztum.country.pk, "link-city": sztum.pk})

    assert recipients() == ["head@programme.example"]


def test_a_municipality_not_in_the_list_is_typed_and_a_mismatch_is_refused(client, world):
    client.force_login(world["person"])

    mismatch = ask(client, world, **{"link-country": world["poland"].country.pk})
    nothing = ask(client, world, **{"link-city": ""})
    typed = ask(client, world, **{"link-city": "", "link-city_name": "Kärkölä"})

    assert "This municipality is not in the country chosen." in mismatch.text
    assert "Choose your municipality or type its name." in nothing.text
    assert LinkRequest.objects.get().city_name == "Kärkölä"
    assert "The coordinators have been told" in typed.text


def test_a_second_request_while_one_waits_is_refused(client, world):
    client.force_login(world["person"])
    ask(client, world)

    response = ask(client, world)

    assert "Your request is already waiting for a coordinator." in response.text
    assert LinkRequest.objects.count() == 1


def test_the_coordinator_links_the_account_and_it_then_speaks_for_the_city(client, world):
    client.force_login(world["person"])
    ask(client, world)
    request = LinkRequest.objects.get()
    mail.outbox.clear()
    client.force_login(world["national"])

    response = client.post(
        "/admin/accounts/linkrequest/",
        {"action": "link", "_selected_action": [request.pk]},
        follow=True,
    )

    assert "1 account linked." in response.text
    contact = Contact.objects.get(user=world["person"])
    assert (contact.city, contact.email, contact.position) == (
        world["hollola"],
        "aino@hollola.example",
        "Energy advisor",
    )
    assert recipients() == ["aino@hollola.example"]
    assert "Hollola" in mail.outbox[0].subject
    call = CallFactory(programme=world["programme"])
    assert list(cities_to_apply_for(user=world["person"], call=call)) == [world["hollola"]]


def test_a_typed_municipality_is_linked_only_once_the_coordinator_chose_the_city(client, world):
    client.force_login(world["person"])
    ask(client, world, **{"link-city": "", "link-city_name": "Hollolan kunta"})
    request = LinkRequest.objects.get()
    client.force_login(world["national"])

    refused = client.post(
        "/admin/accounts/linkrequest/",
        {"action": "link", "_selected_action": [request.pk]},
        follow=True,
    )

    assert "Choose the municipality first" in refused.text
    assert not Contact.objects.filter(user=world["person"]).exists()


def test_a_declined_request_says_so_and_the_person_may_ask_again(client, world):
    client.force_login(world["person"])
    ask(client, world)
    client.force_login(world["national"])
    client.post(
        "/admin/accounts/linkrequest/",
        {"action": "decline", "_selected_action": [LinkRequest.objects.get().pk]},
    )
    client.force_login(world["person"])

    page = client.get("/me/")

    assert "A coordinator could not link your account to Hollola." in page.text
    assert 'action="/me/link/"' in page.text


def test_another_countrys_national_coordinator_does_not_see_the_request(client, world):
    client.force_login(world["person"])
    ask(client, world)
    polish = factories.UserFactory(verified=True)
    Role.objects.create(
        user=polish,
        kind=RoleKind.NATIONAL_COORDINATOR,
        programme=world["programme"],
        network=world["poland"],
    )
    client.force_login(polish)

    request = LinkRequest.objects.get()
    assert client.get(f"/admin/accounts/linkrequest/{request.pk}/change/").status_code == 404
    assert "Virtanen" not in client.get("/admin/accounts/linkrequest/").text
