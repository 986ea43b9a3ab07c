"""The admin's "Glossary health" page: the report of `manage.py check_glossary`, for editors and reviewers."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path

from .checkup import check_glossary


class HealthScreen:
    """TermAdmin mixin: the glossary's health report at /admin/terms/term/health/."""

    def get_urls(self):
        view = self.admin_site.admin_view(self.health_view)
        return [path("health/", view, name="terms_term_health"), *super().get_urls()]

    def health_view(self, request):
        """Every check's findings, with counts at the top and links to each term's change page."""
        if not self.has_view_permission(request):
            raise PermissionDenied("You do not have permission to see the glossary's health.")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Glossary health",
            "report": check_glossary(),
        }
        return TemplateResponse(request, "admin/terms/term/health.html", context)
