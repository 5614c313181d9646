"""Demo data for the portal: the real programmes behind Multiply, loaded idempotently.

The facts come from /work/shared/seeds/DIGEST.md and the original pages beside it:
000 (Polish, MULTIPLY peer learning), 001 (Polish, MULTIPLY consortium meetings), 002 (Swedish,
MULTIPLY network exchange), 003 (Polish, MAYORS in ACTION) and 004 (Finnish, Motiva's second
peer-learning pilot). Quoted Polish, Swedish and Finnish text is copied from those pages.
Everything the sources do not say is marked ``# invented:``.

Every row is written with ``update_or_create`` on a natural key, so loading twice gives the same
rows. Translated fields (django-modeltranslation) are written per language *and* into the base
column: ``update_or_create`` saves only the fields it was given, so the base column would
otherwise keep a stale value.
"""

import datetime as dt
import random
import unicodedata
import zoneinfo
from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from accounts.models import User
from cities.models import City, Contact, Country, TargetGroup
from exchanges.caching import calendar_changed
from exchanges.models import (
    ExchangeMeeting,
    MeetingFormat,
    MeetingKind,
    MeetingMaterial,
    MeetingStatus,
    Membership,
    NationalNetwork,
    Programme,
    Role,
    Theme,
    Topic,
)

from .models import ActionItem, Attendance, ConsortiumMeeting, Partner

ADMIN_EMAIL = "admin@multiply.example"
ADMIN_PASSWORD = "multiply-demo"
SYNTHETIC_PREFIX = "Synthetic exchange"

ONLINE = MeetingFormat.ONLINE
IN_PERSON = MeetingFormat.IN_PERSON
HYBRID = MeetingFormat.HYBRID
HELD = MeetingStatus.HELD
MOVED = MeetingStatus.MOVED_ONLINE

# --------------------------------------------------------------------------------------------
# Countries and target groups
# --------------------------------------------------------------------------------------------

# code: (IANA time zone, names). MULTIPLY's six countries (DIGEST "public facts"), the Netherlands
# (POSAD, Generation.Energy), Finland (Motiva) and MAYORS in ACTION's countries (003).
COUNTRIES = {
    "SE": ("Europe/Stockholm", {"en": "Sweden", "pl": "Szwecja", "sv": "Sverige", "fi": "Ruotsi"}),
    "DE": ("Europe/Berlin", {"en": "Germany", "pl": "Niemcy", "sv": "Tyskland", "fi": "Saksa"}),
    "HU": ("Europe/Budapest", {"en": "Hungary", "pl": "Węgry", "sv": "Ungern", "fi": "Unkari"}),
    "PL": ("Europe/Warsaw", {"en": "Poland", "pl": "Polska", "sv": "Polen", "fi": "Puola"}),
    "IT": ("Europe/Rome", {"en": "Italy", "pl": "Włochy", "sv": "Italien", "fi": "Italia"}),
    "AT": (
        "Europe/Vienna",
        {"en": "Austria", "pl": "Austria", "sv": "Österrike", "fi": "Itävalta"},
    ),
    "NL": (
        "Europe/Amsterdam",
        {"en": "Netherlands", "pl": "Holandia", "sv": "Nederländerna", "fi": "Alankomaat"},
    ),
    "FI": ("Europe/Helsinki", {"en": "Finland", "pl": "Finlandia", "sv": "Finland", "fi": "Suomi"}),
    "BE": ("Europe/Brussels", {"en": "Belgium", "pl": "Belgia", "sv": "Belgien", "fi": "Belgia"}),
    "HR": (
        "Europe/Zagreb",
        {"en": "Croatia", "pl": "Chorwacja", "sv": "Kroatien", "fi": "Kroatia"},
    ),
    "GR": ("Europe/Athens", {"en": "Greece", "pl": "Grecja", "sv": "Grekland", "fi": "Kreikka"}),
    "ES": ("Europe/Madrid", {"en": "Spain", "pl": "Hiszpania", "sv": "Spanien", "fi": "Espanja"}),
}

# Polish wording from 000 (put in the nominative), Swedish from 002's table.
TARGET_GROUPS = [
    {
        "slug": "decision-makers",
        "name": {
            "en": "Local decision makers",
            "pl": "lokalni decydenci",
            "sv": "beslutsfattare, förtroendevalda, politiker",
        },
        "description": {
            "en": "Local authority leaders who set the city's overall strategy and give direction "
            "to the departments of the local administration.",
            "pl": "przedstawiciele władz lokalnych odpowiadający za kształtowanie ogólnej "
            "strategii miasta i nadawanie kierunku działaniom podejmowanych przez poszczególne "
            "wydziały lokalnej administracji",
        },
    },
    {
        "slug": "planning-staff",
        "name": {
            "en": "Energy, transport and spatial planning staff",
            # 000 reads "związane energią"; the missing "z" is restored.
            "pl": "pracownicy działów odpowiedzialnych za kwestie związane z energią, "
            "transportem i planowaniem przestrzennym",
            "sv": "planarkitekter, hållbarhetssamordnare, energisamordnare",
        },
        "description": {},
    },
    {
        "slug": "communication-staff",
        "name": {
            "en": "Communication and promotion staff",
            "pl": "pracownicy działów odpowiedzialnych za komunikację i promocję",
            "sv": "kommunikationsexperter, deltagandeexperter",
        },
        "description": {},
    },
    {
        "slug": "all",
        # invented: Polish and Finnish words for "all" (000 has no such group; 002 says "alla").
        "name": {"en": "All", "pl": "wszyscy", "sv": "alla", "fi": "kaikki"},
        "description": {},
    },
]

# --------------------------------------------------------------------------------------------
# Programmes
# --------------------------------------------------------------------------------------------

MULTIPLY = {
    "slug": "multiply",
    "start_date": dt.date(2018, 12, 1),
    "end_date": dt.date(2022, 6, 30),
    "funding": "Horizon 2020, grant agreement No 785088",
    "texts": {
        "name": {"en": "MULTIPLY"},
        # invented: tagline wording.
        "tagline": {
            "en": "Cities learning from cities: integrated energy, transport and spatial planning",
            "pl": "Miasta uczą się od miast: zintegrowane planowanie miejskie",
            "sv": "Städer lär av städer: integrerad energiplanering",
        },
        "description": {
            "en": "One of the key elements of MULTIPLY (Horizon 2020, grant agreement 785088, "
            "December 2018 to mid-2022) is the exchange of knowledge and experience between "
            "its cities in six partner countries: Sweden, Germany, Hungary, Poland, Italy and "
            "Austria.\n\n"
            "Six national peer-learning meetings are planned in each partner country, and one "
            "international conference, The Big European Exchange Conference, for a still wider "
            "exchange of experience and good practice. All forerunner and committed cities take "
            "part in the national exchanges, which are held in the forerunner cities (each hosts "
            "two meetings), in the special-award city (one meeting) and in one of the committed "
            "cities (one meeting).\n\n"
            "Each committed city prepares an integrated energy plan (energy and CO2 strategy, "
            "financing strategy, communication strategy); at the last meeting the committed "
            "cities share their experience of preparing it.",
            "pl": "Jednym z kluczowych elementów projektu MULTIPLY jest wymiana wiedzy i "
            "doświadczeń pomiędzy zaangażowanymi w niego miastami.\n\n"
            "W ramach projektu MULTIPLY w każdym z krajów partnerskich planowanych jest 6 "
            "krajowych spotkań peer-learningowych. Planowana jest też jedna międzynarodowa "
            "konferencja umożliwiająca jeszcze szerszą wymianę doświadczeń i dobrych praktyk.\n\n"
            "W wymianach krajowych uczestniczyć będą wszystkie miasta prekursorzy i miasta "
            "zaangażowane, a te będą się odbywać w:\n"
            "• miastach prekursorach – każde będzie gospodarzem dwóch spotkań\n"
            "• jednym z miast zaangażowanych – będzie ono gospodarzem jednego spotkania\n\n"
            "Podczas ostatniego spotkania zaangażowane miasta podzielą się też doświadczeniami "
            "związanymi z pracami nad zintegrowanymi planami energetycznymi realizowanymi w "
            "ramach projektu.",
            # Verbatim from 002, its spelling "europiska" included.
            "sv": "En av nyckelkomponenterna i projektet är nätverksutbytet bland de deltagande "
            "kommunerna.\n\n"
            "MULTIPLY har sex nationella nätverk, ett per partnerland, samt ett internationellt "
            "via den stora europiska konferensen.\n\n"
            "Det är planerat att nätverkskommuner och föregångare deltar tillsammans i alla "
            "nätverksutbyten. Utbytena kommer att äga rum i:\n"
            "• föregångarkommuner - varje stad är värd för två möten med de andra utvalda "
            "städerna i sitt land\n"
            "• staden som tilldelas hederspris - som är värd för ett möte för alla andra städer "
            "i landet,\n"
            "• en av nätverkskommunerna - som är värd för ett möte för alla andra "
            "nätverkskommuner i landet.",
        },
        "peer_learning": {
            "en": "Peer-to-peer learning is direct communication between two or more parties "
            "who learn from each other, so that both sides gain new information and new "
            "perspectives. It builds capacity, and the knowledge it gathers is a strong tool for "
            "evidence-based policy.\n\n"
            "In MULTIPLY the learners are cities. Forerunner cities, experienced in sustainable "
            "urban planning, share their knowledge with the committed cities and often learn "
            "something new along the way. By talking to each other and taking part in meetings "
            "and study visits, cities exchange information, experience and good practice.",
            "pl": "Peer-to-peer learning polega na bezpośredniej komunikacji pomiędzy dwoma lub "
            "więcej osobami uczącymi się od siebie nawzajem. Taki rodzaj wymiany wiedzy jest "
            "korzystny dla obu stron, gdyż każda z nich zyskuje nowe informacje, spojrzenie na "
            "daną kwestię itd. Peer-to-peer learning jest też skutecznym środkiem budowania "
            "potencjału i doskonałości naukowej, a powstały w jego ramach zasób wiedzy jest "
            "silnym narzędziem rozwoju polityki opartej na dowodach.\n\n"
            "W ramach projektu MULTIPLY w proces wymiany zaangażowane są miasta. Miasta "
            "prekursorzy, mające doświadczenie we wdrażaniu rozwiązań z zakresu zrównoważonej "
            "urbanistyki, dzielą się swoją wiedzą z innymi, często samemu przy okazji ucząc się "
            "nowych rzeczy. Komunikując się ze sobą, biorąc udział w spotkaniach, wizytach "
            "studyjnych itd. miasta wymieniają się informacjami, doświadczeniami i dobrymi "
            "praktykami.",
            "sv": "Nätverkslärande innebär en direkt kommunikation mellan minst två parter. Det "
            "skapar ömsesidiga fördelar eftersom båda sidor kan lära sig av varandra. "
            "MULTIPLY:s nätverk handlar om att städer lär sig av varandra – främst att "
            "nätverkskommuner som lär sig av föregångare, men även tvärtom. Lärandet handlar om "
            "direkt kommunikation, möten, studieresor etc. som möjliggör utbyte av kunskap, "
            "erfarenhet och bra/bästa praxis.\n\n"
            "Fördelarna med denna typ av lärande för städer är att intresserad personal kan "
            "medverka, möjligheten att lära sig av verkliga exempel och ett direkt utbyte av "
            "erfarenheter. På så sätt kan alla dra nytta av att diskutera sina genomförda och "
            "planerade åtgärder, som är kopplade till gemensamma problem, och hitta nya idéer "
            "att genomföra.",
        },
        "pioneer_label": {"en": "forerunner city", "pl": "miasto prekursor", "sv": "föregångare"},
        "engaged_label": {
            "en": "committed city",
            "pl": "miasto zaangażowane",
            "sv": "nätverkskommun",
        },
        "special_award_label": {
            "en": "special-award city",
            "pl": "miasto z wyróżnieniem specjalnym",  # invented: 000 has no Polish word for it
            "sv": "stad med hederspris",
        },
    },
}

