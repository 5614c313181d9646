"""The admin that saves clicks (issue 11, section 6): searchable pickers that list only what fits
the rest of the form, list filters that offer only the person's own rows, one tab per language
served from our own static files, the index grouped by task, and deleting a contact that passes
their seat on."""

import datetime as dt
import os
import shutil

import pytest
from allauth.account.models import EmailAddress
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.staticfiles import finders
from django.core.exceptions import FieldDoesNotExist
from django.urls import reverse
from django.utils import timezone
from modeltranslation.admin import TabbedDjangoJqueryTranslationAdmin, TranslationAdmin

from access.models import Role as AccessRole
from access.models import RoleKind
from cities.models import City, Contact, TargetGroup
from exchanges.models import (
    ExchangeMeeting,
    MeetingKind,
    Membership,
    Programme,
    Registration,
    RegistrationStatus,
    Theme,
)
from mentorships.models import Mentorship
from multiply.admin import TASKS
from notifications.models import Message
from visits.models import ReviewRound, Visit

from . import factories
from .factories_visits import RoundFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def with_role(kind, programme, network=None):
    person = factories.UserFactory()
    AccessRole.objects.create(user=person, kind=kind, programme=programme, network=network)
    return person


def autocomplete(client, model, field_name: str, term: str = "", **forwarded) -> list[str]:
    """The choices an admin autocomplete offers, asked as the form's widget asks."""
    params = {
        "app_label": model._meta.app_label,
        "model_name": model._meta.model_name,
        "field_name": field_name,
        "term": term,
        **{f"forward_{name}": value for name, value in forwarded.items()},
    }
    response = client.get(reverse("admin:autocomplete"), params)
    assert response.status_code == 200, response.content
    return sorted(result["text"] for result in response.json()["results"])


@pytest.fixture
def exchange():
    """One programme with a Polish and a Swedish network, each with two member cities, a Polish
    city outside the network, and another programme with themes of its own."""
    programme = factories.ProgrammeFactory(name="City Energy Exchange")
    poland = factories.NetworkFactory(programme=programme, country__code="PL")
    sweden = factories.NetworkFactory(programme=programme, country__code="SE")
    for network, names in ((poland, ["Sztum", "Piastów"]), (sweden, ["Växjö", "Lund"])):
        for name in names:
            factories.MembershipFactory(network=network, city__name=name)
    factories.CityFactory(name="Warszawa", country=poland.country)
    other = factories.ProgrammeFactory(name="MULTIPLY")
    for owner, name in ((programme, "Financing"), (programme, "Open"), (other, "Transport")):
        factories.ThemeFactory(programme=owner, name=name)
    return {"programme": programme, "PL": poland, "SE": sweden, "other": other}


# --- Pickers: searchable, and narrowed by the rest of the form ---------------------------------


def test_the_polish_national_coordinators_host_picker_lists_polands_member_cities(client, exchange):
    client.force_login(
        with_role(RoleKind.NATIONAL_COORDINATOR, exchange["programme"], exchange["PL"])
    )

    chosen = autocomplete(
        client,
        ExchangeMeeting,
        "host_city",
        network=exchange["PL"].pk,
        programme=exchange["programme"].pk,
    )
    unchosen = autocomplete(client, ExchangeMeeting, "host_city")
    swedish = autocomplete(client, ExchangeMeeting, "host_city", network=exchange["SE"].pk)

    assert chosen == ["Piastów", "Sztum"]
    assert unchosen == ["Piastów", "Sztum", "Warszawa"]  # before a network is chosen: Poland's
    assert swedish == []  # forwarding never widens what the person may see


def test_the_theme_picker_lists_only_the_chosen_programmes_themes(admin_client, exchange):
    themes = autocomplete(admin_client, ExchangeMeeting, "theme", programme=exchange["other"].pk)
    all_themes = autocomplete(admin_client, ExchangeMeeting, "theme")

    assert themes == ["Transport"]
    assert all_themes == ["Financing", "Open", "Transport"]


def test_the_topic_and_network_pickers_follow_the_chosen_programme(admin_client, exchange):
    factories.TopicFactory(theme=Theme.objects.get(name="Transport"), name="Cycling")
    factories.TopicFactory(theme=Theme.objects.get(name="Open"), name="Anything")
    other = exchange["other"].pk

    assert autocomplete(admin_client, ExchangeMeeting, "topics", programme=other) == ["Cycling"]
    assert autocomplete(admin_client, ExchangeMeeting, "network", programme=other) == []


