"""Schemathesis, a client nobody here wrote, against the public API through Django's own WSGI
application: requests made from /api/schema/ alone find no 500, no undocumented status code or
content type, no answer that breaks the schema. A few examples per operation, so that it runs in
the suite; .ci/run runs it at length against gunicorn and the demo data."""

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

from . import factories, factories_calls

# Loaded at collection, through the WSGI application (schema generation reads no row).
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
schema = schema.include(path_regex=r"^/api/(?!coordinator/)")  # tests/test_api_coordinator.py


@pytest.fixture(autouse=True)
def world(db, settings):
    """A little of everything the API lists, and the rate limit out of the way.

    Django's WSGI handler closes the database connection at the end of each request, which
    on PostgreSQL would end the test's transaction; Django's own test client keeps it open
    the same way, by not listening for that (django.test.client)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1000000/min"},
    }
    meeting = factories.MeetingFactory(
        network__programme__slug="multiply", theme=factories.ThemeFactory(), capacity=20
    )
    factories.MembershipFactory(network=meeting.network)
    factories.MaterialFactory(meeting=meeting)
    factories_calls.QuestionFactory(call__programme=meeting.programme)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@hypothesis.settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[
        hypothesis.HealthCheck.function_scoped_fixture,
        hypothesis.HealthCheck.too_slow,
    ],
)
def test_the_public_api_keeps_its_schemas_promises(case):
    case.call_and_validate()
