"""make bench: how long the peer-learning plan takes to render, and what our code adds.

Prints, measured in one run on the same machine:
- the MULTIPLY plan's whole render task (gather data, template, WeasyPrint);
- the same for a programme ten times its size (it should grow no faster than the data);
- the ratio of the whole task to WeasyPrint rendering the same HTML alone (target <= 1.3).
"""

import itertools
import os
import statistics
import string
import sys
import time

from common import VAR, manage

REPEAT = 3
TARGET_OVERHEAD = 1.3


def setup_django() -> None:
    VAR.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{VAR / 'documents.sqlite3'}")
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "multiply.settings",
            "LOG_LEVEL": "WARNING",
            "MEDIA_ROOT": str(VAR / "media"),
        }
    )
    env = dict(os.environ)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_demo")
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
    Programme.objects.filter(slug=slug).delete()
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


def timed(function) -> float:
    samples = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


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
        "task": timed(whole_task),
        "weasyprint": timed(lambda: pdf_from_html(html)),
        "bytes": len(pdf),
        "exchanges": programme.meetings.count(),
        "cities": sum(n.memberships.count() for n in programme.networks.all()),
    }


def main() -> int:
    setup_django()
    from exchanges.models import Programme

    multiply = measure(Programme.objects.get(slug="multiply"))
    scaled = measure(scaled_copy(10))
    header = ("plan", "cities", "meetings", "task s", "weasy s", "overhead", "KB")
    print("\n{:<14}{:>8}{:>10}{:>9}{:>9}{:>10}{:>8}".format(*header))
    for name, row in (("MULTIPLY", multiply), ("MULTIPLY ×10", scaled)):
        overhead = row["task"] / row["weasyprint"]
        print(
            f"{name:<14}{row['cities']:>8}{row['exchanges']:>10}{row['task']:>9.2f}"
            f"{row['weasyprint']:>9.2f}{overhead:>10.2f}{row['bytes'] // 1024:>8}"
        )
    growth = scaled["task"] / multiply["task"]
    data_growth = scaled["exchanges"] / multiply["exchanges"]
    overhead = max(multiply["task"] / multiply["weasyprint"], scaled["task"] / scaled["weasyprint"])
    print(
        f"render time grew {growth:.1f}x for {data_growth:.1f}x the meetings "
        f"({'no faster than the data' if growth <= data_growth * 1.1 else 'FASTER than the data'})"
    )
    print(
        f"whole task / WeasyPrint alone: {overhead:.2f} "
        f"({'meets' if overhead <= TARGET_OVERHEAD else 'misses'} the target of {TARGET_OVERHEAD})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
