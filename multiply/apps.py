from django.contrib.admin.apps import AdminConfig


class MultiplyAdminConfig(AdminConfig):
    """Django's admin with the project's site (multiply/admin.py) as `admin.site`."""

    default_site = "multiply.admin.MultiplyAdminSite"
