"""The peer-learning plan: which sections a programme's plan has, and whether it has one.

The rule, decided here and nowhere else: a programme has a plan when it is published and at
least one section that says what its peer learning is made of has something to show - cities
in a network, national exchanges, themes, the international conference, other meetings,
consortium meetings, or what another app contributes (a published call for applications, a
round of peer visits, mentorships). The introduction and the list of contacts do not count on
their own: a description and six networks without a city (MAYORS in ACTION) are no plan, so
the programme page shows no link, the plan's URL is a 404 and nothing is queued or rendered.

A section is in the plan when its data is there, whatever kind of programme it is: an empty
section is left out, never printed as "none yet", and the contents list only what is present.

Other apps add sections without reports importing them: `register_plan_section()`, called from
their AppConfig.ready(), as `register_builder` does for whole documents. Every section costs a
constant number of queries, so a plan costs the same few whatever the size of the programme.
"""

import datetime as dt
import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import reduce

from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from exchanges.models import Programme
from exchanges.selectors import programme_list

from .models import Document
from .signals import watch_model


@dataclass(frozen=True)
class PlanSection:
    name: str  # its anchor in the document, and its key here
    order: int  # where it stands in the plan
    title: str  # its heading (lazy); its context may give another one
    template: str  # renders `section`: the context's keys plus name, title and template
    context: Callable[[Programme], dict | None]  # what it shows; None or {}: left out
    # The section's rows for a programme (an OuterRef): any row makes the programme a plan.
    # None for sections that never make a plan on their own.
    rows: Callable[[OuterRef], QuerySet] | None = None


SECTIONS: dict[str, PlanSection] = {}


class NoPlan(Exception):
    """The programme has nothing for a plan to show (see the module docstring)."""


def register_plan_section(
    name: str,
    *,
    order: int,
    title: str,
    template: str,
    context: Callable[[Programme], dict | None],
    rows: Callable[[OuterRef], QuerySet] | None = None,
    watch: Iterable[type] = (),
) -> None:
    """Add a section to every plan whose programme has its data. `watch` names the models
    whose changes re-render the plans already published (they need a `programme_id`)."""
    SECTIONS[name] = PlanSection(name, order, title, template, context, rows)
    for model in watch:
        watch_model(model)


def plan_condition() -> Q:
    """The module's rule as one condition on Programme: one query, whatever the sections."""
    conditions = [Q(Exists(s.rows(OuterRef("pk")))) for s in SECTIONS.values() if s.rows]
    return reduce(operator.or_, conditions) if conditions else Q(pk__in=[])


def programmes_with_plan(queryset: QuerySet[Programme] | None = None) -> QuerySet[Programme]:
    """The published programmes (or those of `queryset`) that have a plan."""
    return (programme_list() if queryset is None else queryset).filter(plan_condition())


@dataclass(frozen=True)
class PlanLink:
    """For the programme page: the plan exists; its newest ready file, if any, is this one."""

    language: str | None
    rendered_at: dt.datetime | None
    size: int | None


def plan_link(*, programme: Programme, language: str) -> PlanLink | None:
    """None when the programme has no plan; else the newest ready file in `language`, or in
    English. One query, so that the programme page costs no more than before."""
    languages = list(dict.fromkeys([language, "en"]))
    latest = (
        Document.objects.filter(
            kind=Document.Kind.PLAN,
            programme=OuterRef("pk"),
            status=Document.Status.READY,
            language__in=languages,
        )
        .annotate(
            preference=Case(
                When(language=languages[0], then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("preference", "-rendered_at", "-pk")
    )
    row = (
        Programme.objects.filter(pk=programme.pk)
        .filter(plan_condition())
        .annotate(
            **{
                f"plan_{field}": Subquery(latest.values(field)[:1])
                for field in ("language", "rendered_at", "size")
            }
        )
        .values("plan_language", "plan_rendered_at", "plan_size")
        .first()
    )
    if row is None:
        return None
    return PlanLink(row["plan_language"], row["plan_rendered_at"], row["plan_size"])


def plan_sections(*, programme: Programme) -> list[dict]:
    """The sections of the programme's plan that have something to show, in their order.

    Raises NoPlan when none of them makes a plan: the builder never renders an empty one.
    """
    sections, has_plan = [], False
    for section in sorted(SECTIONS.values(), key=lambda s: (s.order, s.name)):
        data = section.context(programme)
        if not data:
            continue
        has_plan = has_plan or section.rows is not None
        sections.append(
            {"name": section.name, "title": section.title, "template": section.template, **data}
        )
    if not has_plan:
        raise NoPlan(f"{programme.slug} has nothing for a peer-learning plan to show")
    return sections
