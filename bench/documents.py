"""make bench: how long the peer-learning plan takes to render, and what our code adds.

On a database of its own (bench/common.py bench_env): bench/var/documents.sqlite3, or
`<its database>_documents` on DATABASE_URL's PostgreSQL server. Renders three plans:
- MULTIPLY's, with its real meetings only (the synthetic ones have a programme of their own);
- a copy of MULTIPLY ten times its size (it should grow no faster than the data);
- the synthetic programme of `load_demo --scale 1000`: its 1,000 meetings are workshops,
  webinars, study and peer visits, which the plan lists one by one in its "Meetings" section
  (reports/plan_sections.py: every meeting but national exchanges and the conference, which
  have sections of their own); the bench checks that each of them is in the HTML.

For each it prints, measured in one run on the same machine: the whole render task (gather data,
template, WeasyPrint) and WeasyPrint rendering the same HTML alone (pdf_from_html), the PDF's
pages and both rates in pages per second; then the growth from MULTIPLY to ten times MULTIPLY
and the ratio of the whole task to WeasyPrint alone (target <= 1.3).
"""

import io
import itertools
import os
import statistics
import string
import sys
import time

from common import bench_env, manage

REPEAT = 3
SYNTHETIC_MEETINGS = 1000
TARGET_OVERHEAD = 1.3


def setup_django() -> None:
    env = bench_env("documents")
    os.environ.update(env)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_demo", "--scale", str(SYNTHETIC_MEETINGS))
    import django

    django.setup()


def scaled_copy(factor: int):
    """A programme with `factor` times MULTIPLY's networks, cities, exchanges and meetings."""
    from django.db import transaction

    from cities.models import City, Country
    from exchanges.models import ExchangeMeeting, Membership, NationalNetwork, Programme
    from meetings.models import ConsortiumMeeting

    source = Programme.objects.get(slug="multiply")
    slug = f"multiply-x{factor}"
    scaled_copy_remove(slug)
    codes = ("".join(pair) for pair in itertools.product(string.ascii_uppercase, repeat=2))
    with transaction.atomic():
        copy = Programme.objects.create(
            slug=slug,
            name=f"MULTIPLY ×{factor}",
            start_date=source.start_date,
            end_date=source.end_date,
            peer_learning=source.peer_learning,
            description=source.description,
        )
        for theme in source.themes.all():
            topics, groups = list(theme.topics.all()), list(theme.target_groups.all())
            theme.pk = None
            theme.programme = copy
            theme.save()
            theme.target_groups.set(groups)
            for topic in topics:
                topic.pk, topic.theme = None, theme
                topic.save()
        networks = list(NationalNetwork.objects.filter(programme=source))
        for _round, network in itertools.product(range(factor), networks):
            code = next(code for code in codes if not Country.objects.filter(code=code).exists())
            country = Country.objects.create(code=code, name=f"{network.country.name} {code}")
            clone = NationalNetwork.objects.create(programme=copy, country=country)
            for membership in network.memberships.select_related("city"):
                city = City.objects.create(name=membership.city.name, country=country)
                Membership.objects.create(network=clone, city=city, role=membership.role)
            for meeting in network.meetings.all():
                host = meeting.host_city and City.objects.get(
                    country=country, name=meeting.host_city.name
                )
                topics = list(meeting.topics.all())
                meeting.pk, meeting.programme, meeting.network, meeting.host_city = (
                    None,
                    copy,
                    clone,
                    host,
                )
                meeting.theme = (
                    copy.themes.filter(name=meeting.theme.name).first() if meeting.theme else None
                )
                meeting.save()
        number = 0
        for _round in range(factor):
            for consortium in ConsortiumMeeting.objects.filter(programme=source).order_by("number"):
                number += 1
                consortium.pk, consortium.programme, consortium.number = None, copy, number
                consortium.save()
        ExchangeMeeting.objects.filter(programme=copy).count()
    return copy


def scaled_copy_remove(slug: str) -> None:
    """The copy an earlier run left, with its countries and cities: each run makes new ones,
    and the two-letter codes would run out."""
    from cities.models import City, Country
    from exchanges.models import Programme

    countries = list(Country.objects.filter(networks__programme__slug=slug))
    Programme.objects.filter(slug=slug).delete()
    City.objects.filter(country__in=countries).delete()
    Country.objects.filter(pk__in=[country.pk for country in countries]).delete()


def timed(function) -> float:
    samples = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def pdf_pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def measure(programme) -> dict:
    from reports.models import Document
    from reports.services import html_for, pdf_from_html

    document = Document(kind=Document.Kind.PLAN, programme=programme, language="en")

    def whole_task():
        html, _name = html_for(document)
        return pdf_from_html(html)

    html, _name = html_for(document)
    pdf = whole_task()
    return {
        "html": html,
        "task": timed(whole_task),
        "weasyprint": timed(lambda: pdf_from_html(html)),
        "bytes": len(pdf),
        "pages": pdf_pages(pdf),
        "exchanges": programme.meetings.count(),
        "cities": sum(n.memberships.count() for n in programme.networks.all()),
    }


def listed_in_plan(programme, html: str) -> int:
    """How many of the programme's meetings the plan names (the Meetings section prints each
    title; a synthetic title's number ends with a colon, so none is part of another)."""
    titles = programme.meetings.values_list("title", flat=True)
    return sum(title in html for title in titles)


def main() -> int:
    setup_django()
    from demo.synthetic import SYNTHETIC_PROGRAMME
    from exchanges.models import Programme

    multiply = measure(Programme.objects.get(slug="multiply"))
    scaled = measure(scaled_copy(10))
    programme = Programme.objects.get(slug=SYNTHETIC_PROGRAMME)
    synthetic = measure(programme)
    listed = listed_in_plan(programme, synthetic["html"])
    header = ("plan", "cities", "meetings", "pages", "task s", "weasy s", "overhead")
    header += ("task p/s", "weasy p/s", "KB")
    print("\n{:<20}{:>7}{:>9}{:>7}{:>8}{:>9}{:>10}{:>10}{:>11}{:>7}".format(*header))
    rows = (
        ("MULTIPLY", multiply),
        ("MULTIPLY ×10", scaled),
        (f"synthetic ({SYNTHETIC_MEETINGS:,})", synthetic),
    )
    for name, row in rows:
        overhead = row["task"] / row["weasyprint"]
        print(
            f"{name:<20}{row['cities']:>7}{row['exchanges']:>9}{row['pages']:>7}"
            f"{row['task']:>8.2f}{row['weasyprint']:>9.2f}{overhead:>10.2f}"
            f"{row['pages'] / row['task']:>10.1f}{row['pages'] / row['weasyprint']:>11.1f}"
            f"{row['bytes'] // 1024:>7}"
        )
    print(f"(median of {REPEAT} renders each; p/s: PDF pages per second)")
    growth = scaled["task"] / multiply["task"]
    data_growth = scaled["exchanges"] / multiply["exchanges"]
    overhead = max(row["task"] / row["weasyprint"] for _name, row in rows)
    print(
        f"render time grew {growth:.1f}x for {data_growth:.1f}x the meetings "
        f"({'no faster than the data' if growth <= data_growth * 1.1 else 'FASTER than the data'})"
    )
    print(
        f"whole task / WeasyPrint alone: {overhead:.2f} "
        f"({'meets' if overhead <= TARGET_OVERHEAD else 'misses'} the target of {TARGET_OVERHEAD})"
    )
    print(f"the synthetic plan lists {listed} of its {synthetic['exchanges']} meetings")
    if listed != synthetic["exchanges"] or synthetic["exchanges"] != SYNTHETIC_MEETINGS:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
