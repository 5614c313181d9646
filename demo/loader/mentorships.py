"""Sections for the mentorships app: mentor-mentee pairs and their first contact (docs/DESIGN.md
rule 9)."""

from exchanges.models import Programme
from mentorships.models import ContactForm, Mentorship, MentorshipContact, MentorshipKind

from .calls import first_contact
from .exchanges import programme_city
from .files import Section, Shape


def mentorships_load(values: dict) -> None:
    """Mentor-mentee pairs of cities that share a kind, dates and a first contact."""
    programme = Programme.objects.get(slug=values["programme"])
    for pair in values["pairs"]:
        mentor = programme_city(programme, pair["mentor"])
        mentorship, _ = Mentorship.objects.update_or_create(
            programme=programme,
            mentor_city=mentor,
            mentee=programme_city(programme, pair["mentee"]),
            defaults={
                "kind": values["kind"],
                "start_date": values["start_date"],
                "end_date": values["end_date"],
                "mentor_contact": first_contact(mentor),
            },
        )
        if "first_contact" in values:
            contact = values["first_contact"]
            MentorshipContact.objects.update_or_create(
                mentorship=mentorship,
                date=contact["date"],
                form=contact["form"],
                defaults={"note": contact["note"]},
            )


PAIR = Shape(required="mentor mentee")
CONTACT = Shape(required="date form note", dates="date", choices={"form": ContactForm.values})

SECTIONS = {
    "mentorships": Section(
        Shape(
            required="programme kind start_date end_date pairs",
            dates="start_date end_date",
            choices={"kind": MentorshipKind.values},
            nested={"pairs": PAIR, "first_contact": CONTACT},
        ),
        mentorships_load,
    ),
}
