"""The calls' section of a programme's peer-learning plan (reports.plan).

A published call gets a section (window, places sought, who may apply, selection criteria,
info webinar). The mentorship pairs' section is the mentorships app's (mentorships/plan.py).
One query.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.text import capfirst

from reports.plan import register_plan_section

from .models import Call


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
