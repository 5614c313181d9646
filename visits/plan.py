"""The peer visits' section of a programme's peer-learning plan (reports.plan).

Each round with the date windows of its phases (docs/DESIGN.md rule 7). Only what the public may
know: which municipality visits which, and when, stays with the visit's own people. One query.
"""

from django.utils.text import capfirst

from reports.plan import register_plan_section

from .models import ReviewRound, Visit


def rounds(programme) -> dict | None:
    items = ReviewRound.objects.filter(programme=programme).order_by("organising_start", "name")
    found = [{"round": item, "phases": item.phases()} for item in items]
    return {"rounds": found} if found else None


def register() -> None:
    register_plan_section(
        "peer-visits",
        order=35,
        title=capfirst(Visit._meta.verbose_name_plural),
        template="visits/plan_peer_visits.html",
        context=rounds,
        rows=lambda programme: ReviewRound.objects.filter(programme=programme),
        watch=[ReviewRound],
    )