MAYORS_IN_ACTION = {
    "slug": "mayors-in-action",
    "start_date": dt.date(2014, 3, 1),  # invented: day and month; 003 says "three years"
    "end_date": dt.date(2017, 2, 28),
    "funding": "Intelligent Energy Europe (IEE)",
    "texts": {
        "name": {"en": "MAYORS in ACTION"},
        "tagline": {
            "en": "Helping Covenant Coordinators and Supporters help their municipalities",
            "pl": "Wsparcie dla Koordynatorów Porozumienia i Organizacji Wspierających "
            "Porozumienie",
        },
        "description": {
            "en": "By May 2014 more than 5,700 cities and municipalities, with more than 185 "
            "million inhabitants, had joined the Covenant of Mayors and committed themselves to "
            "preparing and implementing Sustainable Energy Action Plans (SEAPs). MAYORS in "
            "ACTION builds the competences of Covenant Coordinators (CC) and Covenant Supporters "
            "(CS), so that they can better support municipalities in preparing, implementing and "
            "monitoring their SEAPs.\n\n"
            "MAYORS in ACTION runs for three years, until February 2017, co-funded by Intelligent "
            "Energy Europe (IEE). 40 cities and municipalities from 6 countries (Belgium, "
            "Croatia, Greece, Spain, Poland and Italy) take part directly and learn how to "
            "implement and monitor their local SEAPs.",
            "pl": "Ponad 5700 miast i gmin z całej Europy, reprezentujących łącznie ponad 185 "
            "milionów mieszkańców, przystąpiło do maja 2014 r. do ambitnej inicjatywy "
            "proklimatycznej pn. Porozumienie Burmistrzów, zobowiązując się do opracowania i "
            "wdrożenia lokalnych Planów działań na rzecz zrównoważonej energii (tzw. SEAPów). "
            "Aby jednak z powodzeniem zrealizować działania i projekty przewidziane w swoich "
            "planach i osiągnąć założone cele, samorządy lokalne i ich pracownicy potrzebują "
            "wsparcia technicznego i odpowiedniego przeszkolenia. Projekt MAYORS in ACTION "
            "odpowiada na tę potrzebę podnosząc kompetencje Koordynatorów Porozumienia (KP) i "
            "Organizacji Wspierających Porozumienie (OWP), dzięki czemu organizacje te mogą "
            "bardziej efektywnie wspierać miasta i gminy w opracowaniu, wdrażaniu i "
            "monitorowaniu Planów działań na rzecz zrównoważonej energii (SEAPów).\n\n"
            "MAYORS in ACTION jest projektem trzyletnim, który potrwa do lutego 2017 r. Jest on "
            "współfinansowany z programu „Inteligentna Energia dla Europy” (IEE).",
        },
        "peer_learning": {
            "en": "Covenant Coordinators and Covenant Supporters play a key part in giving "
            "technical and financial help to the Covenant's signatory municipalities. Through "
            "regular meetings and individual forms of learning, tutoring and coaching, MAYORS in "
            "ACTION lets them go a step further: newer Covenant Coordinators are coached by more "
            "experienced ones, and good practice travels between countries through training and "
            "direct contacts.",
            "pl": "Koordynatorzy Porozumienia i Organizacje Wspierające Porozumienie odgrywają "
            "kluczową rolę w udzielaniu pomocy technicznej i finansowej gminom – sygnatariuszom "
            "Porozumienia i to właśnie dzięki nim wielu z tych gmin udało się z powodzeniem "
            "opracować kompleksowe SEAPy i pokonać istniejące bariery. Wykorzystując regularne "
            "spotkania i zindywidualizowane formy edukacji jak „tutoring” i „coaching”, projekt "
            "MAYORS in ACTION pozwoli KP i OWP pójść o krok dalej i efektywnie wspierać miasta i "
            "gminy w realizacji zaplanowanych działań poprzez zastosowanie istniejących narzędzi "
            "oraz doświadczeń zdobytych w różnych okolicznościach i warunkach, jak również pomóc "
            "im we wzajemnym wspieraniu się w dążeniu do wspólnych celów.",
        },
    },
}

MOTIVA_PILOT_1 = {
    "slug": "motiva-pilot-1",
    "start_date": dt.date(2020, 10, 14),
    "end_date": dt.date(2021, 6, 30),
    "funding": "",
    "texts": {
        "name": {
            "en": "Motiva municipal peer-learning pilot 1",
            "fi": "Kunta-alan ensimmäinen vertaisoppimisen pilottihanke",
        },
        "description": {
            "en": "The first peer-learning pilot for municipalities that have joined the "
            "energy-efficiency agreement (KETS), coordinated by Motiva. The call was open from "
            "14 October to 20 November 2020; the pilot ran from November 2020 to June 2021. Six "
            "municipalities – Turku, Hyvinkää, Hämeenlinna, Oulu, Hollola and Rauma – shared "
            "their lessons and experience of organising and leading energy-efficiency work. They "
            "act as mentors in the second pilot.",
            # 004, with "Rauna" corrected to Rauma (the municipality's name).
            "fi": "Kunta-alan ensimmäisessä vertaisoppimisen pilottihankkeessa vuosina 2020-2021 "
            "saatiin hyviä tuloksia, kun hankkeessa mukana olleet kuusi kuntaa, Turku, Hyvinkää, "
            "Hämeenlinna, Oulu, Hollola ja Rauma, jakoivat oppejaan ja kokemuksiaan "
            "energiatehokkuustyön organisoimisesta ja johtamisesta. Ensimmäiseen "
            "pilottihankkeeseen osallistuneet kunnat toimivat mentoreina toisessa "
            "pilottihankkeessa ja jakavat oppejaan ja vinkkejä kunnille huomioitavaksi "
            "vertaisoppimisvierailuissa ja koko prosessissa.",
        },
        "peer_learning": {
            "en": "Each municipality first made a self-assessment, then hosted a one-day "
            "evaluation visit in turn, and received an evaluation report.",
            # invented: Finnish wording of the digest's public facts about pilot 1.
            "fi": "Kukin kunta teki ensin itsearvioinnin, isännöi vuorollaan yhden päivän "
            "arviointivierailun ja sai arviointiraportin.",
        },
        # invented: the programme's words for its roles.
        "engaged_label": {"en": "participating municipality", "fi": "osallistuva kunta"},
    },
}

MOTIVA_PILOT_2 = {
    "slug": "motiva-pilot-2",
    "start_date": dt.date(2021, 10, 25),
    "end_date": dt.date(2022, 12, 31),
    "funding": "Energy Authority (Energiavirasto)",
    "texts": {
        "name": {
            "en": "Motiva municipal peer-learning pilot 2",
            "fi": "Energiatehokkuussopimuksen toimeenpanon toinen vertaisoppimispilotti",
        },
        "tagline": {
            "en": "Peer learning to speed up municipal energy-efficiency work",
            "fi": "Vertaisoppimisella vauhtia kuntien energiatehokkuustyöhön",
        },
        "description": {
            "en": "Every municipality that has joined the energy-efficiency agreement (KETS) may "
            "apply to the second peer-learning pilot, coordinated by Motiva and funded by the "
            "Energy Authority. It seeks municipalities that want to learn best practice in "
            "energy-efficiency work from each other, get ideas for their own work and network "
            "with other municipalities; the results are shared openly with all municipalities. "
            "The goal is a peer-learning concept as part of the agreement's support, based on "
            "the climate-leadership peer-review model of the 2019 Ilmastojohtajat project and on "
            "the first pilot (2020-2021).\n\n"
            "5-6 municipalities are sought; the call is open until 4 December 2021. The six "
            "municipalities of the first pilot act as mentors.\n\n"
            "Contacts at Motiva Oy: expert Jaana Federley and lead expert Okariina Rauta.",
            "fi": "Kaikki energiatehokkuussopimukseen liittyneet kunnat voivat hakea mukaan "
            "energiatehokkuussopimuksen toimeenpanon toiseen vertaisoppimispilottiin.\n\n"
            "Pilottiin haetaan mukaan kuntia, jotka haluavat oppia toisiltaan "
            "energiatehokkuustyön toimeenpanon parhaita käytäntöjä, saada kehitysideoita omasta "
            "energiatehokkuustyöstään sekä verkostoitua muiden kuntien toimijoiden kanssa. "
            "Pilotin tulokset jaetaan avoimesti kaikkien kuntien käyttöön. Motivan koordinoima "
            "vertaisoppimisen toisen pilottihankkeen haku käynnistyy marraskuussa 2021. Hanke "
            "päättyy kesällä 2022.\n\n"
            "Pilotin tavoitteena on kehittää vertaisoppimiskonsepti osaksi sopimuksen tukea ja "
            "koota hyviä käytäntöjä kaikkien energiatehokkuussopimukseen liittyneiden kuntien "
            "käyttöön. Konsepti perustuu Ilmastojohtajat-hankkeessa vuonna 2019 kehitettyyn "
            "ilmastojohtamisen vertaisarviointimalliin sekä kuntien ensimmäiseen "
            "vertaisoppimis pilottihankkeeseen (2020-2021).\n\n"
            # The page's heading, call deadline and contact block, condensed into two paragraphs.
            "Toiseen pilottihankkeeseen haetaan mukaan 5-6 kuntaa. Haku on auki 4.12.2021 asti."
            "\n\n"
            "Vertaisoppimisen toisen pilottihankkeen on rahoittanut Energiavirasto.\n\n"
            "Lisätiedot: Motiva Oy, asiantuntija Jaana Federley ja johtava asiantuntija "
            "Okariina Rauta.",
        },
        "peer_learning": {
            "en": "Each participating municipality gets a virtual visit, in which a group drawn "
            "from two other municipalities interviews people in different roles and compiles "
            "feedback on the municipality's strengths and development areas. The visit ends "
            "with a short feedback session to which everyone interviewed is invited.\n\n"
            "Peer learning uses elements of peer review, but it does not score or compare "
            "municipalities: it gives useful lessons and feedback to all who take part.",
            # 004's introduction to the phases, its third phase's last sentence, and its note.
            "fi": "Vertaisoppimiskierroksella jokaiseen osallistuvaan kuntaan toteutetaan "
            "virtuaalinen vierailu, jossa kahdesta muusta kunnasta koottu ryhmä haastattelee "
            "kunnan eri rooleissa toimivia ja kokoaa kunnalle palautteen vahvuuksista ja "
            "kehittämiskohteista. Vierailun päätteeksi pidetään tiivis palautetilaisuus, johon "
            "kutsutaan kaikki haastatteluihin osallistuneet.\n\n"
            "Huom! Vertaisoppiminen hyödyntää vertaisarvioinnin elementtejä, mutta sen "
            "tavoitteena ei ole pisteyttää ja vertailla kuntia keskenään, vaan antaa kaikille "
            "osallistuneille hyödyllisiä oppeja ja palautetta.",
        },
        # invented: the programme's words for its roles (004: "toimivat mentoreina").
        "engaged_label": {"en": "participating municipality", "fi": "osallistuva kunta"},
        "mentor_label": {"en": "mentor municipality", "fi": "mentorikunta"},
    },
}

