"""Sections for the cities app: countries, target groups and city contacts."""

from cities.models import City, Contact, Country, TargetGroup

from .fields import ascii_lower, tr
from .files import LANGUAGES, Section, Shape

PERSON = Shape(required="city name group")


def country_load(values: dict) -> None:
    """A country with its names and IANA time zone, keyed by its ISO code."""
    Country.objects.update_or_create(
        code=values["code"], defaults={"timezone": values["timezone"], **tr("name", values["name"])}
    )


def target_group_load(values: dict, *, order: int) -> None:
    """A target group keyed by slug, shown in the order of the file."""
    texts = tr("name", values["name"]) | tr("description", values.get("description", {"en": ""}))
    TargetGroup.objects.update_or_create(slug=values["slug"], defaults={"order": order, **texts})


def contacts_load(values: dict) -> None:
    """Contacts named one by one: each person's city, name and target group.

    ``positions`` gives the position, in the contacts' ``language``, of each target group.
    """
    for person in values["people"]:
        city = City.objects.get(country__code=values["country"], name=person["city"])
        contact_load(
            city,
            person["name"],
            group=person["group"],
            position=values["positions"][person["group"]],
            language=values["language"],
        )


def contact_load(city: City, name: str, *, group: str, position: str, language: str) -> Contact:
    """A city contact keyed by e-mail (first.last@city.example); the first space ends the first
    name ("Stefano De Luca": Stefano, De Luca)."""
    first, last = name.split(" ", 1)
    local_part = f"{ascii_lower(first)}.{ascii_lower(last)}".replace(" ", "")
    domain = ascii_lower(city.name).replace(" ", "-")
    contact, _ = Contact.objects.update_or_create(
        email=f"{local_part}@{domain}.example",
        defaults={
            "city": city,
            "first_name": first,
            "last_name": last,
            "language": language,
            "position": position,
            "is_active": True,
        },
    )
    contact.target_groups.set([TargetGroup.objects.get(slug=group)])
    return contact


SECTIONS = {
    "countries": Section(Shape(required="code timezone name", texts="name"), country_load),
    "target_groups": Section(
        Shape(required="slug name", texts="name description"), target_group_load, ordered=True
    ),
    "contacts": Section(
        Shape(
            required="country language positions people",
            choices={"language": LANGUAGES},
            nested={"people": PERSON},
        ),
        contacts_load,
    ),
}
