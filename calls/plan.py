"""The calls' and mentorships' sections of a programme's peer-learning plan (reports.plan).

A published call gets a section (window, places sought, who may apply, selection criteria,
info webinar); mentorship pairs get one (Motiva's first-pilot municipalities mentoring the
second pilot, DESIGN.md rule 9). Names only: the plan is public, like the programme page, so
no contact details. One query each.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from reports.plan import register_plan_section

from .models import Call, Mentorship
from .selectors import programme_mentorships


def calls(programme) -> dict | None:
    items = list(Call.objects.filter(programme=programme, is_published=True).order_by("opens_at"))
    if not items:
        return None
    name = Call._meta.verbose_name if len(items) == 1 else Call._meta.verbose_name_plural
    return {
        "calls": items,
        "title": capfirst(name),
        "site_url": settings.SITE_URL,
        "now": timezone.now(),
    }


def mentorships(programme) -> dict | None:
    pairs = sorted(
        programme_mentorships(programme=programme),
        key=lambda pair: (pair.mentee.name, str(pair.mentor), pair.pk),
    )
    return {"pairs": pairs} if pairs else None


def register() -> None:
    register_plan_section(
        "call",
        order=15,
        title=capfirst(Call._meta.verbose_name_plural),
        template="calls/plan_calls.html",
        context=calls,
        rows=lambda programme: Call.objects.filter(programme=programme, is_published=True),
        watch=[Call],
    )
    register_plan_section(
        "mentorships",
        order=25,
        title=_("Mentorships"),
        template="calls/plan_mentorships.html",
        context=mentorships,
        rows=lambda programme: Mentorship.objects.filter(programme=programme),
        watch=[Mentorship],
    )