# --------------------------------------------------------------------------------------------
# MULTIPLY's networks, themes and national exchanges
# --------------------------------------------------------------------------------------------

P, E, S = Role.PIONEER, Role.ENGAGED, Role.SPECIAL_AWARD

# country: [(city, role, region)], forerunners first. Poland's cities are real (DIGEST "public
# facts"); Piastów as Poland's special-award city is invented (the digest does not say which).
# invented: every other country's cities and their roles. 18 forerunners (6 special-award) and
# 24 committed cities in all.
MULTIPLY_CITIES = {
    "PL": [
        ("Bydgoszcz", P, "kujawsko-pomorskie"),
        ("Sztum", P, "pomorskie"),
        ("Piastów", S, "mazowieckie"),  # invented: which forerunner won the special award
        ("Grodzisk Mazowiecki", E, "mazowieckie"),
        ("Mińsk Mazowiecki", E, "mazowieckie"),
        ("Ostrołęka", E, "mazowieckie"),
        ("Siemianowice Śląskie", E, "śląskie"),
    ],
    "SE": [
        ("Helsingborg", P, "Skåne"),
        ("Växjö", P, "Kronoberg"),
        ("Lund", S, "Skåne"),
        ("Borlänge", E, "Dalarna"),
        ("Ale", E, "Västra Götaland"),
        ("Kristianstad", E, "Skåne"),
        ("Sollentuna", E, "Stockholm"),
    ],
    "DE": [
        ("Heidelberg", P, "Baden-Württemberg"),
        ("Bottrop", P, "Nordrhein-Westfalen"),
        ("Eberswalde", S, "Brandenburg"),
        ("Radolfzell am Bodensee", E, "Baden-Württemberg"),
        ("Ludwigsburg", E, "Baden-Württemberg"),
        ("Wernigerode", E, "Sachsen-Anhalt"),
        ("Neumarkt in der Oberpfalz", E, "Bayern"),
        ("Eckernförde", E, "Schleswig-Holstein"),
    ],
    "HU": [
        ("Szeged", P, "Csongrád-Csanád"),
        ("Pécs", P, "Baranya"),
        ("Kaposvár", S, "Somogy"),
        ("Tata", E, "Komárom-Esztergom"),
        ("Hódmezővásárhely", E, "Csongrád-Csanád"),
        ("Szentendre", E, "Pest"),
    ],
    "IT": [
        ("Bergamo", P, "Lombardia"),
        ("Ferrara", P, "Emilia-Romagna"),
        ("Pesaro", S, "Marche"),
        ("Capannori", E, "Toscana"),
        ("Empoli", E, "Toscana"),
        ("Lecce", E, "Puglia"),
        ("Merano", E, "Trentino-Alto Adige"),
    ],
    "AT": [
        # Perchtoldsdorf hosted Austria's first exchange (DIGEST); its forerunner role is invented.
        ("Perchtoldsdorf", P, "Niederösterreich"),
        ("Weiz", P, "Steiermark"),
        ("Gleisdorf", S, "Steiermark"),
        ("Korneuburg", E, "Niederösterreich"),
        ("Baden", E, "Niederösterreich"),
        ("Feldbach", E, "Steiermark"),
        ("Zwettl", E, "Niederösterreich"),
    ],
}

# The five themes of 002's table, with topics in table order; Polish topic wording where 000
# gives matching words. Each topic is {lang: name}.
MULTIPLY_THEMES = [
    {
        "key": "political-leadership",
        # invented: Polish theme names (000 names target groups, not themes).
        "name": {
            "en": "Political leadership",
            "sv": "Politiskt ledarskap",
            "pl": "Przywództwo polityczne",
        },
        "groups": ["decision-makers"],
        "topics": [
            {
                "en": "Arguments for a sector-integrated climate transition",
                "sv": "argument för sektorsintegrerad klimatomställning",
                "pl": "korzyści płynące z międzysektorowej transformacji energetycznej",
            },
            {"en": "Creating political commitment", "sv": "skapa politiskt engagemang"},
            {
                "en": "Finding funding",
                "sv": "hitta finansiering",
                "pl": "finansowanie transformacji energetycznej",
            },
        ],
        "meeting_text": {
            "en": "Local decision makers discuss the benefits of a cross-sector energy "
            "transition, how to create political commitment, and how to finance the energy "
            "transition.",
            "pl": "Lokalni decydenci dyskutują m.in. o korzyściach płynących z międzysektorowej "
            "transformacji energetycznej, komunikacji publicznej i finansowaniu transformacji "
            "energetycznej.",
            "sv": "Argument för sektorsintegrerad klimatomställning, att skapa politiskt "
            "engagemang och att hitta finansiering.",
        },
    },
    {
        "key": "planning",
        "name": {
            "en": "Planning and target fulfilment",
            "sv": "Planering och måluppfyllelse",
            "pl": "Planowanie i realizacja celów",
        },
        "groups": ["planning-staff"],
        "topics": [
            {
                "en": "Technical aspects",
                "sv": "tekniska aspekter",
                "pl": "aspekty techniczne projektów z zakresu efektywności energetycznej",
            },
            {
                "en": "Sector integration",
                "sv": "sektorsintegrering",
                "pl": "międzysektorowa integracja działań",
            },
            {"en": "Peer review of energy plans", "sv": "expertgranskning av energiplaner"},
            {"en": "Target follow-up", "sv": "måluppföljning", "pl": "monitorowanie rezultatów"},
        ],
        "meeting_text": {
            "en": "Energy, transport and planning staff work on the technical aspects of "
            "energy-efficiency projects and on integrating the sectors.",
            "pl": "Pracownicy działów odpowiedzialnych za energię, transport i planowanie "
            "przestrzenne dyskutują m.in. o aspektach technicznych projektów z zakresu "
            "efektywności energetycznej i międzysektorowej integracji działań.",
            "sv": "Tekniska aspekter och sektorsintegrering.",
        },
    },
    {
        "key": "citizen-engagement",
        # 002's table breaks the word as "Medborgar-engagemang".
        "name": {
            "en": "Citizen engagement",
            "sv": "Medborgarengagemang",
            "pl": "Zaangażowanie mieszkańców",
        },
        "groups": ["communication-staff"],
        "topics": [
            {
                "en": "Communication strategies and modern communication tools",
                "sv": "kommunikationsstrategier och moderna kommunikationsverktyg",
                "pl": "strategie komunikacji i nowoczesne narzędzia komunikacji",
            },
            {"en": "Participatory methods", "sv": "deltagarmetoder", "pl": "metody partycypacyjne"},
            {
                "en": "Peer review of communication strategies",
                "sv": "expertgranskning av kommunikationsstrategier",
            },
        ],
        "meeting_text": {
            "en": "Communication staff exchange communication strategies, modern communication "
            "tools and participatory methods, and review each other's communication strategies.",
            "pl": "Pracownicy działów odpowiedzialnych za komunikację i promocję dyskutują m.in. "
            "o strategiach komunikacji, nowoczesnych narzędziach komunikacji i metodach "
            "partycypacyjnych.",
            "sv": "Kommunikationsstrategier och moderna kommunikationsverktyg, deltagarmetoder "
            "och expertgranskning av kommunikationsstrategier.",
        },
    },
    {
        "key": "open",
        "name": {"en": "Open", "sv": "Öppet", "pl": "Temat otwarty"},
        "groups": ["all"],
        "open_to_all": True,
        "topics": [{"en": "Decided by the network", "sv": "bestäms av nätverket"}],
        "meeting_text": {
            "en": "An open meeting: the network decided its subject.",
            "pl": "Spotkanie otwarte: temat wybrała sieć.",  # invented: Polish wording
            "sv": "Öppet tema: bestäms av nätverket.",
        },
    },
    {
        "key": "european-exchange",
        "name": {"en": "European exchange", "sv": "Europeiskt utbyte", "pl": "Wymiana europejska"},
        "groups": ["all"],
        "open_to_all": True,
        "topics": [
            {"en": "International exchange", "sv": "internationellt utbyte"},
            {"en": "Innovative planning measures", "sv": "innovativa planeringsåtgärder"},
            {
                "en": "Challenges and successes of integrated energy planning",
                "sv": "utmaningar och framgångar kring integrerad energiplanering",
            },
        ],
        "meeting_text": {
            "en": "International exchange: innovative planning measures, and the challenges and "
            "successes of integrated energy planning.",
            # invented: Polish wording, after 000's sentence on the conference.
            "pl": "Wymiana międzynarodowa: innowacyjne podejścia do zintegrowanego planowania "
            "miejskiego.",
            "sv": "Internationellt utbyte, innovativa planeringsåtgärder, utmaningar och "
            "framgångar kring integrerad energiplanering.",
        },
    },
]

