"""Production settings come from the environment and pass Django's deployment checks."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from icalendar import Calendar

from exchanges.invitations import invitations_send
from exchanges.models import Invitation
from multiply.settings import envbool, envint

from . import factories

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION = {
    "SECRET_KEY": "a-long-random-production-secret-key-" + "x" * 40,
    "ALLOWED_HOSTS": "multiply.example.org",
    "DATABASE_URL": "sqlite:////tmp/multiply-deploy-check.sqlite3",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_HOST": "smtp.example.org",
}


def run_manage(*args, env):
    unset = ("DEBUG", "SECRET_KEY", "SITE_URL", "HOST", "PORT")
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def site_url(env):
    result = run_manage(
        "shell", "-c", "from django.conf import settings; print(settings.SITE_URL)", env=env
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_production_never_loads_the_demo_logins(tmp_path):
    """`make run`'s logins have published passwords: with SECRET_KEY set, load_demo makes none."""
    env = {**PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}"}
    assert run_manage("migrate", "-v0", env=env).returncode == 0

    result = run_manage("load_demo", env=env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "No demo logins" in result.stdout
    count = run_manage(
        "shell", "-c", "from accounts.models import User; print(User.objects.count())", env=env
    )
    assert count.stdout.strip().splitlines()[-1] == "0"


def test_check_deploy_passes_with_the_production_environment():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION, "SECRET_KEY": "", "DEBUG": "false"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_bad_boolean_or_number_in_the_environment_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "perhaps")
    monkeypatch.setenv("SOME_NUMBER", "many")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG must be a boolean"):
        envbool("SOME_FLAG", False)
    with pytest.raises(ImproperlyConfigured, match="SOME_NUMBER must be a whole number"):
        envint("SOME_NUMBER", 1)


def test_the_embedded_site_url_follows_the_port_make_run_serves():
    assert site_url({"PORT": "8123"}) == "http://127.0.0.1:8123"
    assert site_url({"HOST": "localhost", "PORT": "8101"}) == "http://localhost:8101"


def test_the_production_site_url_is_https_on_the_first_allowed_host():
    env = {**PRODUCTION, "ALLOWED_HOSTS": "multiply.example.org,www.multiply.example.org"}
    assert site_url(env) == "https://multiply.example.org"
    assert site_url({**env, "SITE_URL": "https://portal.example.org/"}) == (
        "https://portal.example.org"
    )


@pytest.mark.parametrize(
    "env",
    [
        {"SITE_URL": "multiply.example.org"},
        {"SITE_URL": "https://"},
        {"SITE_URL": "ftp://multiply.example.org"},
        {**PRODUCTION, "ALLOWED_HOSTS": ".example.org"},
    ],
)
def test_a_site_url_without_scheme_or_host_is_refused(env):
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SITE_URL must be an address" in result.stderr


@pytest.mark.django_db
def test_an_invitation_and_its_calendar_file_link_to_the_site_url(
    settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://portal.example.org"
    meeting = factories.MeetingFactory()
    contact = factories.ContactFactory()

    with django_capture_on_commit_callbacks(execute=True):
        invitations_send(meeting_id=meeting.pk, contact_ids=[contact.pk])

    [message] = mail.outbox
    link = "https://portal.example.org" + Invitation.objects.get(contact=contact).get_absolute_url()
    html, _ = message.alternatives[0]
    assert link in message.body
    assert f'href="{link}"' in html
    assert f'href="https://portal.example.org{meeting.get_absolute_url()}"' in html
    assert "127.0.0.1" not in message.body + html
    attachment = next(a for a in message.attachments if a[0] == "meeting.ics")
    event = Calendar.from_ical(attachment[1]).walk("VEVENT")[0]
    assert str(event["url"]) == f"https://portal.example.org{meeting.get_absolute_url()}"


S3_BUCKET = {
    "AWS_STORAGE_BUCKET_NAME": "multiply-files",
    "AWS_S3_ENDPOINT_URL": "https://s3.example.org",
    "AWS_S3_REGION_NAME": "eu-central-1",
    "AWS_ACCESS_KEY_ID": "an-access-key-id",
    "AWS_SECRET_ACCESS_KEY": "a-secret-access-key",
}


def test_with_a_bucket_files_go_to_private_s3_storage_and_static_files_stay_with_whitenoise():
    code = (
        "import json; from django.conf import settings; "
        "from django.core.files.storage import storages; s = storages['default']; "
        "names = ('bucket_name', 'endpoint_url', 'region_name', 'access_key', 'default_acl', "
        "'querystring_auth', 'file_overwrite'); "
        "print(json.dumps([type(s).__module__ + '.' + type(s).__name__, "
        "*(getattr(s, name, None) for name in names), "
        "settings.STORAGES['staticfiles']['BACKEND']]))"
    )

    def storage(env):
        result = run_manage("shell", "-c", code, env=env)
        assert result.returncode == 0, result.stdout + result.stderr
        return json.loads(result.stdout.strip().splitlines()[-1])

    whitenoise = "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert storage({**PRODUCTION, **S3_BUCKET}) == [
        "storages.backends.s3.S3Storage",
        "multiply-files",
        "https://s3.example.org",
        "eu-central-1",
        "an-access-key-id",
        None,  # no ACL sent: the bucket's objects stay private to its owner
        True,  # any URL made for a file is signed and expires
        False,  # a second upload of a name never replaces the first
        whitenoise,
    ]
    without = {**PRODUCTION, "AWS_STORAGE_BUCKET_NAME": ""}
    assert storage(without)[0] == "django.core.files.storage.filesystem.FileSystemStorage"
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env={**PRODUCTION, **S3_BUCKET}
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_e_mail_and_documents_have_queues_and_time_limits_of_their_own():
    from multiply.celery import app

    app.loader.import_default_modules()
    queue = {
        name: app.amqp.router.route({}, name)["queue"]
        for name in (
            "notifications.send_messages",
            "reports.render_document",
            "exchanges.send_reminders",
        )
    }
    assert {name: q.name for name, q in queue.items()} == {
        "notifications.send_messages": "mail",
        "reports.render_document": "documents",
        "exchanges.send_reminders": "celery",
    }
    # Each queue is reached by its own key: a message for one never lands on another.
    assert all(q.routing_key == q.name for q in queue.values())
    render = app.tasks["reports.render_document"]
    send = app.tasks["notifications.send_messages"]
    assert (render.soft_time_limit, render.time_limit) == (600, 660)
    assert (send.soft_time_limit, send.time_limit) == (120, 180)
