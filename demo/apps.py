from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for trying the portal out and for benchmarks (`manage.py seed_demo`); nothing imports it."""

    name = "demo"
