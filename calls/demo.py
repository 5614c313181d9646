"""Demo data for calls and mentorships: Motiva's two pilot calls and pilot 2's mentor pairs.

Facts from /work/shared/seeds/004 (Finnish, the call for the second pilot) and DIGEST.md's
public facts; everything else is marked ``# invented:``. Called by meetings.demo.load_demo
after the programmes exist, in the same transaction; every row is written with
``update_or_create`` on a natural key, so loading twice gives the same rows.

Call texts are translated with django-modeltranslation like the programmes': each language's
column is written, and the base column gets the English text (see meetings.demo).
"""

import datetime as dt
import zoneinfo

from cities.models import City, Contact
from exchanges.models import Membership, Programme, Role

from .models import (
    Answer,
    Application,
    ApplicationStatus,
    Call,
    ContactForm,
    Mentorship,
    MentorshipContact,
    MentorshipKind,
    Question,
    QuestionKind,
)

HELSINKI = "Europe/Helsinki"

PILOT_1_CITIES = ["Turku", "Hyvinkää", "Hämeenlinna", "Oulu", "Hollola", "Rauma"]
PILOT_2_CITIES = ["Kerava", "Lohja", "Kuhmo"]

ELIGIBILITY = {
    "en": "The municipality has joined the energy-efficiency agreement (KETS).",
    # 004: "Kaikki energiatehokkuussopimukseen liittyneet kunnat voivat hakea", as a statement.
    "fi": "Kunta on liittynyt energiatehokkuussopimukseen (KETS).",
}

PILOT_2_CALL = {
    "slug": "motiva-pilot-2-call",
    "programme": "motiva-pilot-2",
    # invented: the exact opening day; 004 says only that the call opens in November 2021
    # (news of 25 Oct 2021).
    "opens": (dt.date(2021, 11, 1), 0, 0),
    "closes": (dt.date(2021, 12, 4), 23, 59),  # 004: "Haku on auki 4.12.2021 asti."
    "places": (5, 6),  # 004: "haetaan mukaan 5-6 kuntaa"
    "webinar": ((dt.date(2021, 11, 4), 10, 0), (dt.date(2021, 11, 4), 11, 0)),  # 004
    # invented: the slides' address (004 links the PDF, 637 KB, without giving it); the same
    # address as the webinar's material in meetings.demo.
    "slides_url": "https://www.motiva.fi/files/vertaisoppiminen/"
    "infotilaisuus-kets-vertaisoppimisesta-4-11-2021.pdf",
    "slides_size": 637 * 1024,  # 004: "pdf 637 KB"
    # invented: the recording's address (004: a video on Motiva's YouTube channel).
    "recording_url": "https://www.motiva.fi/vertaisoppiminen/"
    "infotilaisuus-kets-vertaisoppimisesta-4-11-2021-tallenne",
    "texts": {
        "title": {
            "en": "Call open: peer learning to speed up municipal energy-efficiency work",
            "fi": "Haku auki: vertaisoppimisella vauhtia kuntien energiatehokkuustyöhön",
        },
        "text": {
            "en": "Every municipality that has joined the energy-efficiency agreement (KETS) may "
            "apply to the second peer-learning pilot of the agreement's implementation, "
            "coordinated by Motiva and funded by the Energy Authority. The pilot seeks "
            "municipalities that want to learn best practice in energy-efficiency work from "
            "each other, get ideas for developing their own work and network with people in "
            "other municipalities. Its results are shared openly with all municipalities. The "
            "pilot ends in summer 2022.\n\n"
            "Each participating municipality gets a virtual visit, in which a group drawn from "
            "two other municipalities interviews people in different roles and compiles "
            "feedback on strengths and development areas. The six municipalities of the first "
            "pilot act as mentors.",
            "fi": "Kaikki energiatehokkuussopimukseen liittyneet kunnat voivat hakea mukaan "
            "energiatehokkuussopimuksen toimeenpanon toiseen vertaisoppimispilottiin.\n\n"
            "Pilottiin haetaan mukaan kuntia, jotka haluavat oppia toisiltaan "
            "energiatehokkuustyön toimeenpanon parhaita käytäntöjä, saada kehitysideoita omasta "
            "energiatehokkuustyöstään sekä verkostoitua muiden kuntien toimijoiden kanssa. "
            "Pilotin tulokset jaetaan avoimesti kaikkien kuntien käyttöön. Hanke päättyy "
            "kesällä 2022.\n\n"
            "Vertaisoppimiskierroksella jokaiseen osallistuvaan kuntaan toteutetaan virtuaalinen "
            "vierailu, jossa kahdesta muusta kunnasta koottu ryhmä haastattelee kunnan eri "
            "rooleissa toimivia ja kokoaa kunnalle palautteen vahvuuksista ja "
            "kehittämiskohteista. Ensimmäiseen pilottihankkeeseen osallistuneet kunnat toimivat "
            "mentoreina toisessa pilottihankkeessa.",
        },
        "eligibility": ELIGIBILITY,
        # invented: the criteria themselves (004 links them - "Voit tutustua
        # valintakriteereihin täältä" - without quoting them).
        "selection_criteria": {
            "en": "The municipality's management is committed to the pilot and names a person "
            "responsible for its visit.\n"
            "The municipality can host a virtual visit in March-April 2022 and take part in "
            "another municipality's interview group.\n"
            "Together the selected municipalities differ in size and region.\n"
            "Peer learning does not score or compare municipalities: the criteria only put the "
            "group together.",
            "fi": "Kunnan johto on sitoutunut pilottiin ja nimeää vierailun vastuuhenkilön.\n"
            "Kunta voi isännöidä virtuaalisen vierailun maalis-huhtikuussa 2022 ja osallistua "
            "toisen kunnan haastatteluryhmään.\n"
            "Valitut kunnat ovat kooltaan ja sijainniltaan erilaisia.\n"
            "Vertaisoppiminen ei pisteytä eikä vertaile kuntia: kriteereillä kootaan ryhmä.",
        },
        "webinar_title": {
            "en": "Info webinar on KETS peer learning, 4 Nov 2021",
            "fi": "Infotilaisuus KETS-vertaisoppimisesta 4.11.2021",  # 004
        },
    },
}