# DESIGN.md rule 4 (000: "Podczas ostatniego spotkania..."): the last meeting of each network.
ENERGY_PLAN_TEXT = {
    "en": "At this last national exchange the committed cities present their integrated energy "
    "plans (energy and CO2 strategy, financing strategy, communication strategy) and share their "
    "experience of preparing them.",
    "pl": "Podczas ostatniego spotkania zaangażowane miasta dzielą się doświadczeniami "
    "związanymi z pracami nad zintegrowanymi planami energetycznymi realizowanymi w ramach "
    "projektu.",
    # invented: Swedish wording.
    "sv": "Vid det sista mötet presenterar nätverkskommunerna sina integrerade energiplaner.",
}

MOVED_ONLINE_NOTE = {
    "en": "Moved online because of the COVID-19 pandemic.",
    "pl": "Z uwagi na pandemię COVID-19 spotkanie odbyło się w formule on-line.",  # after 000
    "sv": "Mötet hölls digitalt på grund av covid-19-pandemin.",  # invented: Swedish wording
}


class Exchange(NamedTuple):
    """One national exchange of a network's plan (DESIGN.md rule 1)."""

    host: str
    day: dt.date
    format: str
    status: str
    venue: str = ""
    engaged_only: bool = False


# Theme and topics of national exchange n (1-based): the same order in every network.
# Topic indices refer to the theme's topic list; None means all of them.
# invented: which theme each meeting had.
EXCHANGE_THEMES = [
    ("political-leadership", None),
    ("planning", [0, 1]),
    ("citizen-engagement", None),
    ("open", None),
    ("european-exchange", None),
    ("planning", [2, 3]),  # the energy-plan meeting: peer review and target follow-up
]

# Six meetings per network: each forerunner hosts two, the special-award city one, one committed
# city one (DESIGN.md rule 1). Real: Poland's first meeting in Warsaw on 26 Feb 2020, Austria's
# in Perchtoldsdorf in Feb 2020. invented: every other host, date, format and status.
EXCHANGE_PLANS = {
    "PL": [
        # invented: the host. The meeting was in Warsaw, which is not a member city; Piastów,
        # the special-award city, lies next to Warsaw.
        Exchange("Piastów", dt.date(2020, 2, 26), IN_PERSON, HELD, venue="Warsaw"),
        Exchange("Bydgoszcz", dt.date(2020, 6, 17), ONLINE, MOVED),
        Exchange("Sztum", dt.date(2020, 10, 21), ONLINE, HELD),
        Exchange("Mińsk Mazowiecki", dt.date(2021, 3, 24), ONLINE, HELD),
        Exchange("Bydgoszcz", dt.date(2021, 9, 22), IN_PERSON, HELD),
        Exchange("Sztum", dt.date(2022, 4, 6), IN_PERSON, HELD),
    ],
    "SE": [
        Exchange("Växjö", dt.date(2020, 2, 12), IN_PERSON, HELD),
        Exchange("Helsingborg", dt.date(2020, 5, 20), ONLINE, MOVED),
        Exchange("Lund", dt.date(2020, 11, 11), ONLINE, HELD),
        # 002: one network municipality hosts a meeting for the other network municipalities.
        Exchange("Borlänge", dt.date(2021, 4, 14), ONLINE, HELD, engaged_only=True),
        Exchange("Växjö", dt.date(2021, 10, 6), HYBRID, HELD),
        Exchange("Helsingborg", dt.date(2022, 3, 23), IN_PERSON, HELD),
    ],
    "DE": [
        Exchange("Heidelberg", dt.date(2020, 2, 19), IN_PERSON, HELD),
        Exchange("Bottrop", dt.date(2020, 6, 24), ONLINE, MOVED),
        Exchange("Eberswalde", dt.date(2020, 11, 18), ONLINE, HELD),
        Exchange("Radolfzell am Bodensee", dt.date(2021, 3, 17), ONLINE, HELD),
        Exchange("Heidelberg", dt.date(2021, 9, 29), IN_PERSON, HELD),
        Exchange("Bottrop", dt.date(2022, 3, 30), IN_PERSON, HELD),
    ],
    "HU": [
        Exchange("Szeged", dt.date(2020, 3, 5), IN_PERSON, HELD),
        Exchange("Pécs", dt.date(2020, 6, 10), ONLINE, MOVED),
        Exchange("Kaposvár", dt.date(2020, 10, 28), ONLINE, HELD),
        Exchange("Tata", dt.date(2021, 4, 21), ONLINE, HELD),
        Exchange("Szeged", dt.date(2021, 10, 13), IN_PERSON, HELD),
        Exchange("Pécs", dt.date(2022, 4, 27), IN_PERSON, HELD),
    ],
    "IT": [
        Exchange("Ferrara", dt.date(2020, 2, 13), IN_PERSON, HELD),
        Exchange("Bergamo", dt.date(2020, 6, 3), ONLINE, MOVED),
        Exchange("Pesaro", dt.date(2020, 11, 4), ONLINE, HELD),
        Exchange("Capannori", dt.date(2021, 3, 10), ONLINE, HELD),
        Exchange("Ferrara", dt.date(2021, 10, 20), HYBRID, HELD),
        Exchange("Bergamo", dt.date(2022, 4, 13), IN_PERSON, HELD),
    ],
    "AT": [
        Exchange("Perchtoldsdorf", dt.date(2020, 2, 20), IN_PERSON, HELD),  # invented: the day
        Exchange("Weiz", dt.date(2020, 6, 18), ONLINE, MOVED),
        Exchange("Gleisdorf", dt.date(2020, 11, 25), ONLINE, HELD),
        Exchange("Korneuburg", dt.date(2021, 4, 28), ONLINE, HELD),
        Exchange("Perchtoldsdorf", dt.date(2021, 9, 15), IN_PERSON, HELD),
        Exchange("Weiz", dt.date(2022, 5, 4), IN_PERSON, HELD),
    ],
}

# 000 and 002 on the Big European Exchange Conference; the day is invented.
CONFERENCE = {
    "start": (dt.date(2020, 12, 3), 9, 30),  # invented: day and hours
    "end": (dt.date(2020, 12, 3), 16, 0),
    "timezone": "Europe/Berlin",  # invented: run online from the coordinator's country
    "title": {
        "en": "The Big European Exchange Conference",
        "pl": "The Big European Exchange Conference",
        "sv": "Den stora europeiska konferensen",
    },
    "description": {
        "en": "The international conference let representatives of the cities of all the "
        "project's countries meet and share their innovative approaches to integrated urban "
        "planning.",
        "pl": "Międzynarodowa konferencja pn. The Big European Exchange Conference umożliwiła "
        "wymianę wiedzy na poziomie międzynarodowym, pozwalając przedstawicielom miast ze "
        "wszystkich krajów uczestniczących w projekcie spotkać się i podzielić swoimi "
        "innowacyjnymi podejściami do zintegrowanego planowania miejskiego.",
    },
    "status_note": {
        "en": "Planned in one of the forerunner cities at the end of 2020; held online because "
        "of the COVID-19 pandemic.",
        # 002: "Den stora europeiska konferensen kommer att hållas i en av föregångarkommunerna i
        # slutet av nätverksutbytet (2020)." invented: the Swedish sentence on moving online.
        "sv": "Planerad i en av föregångarkommunerna i slutet av nätverksutbytet (2020); hölls "
        "digitalt på grund av covid-19-pandemin.",
        "pl": "Międzynarodowa konferencja pn. The Big European Exchange Conference została "
        "zaplanowana w jednym z europejskich miast uczestniczących w projekcie pod koniec "
        "2020 r., jednakże z uwagi na pandemię COVID-19 odbyła się w formule on-line.",
    },
}

# --------------------------------------------------------------------------------------------
# MULTIPLY's consortium (DIGEST "public facts") and its meetings (001)
# --------------------------------------------------------------------------------------------

# (name, short name, country, coordinator, website). invented: the websites (not in the sources).
MULTIPLY_PARTNERS = [
    ("Deutsche Umwelthilfe", "DUH", "DE", True, "https://www.duh.de/"),
    ("IVL Swedish Environmental Research Institute", "IVL", "SE", False, "https://www.ivl.se/"),
    ("Legambiente", "", "IT", False, "https://www.legambiente.it/"),
    ("Climate Alliance Austria", "Klimabündnis", "AT", False, "https://www.klimabuendnis.at/"),
    ("Energiaklub", "", "HU", False, "https://energiaklub.hu/"),
    ('PNEC – Polish Network "Energie Cités"', "PNEC", "PL", False, "https://pnec.org.pl/"),
    ("POSAD / PosadMaxwan", "POSAD", "NL", False, "https://posadmaxwan.nl/"),
    ("Generation.Energy", "GE", "NL", False, "https://generation.energy/"),
]