def test_a_membership_picks_a_city_of_its_networks_country(admin_client, exchange):
    sweden = exchange["SE"]

    # On its own page the network is picked; on the network's page, its country is in the form.
    assert autocomplete(admin_client, Membership, "city", network=sweden.pk) == ["Lund", "Växjö"]
    assert autocomplete(admin_client, Membership, "city", country=sweden.country_id) == [
        "Lund",
        "Växjö",
    ]


def declared_pickers():
    for model_admin in admin.site._registry.values():
        inlines = [inline(model_admin.model, admin.site) for inline in model_admin.inlines]
        for declarer in (model_admin, *inlines):
            for field_name, sources in getattr(declarer, "dependent_pickers", {}).items():
                yield declarer, field_name, sources


def test_every_dependent_picker_is_a_search_narrowed_by_a_field_of_its_form():
    wrong, declared = [], list(declared_pickers())
    assert declared
    for declarer, field_name, sources in declared:
        field = declarer.model._meta.get_field(field_name)
        form_models = {declarer.model, getattr(declarer, "parent_model", None)}
        for source, lookup in sources.items():
            on_form = any(_has_field(model, source) for model in form_models if model)
            try:
                field.related_model._default_manager.filter(**{lookup: 0}).exists()
            except Exception as error:  # any error (FieldError, ValueError) is a wrong lookup
                wrong.append(f"{type(declarer).__name__}.{field_name}: {lookup}: {error}")
            if not on_form:
                wrong.append(f"{type(declarer).__name__}.{field_name}: no field {source}")
        if field_name not in declarer.autocomplete_fields:
            wrong.append(f"{type(declarer).__name__}.{field_name} is not an autocomplete")
    assert wrong == []


def _has_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def test_a_forwarded_value_that_is_not_an_id_finds_nothing(admin_client, exchange):
    assert autocomplete(admin_client, ExchangeMeeting, "theme", programme="1 OR 1=1") == []


def test_the_meeting_form_tells_each_picker_what_it_depends_on(admin_client, exchange):
    response = admin_client.get(admin_url(ExchangeMeeting, "add"))

    html = response.text
    assert '<select name="theme" data-forward="programme"' in html
    assert '<select name="host_city" data-forward="network programme"' in html
    media = str(response.context["media"])
    assert media.index("admin/js/autocomplete.js") < media.index("js/admin-forward.js")
    assert finders.find("js/admin-forward.js")


def meeting_form(network, **changes) -> dict:
    start = timezone.localtime() + dt.timedelta(days=30)
    day = start.strftime("%Y-%m-%d")
    inlines = {}
    for prefix in ("materials", "sessions", "questions", "registrations", "wordings"):
        inlines |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return {
        "programme": network.programme_id,
        "network": network.pk,
        "kind": MeetingKind.NATIONAL_EXCHANGE,
        "number": "1",
        "title_en": "National exchange 1",
        "start_0": day,
        "start_1": "10:00:00",
        "end_0": day,
        "end_1": "16:00:00",
        "timezone": "Europe/Warsaw",
        "format": "in_person",
        "status": "planned",
        **inlines,
        **changes,
    }


def test_saving_a_meeting_with_another_programmes_topic_is_refused(admin_client, exchange):
    foreign = factories.TopicFactory(theme=Theme.objects.get(name="Transport"), name="Cycling")
    own = factories.TopicFactory(theme=Theme.objects.get(name="Open"), name="Anything")

    response = admin_client.post(
        admin_url(ExchangeMeeting, "add"),
        meeting_form(exchange["PL"], topics=[own.pk, foreign.pk]),
    )

    assert response.status_code == 200
    assert "These topics belong to another programme&#x27;s themes: Cycling." in response.text
    assert not ExchangeMeeting.objects.exists()


def test_a_visits_person_responsible_works_for_its_host(admin_client, exchange):
    review_round = RoundFactory(programme=exchange["programme"])
    sztum, lund = City.objects.get(name="Sztum"), City.objects.get(name="Lund")
    stranger = factories.ContactFactory(city=lund)

    refused = admin_client.post(
        admin_url(Visit, "add"),
        {
            "round": review_round.pk,
            "host": sztum.pk,
            "responsible": stranger.pk,
            "format": "virtual",
            "interviews-TOTAL_FORMS": "0",
            "interviews-INITIAL_FORMS": "0",
            "seats-TOTAL_FORMS": "0",
            "seats-INITIAL_FORMS": "0",
        },
    )
    choices = autocomplete(admin_client, Visit, "responsible", host=lund.pk)

    assert "The person responsible must be one of the host&#x27;s own staff." in refused.text
    assert not Visit.objects.exists()
    assert choices == [str(stranger)]


