"""The demo's accounts: one coordinator (a superuser) for trying the admin."""

from accounts.models import User

ADMIN_EMAIL = "admin@multiply.example"
ADMIN_PASSWORD = "multiply-demo"


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
