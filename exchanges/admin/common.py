"""What the exchanges admins share."""

from django.db import models

# Django 6 assumes https for a typed address without a scheme; the admin does so already.
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}
