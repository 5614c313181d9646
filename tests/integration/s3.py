"""Real processes for the storage tests: an S3-compatible server (moto's standalone server), the
web under gunicorn and a Django process standing for the worker.

Plain Python like infra.py: the fixtures that use these live in test_storage_s3.py.
"""

import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from .infra import ROOT, free_port, wait_until

BIN = Path(sys.executable).parent
REGION = "eu-central-1"
# moto accepts any keys; real ones must never be needed (or found) by a test.
S3_ACCESS_KEY, S3_SECRET_KEY = "multiply-test-access", "multiply-test-secret"


def _binary(name: str) -> str | None:
    local = BIN / name
    return str(local) if local.exists() else shutil.which(name)


def http_get(url: str, *, cookies: dict | None = None, timeout: float = 10):
    """(status, headers, body) of a GET, without following redirects: a redirect to the bucket
    would be exactly what must not happen."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(url)
    if cookies:
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()))
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


class MotoServer:
    """`moto_server` on a free loopback port: S3 over HTTP, in memory, gone when stopped."""

    def __init__(self, *, log_path: str | os.PathLike):
        self.binary = _binary("moto_server")
        if self.binary is None:
            raise FileNotFoundError("moto_server is not installed (pip install 'moto[server]')")
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(log_path)
        self.process: subprocess.Popen | None = None

    def start(self, *, timeout: float = 30) -> "MotoServer":
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [self.binary, "-H", "127.0.0.1", "-p", str(self.port)],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            wait_until(self._up, timeout=timeout, interval=0.1, what=f"moto_server on {self.port}")
        except Exception:
            self.stop()
            raise
        return self

    def _up(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"moto_server exited with {self.process.returncode}")
        try:
            self.client().list_buckets()
        except Exception:  # not listening yet
            return False
        return True

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
            self.process = None

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=S3_ACCESS_KEY,
            aws_secret_access_key=S3_SECRET_KEY,
        )

    def create_bucket(self, name: str) -> str:
        self.client().create_bucket(
            Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        return name

    def env(self, bucket: str) -> dict:
        """What a deployment sets to put its files in `bucket` (README, Production)."""
        return {
            "AWS_STORAGE_BUCKET_NAME": bucket,
            "AWS_S3_ENDPOINT_URL": self.endpoint,
            "AWS_S3_REGION_NAME": REGION,
            "AWS_ACCESS_KEY_ID": S3_ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": S3_SECRET_KEY,
        }

    def objects(self, bucket: str, prefix: str = "") -> dict[str, bytes]:
        client = self.client()
        listing = client.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])
        return {
            item["Key"]: client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
            for item in listing
        }

    def anonymous_get(self, bucket: str, key: str):
        """The object's bucket URL, fetched as anyone on the internet would: no signature."""
        return http_get(f"{self.endpoint}/{bucket}/{key}")


def django_env(
    *, database_url: str, media_root: str | os.PathLike, secret_key: str, **extra: str
) -> dict:
    """A portal process's environment: the shared database, its own MEDIA_ROOT, eager Celery.

    Every storage and broker variable of the test's own environment is dropped, so that a
    process uses S3 only when `extra` says so.
    """
    dropped = ("SECRET_KEY", "DEBUG", "SITE_URL", "HOST", "PORT", "ALLOWED_HOSTS", "REDIS_URL")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in dropped and not key.startswith(("AWS_", "CELERY_BROKER"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="multiply.settings",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(media_root),
        # The developer's defaults (DEBUG, 127.0.0.1 allowed, no collectstatic), with the test
        # process's key so that the sessions it wrote are valid in the web process.
        DEBUG="true",
        SECRET_KEY=secret_key,
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    env.update(extra)
    return env


def run_django(code: str, *, env: dict, timeout: float = 120) -> str:
    """Run `code` in a fresh Django process (manage.py shell -c); its stdout, or an error with
    its output."""
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise RuntimeError(f"process failed ({result.returncode}):\n{result.stderr[-4000:]}")
    return result.stdout


class Gunicorn:
    """`gunicorn multiply.wsgi` on a free loopback port, as production serves the portal."""

    def __init__(self, env: dict, *, log_path: str | os.PathLike):
        self.binary = _binary("gunicorn")
        if self.binary is None:
            raise FileNotFoundError("gunicorn is not installed")
        self.env = env
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(log_path)
        self.process: subprocess.Popen | None = None

    def start(self, *, timeout: float = 60) -> "Gunicorn":
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [self.binary, "multiply.wsgi", "--bind", f"127.0.0.1:{self.port}"]
                + ["--workers", "1", "--threads", "2", "--access-logfile", "-"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            wait_until(self._up, timeout=timeout, interval=0.1, what=f"gunicorn on {self.port}")
        except Exception:
            self.stop()
            raise RuntimeError(f"gunicorn did not start:\n{self.log()[-3000:]}") from None
        return self

    def _up(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
        try:
            http_get(f"{self.url}/healthz", timeout=2)
        except OSError:  # not listening yet
            return False
        return True

    def get(self, path: str, **kwargs):
        return http_get(self.url + path, **kwargs)

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
            self.process = None
