"""Files shared by every machine (issue 18, item 3): a real S3-compatible server on loopback.

The worker and the web are separate processes, each with a MEDIA_ROOT of its own, on one
database: what the worker renders into the bucket, the web serves, and only to the person
the view lets see it. With local folders the same two processes do not share the file, which
is what shows the bucket is doing the sharing. Uploads through a real form land in the bucket,
private: read back through the view that checks permission, never from the bucket's URL.

moto_server is started once per module. Skipped without it unless S3_INTEGRATION_REQUIRED is
set (CI, both runs): then missing infrastructure fails instead.
"""

import datetime as dt
import json
import os
import sqlite3
import uuid

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from exchanges.models import Registration, RegistrationStatus
from reports.certificates import certificate_issue
from reports.models import Document
from visits.models import BackgroundMaterial

from .. import factories
from ..factories_visits import round_with_visits, staff_of
from ..files import pdf_bytes
from .infra import database_url
from .s3 import Gunicorn, MotoServer, django_env, http_get, run_django

CERTIFICATES = "documents/certificate/"


def _skip(reason: str) -> None:
    if os.environ.get("S3_INTEGRATION_REQUIRED"):
        pytest.fail(f"S3_INTEGRATION_REQUIRED is set, but this test {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def moto(tmp_path_factory):
    try:
        server = MotoServer(log_path=tmp_path_factory.mktemp("moto") / "moto.log")
    except FileNotFoundError as missing:
        _skip(f"needs {missing}")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def bucket(moto):
    return moto.create_bucket(f"multiply-{uuid.uuid4().hex[:12]}")


@pytest.fixture(scope="module")
def s3_default_storage(moto, tmp_path_factory):
    """STORAGES["default"] exactly as multiply/settings.py builds it from the S3 variables."""
    env = django_env(
        database_url=f"sqlite:///{tmp_path_factory.mktemp('db') / 'unused.sqlite3'}",
        media_root=tmp_path_factory.mktemp("media"),
        secret_key="unused",
        **moto.env("placeholder"),
    )
    code = "import json; from django.conf import settings; print(json.dumps(settings.STORAGES))"
    storages = json.loads(run_django(code, env=env).strip().splitlines()[-1])
    return storages["default"]


@pytest.fixture
def shared_database(transactional_db, tmp_path):
    """Call it once the test's data is committed: a DATABASE_URL that other processes share.

    PostgreSQL: the test database itself. SQLite: the test database is in this process's
    memory, so a copy on disk, which the worker and the web then share with each other.
    """
    from django.db import connection

    def url() -> str:
        if connection.vendor == "postgresql":
            return database_url(connection.settings_dict)
        if connection.vendor != "sqlite":
            _skip(f"has no way to share a {connection.vendor} test database")
        path = tmp_path / "shared.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        return f"sqlite:///{path}"

    return url


@pytest.fixture
def web(request, tmp_path):
    """Start the web with web(env); stopped at teardown, its log printed if the test failed."""
    servers: list[Gunicorn] = []

    def start(env: dict) -> Gunicorn:
        server = Gunicorn(env, log_path=tmp_path / f"web-{len(servers)}.log")
        servers.append(server)
        return server.start()

    yield start
    for server in servers:
        server.stop()
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        for server in servers:
            print(f"--- {server.log_path.name} ---\n{server.log()[-5000:]}")


def files_in(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()]


def session_cookie(user) -> dict:
    from django.conf import settings

    client = Client()
    client.force_login(user)
    return {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}


def certificate_waiting_for_the_worker():
    """An attendee's certificate, asked for (as the first download asks) but not rendered: the
    attendee's session, a stranger's session, and the document and download path."""
    meeting = factories.MeetingFactory(
        title="National exchange in Warsaw", start=timezone.now() - dt.timedelta(days=2)
    )
    user = factories.UserFactory(first_name="Łucja", last_name="Żak")
    contact = factories.ContactFactory(user=user, first_name="Łucja", last_name="Żak")
    registration = Registration.objects.create(
        meeting=meeting,
        contact=contact,
        status=RegistrationStatus.ATTENDED,
        privacy_consent_at=timezone.now(),
    )
    certificate_issue(registration=registration)
    # Not document_request(): its on-commit hook would render eagerly, in this process.
    document = Document.objects.create(
        kind=Document.Kind.CERTIFICATE,
        programme=meeting.programme,
        meeting=meeting,
        registration=registration,
        language="en",
    )
    return {
        "document": document,
        "path": f"/me/registrations/{registration.pk}/certificate.pdf?lang=en",
        "attendee": session_cookie(user),
        "stranger": session_cookie(factories.UserFactory()),
    }


def render_in_the_worker(document_id: int, env: dict) -> None:
    """The Celery task, run by its name in a process of its own (as a worker runs it)."""
    code = (
        "from multiply.celery import app; app.loader.import_default_modules(); "
        f"print(app.tasks['reports.render_document'].apply(kwargs={{'document_id': {document_id}}})"
        ".get())"
    )
    assert run_django(code, env=env).strip().splitlines()[-1] == Document.Status.READY


@pytest.mark.django_db(transaction=True)
def test_the_worker_renders_into_the_bucket_and_the_web_serves_it_to_the_attendee_only(
    moto, bucket, shared_database, web, tmp_path, settings
):
    case = certificate_waiting_for_the_worker()
    database = shared_database()
    root_worker, root_web = tmp_path / "rootA", tmp_path / "rootB"
    common = {"database_url": database, "secret_key": settings.SECRET_KEY, **moto.env(bucket)}

    render_in_the_worker(case["document"].pk, django_env(media_root=root_worker, **common))
    [(key, pdf)] = moto.objects(bucket, CERTIFICATES).items()
    assert pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-1024:]

    server = web(django_env(media_root=root_web, **common))
    status, headers, body = server.get(case["path"], cookies=case["attendee"])
    assert status == 200, body[:500]
    assert body == pdf  # the worker's bytes, streamed by the web from the bucket
    assert headers["Content-Type"] == "application/pdf"
    assert "private" in headers["Cache-Control"]
    assert key.rsplit("/", 1)[-1] in headers["Content-Disposition"]

    assert server.get(case["path"], cookies=case["stranger"])[0] == 404
    status, headers, _ = server.get(case["path"])
    assert status == 302 and headers["Location"].startswith("/accounts/login/")
    # Neither machine kept a copy on its own disk.
    assert files_in(root_worker) == files_in(root_web) == []


