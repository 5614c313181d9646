"""`load_demo`: the demo data files, the synthetic benchmark meetings and the demo logins."""

import datetime as dt

from auditlog.context import disable_auditlog
from django.db import transaction
from django.utils import translation

from .accounts import Login, accounts_load
from .loader import load_files
from .synthetic import set_synthetic_meetings


def load_demo(*, scale: int | None = None, today: dt.date | None = None) -> tuple[str, list[Login]]:
    """Load every demo file in one transaction; return the demo password and logins (none in
    production: see demo.accounts).

    ``scale`` sets the number of synthetic meetings, in a programme of their own (None leaves
    them as they are, 0 removes that programme: see demo.synthetic); relative days in the files
    count from ``today`` (default: today).
    """
    # The audit trail records what people do; seeding the demo is nobody's doing, and writing
    # a log entry for each of its rows took a third of the load.
    with transaction.atomic(), translation.override("en"), disable_auditlog():
        load_files(today=today)
        if scale is not None:
            set_synthetic_meetings(count=scale)
        return accounts_load()
