"""The demo's logins (demo/data/accounts.toml): one per kind of person who uses the portal.

They exist only on the embedded default (settings.DEMO_ACCOUNTS, off whenever SECRET_KEY is in
the environment), so that no production portal ever has an account with a published password.
An account that already exists keeps its password: loading the demo again never undoes what a
person changed. Every login's address is verified, because sign-in through allauth requires it
(ACCOUNT_EMAIL_VERIFICATION = "mandatory").
"""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings

from access.models import Role, RoleKind
from accounts.models import User
from accounts.services import contact_link_account
from exchanges.models import Programme

from .loader.files import DATA_DIR, DemoDataError, Shape, check, read_toml

ACCOUNTS_FILE = DATA_DIR / "accounts.toml"
ROLE = Shape(required="kind programme", optional="network", choices={"kind": RoleKind.values})
ACCOUNT = Shape(
    required="email persona kind try",
    optional="first_name last_name",
    choices={"kind": {"superuser", "coordinator", "city_staff", "partner"}},
    nested={"roles": ROLE},
)


@dataclass(frozen=True)
class Login:
    email: str
    persona: str
    try_: str
    created: bool


def accounts_load() -> tuple[str, list[Login]]:
    """Create the demo logins that do not exist yet; return the password and every login.

    Nothing is written, and no login returned, when the settings forbid demo accounts.
    """
    if not settings.DEMO_ACCOUNTS:
        return "", []
    data = read_toml(ACCOUNTS_FILE)
    where = f"{ACCOUNTS_FILE.name}, accounts"
    entries = [
        check(entry, ACCOUNT, f"{where} #{n}", today=None)
        for n, entry in enumerate(data.get("accounts", []), 1)
    ]
    password = data["password"]
    return password, [_account_load(entry, password) for entry in entries]


def _account_load(values: dict, password: str) -> Login:
    user = User.objects.filter(email__iexact=values["email"]).first()
    created = user is None
    if created:
        user = _user_create(values, password)
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    for role in values.get("roles", []):
        _role_load(user, role)
    return Login(user.email, values["persona"], values["try"], created)


def _user_create(values: dict, password: str) -> User:
    names = {"first_name": values.get("first_name", ""), "last_name": values.get("last_name", "")}
    if values["kind"] == "superuser":
        return User.objects.create_superuser(email=values["email"], password=password, **names)
    user = User.objects.create_user(email=values["email"], password=password, **names)
    if values["kind"] == "city_staff":
        _link_contact(user)
    return user


def _role_load(user: User, values: dict) -> None:
    """A role of the person's (access.models.Role), in a programme or one of its networks."""
    programme = Programme.objects.get(slug=values["programme"])
    network = None
    if "network" in values:
        network = programme.networks.get(country__code=values["network"])
    Role.objects.get_or_create(user=user, kind=values["kind"], programme=programme, network=network)


def _link_contact(user: User) -> None:
    """City staff sign in as a contact of the demo data: the one with their address."""
    if contact_link_account(user=user, email=user.email) is None:
        raise DemoDataError(f"{ACCOUNTS_FILE.name}: no free contact has the address {user.email}")