@pytest.mark.django_db(transaction=True)
def test_with_local_folders_the_web_has_not_got_the_workers_document(
    moto, bucket, shared_database, web, tmp_path, settings
):
    """The same two processes without the S3 variables: the file stays on the worker's disk."""
    case = certificate_waiting_for_the_worker()
    database = shared_database()
    root_worker, root_web = tmp_path / "rootA", tmp_path / "rootB"
    common = {"database_url": database, "secret_key": settings.SECRET_KEY}

    render_in_the_worker(case["document"].pk, django_env(media_root=root_worker, **common))
    [rendered] = files_in(root_worker)
    assert rendered.read_bytes().startswith(b"%PDF-")

    server = web(django_env(media_root=root_web, **common))
    status, _, _ = server.get(case["path"], cookies=case["attendee"])
    assert status == 404  # the row says ready; the web's folder has no such file
    assert files_in(root_web) == []
    assert moto.objects(bucket) == {}


@pytest.mark.django_db
def test_an_uploaded_material_is_private_in_the_bucket_and_served_only_through_its_view(
    client, settings, moto, bucket, s3_default_storage, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path  # a file written to the disk would show up here
    options = {**s3_default_storage["OPTIONS"], "bucket_name": bucket}
    settings.STORAGES = {**settings.STORAGES, "default": {**s3_default_storage, "OPTIONS": options}}
    names = ["Kerava", "Lohja", "Kuhmo", "Oulu", "Turku"]
    review_round = round_with_visits(5, phase="preparing", names=names)
    visits = {visit.host.name: visit for visit in review_round.visits.select_related("host")}
    kerava = visits["Kerava"]
    # Kerava is interviewed by Lohja and Kuhmo (the proposal's order); Oulu is not in its group.
    host, member, other = (staff_of(visits[name].host) for name in ("Kerava", "Lohja", "Oulu"))

    client.force_login(host)
    uploads = [pdf_bytes(padding=100), pdf_bytes(padding=200)]
    for title, data in zip(["Consumption data", "Consumption data, 2024"], uploads, strict=True):
        response = client.post(
            f"/visits/{kerava.pk}/materials/",
            {"title": title, "file": SimpleUploadedFile("data.pdf", data)},
        )
        assert response.status_code == 302
    first, second = BackgroundMaterial.objects.order_by("pk")
    in_bucket = moto.objects(bucket)
    # Same name, two files: the second got a name of its own (file_overwrite=False).
    assert first.file.name != second.file.name
    assert in_bucket == {first.file.name: uploads[0], second.file.name: uploads[1]}
    assert files_in(tmp_path) == []

    client.force_login(member)
    download = client.get(f"/visits/{kerava.pk}/materials/{first.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == uploads[0]
    assert "private" in download["Cache-Control"]
    client.force_login(other)
    assert client.get(f"/visits/{kerava.pk}/materials/{first.pk}/").status_code == 404

    # The bucket URL is refused to anyone without a signature; a signed URL (which the portal
    # never hands out) works, and so would a public object: moto does check, so the 403 means
    # the object is private.
    assert moto.anonymous_get(bucket, first.file.name)[0] == 403
    signed = default_storage.url(first.file.name)
    assert "X-Amz-Signature=" in signed
    assert http_get(signed)[2] == uploads[0]
    grants = moto.client().get_object_acl(Bucket=bucket, Key=first.file.name)["Grants"]
    assert not [g for g in grants if "AllUsers" in g["Grantee"].get("URI", "")]
    moto.client().put_object(Bucket=bucket, Key="public.txt", Body=b"x", ACL="public-read")
    assert moto.anonymous_get(bucket, "public.txt")[0] == 200

    client.force_login(host)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/visits/{kerava.pk}/materials/{first.pk}/delete/")
    assert response.status_code == 302
    assert set(moto.objects(bucket)) == {second.file.name, "public.txt"}