def test_a_rounds_visits_are_hosted_by_cities_of_its_programme(admin_client, exchange):
    review_round = RoundFactory(programme=exchange["other"])

    hosts = autocomplete(admin_client, Visit, "host", round=review_round.pk)
    response = admin_client.post(
        admin_url(Visit, "add"),
        {
            "round": review_round.pk,
            "host": City.objects.get(name="Sztum").pk,
            "format": "virtual",
            "interviews-TOTAL_FORMS": "0",
            "interviews-INITIAL_FORMS": "0",
            "seats-TOTAL_FORMS": "0",
            "seats-INITIAL_FORMS": "0",
        },
    )

    assert hosts == []
    assert "Sztum takes part in no network of MULTIPLY." in response.text
    assert not Visit.objects.exists()


def test_a_round_goes_through_themes_of_its_own_programme(admin_client, exchange):
    review_round = RoundFactory(programme=exchange["programme"], themes=[])
    data = {
        field.name: getattr(review_round, field.name)
        for field in ReviewRound._meta.fields
        if field.name.endswith(("_start", "_end"))
    }

    response = admin_client.post(
        admin_url(ReviewRound, "change", review_round.pk),
        {
            **data,
            "programme": review_round.programme_id,
            "name": review_round.name,
            "timezone": review_round.timezone,
            "themes": [Theme.objects.get(name="Transport").pk],
            "visits-TOTAL_FORMS": "0",
            "visits-INITIAL_FORMS": "0",
        },
    )

    assert "These themes belong to another programme: Transport." in response.text
    assert not review_round.themes.exists()


def test_a_mentee_is_one_of_the_programmes_cities(admin_client, exchange):
    mentor = factories.CityFactory(name="Hämeenlinna")

    response = admin_client.post(
        admin_url(Mentorship, "add"),
        {
            "programme": exchange["other"].pk,
            "kind": "mentoring",
            "mentee": City.objects.get(name="Sztum").pk,
            "mentor_city": mentor.pk,
            "start_date": "2027-01-01",
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
        },
    )

    assert "Sztum takes part in no network of MULTIPLY." in response.text
    assert not Mentorship.objects.exists()


def test_a_programme_coordinator_giving_a_role_still_picks_the_person(client, exchange):
    client.force_login(with_role(RoleKind.PROGRAMME_COORDINATOR, exchange["programme"]))

    form = client.get(admin_url(AccessRole, "add")).context["adminform"].form
    networks = autocomplete(client, AccessRole, "network", programme=exchange["programme"].pk)

    # Users have no rule of their own yet: their search is the superusers', so the list stays.
    assert not isinstance(form.fields["user"].widget.widget, AutocompleteSelect)
    assert isinstance(form.fields["network"].widget.widget, AutocompleteSelect)
    assert networks == sorted(str(n) for n in (exchange["PL"], exchange["SE"]))


# Tables a picker may list whole: a few rows each, the same for everyone.
FEW_ROWS = {TargetGroup, Group, Permission, ContentType}


def test_every_picker_of_a_table_with_many_rows_is_a_search(rf, coordinator):
    request = rf.get("/admin/")
    request.user = coordinator
    plain = []
    for model_admin in admin.site._registry.values():
        for form_admin in [model_admin, *model_admin.get_inline_instances(request)]:
            plain += _plain_pickers(form_admin, request)
    assert plain == []


def _plain_pickers(form_admin, request) -> list[str]:
    model = form_admin.model
    readonly = set(form_admin.get_readonly_fields(request))
    searched = set(form_admin.get_autocomplete_fields(request))
    plain = []
    for name in flatten_fieldsets(form_admin.get_fieldsets(request)):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue  # a method or a translation's own column
        if not field.is_relation or name in readonly or field.related_model in FEW_ROWS:
            continue
        if field.related_model is getattr(form_admin, "parent_model", None):
            continue  # an inline's link to the object above it: not a picker
        if name not in searched:
            plain.append(f"{type(form_admin).__name__}.{name}")
    return plain


def test_no_admin_asks_for_raw_ids():
    classes = [type(a) for a in admin.site._registry.values()]
    classes += [inline for a in admin.site._registry.values() for inline in a.inlines]
    assert [cls.__name__ for cls in classes if cls.raw_id_fields] == []


