"""The mentorships' section of a programme's peer-learning plan (reports.plan).

Mentorship pairs get a section (Motiva's first-pilot municipalities mentoring the second pilot,
docs/DESIGN.md rule 9). Names only: the plan is public, like the programme page, so no contact
details. One query.
"""

from django.utils.translation import gettext_lazy as _

from reports.plan import register_plan_section

from .models import Mentorship
from .selectors import programme_mentorships


def mentorships(programme) -> dict | None:
    pairs = sorted(
        programme_mentorships(programme=programme),
        key=lambda pair: (pair.mentee.name, str(pair.mentor), pair.pk),
    )
    return {"pairs": pairs} if pairs else None


def register() -> None:
    register_plan_section(
        "mentorships",
        order=25,
        title=_("Mentorships"),
        template="mentorships/plan_mentorships.html",
        context=mentorships,
        rows=lambda programme: Mentorship.objects.filter(programme=programme),
        watch=[Mentorship],
    )
