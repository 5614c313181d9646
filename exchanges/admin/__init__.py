"""The exchanges app's admin, one module per concept; importing them registers their admins."""

from . import meetings, programmes, questions, registrations  # noqa: F401