# --- List filters offer only the person's own rows ---------------------------------------------


def filter_choices(response) -> dict[str, list[str]]:
    return {
        str(spec.title): [label for _pk, label in spec.lookup_choices]
        for spec in response.context["cl"].filter_specs
        if hasattr(spec, "lookup_choices")
    }


def test_a_programme_filter_lists_only_the_persons_programmes(client, exchange):
    second = factories.ProgrammeFactory(name="Peer Visits Pilot")
    person = with_role(RoleKind.PROGRAMME_COORDINATOR, exchange["programme"])
    AccessRole.objects.create(user=person, kind=RoleKind.PROGRAMME_COORDINATOR, programme=second)
    client.force_login(person)

    response = client.get(admin_url(Theme, "changelist"))

    assert filter_choices(response)["programme"] == ["City Energy Exchange", "Peer Visits Pilot"]


def test_a_national_coordinators_meeting_filters_list_their_programmes_themes(client, exchange):
    factories.MeetingFactory(network=exchange["PL"])
    client.force_login(
        with_role(RoleKind.NATIONAL_COORDINATOR, exchange["programme"], exchange["PL"])
    )

    choices = filter_choices(client.get(admin_url(ExchangeMeeting, "changelist")))

    assert choices["theme"] == ["Financing", "Open"]  # not the other programme's Transport
    # One programme and one country: nothing to filter by, so Django shows no filter at all.
    assert "programme" not in choices and "country" not in choices


def test_the_superuser_still_filters_by_every_programme(admin_client, exchange):
    response = admin_client.get(admin_url(Theme, "changelist"))

    assert filter_choices(response)["programme"] == ["City Energy Exchange", "MULTIPLY"]


# --- One tab per language, served from our own static files ----------------------------------


TRANSLATED = [a for a in admin.site._registry.values() if isinstance(a, TranslationAdmin)]


def test_every_translated_admin_shows_its_languages_as_tabs():
    flat = [type(a).__name__ for a in TRANSLATED]
    assert flat and all(isinstance(a, TabbedDjangoJqueryTranslationAdmin) for a in TRANSLATED), flat


@pytest.mark.parametrize("model_admin", TRANSLATED, ids=[type(a).__name__ for a in TRANSLATED])
def test_the_tabs_assets_are_served_by_the_portal_itself(admin_client, model_admin):
    response = admin_client.get(admin_url(model_admin.model, "add"))

    media = str(response.context["media"])
    assert "/static/vendor/jquery-ui/jquery-ui.min.js" in media
    assert "tabbed_translation_fields.js" in media
    assert "://" not in media and '"//' not in media
    assert finders.find("vendor/jquery-ui/jquery-ui.min.js")


# --- The index, grouped by task ------------------------------------------------------------------


def index_groups(response) -> dict[str, list[str]]:
    return {
        str(group["name"]): [entry["model"]._meta.label_lower for entry in group["models"]]
        for group in response.context["app_list"]
    }


def test_the_index_groups_every_model_by_task_under_one_heading_each(admin_client):
    response = admin_client.get(reverse("admin:index"))

    groups = index_groups(response)
    listed = [label for labels in groups.values() for label in labels]
    assert list(groups) == [
        "Programme set-up",
        "Meetings",
        "Communications",
        "Calls and visits",
        "Consortium",
        "People and access",
    ]  # no "Other": every model has its task
    assert sorted(listed) == sorted(m._meta.label_lower for m in admin.site._registry)
    assert groups["Meetings"][:3] == [
        "exchanges.exchangemeeting",
        "exchanges.invitation",
        "exchanges.registration",
    ]
    assert {"accounts.user", "account.emailaddress"} <= set(groups["People and access"])
    assert [str(g["name"]) for g in response.context["available_apps"]] == list(groups)


def test_each_task_heading_names_models_the_admin_has():
    named = [label for _slug, _name, labels in TASKS for label in labels]
    assert len(named) == len(set(named)), "a model under two headings"


def test_a_national_coordinator_sees_only_the_headings_of_their_work(client, exchange):
    client.force_login(
        with_role(RoleKind.NATIONAL_COORDINATOR, exchange["programme"], exchange["PL"])
    )

    groups = index_groups(client.get(reverse("admin:index")))

    assert list(groups) == [
        "Programme set-up",
        "Meetings",
        "Communications",
        "Calls and visits",
        "People and access",
    ]  # no consortium: that is the programme coordinators' and the partners'
    assert "exchanges.registration" in groups["Meetings"]
    # Who asks to be linked to a city of their country, and their network's changes.
    assert groups["People and access"] == ["accounts.linkrequest", "auditlog.logentry"]