SIZES = {
    "en": "under 10,000 inhabitants\n10,000-50,000 inhabitants\nover 50,000 inhabitants",
    "fi": "alle 10 000 asukasta\n10 000-50 000 asukasta\nyli 50 000 asukasta",
}

# invented: the questions (004 links the application form without quoting it); the themes of
# the choice question are 004's.
PILOT_2_QUESTIONS = [
    (QuestionKind.SHORT_TEXT, True, {
        "en": "Who leads the municipality's energy-efficiency work (name and position)?",
        "fi": "Kuka johtaa kunnan energiatehokkuustyötä (nimi ja tehtävä)?",
    }, {}),
    (QuestionKind.SHORT_TEXT, True, {
        "en": "Who would be responsible for the municipality's peer-learning visit?",
        "fi": "Kuka olisi kunnan vertaisoppimisvierailun vastuuhenkilö?",
    }, {}),
    (QuestionKind.LONG_TEXT, True, {
        "en": "Why does the municipality want to take part in the pilot?",
        "fi": "Miksi kunta haluaa mukaan pilottiin?",
    }, {}),
    (QuestionKind.LONG_TEXT, False, {
        "en": "How is the implementation of the agreement organised in the municipality today?",
        "fi": "Miten sopimuksen toimeenpano on kunnassa nyt organisoitu?",
    }, {}),
    (QuestionKind.CHOICE, True, {
        "en": "Size of the municipality", "fi": "Kunnan koko",
    }, SIZES),
    (QuestionKind.CHOICE, False, {
        "en": "Which theme interests the municipality most?",
        "fi": "Mikä teema kiinnostaa kuntaa eniten?",
    }, {
        "en": "Organisation of and responsibilities for implementing the agreement\n"
        "Cross-administrative coordination and cooperation\n"
        "Procurement\nEnergy audits\nConsumption monitoring\nTraining and communication",
        "fi": "Energiatehokkuussopimuksen toimeenpanon organisointi ja vastuut\n"
        "Energiatehokkuustyön poikkihallinnollinen koordinointi ja yhteistyö\n"
        "Hankinnat\nEnergiakatselmukset\nKulutusseuranta\nKoulutus- ja tiedotustoiminta",
    }),
    (QuestionKind.YES_NO, True, {
        "en": "Has the municipality's management committed to taking part?",
        "fi": "Onko kunnan johto sitoutunut osallistumaan?",
    }, {}),
    (QuestionKind.YES_NO, True, {
        "en": "Can the municipality host a virtual visit in March-April 2022?",
        "fi": "Voiko kunta isännöidä virtuaalisen vierailun maalis-huhtikuussa 2022?",
    }, {}),
    (QuestionKind.FILE, False, {
        "en": "The municipality's energy-efficiency action plan (optional)",
        "fi": "Kunnan energiatehokkuuden toimenpidesuunnitelma (vapaaehtoinen)",
    }, {}),
    (QuestionKind.FILE, False, {
        "en": "Organisation chart of the energy-efficiency work (optional)",
        "fi": "Energiatehokkuustyön organisaatiokaavio (vapaaehtoinen)",
    }, {}),
]  # fmt: skip

