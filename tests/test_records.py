"""Records that cannot contradict reality (issue 11, section 5): each rule, met as a coordinator."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import ConsortiumMeeting

from . import factories

pytestmark = pytest.mark.django_db


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


# Consortium meetings: planned first, held later


def consortium_meeting_form(programme, start: dt.date, **changes) -> dict:
    inlines = {}
    for prefix in ("attendances", "action_items"):
        inlines.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data = {
        "programme": programme.pk,
        "number": "1",
        "start_date": start.isoformat(),
        "end_date": start.isoformat(),
        "planned_place": "Graz",
        "_save": "Save",
    }
    return {**data, **inlines, **changes}


def test_a_future_consortium_meeting_is_saved_with_only_its_planned_place(admin_client):
    programme = factories.ProgrammeFactory()
    next_month = timezone.localdate() + dt.timedelta(days=30)

    response = admin_client.post(
        admin_url(ConsortiumMeeting, "add"), consortium_meeting_form(programme, next_month)
    )

    assert response.status_code == 302
    assert ConsortiumMeeting.objects.get().planned_place == "Graz"


def test_a_past_consortium_meeting_must_say_where_it_was_held(admin_client):
    programme = factories.ProgrammeFactory()
    last_month = timezone.localdate() - dt.timedelta(days=30)

    response = admin_client.post(
        admin_url(ConsortiumMeeting, "add"), consortium_meeting_form(programme, last_month)
    )

    assert "The meeting has ended: say where it was held, or tick “held online”." in response.text
    assert not ConsortiumMeeting.objects.exists()


def test_the_consortium_meeting_list_shows_where_a_future_meeting_is_planned(admin_client):
    next_month = timezone.localdate() + dt.timedelta(days=30)
    factories.ConsortiumMeetingFactory(start_date=next_month, planned_place="Graz", held_place="")

    response = admin_client.get(admin_url(ConsortiumMeeting, "changelist"))

    assert "planned: Graz" in response.text