# 001, item by item. summary_pl is the page's own text for the meeting, heading included.
CONSORTIUM_MEETINGS = [
    {
        "number": 1,
        "dates": (dt.date(2019, 1, 24), dt.date(2019, 1, 25)),
        "planned_place": "Radolfzell",
        "held_place": "Radolfzell",
        "summary": {
            "en": "The partners got to know each other and thought together about how to "
            "encourage European municipalities to plan their development in a more integrated "
            "way. They discussed how to organise the competition that selects the cities for the "
            "exchange programme, and how to reach as many interested municipalities as possible.",
            "pl": "1. spotkanie w Radolfzell (24-25.01.2019): "
            "spotkanie dało partnerom możliwość, aby się lepiej poznać i wspólnie "
            "zastanowić, w jaki sposób zachęcić europejskie gminy do przyjęcia bardziej "
            "zintegrowanego podejścia do planowania swojego dalszego rozwoju. Rozmawiali też, "
            "jak zorganizować konkurs pozwalający wyłonić miasta, które wezmą udział w programie "
            "wymiany doświadczeń, a także jak dotrzeć do jak najszerszej grupy zainteresowanych "
            "samorządów.",
        },
    },
    {
        "number": 2,
        "dates": (dt.date(2019, 9, 30), dt.date(2019, 10, 1)),
        "planned_place": "Kraków",
        "held_place": "Kraków",
        "summary": {
            "en": "The partners shared the results of the national city competitions and started "
            "work on the concept of the peer-learning plan, for an effective, interesting and "
            "interactive exchange between the cities. A dissemination workshop discussed which "
            "future results and materials are most worth disseminating to which target groups.",
            "pl": "2. spotkanie w Krakowie (30.09-01.10.2019): "
            "w jego trakcie partnerzy podzielili się wynikami krajowych konkursów dla "
            "miast, jak również rozpoczęli pracę nad koncepcją programów wymiany wiedzy i "
            "doświadczeń (tzw. peer-learning plan), które pozwolą zapewnić efektywną, "
            "interesującą dla uczestników i interaktywną wymianę między zaangażowanymi miastami. "
            "Oprócz tego konsorcjum wzięło udział w warsztatach dotyczących rozpowszechnienia "
            "rezultatów projektu, podczas których dyskutowali, które przyszłe rezultaty i "
            "materiały opracowane w ramach projektu są szczególnie warte rozpowszechnienia wśród "
            "różnych grup docelowych.",
        },
    },
    {
        "number": 3,
        "dates": (dt.date(2020, 3, 13), dt.date(2020, 3, 13)),
        "planned_place": "Graz",
        "held_online": True,
        "summary": {
            "en": "Planned in Graz, held online because of the pandemic. The partners discussed "
            "the national exchange programmes, the main lessons of the first round of city "
            "workshops and the outline of the integrated energy plans that all committed cities "
            "prepare. They tested an interactive workshop for city energy, planning and "
            "transport staff, later run in each country with the Dutch experts PosadMaxwan and "
            "GE.",
            "pl": "3. spotkanie on-line (13.03.2020): "
            "od spotkania w Krakowie sytuacja na świecie znacznie się zmieniła i zamiast w "
            "malowniczym Grazie konsorcjum musiało spotkać się wirtualnie. Mimo trudności, udało "
            "się przedyskutować wszystkie istotne kwestie: krajowe programy wymiany wiedzy i "
            "doświadczeń, najważniejsze wnioski z 1 tury warsztatów dla miast, a także założenia "
            "zintegrowanych planów energetycznych, jakie opracowują wszystkie miasta "
            "zaangażowane. Uczestnicy wzięli też udział w testowych, interaktywnych warsztatach "
            "dla miejskich energetyków, planistów i osób odpowiedzialnych za kwestie "
            "transportowe, które następnie zostaną zorganizowane w poszczególnych krajach we "
            "współpracy z PosadMaxwan i GE, holenderskimi ekspertami.",
        },
    },
    {
        "number": 4,
        "dates": (dt.date(2020, 10, 14), dt.date(2020, 10, 15)),
        "held_online": True,
        "summary": {
            "en": "Increasingly at home with online workshop tools, the partners discussed how to "
            "disseminate the national and European integrated-planning guidelines among European "
            "municipalities, how to get the most out of the national exchange programmes, how to "
            "support the committed cities with their integrated energy plans, and how to keep up "
            "an effective European exchange in difficult times.",
            "pl": "4. spotkanie on-line (14-15.10.2020): "
            "coraz bardziej doświadczeni w korzystaniu z różnych narzędzi wspierających "
            "organizację warsztatów on-line i zapewnienie interakcji pomiędzy ich uczestnikami, "
            "partnerzy zastanawiali się, jak efektywnie rozpowszechnić wśród europejskich "
            "samorządów opracowywane w ramach projektu krajowe i europejskie wytyczne dotyczące "
            "zintegrowanego planowania, jak uzyskać jak najlepszy efekt z realizowanych "
            "krajowych programów wymiany wiedzy i doświadczeń dla miast, jak wesprzeć miasta "
            "zaangażowane w opracowaniu zintegrowanych planów energetycznych, a także jak "
            "zapewnić w tych trudnych czasach możliwie efektywną wymianę także na poziomie "
            "europejskim.",
        },
    },
    {
        "number": 5,
        "dates": (dt.date(2021, 5, 21), dt.date(2021, 5, 21)),
        "held_online": True,
        "summary": {
            "en": "The partners and the committed cities shared their experience and opinions of "
            "the meetings, workshops and study visits of the national exchange programmes so "
            "far. The meeting reviewed the European and national integrated-planning guidelines "
            "and the local integrated energy plans, and began planning the European conference.",
            "pl": "5. spotkanie on-line (21.05.2021): "
            "spotkanie koncentrowało się na omówieniu doświadczeń i opinii partnerów "
            "projektu, a także zaangażowanych miast, dotyczących dotychczasowych spotkań, "
            "warsztatów i wizyt studyjnych zorganizowanych w ramach krajowych programów wymiany "
            "i doświadczeń, a także omówieniu stanu prac nad europejskimi i krajowymi "
            "wytycznymi dotyczącymi zintegrowanego planowania oraz lokalnymi zintegrowanymi "
            "planami energetycznymi. Konsorcjum zaczęło też planować europejską konferencję, "
            "która – miejmy nadzieję – pozwoli się ostatni raz spotkać osobiście, zarówno "
            "partnerom projektu, jak i przedstawicielom miast.",
        },
    },
    {
        "number": 6,
        "dates": (dt.date(2022, 3, 6), dt.date(2022, 3, 6)),
        "held_online": True,
        "summary": {
            "en": "The second-to-last partner meeting, online again. The partners agreed the main "
            "tasks for the project's last months: effective dissemination of the results, the "
            "integrated urban planning guidelines, and the impact assessment of the energy "
            "plans.",
            "pl": "6. spotkanie online (6.03.2022): "
            "przedostatnie spotkanie partnerów również przebiegło online, ale było równie "
            "efektywne, co wydarzenia na żywo. Partnerzy uzgodnili najważniejsze zadania do "
            "wykonania przez ostatnie miesiące projektu, począwszy od efektywnego "
            "rozpowszechniania rezultatów, poprzez wytyczne dotyczące zintegrowanego planowania "
            "miejskiego, a na ocenie wpływu opracowanych Planów Energetycznych kończąc.",
        },
    },
    {
        "number": 7,
        "dates": (dt.date(2022, 5, 31), dt.date(2022, 5, 31)),
        "planned_place": "Helsingborg",
        "held_place": "Helsingborg",
        "linked_event": {"en": "Urban Future", "pl": "Urban Future"},
        "linked_event_url": "https://www.urban-future.org/",  # invented: not in the sources
        "absent": ["Legambiente"],  # 001: all partners but the Italian ones
        "summary": {
            "en": "The last partner meeting of MULTIPLY: all partners but the Italian one met in "
            "person in Helsingborg, after more than two years of online meetings, to look back "
            "on more than three years of work for sustainable urban planning. The meeting was "
            "combined with the international Urban Future conference, where local politicians "
            "and leaders, planners and researchers shared their experience of improving the "
            "quality of life in cities. In a MULTIPLY session, Deputy Mayor Eliza Bujalska "
            "presented Mińsk Mazowiecki's participatory urban design.",
            "pl": "7. spotkanie (31.05.2022): "
            "prawie wszyscy członkowie konsorcjum, z wyjątkiem włoskich partnerów, "
            "spotkali się w Helsingborgu na ostatnim spotkaniu partnerów w projekcie MULTIPLY. "
            "Po ponad dwóch latach spotkań za pośrednictwem narzędzi online wszyscy mogli się "
            "spotkać na żywo, aby podsumować ponad 3 lata wspólnych działań na rzecz "
            "zrównoważonego planowania miejskiego. Spotkanie, które odbyło się w tym szwedzkim "
            "miasteczku było połączone z międzynarodową konferencja Urban Future. Wzięli w niej "
            "udział samorządowcy, lokalni liderzy, urbaniści i naukowcy, którzy dzielili się "
            "swoimi doświadczeniami związanymi z podnoszeniem jakości życia w miastach i "
            "przedstawiali perspektywę innowacji społecznych w ich transformacji. Efekty "
            "kształtowania przestrzeni miejskiej z udziałem mieszkańców w Miasto Mińsk "
            "Mazowiecki zaprezentowała wiceburmistrz Eliza Bujalska podczas jednej z sesji, "
            "poświęconej projektowi MULTIPLY.",
        },
    },
]

# invented: every action item. (meeting number, title, owner, due, closed_on or None for open)
ACTION_ITEMS = [
    (
        1,
        "Draft the rules of the national city competitions",
        "Deutsche Umwelthilfe",
        dt.date(2019, 3, 31),
        dt.date(2019, 3, 28),
    ),
    (
        2,
        "Circulate the peer-learning plan concept to all partners",
        "IVL Swedish Environmental Research Institute",
        dt.date(2019, 12, 15),
        dt.date(2019, 12, 10),
    ),
    (
        3,
        "Adapt the interactive planning workshop for online use",
        "POSAD / PosadMaxwan",
        dt.date(2020, 5, 31),
        dt.date(2020, 5, 20),
    ),
    (
        4,
        "Collect the committed cities' draft integrated energy plans",
        "Deutsche Umwelthilfe",
        dt.date(2021, 3, 31),
        dt.date(2021, 4, 15),
    ),
    # Still open: carried to meetings 6 and 7 (meetings.selectors.action_items_for_meeting).
    (
        5,
        "Translate the European integrated-planning guidelines into the partner languages",
        "Deutsche Umwelthilfe",
        dt.date(2022, 5, 31),
        None,
    ),
    (
        6,
        "Send the impact-assessment template for the energy plans to the national partners",
        "Energiaklub",
        dt.date(2022, 4, 1),
        dt.date(2022, 3, 28),
    ),
]

# --------------------------------------------------------------------------------------------
# Motiva (004 and DIGEST "public facts")
# --------------------------------------------------------------------------------------------

# (name, region). 004 spells the sixth municipality "Rauna"; it is Rauma.
MOTIVA_PILOT_1_CITIES = [
    ("Turku", "Varsinais-Suomi"),
    ("Hyvinkää", "Uusimaa"),
    ("Hämeenlinna", "Kanta-Häme"),
    ("Oulu", "Pohjois-Pohjanmaa"),
    ("Hollola", "Päijät-Häme"),
    ("Rauma", "Satakunta"),
]
MOTIVA_PILOT_2_CITIES = [("Kerava", "Uusimaa"), ("Lohja", "Uusimaa"), ("Kuhmo", "Kainuu")]

