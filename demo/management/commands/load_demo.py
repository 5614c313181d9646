"""``manage.py load_demo``: the demo data of demo/data/, safe to run again and again."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cities.models import City, Contact, Country, TargetGroup
from demo.accounts import ADMIN_EMAIL, ADMIN_PASSWORD
from demo.services import load_demo
from demo.synthetic import SYNTHETIC_PREFIX
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
        "Load the demo programmes (MULTIPLY, MAYORS in ACTION, Motiva pilots) idempotently, "
        "and a demo superuser when DEBUG is on or --with-admin is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=None,
            metavar="N",
            help="Keep exactly N synthetic MULTIPLY meetings (for benchmarks); 0 removes them.",
        )
        parser.add_argument(
            "--with-admin",
            action="store_true",
            help=f"Create the demo superuser {ADMIN_EMAIL} even when DEBUG is off.",
        )

    def handle(self, *args, scale=None, with_admin=False, **options):
        if scale is not None and scale < 0:
            raise CommandError("--scale must be 0 or more.")
        started = time.monotonic()
        admin = load_demo(scale=scale, admin_allowed=settings.DEBUG or with_admin)
        elapsed = time.monotonic() - started
        counts = summary_counts()
        self.stdout.write(", ".join(f"{count} {label}" for label, count in counts.items()))
        self.stdout.write(f"Loaded in {elapsed:.1f} s.")
        self.stdout.write(self._admin_message(admin))

    def _admin_message(self, admin: str) -> str:
        if admin == "skipped":
            return self.style.WARNING(
                f"Skipped the demo superuser {ADMIN_EMAIL}: DEBUG is off "
                "(pass --with-admin to create it anyway)."
            )
        line = (
            f"Admin login: {settings.SITE_URL.rstrip('/')}/admin/  e-mail {ADMIN_EMAIL}  "
            f"password {ADMIN_PASSWORD}"
        )
        if admin == "exists":
            line += "\n(The account already existed; its password was left unchanged.)"
        return line


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