PILOT_1_CALL = {
    "slug": "motiva-pilot-1-call",
    "programme": "motiva-pilot-1",
    # DIGEST "public facts": the call was open from 14 Oct to 20 Nov 2020.
    # invented: the hours (the whole of both days).
    "opens": (dt.date(2020, 10, 14), 0, 0),
    "closes": (dt.date(2020, 11, 20), 23, 59),
    "places": (None, None),  # not in the sources; six municipalities took part
    "texts": {
        "title": {
            "en": "Call for the first municipal peer-learning pilot",
            "fi": "Haku kunta-alan ensimmäiseen vertaisoppimisen pilottihankkeeseen",  # invented
        },
        "text": {
            "en": "Municipalities that have joined the energy-efficiency agreement (KETS) may "
            "apply to the first peer-learning pilot, coordinated by Motiva. The pilot runs from "
            "November 2020 to June 2021: each municipality first makes a self-assessment, then "
            "hosts a one-day evaluation visit in turn, and receives an evaluation report.",
            # invented: Finnish wording of the digest's public facts about pilot 1.
            "fi": "Energiatehokkuussopimukseen liittyneet kunnat voivat hakea Motivan "
            "koordinoimaan ensimmäiseen vertaisoppimisen pilottihankkeeseen. Pilotti kestää "
            "marraskuusta 2020 kesäkuuhun 2021: kukin kunta tekee ensin itsearvioinnin, "
            "isännöi vuorollaan yhden päivän arviointivierailun ja saa arviointiraportin.",
        },
        "eligibility": ELIGIBILITY,
        "selection_criteria": {  # invented
            "en": "The municipality's management is committed to the pilot and the municipality "
            "can host a one-day evaluation visit.",
            "fi": "Kunnan johto on sitoutunut pilottiin ja kunta voi isännöidä yhden päivän "
            "arviointivierailun.",
        },
    },
}

PILOT_1_QUESTIONS = PILOT_2_QUESTIONS[:3] + PILOT_2_QUESTIONS[6:7]

# invented: the answers of the selected municipalities, by question number (1-based); the size
# classes follow the municipalities' populations.
PILOT_2_ANSWERS = {
    "Kerava": {5: "2", 6: "1", 7: "yes", 8: "yes"},
    "Lohja": {5: "2", 6: "2", 7: "yes", 8: "yes"},
    "Kuhmo": {5: "1", 6: "3", 7: "yes", 8: "yes"},
}

# invented: the pairs. 004 says only that the first pilot's six municipalities mentor the
# second pilot; here each mentors one of the three, two mentors per municipality.
MENTOR_PAIRS = [
    ("Hyvinkää", "Kerava"),
    ("Turku", "Kerava"),
    ("Hämeenlinna", "Lohja"),
    ("Rauma", "Lohja"),
    ("Oulu", "Kuhmo"),
    ("Hollola", "Kuhmo"),
]
KICK_OFF = dt.date(2022, 2, 3)  # DIGEST: pilot 2 kicked off online on 3 Feb 2022
PILOT_2_END = dt.date(2022, 6, 30)  # invented: the day; 004 says the pilot ends in summer 2022


def load() -> None:
    programmes = {p.slug: p for p in Programme.objects.filter(slug__startswith="motiva-pilot-")}
    if {"motiva-pilot-1", "motiva-pilot-2"} - programmes.keys():
        return  # the programmes come from meetings.demo; nothing to build on
    pilot_1 = load_call(PILOT_1_CALL, programmes["motiva-pilot-1"], PILOT_1_QUESTIONS)
    pilot_2 = load_call(PILOT_2_CALL, programmes["motiva-pilot-2"], PILOT_2_QUESTIONS)
    # invented: the days the applications came in and were decided.
    load_selected(pilot_1, PILOT_1_CITIES, {}, sent=dt.date(2020, 11, 16), decided=(2020, 11, 27))
    load_selected(
        pilot_2, PILOT_2_CITIES, PILOT_2_ANSWERS, sent=dt.date(2021, 12, 1), decided=(2021, 12, 17)
    )
    load_mentorships(programmes["motiva-pilot-2"])


