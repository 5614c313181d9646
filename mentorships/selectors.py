"""Reads shared by the mentorship page, the programme page's section and the plan."""

from django.db.models import Prefetch, Q, QuerySet

from cities.models import Contact
from exchanges.models import Programme

from .models import Mentorship, MentorshipContact


def _mentorships() -> QuerySet[Mentorship]:
    return Mentorship.objects.select_related(
        "mentor_city__country",
        "mentor_partner__country",
        "mentee__country",
        "mentor_contact",
        "programme",
    )


def programme_mentorships(*, programme: Programme) -> list[Mentorship]:
    """The programme's pairs, for its public page: mentors and mentees, no contact details."""
    return list(_mentorships().filter(programme=programme).order_by("mentee__name", "pk"))


def contact_mentorships(*, contact: Contact | None) -> dict[str, list[Mentorship]]:
    """For a city's staff: the mentors of their city (with their contact person and the log),
    and the cities their city mentors."""
    if contact is None:
        return {"mentors": [], "mentees": []}
    rows = list(
        _mentorships()
        .filter(Q(mentee_id=contact.city_id) | Q(mentor_city_id=contact.city_id))
        .prefetch_related(
            Prefetch("contacts", queryset=MentorshipContact.objects.order_by("-date", "-pk"))
        )
        .order_by("-start_date", "pk")
    )
    return {
        "mentors": [row for row in rows if row.mentee_id == contact.city_id],
        "mentees": [row for row in rows if row.mentor_city_id == contact.city_id],
    }