def test_an_apps_own_page_still_lists_that_app(admin_client):
    response = admin_client.get(reverse("admin:app_list", args=["cities"]))

    assert response.status_code == 200
    assert [app["app_label"] for app in response.context["app_list"]] == ["cities"]


def test_the_sidebar_lists_the_tasks_too(admin_client):
    response = admin_client.get(admin_url(City, "changelist"))

    sidebar = [str(group["name"]) for group in response.context["available_apps"]]
    assert sidebar[:2] == ["Programme set-up", "Meetings"]
    assert '<span class="section">Programme set-up</span>' in response.text


# --- Deleting a contact passes their seat on ---------------------------------------------------


def registration(meeting, contact, status, **fields) -> Registration:
    return Registration.objects.create(
        meeting=meeting, contact=contact, status=status, privacy_consent_at=timezone.now(), **fields
    )


@pytest.fixture
def full_meeting():
    meeting = factories.MeetingFactory(capacity=1)
    leaving = factories.ContactFactory(city__name="Sztum")
    registration(meeting, leaving, RegistrationStatus.CONFIRMED)
    waiting = registration(
        meeting, factories.ContactFactory(), RegistrationStatus.WAITING, waiting_number=1
    )
    return leaving, waiting


def test_deleting_a_contact_gives_their_seat_to_the_first_person_waiting(
    admin_client, full_meeting
):
    leaving, waiting = full_meeting

    response = admin_client.post(admin_url(Contact, "delete", leaving.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not Contact.objects.filter(pk=leaving.pk).exists()
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert Message.objects.filter(
        kind="registration_promoted", recipient_email=waiting.contact.email
    ).exists()


def test_deleting_contacts_from_the_list_gives_their_seats_on_too(admin_client, full_meeting):
    leaving, waiting = full_meeting

    response = admin_client.post(
        admin_url(Contact, "changelist"),
        {"action": "delete_selected", "_selected_action": [leaving.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert not Contact.objects.filter(pk=leaving.pk).exists()
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED


# --- In a real browser: the form forwards the programme it has -------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (apt-get install chromium)")
def test_choosing_a_programme_narrows_the_theme_picker_in_the_browser(live_server):
    sync_api = pytest.importorskip("playwright.sync_api")
    programme = factories.ProgrammeFactory(name="City Energy Exchange")
    factories.ThemeFactory(programme=programme, name="Financing")
    factories.ThemeFactory(programme=factories.ProgrammeFactory(), name="Transport")
    superuser = factories.CoordinatorFactory()
    EmailAddress.objects.create(user=superuser, email=superuser.email, verified=True, primary=True)
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page()
            page.set_default_timeout(15_000)
            page.goto(f"{live_server.url}/accounts/login/")
            page.get_by_label("Email").fill(superuser.email)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign In").click()
            page.wait_for_load_state()
            page.goto(f"{live_server.url}{admin_url(ExchangeMeeting, 'add')}")
            themes = _picker_choices(page, "theme")
            page.locator("#id_programme + .select2").click()
            page.locator(".select2-results__option", has_text="City Energy Exchange").click()
            narrowed = _picker_choices(page, "theme")
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)

    assert themes == ["Financing", "Transport"]
    assert narrowed == ["Financing"]
    assert Programme.objects.count() == 2


def _picker_choices(page, field: str) -> list[str]:
    # Wait for this opening's own search: select2 shows the last results until it answers.
    with page.expect_response(
        lambda response: "/autocomplete/" in response.url and f"field_name={field}" in response.url
    ) as answer:
        page.locator(f"#id_{field} + .select2").click()
    offered = [result["text"] for result in answer.value.json()["results"]]
    results = page.locator(".select2-results__option:not(.loading-results)")
    # The list shows what this search answered (not what the last one did) once it has as many
    # options and the same texts.
    page.wait_for_function(
        """(texts) => {
            const shown = [...document.querySelectorAll(
                '.select2-results__option:not(.loading-results)')].map((o) => o.innerText);
            return shown.length === texts.length && shown.every((t, i) => t === texts[i]);
        }""",
        arg=offered,
    )
    choices = sorted(results.all_inner_texts())
    page.keyboard.press("Escape")
    return choices
