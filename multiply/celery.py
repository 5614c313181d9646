import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "multiply.settings")

app = Celery("multiply")
# Every Celery setting lives in Django's settings, prefixed CELERY_.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
