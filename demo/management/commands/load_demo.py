"""``manage.py load_demo``: the demo data of demo/data/, safe to run again and again."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cities.models import City, Contact, Country, TargetGroup
from demo.services import load_demo
from demo.synthetic import SYNTHETIC_PROGRAMME
from exchanges.models import (
    ExchangeMeeting,
    MeetingMaterial,
    Membership,
    NationalNetwork,
    Programme,
    Theme,
    Topic,
)
from meetings.models import ActionItem, Attendance, ConsortiumMeeting, Partner


class Command(BaseCommand):
    help = (
        "Load the demo programmes (MULTIPLY, MAYORS in ACTION, Motiva pilots) and an invented "
        "current cycle idempotently, and the demo logins on the embedded default."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=None,
            metavar="N",
            help=(
                "Keep exactly N synthetic meetings (for benchmarks) in a programme of their own, "
                f"{SYNTHETIC_PROGRAMME!r}; 0 removes it with all its rows."
            ),
        )

    def handle(self, *args, scale=None, **options):
        if scale is not None and scale < 0:
            raise CommandError("--scale must be 0 or more.")
        started = time.monotonic()
        password, logins = load_demo(scale=scale)
        elapsed = time.monotonic() - started
        counts = summary_counts()
        self.stdout.write(", ".join(f"{count} {label}" for label, count in counts.items()))
        self.stdout.write(f"Loaded in {elapsed:.1f} s.")
        self.stdout.write(self._logins_message(password, logins))

    def _logins_message(self, password: str, logins: list) -> str:
        if not logins:
            return self.style.WARNING(
                "No demo logins: SECRET_KEY is set, so this is not a developer's machine."
            )
        lines = [
            f"Sign in at {settings.SITE_URL}/accounts/login/ "
            f"with one of these (password {password}):"
        ]
        for login in logins:
            kept = "" if login.created else ", existing account: password left unchanged"
            lines.append(f"  {login.email}  ({login.persona}{kept})")
            lines.append(f"      try {login.try_}")
        return "\n".join(lines)


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
            programme__slug=SYNTHETIC_PROGRAMME
        ).count(),
        "materials": MeetingMaterial.objects.count(),
        "partners": Partner.objects.count(),
        "consortium meetings": ConsortiumMeeting.objects.count(),
        "attendance rows": Attendance.objects.count(),
        "action items": ActionItem.objects.count(),
    }