def _tr(field: str, texts: dict[str, str]) -> dict[str, str]:
    values = {f"{field}_{language}": text for language, text in texts.items()}
    values[field] = texts.get("en", "")
    return values


def _at(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zoneinfo.ZoneInfo(HELSINKI))


def load_call(spec: dict, programme: Programme, questions: list) -> Call:
    texts = {}
    for field, per_language in spec["texts"].items():
        texts.update(_tr(field, per_language))
    webinar = spec.get("webinar")
    call, _created = Call.objects.update_or_create(
        slug=spec["slug"],
        defaults={
            "programme": programme,
            "opens_at": _at(*spec["opens"]),
            "closes_at": _at(*spec["closes"]),
            "timezone": HELSINKI,
            "places_min": spec["places"][0],
            "places_max": spec["places"][1],
            "webinar_start": _at(*webinar[0]) if webinar else None,
            "webinar_end": _at(*webinar[1]) if webinar else None,
            "slides_url": spec.get("slides_url", ""),
            "slides_size": spec.get("slides_size"),
            "recording_url": spec.get("recording_url", ""),
            "is_published": True,
            **texts,
        },
    )
    for order, (kind, required, text, choices) in enumerate(questions, start=1):
        Question.objects.update_or_create(
            call=call,
            order=order,
            defaults={
                "kind": kind,
                "required": required,
                "max_file_size_mb": 10 if kind == QuestionKind.FILE else None,
                "allowed_extensions": "pdf, docx, odt" if kind == QuestionKind.FILE else "",
                **_tr("text", text),
                **_tr("choices", choices or {"en": ""}),
            },
        )
    return call


def load_selected(call: Call, names: list[str], answers: dict, *, sent, decided) -> None:
    """The municipalities the call selected, each with its membership in the programme."""
    questions = {q.order: q for q in call.questions.all()}
    decided_at = _at(dt.date(*decided), 12, 0)
    for name in names:
        city = City.objects.get(country__code="FI", name=name)
        contact = Contact.objects.filter(city=city).order_by("last_name", "first_name").first()
        membership = Membership.objects.filter(network__programme=call.programme, city=city).first()
        application, _created = Application.objects.update_or_create(
            call=call,
            city=city,
            defaults={
                "country": city.country,
                "contact_name": contact.full_name if contact else name,
                "contact_email": contact.email if contact else "",
                "contact_phone": contact.phone if contact else "",
                "contact_position": contact.position if contact else "",
                "language": "fi",
                "eligibility_confirmed_at": _at(sent, 9, 0),
                "status": ApplicationStatus.SELECTED,
                "role": membership.role if membership else Role.ENGAGED,
                "membership": membership,
                "decided_at": decided_at,
            },
        )
        # auto_now_add ignores a given value: the day it came in is set afterwards.
        Application.objects.filter(pk=application.pk).update(submitted_at=_at(sent, 9, 0))
        for order, value in answers.get(name, {}).items():
            Answer.objects.update_or_create(
                application=application, question=questions[order], defaults={"value": value}
            )


def load_mentorships(programme: Programme) -> None:
    """004: the first pilot's municipalities mentor the second pilot's."""
    for mentor_name, mentee_name in MENTOR_PAIRS:
        mentor = City.objects.get(country__code="FI", name=mentor_name)
        mentee = City.objects.get(country__code="FI", name=mentee_name)
        mentorship, _created = Mentorship.objects.update_or_create(
            programme=programme,
            mentor_city=mentor,
            mentee=mentee,
            defaults={
                "kind": MentorshipKind.MENTORING,
                "start_date": KICK_OFF,
                "end_date": PILOT_2_END,
                "mentor_contact": Contact.objects.filter(city=mentor)
                .order_by("last_name", "first_name")
                .first(),
            },
        )
        MentorshipContact.objects.update_or_create(
            mentorship=mentorship,
            date=KICK_OFF,
            form=ContactForm.ONLINE,
            # invented: the note.
            defaults={"note": "Met at the online kick-off; agreed to talk before the visit."},
        )
