from django.apps import AppConfig


class ToolingConfig(AppConfig):
    """Benchmarks, the audit and generated data: for developers, never installed on a live site."""

    name = "tooling"
    label = "tooling"
    verbose_name = "Developer tooling"
