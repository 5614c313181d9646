from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data (demo/data/*.toml), its loader and `manage.py load_demo`; no models."""

    name = "demo"