# The seven themes of 004's paragraph on themes (pilot 2's final summary uses seven themes).
MOTIVA_THEMES = [
    {
        "en": "Organisation of and responsibilities for implementing the agreement",
        "fi": "Energiatehokkuussopimuksen toimeenpanon organisointi ja vastuut",
    },
    {
        "en": "Cross-administrative coordination and cooperation",
        "fi": "Energiatehokkuustyön poikkihallinnollinen koordinointi ja yhteistyö",
    },
    {
        "en": "Linking to the municipal strategy and programmes",
        "fi": "Liittäminen osaksi kunnan strategiaa ja ohjelmia",
    },
    {"en": "Procurement", "fi": "Hankinnat"},
    {"en": "Energy audits", "fi": "Energiakatselmukset"},
    {"en": "Consumption monitoring", "fi": "Kulutusseuranta"},
    {"en": "Training and communication", "fi": "Koulutus- ja tiedotustoiminta"},
]

MOTIVA_PARTNER = ("Motiva Oy", "Motiva", "FI", True, "https://www.motiva.fi/")

MOTIVA_WEBINAR = {
    "title": {
        "en": "Info webinar on KETS peer learning",
        "fi": "Infotilaisuus KETS-vertaisoppimisesta",
    },
    "description": {
        "en": "Information on the second peer-learning pilot of the energy-efficiency "
        "agreement for municipalities: goals, phases, selection criteria and how to apply.",
        # invented: Finnish description (004 gives only the title, date and time).
        "fi": "Tietoa energiatehokkuussopimuksen toimeenpanon toisesta "
        "vertaisoppimispilotista: tavoitteet, vaiheet, valintakriteerit ja hakeminen.",
    },
    "day": dt.date(2021, 11, 4),
    "hours": ((10, 0), (11, 0)),
    "slides": "Infotilaisuus KETS-vertaisoppimisesta 4.11.2021",
    # invented: the URL (004 links the 637 KB PDF without giving its address).
    "slides_url": "https://www.motiva.fi/files/vertaisoppiminen/"
    "infotilaisuus-kets-vertaisoppimisesta-4-11-2021.pdf",
}

MOTIVA_KICK_OFF = {
    "title": {
        "en": "Kick-off of the second peer-learning pilot",
        "fi": "Toisen vertaisoppimispilotin aloitustilaisuus",  # invented: Finnish title
    },
    "description": {
        "en": "The selected municipalities and their mentors from the first pilot meet online "
        "to form the interview groups and agree on the visits.",  # invented: the agenda
    },
    "day": dt.date(2022, 2, 3),
    "hours": ((9, 0), (11, 30)),  # invented: the hours
}

# --------------------------------------------------------------------------------------------
# Contacts (all invented: names, positions and e-mail addresses under .example domains)
# --------------------------------------------------------------------------------------------

# invented: plausible local names (first name, then family name), used in order across a
# country's cities.
CONTACT_NAMES = {
    "PL": (
        "Anna Kowalska, Piotr Nowak, Katarzyna Wiśniewska, Tomasz Wójcik, "
        "Magdalena Kamińska, Marcin Lewandowski, Agnieszka Zielińska, Paweł Szymański, "
        "Joanna Woźniak, Krzysztof Dąbrowski, Małgorzata Kozłowska, Michał Jankowski, "
        "Ewa Mazur, Łukasz Kwiatkowski, Barbara Krawczyk, Grzegorz Piotrowski, "
        "Monika Grabowska, Jakub Pawłowski"
    ),
    "SE": (
        "Anna Andersson, Erik Johansson, Maria Karlsson, Lars Nilsson, Karin Eriksson, "
        "Johan Larsson, Sara Olsson, Anders Persson, Emma Svensson, Per Gustafsson, "
        "Elin Pettersson, Mikael Jonsson, Linnea Jansson, Magnus Hansson, Ida Bengtsson, "
        "Oskar Lindberg, Sofia Lindqvist, Henrik Berg"
    ),
    "DE": (
        "Julia Müller, Thomas Schmidt, Katrin Schneider, Stefan Fischer, Sabine Weber, "
        "Michael Meyer, Anja Wagner, Andreas Becker, Claudia Schulz, Markus Hoffmann, "
        "Petra Koch, Jens Richter, Nadine Klein, Tobias Wolf, Susanne Schröder, "
        "Florian Neumann, Melanie Schwarz, Christian Zimmermann, Birgit Braun, Daniel Krüger"
    ),
    "HU": (
        "Eszter Nagy, Gábor Kovács, Katalin Tóth, László Szabó, Zsuzsanna Horváth, "
        "Péter Varga, Anna Kiss, Zoltán Molnár, Krisztina Németh, Tamás Farkas, "
        "Judit Balogh, Attila Papp, Réka Takács, István Juhász, Orsolya Lakatos, "
        "Balázs Mészáros"
    ),
    "IT": (
        "Giulia Rossi, Marco Russo, Francesca Ferrari, Luca Esposito, Chiara Bianchi, "
        "Andrea Romano, Sara Colombo, Matteo Ricci, Elena Marino, Alessandro Greco, "
        "Valentina Bruno, Davide Gallo, Martina Conti, Stefano De Luca, Silvia Mancini, "
        "Paolo Costa, Laura Giordano, Simone Rizzo"
    ),
    "AT": (
        "Maria Gruber, Johann Huber, Elisabeth Bauer, Franz Wagner, Theresa Pichler, "
        "Georg Steiner, Barbara Moser, Martin Mayer, Sandra Hofer, Wolfgang Leitner, "
        "Christina Berger, Gerhard Fuchs, Verena Eder, Harald Fischer, Lisa Schmid, "
        "Manfred Winkler, Eva Weber, Karl Schwarz"
    ),
    "FI": (
        "Anna Virtanen, Mikko Korhonen, Laura Mäkinen, Juha Nieminen, Sanna Mäkelä, "
        "Timo Hämäläinen, Heidi Laine, Jussi Heikkinen, Minna Koskinen, Pekka Järvinen, "
        "Riikka Lehtonen, Antti Lehtinen, Tiina Saarinen, Ville Salminen, Elina Heinonen, "
        "Markus Niemi"
    ),
}


CONTACT_LANGUAGE = {"PL": "pl", "SE": "sv", "FI": "fi"}  # everyone else: English

# invented: positions, in the contact's language, by target group.
POSITIONS = {
    "pl": {
        "decision-makers": "Zastępca burmistrza",
        "planning-staff": "Specjalista ds. planowania energetycznego",
        "communication-staff": "Specjalista ds. komunikacji i promocji",
    },
    "sv": {
        "decision-makers": "Kommunalråd",
        "planning-staff": "Energisamordnare",
        "communication-staff": "Kommunikatör",
    },
    "fi": {
        "decision-makers": "Ympäristöjohtaja",
        "planning-staff": "Energia-asiantuntija",
        "communication-staff": "Viestintäasiantuntija",
    },
    "en": {
        "decision-makers": "Deputy mayor",
        "planning-staff": "Energy and climate officer",
        "communication-staff": "Communication officer",
    },
}

CONTACT_GROUPS = ["decision-makers", "planning-staff", "communication-staff"]

# --------------------------------------------------------------------------------------------
# Synthetic meetings for benchmarks (all invented)
# --------------------------------------------------------------------------------------------

# No national exchanges: those are the networks' plan, which DESIGN.md rule 1 checks, and the
# benchmark data must not make the real plans look wrong.
SYNTHETIC_KINDS = [
    MeetingKind.STUDY_VISIT,
    MeetingKind.WORKSHOP,
    MeetingKind.STUDY_VISIT,
    MeetingKind.WORKSHOP,
    MeetingKind.WEBINAR,
    MeetingKind.PEER_VISIT,
]
# Passing every translation column saves modeltranslation from computing each default under a
# language override: a third of the time of building 10,000 meetings.
EMPTY_TRANSLATIONS = {
    f"{field}_{lang}": None
    for field in ("title", "description", "status_note")
    for lang, _name in settings.LANGUAGES
    if lang != "en"
} | {"description": "", "description_en": ""}
SYNTHETIC_FIRST_DAY = dt.date(2019, 1, 1)
SYNTHETIC_DAYS = (dt.date(2030, 12, 31) - SYNTHETIC_FIRST_DAY).days

# ============================================================================================
# Loading
# ============================================================================================


def load_demo(*, scale: int | None = None, admin_allowed: bool = False) -> str:
    """Load every programme of the digest in one transaction; return what happened to the admin.

    ``scale`` sets the number of synthetic MULTIPLY meetings (None leaves them as they are).
    """
    with transaction.atomic(), translation.override("en"):
        countries = load_countries()
        groups = load_target_groups()
        multiply = load_multiply(countries=countries, groups=groups)
        load_motiva(countries=countries, groups=groups)
        load_mayors_in_action(countries=countries)
        load_other_apps()
        if scale is not None:
            set_synthetic_meetings(programme=multiply, count=scale)
            # bulk_create sends no signals: tell the calendar's cache itself.
            transaction.on_commit(calendar_changed)
        return ensure_demo_admin(allowed=admin_allowed)


# Apps that build on the programmes load their own demo data (a `demo.load()` each), in the
# same transaction, after the programmes exist.
DEMO_APPS = ["calls", "visits"]


