"""``manage.py load_demo``: the demo data of meetings.demo, safe to run again and again."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from meetings import demo


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
            help=f"Create the demo superuser {demo.ADMIN_EMAIL} even when DEBUG is off.",
        )

    def handle(self, *args, scale=None, with_admin=False, **options):
        if scale is not None and scale < 0:
            raise CommandError("--scale must be 0 or more.")
        started = time.monotonic()
        admin = demo.load_demo(scale=scale, admin_allowed=settings.DEBUG or with_admin)
        elapsed = time.monotonic() - started
        counts = demo.summary_counts()
        self.stdout.write(", ".join(f"{count} {label}" for label, count in counts.items()))
        self.stdout.write(f"Loaded in {elapsed:.1f} s.")
        self.stdout.write(self._admin_message(admin))

    def _admin_message(self, admin: str) -> str:
        if admin == "skipped":
            return self.style.WARNING(
                f"Skipped the demo superuser {demo.ADMIN_EMAIL}: DEBUG is off "
                "(pass --with-admin to create it anyway)."
            )
        line = (
            f"Admin login: http://127.0.0.1:8000/admin/  e-mail {demo.ADMIN_EMAIL}  "
            f"password {demo.ADMIN_PASSWORD}"
        )
        if admin == "exists":
            line += "\n(The account already existed; its password was left unchanged.)"
        return line
