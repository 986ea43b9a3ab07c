from django.apps import AppConfig


class TermsConfig(AppConfig):
    name = "terms"
    verbose_name = "Glossary"
    default_auto_field = "django.db.models.BigAutoField"