def load_other_apps() -> None:
    import importlib

    for app in DEMO_APPS:
        try:
            module = importlib.import_module(f"{app}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"{app}.demo":
                raise
            continue
        module.load()


def _tr(field: str, texts: dict[str, str]) -> dict[str, str]:
    """A translated field's per-language columns, plus the base column (the English text)."""
    values = {f"{field}_{lang}": text for lang, text in texts.items()}
    values[field] = texts.get("en", "")
    return values


def _trs(texts: dict[str, dict[str, str]]) -> dict[str, str]:
    """_tr for several fields at once: {"title": {...}, "description": {...}}."""
    values = {}
    for field, per_language in texts.items():
        values.update(_tr(field, per_language))
    return values


def _at(tz: str, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """An aware datetime at a wall-clock time in the meeting's own time zone."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zoneinfo.ZoneInfo(tz))


def _ascii(text: str) -> str:
    """Lower-case ASCII for e-mail addresses and domains: Łukasz Dąbrowski -> lukasz dabrowski."""
    text = text.replace("ł", "l").replace("Ł", "L").replace("ß", "ss")
    decomposed = unicodedata.normalize("NFKD", text)
    return decomposed.encode("ascii", "ignore").decode().lower()


def load_countries() -> dict[str, Country]:
    """The countries of the three programmes with their names and IANA time zones."""
    countries = {}
    for code, (tz, names) in COUNTRIES.items():
        countries[code], _ = Country.objects.update_or_create(
            code=code, defaults={"timezone": tz, **_tr("name", names)}
        )
    return countries


def load_target_groups() -> dict[str, TargetGroup]:
    """The three target groups of 000 and 002, and "all" for the Open and European themes."""
    groups = {}
    for order, spec in enumerate(TARGET_GROUPS, start=1):
        texts = {"name": spec["name"], "description": spec["description"] or {"en": ""}}
        groups[spec["slug"]], _ = TargetGroup.objects.update_or_create(
            slug=spec["slug"], defaults={"order": order, **_trs(texts)}
        )
    return groups


def load_programme(spec: dict) -> Programme:
    """A programme from one of the specs above (MULTIPLY, MAYORS_IN_ACTION, MOTIVA_PILOT_*)."""
    programme, _ = Programme.objects.update_or_create(
        slug=spec["slug"],
        defaults={
            "start_date": spec["start_date"],
            "end_date": spec["end_date"],
            "funding": spec["funding"],
            "is_published": True,
            **_trs(spec["texts"]),
        },
    )
    return programme


def load_network(programme: Programme, country: Country, cities: list[tuple]) -> NationalNetwork:
    """A national network and its members: ``cities`` is a list of (name, role, region)."""
    network, _ = NationalNetwork.objects.update_or_create(programme=programme, country=country)
    for name, role, region in cities:
        city, _ = City.objects.update_or_create(
            country=country, name=name, defaults={"region": region}
        )
        Membership.objects.update_or_create(network=network, city=city, defaults={"role": role})
    return network


def load_themes(programme: Programme, specs: list[dict], groups: dict) -> dict[str, Theme]:
    """Themes with their topics and target groups; keyed by spec["key"] or the English name."""
    themes = {}
    for order, spec in enumerate(specs, start=1):
        theme, _ = Theme.objects.update_or_create(
            programme=programme,
            name_en=spec["name"]["en"],
            defaults={
                "order": order,
                "open_to_all": spec.get("open_to_all", False),
                **_tr("name", spec["name"]),
            },
        )
        theme.target_groups.set(groups[slug] for slug in spec.get("groups", []))
        for topic_order, names in enumerate(spec.get("topics", []), start=1):
            Topic.objects.update_or_create(
                theme=theme,
                name_en=names["en"],
                defaults={"order": topic_order, **_tr("name", names)},
            )
        themes[spec.get("key", spec["name"]["en"])] = theme
    return themes


def load_partner(programme: Programme, spec: tuple, countries: dict, order: int) -> Partner:
    """A consortium partner from (name, short name, country, coordinator, website)."""
    name, short_name, code, is_coordinator, website = spec
    partner, _ = Partner.objects.update_or_create(
        programme=programme,
        name=name,
        defaults={
            "short_name": short_name,
            "country": countries[code],
            "order": order,
            "is_coordinator": is_coordinator,
            "website": website,
        },
    )
    return partner


# --- MULTIPLY --------------------------------------------------------------------------------


def load_multiply(*, countries: dict, groups: dict) -> Programme:
    """MULTIPLY: programme, six networks with cities and contacts, themes, national exchanges,
    the conference, and the consortium with its seven meetings (000, 001, 002, DIGEST)."""
    programme = load_programme(MULTIPLY)
    themes = load_themes(programme, MULTIPLY_THEMES, groups)
    for code, cities in MULTIPLY_CITIES.items():
        network = load_network(programme, countries[code], cities)
        load_country_contacts(code, network, groups)
        load_national_exchanges(network, themes)
    load_conference(programme, themes["european-exchange"])
    partners = {
        spec[0]: load_partner(programme, spec, countries, order)
        for order, spec in enumerate(MULTIPLY_PARTNERS, start=1)
    }
    for spec in CONSORTIUM_MEETINGS:
        load_consortium_meeting(programme, spec, partners)
    load_action_items(programme, partners)
    return programme


def load_national_exchanges(network: NationalNetwork, themes: dict[str, Theme]) -> None:
    """The network's six national exchanges, numbered 1..6 (DESIGN.md rules 1, 2 and 4)."""
    code = network.country.code
    hosts = {m.city.name: m.city for m in network.memberships.select_related("city")}
    plan = EXCHANGE_PLANS[code]
    for number, exchange in enumerate(plan, start=1):
        theme_key, topic_indices = EXCHANGE_THEMES[number - 1]
        theme = themes[theme_key]
        meeting, _ = ExchangeMeeting.objects.update_or_create(
            network=network,
            kind=MeetingKind.NATIONAL_EXCHANGE,
            number=number,
            defaults=_exchange_fields(network, exchange, number, theme, hosts[exchange.host])
            | _exchange_texts(code, number, theme_key, last=number == len(plan), ex=exchange),
        )
        topics = list(theme.topics.order_by("order"))
        meeting.topics.set(topics if topic_indices is None else [topics[i] for i in topic_indices])


def _exchange_fields(network, exchange: Exchange, number: int, theme: Theme, host: City) -> dict:
    """Where, when and how a national exchange meets, in its country's time zone."""
    tz = network.country.timezone
    online = exchange.format == ONLINE
    start, end = ((9, 30), (12, 30)) if online else ((10, 0), (15, 30))  # invented: the hours
    begins = _at(tz, exchange.day, *start)
    return {
        "programme": network.programme,
        "theme": theme,
        "host_city": host,
        "start": begins,
        "end": _at(tz, exchange.day, *end),
        "timezone": tz,
        "format": exchange.format,
        "status": exchange.status,
        "engaged_only": exchange.engaged_only,
        "venue": "" if online else exchange.venue or f"City hall, {host.name}",  # invented
        # invented: the meeting links and capacities.
        "online_url": f"https://meet.multiply.example/{network.country.code.lower()}-{number}"
        if exchange.format != IN_PERSON
        else "",
        "capacity": None if online else 40,
        "registration_deadline": None if online else begins - dt.timedelta(days=7),
    }


def _exchange_texts(code: str, number: int, theme_key: str, *, last: bool, ex: Exchange) -> dict:
    """Title, description and status note in English and the network's own language."""
    theme = next(spec for spec in MULTIPLY_THEMES if spec["key"] == theme_key)
    country = COUNTRIES[code][1]["en"]
    titles = {"en": f"National exchange {number} ({country}): {theme['name']['en']}"}
    if code == "PL":
        titles["pl"] = f"Krajowe spotkanie peer-learningowe nr {number}: {theme['name']['pl']}"
    if code == "SE":
        titles["sv"] = f"Nationellt nätverksutbyte {number}: {theme['name']['sv']}"
    languages = titles.keys()
    description = ENERGY_PLAN_TEXT if last else theme["meeting_text"]
    note = MOVED_ONLINE_NOTE if ex.status == MOVED else {"en": ""}
    return (
        _tr("title", titles)
        | _tr("description", {lang: description[lang] for lang in languages})
        | _tr("status_note", {lang: note.get(lang, "") for lang in languages})
    )


def load_conference(programme: Programme, theme: Theme) -> ExchangeMeeting:
    """The Big European Exchange Conference: planned in a forerunner city at the end of 2020,
    held online because of COVID-19 (000, 002; DESIGN.md rule 5)."""
    tz = CONFERENCE["timezone"]
    meeting, _ = ExchangeMeeting.objects.update_or_create(
        programme=programme,
        kind=MeetingKind.INTERNATIONAL_CONFERENCE,
        defaults={
            "network": None,
            "number": None,
            "theme": theme,
            "host_city": None,
            "start": _at(tz, *CONFERENCE["start"]),
            "end": _at(tz, *CONFERENCE["end"]),
            "timezone": tz,
            "format": ONLINE,
            "status": MOVED,
            "online_url": "https://meet.multiply.example/big-european-exchange",  # invented
            **_trs({key: CONFERENCE[key] for key in ("title", "description", "status_note")}),
        },
    )
    meeting.topics.set(theme.topics.all())
    return meeting


def load_consortium_meeting(programme: Programme, spec: dict, partners: dict) -> None:
    """One of 001's seven meetings, with an attendance row for every partner."""
    online = spec.get("held_online", False)
    meeting, _ = ConsortiumMeeting.objects.update_or_create(
        programme=programme,
        number=spec["number"],
        defaults={
            "start_date": spec["dates"][0],
            "end_date": spec["dates"][1],
            "planned_place": spec.get("planned_place", ""),
            "held_place": spec.get("held_place", ""),
            "held_online": online,
            "linked_event_url": spec.get("linked_event_url", ""),
            **_trs({"summary": spec["summary"], "linked_event": spec.get("linked_event", {})}),
        },
    )
    for name, partner in partners.items():
        if name in spec.get("absent", []):
            status = Attendance.Status.ABSENT
        else:
            status = Attendance.Status.ONLINE if online else Attendance.Status.PRESENT
        Attendance.objects.update_or_create(
            meeting=meeting, partner=partner, defaults={"status": status}
        )


def load_action_items(programme: Programme, partners: dict) -> None:
    """invented: a few action items, one of them still open (carried to later meetings)."""
    for number, title, owner, due, closed_on in ACTION_ITEMS:
        ActionItem.objects.update_or_create(
            meeting=ConsortiumMeeting.objects.get(programme=programme, number=number),
            title=title,
            defaults={
                "owner": partners[owner],
                "due_date": due,
                "closed_on": closed_on,
                "status": ActionItem.Status.DONE if closed_on else ActionItem.Status.OPEN,
            },
        )


# --- Contacts --------------------------------------------------------------------------------


def load_country_contacts(code: str, network: NationalNetwork, groups: dict) -> None:
    """invented: 3 contacts per forerunner city, 2 per committed city, in the country's language.

    Target groups rotate through decision makers, planning staff and communication staff, so that
    every group has contacts in every network.
    """
    names = iter(enumerate(_contact_names(code)))
    for membership in network.memberships.select_related("city").order_by("role", "city__name"):
        count = 2 if membership.role == Role.ENGAGED else 3
        for _ in range(count):
            index, (first, last) = next(names)
            group = CONTACT_GROUPS[index % len(CONTACT_GROUPS)]
            load_contact(membership.city, first, last, groups[group])


def _contact_names(code: str) -> list[tuple[str, str]]:
    """CONTACT_NAMES[code] as (first, last) pairs; the first space separates them."""
    return [tuple(name.split(" ", 1)) for name in CONTACT_NAMES[code].split(", ")]


def load_contact(city: City, first: str, last: str, group: TargetGroup) -> Contact:
    """A city contact keyed by e-mail (first.last@city.example), in the country's language."""
    language = CONTACT_LANGUAGE.get(city.country.code, "en")
    local_part = f"{_ascii(first)}.{_ascii(last)}".replace(" ", "")
    domain = _ascii(city.name).replace(" ", "-")
    contact, _ = Contact.objects.update_or_create(
        email=f"{local_part}@{domain}.example",
        defaults={
            "city": city,
            "first_name": first,
            "last_name": last,
            "language": language,
            "position": POSITIONS[language][group.slug],
            "is_active": True,
        },
    )
    contact.target_groups.set([group])
    return contact


# --- Motiva ----------------------------------------------------------------------------------


def load_motiva(*, countries: dict, groups: dict) -> None:
    """Motiva's two municipal peer-learning pilots (004; DIGEST "public facts")."""
    finland = countries["FI"]
    pilot_1 = load_programme(MOTIVA_PILOT_1)
    pilot_2 = load_programme(MOTIVA_PILOT_2)
    load_network(pilot_1, finland, [(name, E, region) for name, region in MOTIVA_PILOT_1_CITIES])
    # 004: the first pilot's municipalities act as mentors in the second.
    network_2 = load_network(
        pilot_2,
        finland,
        [(name, E, region) for name, region in MOTIVA_PILOT_2_CITIES]
        + [(name, Role.MENTOR, region) for name, region in MOTIVA_PILOT_1_CITIES],
    )
    for programme in (pilot_1, pilot_2):
        load_partner(programme, MOTIVA_PARTNER, countries, order=1)
    # invented: the themes are open to every contact of a municipality's energy-efficiency team.
    theme_specs = [
        {"name": names, "groups": ["all"], "open_to_all": True} for names in MOTIVA_THEMES
    ]
    themes = load_themes(pilot_2, theme_specs, groups)
    load_motiva_contacts(groups)
    load_motiva_webinar(pilot_2)
    load_motiva_kick_off(network_2, themes[MOTIVA_THEMES[0]["en"]])


def load_motiva_contacts(groups: dict) -> None:
    """invented: 2 Finnish contacts per pilot-1 municipality, 1 per pilot-2 municipality."""
    names = iter(_contact_names("FI"))
    cities = [(name, 2) for name, _ in MOTIVA_PILOT_1_CITIES]
    cities += [(name, 1) for name, _ in MOTIVA_PILOT_2_CITIES]
    for name, count in cities:
        city = City.objects.get(country__code="FI", name=name)
        for group in ["planning-staff", "decision-makers"][:count]:
            first, last = next(names)
            load_contact(city, first, last, groups[group])


def load_motiva_webinar(programme: Programme) -> ExchangeMeeting:
    """004: info webinar, 4 Nov 2021 10-11 Finnish time, with its slides."""
    spec = MOTIVA_WEBINAR
    tz = "Europe/Helsinki"
    meeting, _ = ExchangeMeeting.objects.update_or_create(
        programme=programme,
        title_en=spec["title"]["en"],
        defaults={
            "kind": MeetingKind.WEBINAR,
            "start": _at(tz, spec["day"], *spec["hours"][0]),
            "end": _at(tz, spec["day"], *spec["hours"][1]),
            "timezone": tz,
            "format": ONLINE,
            "status": HELD,
            **_trs({"title": spec["title"], "description": spec["description"]}),
        },
    )
    MeetingMaterial.objects.update_or_create(
        meeting=meeting,
        title_en=spec["slides"],
        defaults={
            "url": spec["slides_url"],
            **_tr("title", {"en": spec["slides"], "fi": spec["slides"]}),
        },
    )
    return meeting


def load_motiva_kick_off(network: NationalNetwork, theme: Theme) -> ExchangeMeeting:
    """DIGEST "public facts": pilot 2 kicked off online on 3 Feb 2022."""
    spec = MOTIVA_KICK_OFF
    tz = network.country.timezone
    meeting, _ = ExchangeMeeting.objects.update_or_create(
        programme=network.programme,
        title_en=spec["title"]["en"],
        defaults={
            "network": network,
            "kind": MeetingKind.WORKSHOP,
            "theme": theme,
            "start": _at(tz, spec["day"], *spec["hours"][0]),
            "end": _at(tz, spec["day"], *spec["hours"][1]),
            "timezone": tz,
            "format": ONLINE,
            "status": HELD,
            **_trs({"title": spec["title"], "description": spec["description"]}),
        },
    )
    return meeting


# --- MAYORS in ACTION ------------------------------------------------------------------------


def load_mayors_in_action(*, countries: dict) -> Programme:
    """MAYORS in ACTION (003): the programme and a network for each of its six countries.

    003 names no municipalities, so the networks have no member cities.
    """
    programme = load_programme(MAYORS_IN_ACTION)
    for code in ("BE", "HR", "GR", "ES", "PL", "IT"):
        load_network(programme, countries[code], [])
    return programme


# --- Synthetic meetings (benchmarks) -------------------------------------------------------


def set_synthetic_meetings(*, programme: Programme, count: int, batch_size: int = 1000) -> None:
    """Keep exactly ``count`` synthetic meetings: top up the missing ones, delete the surplus."""
    synthetic = ExchangeMeeting.objects.filter(
        programme=programme, title_en__startswith=SYNTHETIC_PREFIX
    ).order_by("pk")
    existing = synthetic.count()
    if existing > count:
        if count == 0:
            synthetic.delete()
        else:
            last_kept = synthetic.values_list("pk", flat=True)[count - 1]
            synthetic.filter(pk__gt=last_kept).delete()
    elif existing < count:
        _create_synthetic(programme, start=existing, count=count - existing, batch=batch_size)


def _create_synthetic(programme: Programme, *, start: int, count: int, batch: int) -> None:
    """bulk_create synthetic meetings and their topics in batches (seconds for 10,000)."""
    context = _synthetic_context(programme)
    rng = random.Random(start)  # deterministic for a given starting point
    through = ExchangeMeeting.topics.through
    for offset in range(0, count, batch):
        size = min(batch, count - offset)
        pairs = [_synthetic_meeting(context, rng, start + offset + i + 1) for i in range(size)]
        meetings = ExchangeMeeting.objects.bulk_create([meeting for meeting, _ in pairs])
        through.objects.bulk_create(
            through(exchangemeeting_id=meeting.pk, topic_id=topic_id)
            for meeting, (_, topic_ids) in zip(meetings, pairs, strict=True)
            for topic_id in topic_ids
        )


def _synthetic_context(programme: Programme) -> dict:
    """What synthetic meetings draw from: networks with members, themes with their topics."""
    networks = []
    for network in programme.networks.select_related("country"):
        members = list(network.memberships.values_list("city_id", flat=True))
        if members:
            networks.append((network, members))
    themes = [
        (theme, list(theme.topics.values_list("pk", flat=True))) for theme in programme.themes.all()
    ]
    return {"programme": programme, "networks": networks, "themes": themes, "now": timezone.now()}


def _synthetic_meeting(context: dict, rng: random.Random, seq: int):
    """One synthetic meeting (not saved) and the ids of its topics."""
    network, members = rng.choice(context["networks"])
    theme, topic_ids = rng.choice(context["themes"])
    kind = rng.choice(SYNTHETIC_KINDS)
    tz = network.country.timezone
    start = _at(
        tz,
        SYNTHETIC_FIRST_DAY + dt.timedelta(days=rng.randrange(SYNTHETIC_DAYS)),
        rng.choice([9, 10, 13]),
        rng.choice([0, 30]),
    )
    status, meeting_format = _synthetic_status(rng, kind, upcoming=start > context["now"])
    title = f"{SYNTHETIC_PREFIX} {seq}: {theme.name_en}"
    note = "Moved online (synthetic)." if status == MOVED else ""
    meeting = ExchangeMeeting(
        **EMPTY_TRANSLATIONS,
        programme=context["programme"],
        network=network,
        kind=kind,
        number=None,
        title=title,
        title_en=title,
        status_note=note,
        status_note_en=note,
        theme=theme,
        host_city_id=rng.choice(members),
        start=start,
        end=start + dt.timedelta(hours=rng.choice([2, 3, 6])),
        timezone=tz,
        format=meeting_format,
        status=status,
        capacity=rng.choice([None, 30, 60, 120]),
        engaged_only=rng.random() < 0.05,
        venue="" if meeting_format == ONLINE else "Synthetic venue",
    )
    return meeting, rng.sample(topic_ids, k=min(len(topic_ids), rng.randint(1, 2)))


def _synthetic_status(rng: random.Random, kind: str, *, upcoming: bool) -> tuple[str, str]:
    """A plausible (status, format): past meetings were mostly held, future ones planned."""
    if upcoming:
        status = rng.choice(
            [MeetingStatus.PLANNED] * 3
            + [MeetingStatus.CONFIRMED] * 2
            + [MeetingStatus.POSTPONED, MOVED, MeetingStatus.CANCELLED]
        )
    else:
        status = rng.choice([HELD] * 6 + [MOVED, MeetingStatus.CANCELLED])
    if status == MOVED or kind == MeetingKind.WEBINAR:
        return status, ONLINE
    return status, rng.choice([IN_PERSON, IN_PERSON, ONLINE, HYBRID])


# --- Admin and summary -----------------------------------------------------------------------


def ensure_demo_admin(*, allowed: bool) -> str:
    """Create the demo coordinator once; never touch an existing account's password.

    Returns "created", "exists" or "skipped" (not allowed: production without --with-admin).
    """
    if User.objects.filter(email__iexact=ADMIN_EMAIL).exists():
        return "exists"
    if not allowed:
        return "skipped"
    User.objects.create_superuser(email=ADMIN_EMAIL, password=ADMIN_PASSWORD)
    return "created"


def summary_counts() -> dict[str, int]:
    """Row counts a coordinator checks after loading."""
    return {
        "countries": Country.objects.count(),
        "target groups": TargetGroup.objects.count(),
        "programmes": Programme.objects.count(),
        "networks": NationalNetwork.objects.count(),
        "cities": City.objects.count(),
        "memberships": Membership.objects.count(),
        "contacts": Contact.objects.count(),
        "themes": Theme.objects.count(),
        "topics": Topic.objects.count(),
        "meetings": ExchangeMeeting.objects.count(),
        "synthetic meetings": ExchangeMeeting.objects.filter(
            title_en__startswith=SYNTHETIC_PREFIX
        ).count(),
        "materials": MeetingMaterial.objects.count(),
        "partners": Partner.objects.count(),
        "consortium meetings": ConsortiumMeeting.objects.count(),
        "attendance rows": Attendance.objects.count(),
        "action items": ActionItem.objects.count(),
    }
