"""Demo data for peer visits: the round of Motiva's second peer-learning pilot.

Facts from /work/shared/seeds/004 (Finnish) and DIGEST.md's Motiva section: the phases and their
windows (organising end 2021, preparing Jan-Feb 2022, visits Mar-Apr 2022, written reports
May-Jun 2022, final event Jun 2022, comments summer 2022), the seven themes (loaded by
meetings.demo), the virtual visits and groups drawn from two other municipalities, and pilot 2's
municipalities (Kerava, Lohja, Kuhmo). The first pilot's six municipalities act as mentors in the
second (004); here they take part in the round too, so that it is big enough for no pair to
review each other (# invented: their taking part in the visits). Everything else - days, people,
texts - is marked ``# invented:``.

Called by meetings.demo.load_demo after the programmes exist, in the same transaction; every
row is written with ``update_or_create`` on a natural key, so loading twice gives the same rows.
"""

import datetime as dt
import zoneinfo

from cities.models import City, Contact
from exchanges.models import Programme

from .assignment import Participant, assignment_propose
from .models import (
    FeedbackReport,
    Finding,
    Interview,
    InterviewerSeat,
    ReportStatus,
    ReviewRound,
    SelfAssessment,
    Visit,
    VisitFormat,
)

HELSINKI = "Europe/Helsinki"
PROGRAMME = "motiva-pilot-2"
ROUND_NAME = "Peer visits 2022"
PILOT_2 = ["Kerava", "Lohja", "Kuhmo"]
PILOT_1 = ["Turku", "Hyvinkää", "Hämeenlinna", "Oulu", "Hollola", "Rauma"]

# DIGEST, Motiva: the phases by month; # invented: the exact first and last days.
WINDOWS = {
    "organising": (dt.date(2021, 12, 1), dt.date(2021, 12, 31)),
    "preparing": (dt.date(2022, 1, 1), dt.date(2022, 2, 28)),
    "visit": (dt.date(2022, 3, 1), dt.date(2022, 4, 30)),
    "report": (dt.date(2022, 5, 1), dt.date(2022, 6, 30)),
    "final_event": (dt.date(2022, 6, 1), dt.date(2022, 6, 30)),
    "comments": (dt.date(2022, 7, 1), dt.date(2022, 8, 31)),
}

# invented: one visit day per municipality, two a week through March and April.
FIRST_VISIT = dt.date(2022, 3, 8)

# invented: the roles interviewed at each visit (004: "eri rooleissa toimivia henkilöitä").
INTERVIEWS = [
    (9, "Energy-efficiency coordinator", "Energiatehokkuuskoordinaattori"),
    (10, "Head of property management", "Tilapalvelupäällikkö"),
    (11, "Procurement specialist", "Hankinta-asiantuntija"),
    (13, "Communications officer", "Viestintäsuunnittelija"),
]

# invented: the self-assessment's opening, for every theme.
SELF_ASSESSMENT = (
    "Vastuut on kirjattu energiatehokkuussopimuksen toimeenpanosuunnitelmaan; "
    "käytännön työ jakautuu usealle toimialalle."
)

# invented: the reports of pilot 2's three municipalities, per theme index (0-6).
FINDINGS = {
    0: (
        "Energiatehokkuustyöllä on nimetty vastuuhenkilö ja johdon tuki.",
        "Vastuut kannattaa kirjata myös toimialojen tehtävänkuviin.",
    ),
    3: (
        "Hankintaohjeissa on energiatehokkuuskriteerit.",
        "Kriteerien käyttöä kannattaa seurata hankintakohtaisesti.",
    ),
    5: (
        "Kulutusseuranta kattaa kaikki suurimmat kiinteistöt.",
        "Seurannan tulokset kannattaa viedä käyttäjille asti.",
    ),
}
SUMMARY = (
    "Kunnassa on hyvä pohja energiatehokkuustyölle. Seuraava askel on tehdä työstä näkyvää "
    "koko organisaatiossa."
)
# invented: which hosts agreed to be named in the results summary.
NAMED = {"Kerava"}


def load() -> None:
    programme = Programme.objects.filter(slug=PROGRAMME).first()
    if programme is None:
        return
    review_round = load_round(programme)
    visits = load_visits(review_round)
    load_groups(visits)
    for index, visit in enumerate(visits):
        load_arrangements(visit, FIRST_VISIT + dt.timedelta(days=3 * index + index // 2))
        load_self_assessment(visit)
        if visit.host.name in PILOT_2:
            load_report(visit)


def load_round(programme: Programme) -> ReviewRound:
    fields = {"timezone": HELSINKI}
    for phase, (start, end) in WINDOWS.items():
        fields[f"{phase}_start"], fields[f"{phase}_end"] = start, end
    review_round, _ = ReviewRound.objects.update_or_create(
        programme=programme, name=ROUND_NAME, defaults=fields
    )
    review_round.themes.set(programme.themes.all())
    return review_round


def load_visits(review_round: ReviewRound) -> list[Visit]:
    cities = City.objects.filter(country__code="FI", name__in=PILOT_2 + PILOT_1)
    visits = []
    for city in sorted(cities, key=lambda c: c.name):
        responsible = Contact.objects.filter(city=city).order_by("email").first()
        visit, _ = Visit.objects.update_or_create(
            round=review_round,
            host=city,
            defaults={"responsible": responsible, "format": VisitFormat.VIRTUAL},
        )
        visits.append(visit)
    return visits


def load_groups(visits: list[Visit]) -> None:
    """The service's proposal, in alphabetical order: the same groups on every load."""
    groups = assignment_propose(
        participants=[Participant(id=v.pk, name=v.host.name) for v in visits]
    )
    for visit_id, members in groups.items():
        InterviewerSeat.objects.filter(visit_id=visit_id).exclude(reviewer_id__in=members).delete()
        for member in members:
            InterviewerSeat.objects.get_or_create(visit_id=visit_id, reviewer_id=member)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=zoneinfo.ZoneInfo(HELSINKI))


def load_arrangements(visit: Visit, day: dt.date) -> None:
    visit.date = day
    visit.session_at = _at(day, 15)
    visit.session_place = "Teams"  # invented
    visit.save(update_fields=["date", "session_at", "session_place", "updated_at"])
    for hour, _role_en, role_fi in INTERVIEWS:
        Interview.objects.update_or_create(
            visit=visit,
            starts_at=_at(day, hour),
            defaults={"role": role_fi, "interviewee": f"{role_fi}, {visit.host.name}"},
        )


def load_self_assessment(visit: Visit) -> None:
    for theme in visit.round.themes.all():
        SelfAssessment.objects.update_or_create(
            visit=visit, theme=theme, defaults={"text": SELF_ASSESSMENT}
        )


def load_report(visit: Visit) -> None:
    themes = list(visit.round.themes.order_by("order", "name"))
    submitted_at = _at(dt.date(2022, 5, 20), 12)  # invented
    report, _ = FeedbackReport.objects.update_or_create(
        visit=visit,
        defaults={
            "summary": SUMMARY,
            "status": ReportStatus.SUBMITTED,
            "submitted_at": submitted_at,
            "host_agrees_to_be_named": visit.host.name in NAMED,
        },
    )
    for index, (strengths, development_areas) in FINDINGS.items():
        if index < len(themes):
            Finding.objects.update_or_create(
                report=report,
                theme=themes[index],
                defaults={"strengths": strengths, "development_areas": development_areas},
            )
